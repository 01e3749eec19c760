"""The graph store: one interface over embedded Oxigraph and remote SPARQL 1.1 stores.

`open_store()` picks the implementation from the store setting, `EVKG_STORE` (see
`graph.config`).
"""

from __future__ import annotations

from graph.config import EmbeddedConfig, RemoteConfig, StoreConfig, parse_store_spec
from graph.store.base import (
    DocumentGraph,
    GraphStore,
    PutStatus,
    StoreBusyError,
    StoreError,
    TruncatedResultsError,
)
from graph.store.embedded import OxigraphStore
from ingest.settings import Settings

__all__ = [
    "DocumentGraph",
    "GraphStore",
    "OxigraphStore",
    "PutStatus",
    "StoreBusyError",
    "StoreError",
    "TruncatedResultsError",
    "open_store",
]


def open_store(
    spec: str | StoreConfig | None = None, settings: Settings | None = None
) -> GraphStore:
    """Open the store `spec` names (else the store setting), with the credentials of
    `settings` (else the process's)."""
    if isinstance(spec, EmbeddedConfig | RemoteConfig):
        config = spec
    else:
        config = parse_store_spec(spec, settings)
    if isinstance(config, EmbeddedConfig):
        return OxigraphStore(config.path)
    from graph.store.remote import SparqlStore

    return SparqlStore(config)
