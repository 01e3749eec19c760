"""Liveness and a summary of what the graph holds."""

from __future__ import annotations

from fastapi import APIRouter

from app.deps import StateDep, read
from app.models import Health, Stats
from app.responses import problems
from graph import queries

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, summary="Is the service up, and on which store")
async def health(state: StateDep) -> Health:
    # the store's kind, not its repr: that names a file path or a server's address
    return Health(status="ok", store=type(state.store).__name__, isolated=state.pool is not None,
                  writable=state.settings.token is not None, warm=state.warm)


@router.get("/stats", response_model=Stats, summary="Counts of documents, events, actors",
            responses=problems(503))
async def stats(state: StateDep) -> Stats:
    reader = state.reader()
    row = (await read(state, reader.select, queries.stats()))[0]
    triples = (await read(state, reader.select, queries.triple_count()))[0]
    graphs = await read(state, state.store.graphs)
    return Stats(
        documents=int(row.get("documents", 0)), events=int(row.get("events", 0)),
        happenings=int(row.get("happenings", 0)), actors=int(row.get("actors", 0)),
        triples=int(triples.get("triples", 0)),
        graphs=len(graphs),
    )
