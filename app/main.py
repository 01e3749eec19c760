"""The HTTP service: `create_app()` wires settings, the store, the query pool and routers."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import problems, responses
from app.deps import State
from app.routers import (
    actors,
    documents,
    events,
    export,
    frontends,
    graph_store,
    happenings,
    health,
    linked_data,
    network,
    ontology,
    paths,
    relations,
    sparql,
)
from graph.isolated import QueryPool
from graph.network import NetworkCache
from graph.store import GraphStore, OxigraphStore, StoreError, open_store
from graph.store.vocab import VOCABULARIES, load_vocabularies, vocabulary_graph
from ingest.settings import Settings, get_settings

log = logging.getLogger("evkg")

ROUTERS = (
    health,
    sparql,
    graph_store,
    documents,
    actors,
    events,
    happenings,
    relations,
    paths,
    export,
    ontology,
    linked_data,
    frontends,
    network,
)


def _pool(store: object, settings: Settings) -> QueryPool | None:
    """Isolated workers need an on-disk embedded store to snapshot. Snapshots go beside the
    store (same file system: hard links, not copies) in a folder only the process holding
    the store's lock uses, so the pool may empty what a killed server left there."""
    if isinstance(store, OxigraphStore) and store.path is not None:
        snapshots = store.path.with_name(f"{store.path.name}.snapshots")
        try:
            snapshots.mkdir(exist_ok=True)
        except OSError:  # a read-only parent folder
            snapshots = Path(tempfile.mkdtemp(prefix="evkg-snapshots-"))
        return QueryPool(
            store,
            snapshots,
            settings.query_workers,
            settings.rest_workers,
            network=settings.allow_service,
        )
    return None


def _ensure_vocabularies(store: GraphStore, settings: Settings) -> None:
    """Documents name the gazetteer's actors without describing them, and events take their
    Goldstein scores from the CAMEO scheme, so the store must hold the vocabularies: load
    any that is missing or changed. The embedded store is this process's own; a remote one
    only when this service may write (else `evkg ingest`, which loads them, filled it; if
    none did, the operator is told at start)."""
    try:
        if isinstance(store, OxigraphStore) or settings.token is not None:
            load_vocabularies(store)
            return
        missing = [name for name in VOCABULARIES if store.graph_size(vocabulary_graph(name)) == 0]
    except StoreError as exc:  # a remote store may refuse; reads still work
        log.warning("could not load or check the vocabularies of %r: %s", store, exc)
        return
    if missing:
        log.warning(
            "%r holds no %s vocabulary graph: actors show without labels and events without "
            "Goldstein scores until `evkg ingest` (or this service with EVKG_TOKEN) loads them",
            store,
            ", ".join(missing),
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings.store, settings)
        _ensure_vocabularies(store, settings)
        pool = _pool(store, settings)
        if settings.warm_extractor and settings.token is not None:
            # POST /documents extracts: build the extractor's caches before the first
            # request is accepted, not while 32 of them wait (startup ends after this)
            from app.routers.documents import warm_up

            await anyio.to_thread.run_sync(warm_up)
        networks = NetworkCache(version_ttl=settings.store_version_ttl)
        app.state.evkg = state = State(settings, store, pool, anyio.Lock(), networks)
        if settings.warm_network:
            state.warm = "warming"  # before the first request can ask /health
            threading.Thread(target=state.warm_up, name="evkg-warm-up", daemon=True).start()
        try:
            yield
        finally:
            if pool is not None:
                pool.close()
            store.close()

    app = FastAPI(
        title="evkg",
        version="0.1.0",
        description=(
            "Events of the US/Iran/Iraq conflict extracted from news: a SPARQL 1.1 endpoint "
            "and REST resources over actors, events, documents and the actor network. "
            "Errors are RFC 9457 problem details."
        ),
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from app/routers/frontends.py, served locally
        redoc_url=None,
    )
    problems.install(app)
    generate = app.openapi

    def openapi() -> dict:
        """FastAPI's document, with the problem-details schema every error refers to."""
        return app.openapi_schema or responses.finish(generate())

    app.openapi = openapi  # type: ignore[method-assign]
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    for module in ROUTERS:
        app.include_router(module.router)
    return app
