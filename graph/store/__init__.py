"""The graph store: one interface over embedded Oxigraph and remote SPARQL 1.1 stores.

`open_store()` picks the implementation from `EVKG_STORE` (see `graph.config`).
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


def open_store(spec: str | StoreConfig | None = None) -> GraphStore:
    """Open the store `spec` names (else `$EVKG_STORE`, else `oxigraph:./data/evkg`)."""
    config = spec if isinstance(spec, EmbeddedConfig | RemoteConfig) else parse_store_spec(spec)
    if isinstance(config, EmbeddedConfig):
        return OxigraphStore(config.path)
    from graph.store.remote import SparqlStore

    return SparqlStore(config)
