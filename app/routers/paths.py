"""How two actors connect: simple paths over the actor network (networkx)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import StateDep, read
from app.models import Paths
from app.problems import Problem
from app.responses import problems
from app.routers.params import ModalityFilters, id_pattern, minted
from graph.network import paths

router = APIRouter(tags=["network"])
ACTOR = {"pattern": id_pattern("actor", optional=False)}  # an actor's id or IRI (`minted`)


@router.get("/paths", response_model=Paths, summary="Paths between two actors",
            responses=problems(400, 404, 422, 503))
async def find_paths(
    state: StateDep,
    filters: ModalityFilters,
    source: Annotated[str, Query(alias="from", max_length=200, examples=["united-states"],
                                 json_schema_extra=ACTOR)],
    target: Annotated[str, Query(alias="to", max_length=200, examples=["iran"],
                                 json_schema_extra=ACTOR)],
    max_hops: Annotated[int, Query(ge=1, le=4)] = 3,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Paths:
    """Over the events of `modality` (asserted unless it names others)."""
    a, b = minted("actor", source), minted("actor", target)
    graph = await read(state, state.network, filters)  # kept per store version, not rebuilt
    for iri, name in ((a, source), (b, target)):
        if iri not in graph:
            raise Problem(404, f"actor {name!r} takes part in no events")
    found = await read(state, paths, graph, a, b, max_hops, limit)
    return Paths(source=a, target=b, max_hops=max_hops, paths=found)
