"""Every setting evkg reads from the environment, in one typed object read once per process.

Each field is the variable of its name upper-cased after `EVKG_`; its default and
description are what the README's table says of it (`tests/test_settings.py` holds the two
together; a default made by a function is shown as its `shown_default`). This module
imports nothing else of evkg's, so the extractor, the store layer, the service and the CLI
all read their settings here. A bad value stops the first reader with a `SettingError`:
one line naming the variable and what it accepts.

`get_settings()` reads the environment once; a test that changes it calls
`get_settings.cache_clear()`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, ValidationError, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = [
    "CODERS",
    "DEFAULT_STORE",
    "ENV_PREFIX",
    "Coder",
    "SettingError",
    "Settings",
    "env_name",
    "get_settings",
]

ENV_PREFIX = "EVKG_"
Coder = Literal["parse", "rules"]
CODERS: tuple[str, ...] = get_args(Coder)
DEFAULT_STORE = "oxigraph:./data/evkg"


class SettingError(ValueError):
    """An environment variable holds a value evkg cannot use; the message is one line."""


def default_workers() -> int:
    """Twice the usable CPUs, 2 to 16: a long query then holds one worker while short ones
    still share the cores, instead of queueing behind it (each worker costs a process)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(16, max(2, 2 * cpus))


class Settings(BaseSettings):
    """evkg's settings. An unset or empty variable takes the default."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_ignore_empty=True, frozen=True, extra="ignore"
    )

    # -- the store
    store: str = Field(
        default=DEFAULT_STORE,
        description="the store: `oxigraph:PATH` (embedded; `oxigraph:` in memory), "
        "`sparql:URL`, `oxigraph-server:URL` or `virtuoso:URL` (see Store)",
    )
    store_user: str | None = Field(default=None, description="user name for a remote store")
    store_password: str | None = Field(
        default=None, repr=False, description="password for a remote store"
    )
    store_version_ttl: float = Field(
        default=1.0,
        ge=0,
        description="seconds the service takes a remote store's version as read before "
        "asking again: another writer's change shows up to this much later (the service's "
        "own at once); past half of it the service asks again in the background while "
        "requests come; 0 asks on every request",
    )
    # -- the service
    host: str = Field(default="127.0.0.1", description="the address `evkg serve` listens on")
    port: int = Field(default=8000, ge=1, le=65535, description="the port `evkg serve` listens on")
    token: str | None = Field(
        default=None,
        repr=False,
        description="writes need `Authorization: Bearer` this token; unset: read-only",
    )
    query_timeout: float = Field(
        default=30.0, gt=0, description="seconds a query may run before it is answered 503"
    )
    update_timeout: float = Field(
        default=300.0,
        gt=0,
        description="seconds a SPARQL update may run in its query process (then 503)",
    )
    max_rows: int = Field(
        default=10_000,
        ge=1,
        description="rows or triples a SPARQL result keeps (then cut and marked)",
    )
    cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), description="origins allowed by CORS, comma-separated; unset: CORS off"
    )
    allow_service: bool = Field(
        default=False, description="let queries use SERVICE (and query processes the network)"
    )
    allow_load: bool = Field(default=False, description="let updates use LOAD")
    query_workers: int = Field(
        default_factory=default_workers,
        ge=1,
        description="query processes (a long query holds one; short ones share the rest)",
        json_schema_extra={"shown_default": "twice the CPUs, 2 to 16"},
    )
    rest_workers: int = Field(
        default=2, ge=1, description="more query processes that only the REST routes use"
    )
    warm_extractor: bool = Field(
        default=False,
        description="build the extractor before the first request (writable service; "
        "on under `evkg serve`)",
    )
    warm_network: bool = Field(
        default=False,
        description="build the actor network and search index (with writes allowed, the "
        "happening index too) in the background at start (on under `evkg serve`; `/health` "
        "says when they are ready)",
    )
    # -- extraction
    coder: Coder = Field(
        default="parse", description="the event coder: `parse` (dependency parse) or `rules`"
    )
    spacy_model: str | None = Field(
        default=None,
        description="the parse coder's spaCy pipeline, a package or a folder (unset: "
        "`en_core_web_sm`, pinned in `requirements/model.txt`)",
    )
    ontology_dir: Path | None = Field(
        default=None, description="read the vocabularies from this folder instead of evkg's own"
    )
    cache_dir: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "evkg",
        description="where the parsed vocabulary is kept",
        json_schema_extra={"shown_default": "~/.cache/evkg"},
    )
    dask_scheduler: str | None = Field(
        default=None,
        description="the Dask scheduler `evkg ingest --cluster` and `evkg cluster` use",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(o.strip() for o in value.split(",") if o.strip())
        return value

    @field_validator("coder", mode="before")
    @classmethod
    def _lower_case(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


def env_name(field: str) -> str:
    """The environment variable of a field of `Settings`."""
    return ENV_PREFIX + field.upper()


# What a kind of value accepts, where pydantic's own message does not say.
_BOOLEAN = "1, true, yes, on or 0, false, no, off"


def _problem(error: ErrorDetails) -> str:
    """One validation error as the variable, its value and what it accepts."""
    field = str(error["loc"][0]) if error["loc"] else "?"
    message = str(error["msg"])
    if error["type"] == "bool_parsing":
        message = f"use {_BOOLEAN}"
    message = message[:1].lower() + message[1:]
    return f"{env_name(field)}={error['input']!r}: {message}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read from the environment once per process."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingError("; ".join(_problem(e) for e in exc.errors())) from None
