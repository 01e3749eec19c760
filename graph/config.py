"""Which store to open, read from one string so the CLI, the API and tests agree.

The store setting (`EVKG_STORE`, or `--store`; see `ingest.settings`) names the store:

- `oxigraph:PATH` -- embedded Oxigraph on disk (the default, `oxigraph:./data/evkg`);
  `oxigraph:` with no path is an in-memory store (tests, throw-away runs).
- `sparql:QUERY_URL` -- any SPARQL 1.1 store. Optional `;update=URL`, `;store=URL`
  (Graph Store Protocol endpoint), `;auth=basic|digest` and `;maxrows=N` follow the URL.
- `oxigraph-server:BASE_URL` -- an `oxigraph serve` instance (`/query`, `/update`, `/store`).
- `virtuoso:BASE_URL` -- OpenLink Virtuoso (`/sparql`, `/sparql-auth` with digest auth,
  `/sparql-graph-crud-auth`).

Credentials never sit in the spec: they come from the settings `EVKG_STORE_USER` and
`EVKG_STORE_PASSWORD` so a spec can be logged or shown safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.settings import DEFAULT_STORE, Settings, get_settings

__all__ = [
    "DEFAULT_STORE",
    "EmbeddedConfig",
    "RemoteConfig",
    "StoreConfig",
    "StoreConfigError",
    "parse_store_spec",
]

# Graphs Virtuoso keeps for itself; they are not evkg's and are never listed or exported.
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/",
    "http://www.w3.org/ns/ldp#",
    "http://localhost:8890/",
    "http://localuriqaserver/",
    "urn:activitystreams-owl:map",
    "urn:core:services:sparql",
    "http://www.w3.org/2002/07/owl#",
)


class StoreConfigError(ValueError):
    """The store spec cannot be understood."""


@dataclass(frozen=True)
class EmbeddedConfig:
    path: Path | None  # None: in memory

    kind: Literal["oxigraph"] = "oxigraph"


@dataclass(frozen=True)
class RemoteConfig:
    query_url: str
    update_url: str
    store_url: str | None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: Literal["basic", "digest"] = "basic"
    max_rows: int | None = None  # the server's known row cap, if any
    ignore_graphs: tuple[str, ...] = ()  # IRI prefixes of the server's own graphs
    flavour: Literal["generic", "oxigraph", "virtuoso"] = "generic"

    kind: Literal["sparql"] = "sparql"


StoreConfig = EmbeddedConfig | RemoteConfig


def parse_store_spec(spec: str | None = None, settings: Settings | None = None) -> StoreConfig:
    """Turn `spec` (else the store setting) into a store configuration, with the
    credentials of `settings` (else the process's)."""
    settings = settings or get_settings()
    spec = (spec or settings.store).strip()
    scheme, sep, rest = spec.partition(":")
    if not sep:
        raise StoreConfigError(
            f"store spec {spec!r} has no kind; use oxigraph:PATH, sparql:URL, "
            "oxigraph-server:URL or virtuoso:URL"
        )
    if scheme == "oxigraph":
        return EmbeddedConfig(Path(rest).expanduser() if rest else None)
    url, *options = rest.split(";")
    if not url.startswith(("http://", "https://")):
        raise StoreConfigError(f"store spec {spec!r}: {scheme} needs an http(s) URL")
    opts: dict[str, str] = {}
    for option in options:
        key, eq, value = option.partition("=")
        if not eq:
            raise StoreConfigError(f"store spec {spec!r}: option {option!r} is not key=value")
        opts[key.strip()] = value.strip()
    unknown = set(opts) - {"update", "store", "auth", "maxrows"}
    if unknown:
        raise StoreConfigError(f"store spec {spec!r}: unknown options {sorted(unknown)}")
    user = settings.store_user
    password = settings.store_password
    base = url.rstrip("/")
    ignore: tuple[str, ...]
    if scheme == "oxigraph-server":
        defaults = {"query": f"{base}/query", "update": f"{base}/update", "store": f"{base}/store"}
        auth, flavour, ignore = "basic", "oxigraph", ()
    elif scheme == "virtuoso":
        defaults = {
            "query": f"{base}/sparql",
            "update": f"{base}/sparql-auth",
            "store": f"{base}/sparql-graph-crud-auth",
        }
        auth, flavour, ignore = "digest", "virtuoso", VIRTUOSO_SYSTEM_GRAPHS
        user = user or "dba"
        password = password or "dba"
    elif scheme == "sparql":
        defaults = {"query": url, "update": url, "store": ""}
        auth, flavour, ignore = "basic", "generic", ()
    else:
        raise StoreConfigError(f"store spec {spec!r}: unknown kind {scheme!r}")
    auth = opts.get("auth", auth)
    if auth not in ("basic", "digest"):
        raise StoreConfigError(f"store spec {spec!r}: auth must be basic or digest")
    try:
        max_rows = int(opts["maxrows"]) if "maxrows" in opts else None
    except ValueError as exc:
        raise StoreConfigError(f"store spec {spec!r}: maxrows must be a number") from exc
    return RemoteConfig(
        query_url=defaults["query"],
        update_url=opts.get("update", defaults["update"]),
        store_url=opts.get("store", defaults["store"]) or None,
        user=user,
        password=password,
        auth=auth,  # type: ignore[arg-type]
        max_rows=max_rows,
        ignore_graphs=ignore,
        flavour=flavour,  # type: ignore[arg-type]
    )
