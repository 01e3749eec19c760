"""Extraction settings, read once from the environment.

`EVKG_CODER` picks the event coder: `parse` (the default: the dependency-parse coder of
`ingest.coding`, with the whole CAMEO verb dictionary and modality) or `rules` (the shallow
rule coder of `ingest.rules`, kept for comparison: it needs no trained model).
`EVKG_SPACY_MODEL` names the trained pipeline the parse coder loads: an installed package
or a folder (default: the pinned `en_core_web_sm` of `requirements/model.txt`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CODERS", "ExtractionSettings", "SettingError", "settings"]

CODERS = ("rules", "parse")


class SettingError(ValueError):
    """An environment variable holds a value evkg cannot use."""


@dataclass(frozen=True)
class ExtractionSettings:
    coder: str = "parse"
    spacy_model: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ExtractionSettings:
        env = dict(os.environ) if env is None else env
        coder = (env.get("EVKG_CODER") or "parse").strip().lower()
        if coder not in CODERS:
            raise SettingError(f"EVKG_CODER={coder!r}: use one of {', '.join(CODERS)}")
        return cls(coder=coder, spacy_model=env.get("EVKG_SPACY_MODEL") or None)


@lru_cache(maxsize=1)
def settings() -> ExtractionSettings:
    return ExtractionSettings.from_env()
