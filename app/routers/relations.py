"""One dyad: the events between two actors both ways, and their monthly timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.deps import StateDep, kept_rows, read
from app.models import Relation, TimelinePoint
from app.responses import problems
from app.routers.params import SLUG_SCHEMA, ModalityFilters, dedupe, minted
from graph import queries

router = APIRouter(tags=["relations"])
ActorId = Annotated[str, Path(max_length=200, json_schema_extra=SLUG_SCHEMA, examples=["iran"])]


@router.get("/relations/{a}/{b}", response_model=Relation,
            summary="Events between two actors both ways, with a monthly timeline",
            responses=problems(400, 422, 503))
async def relation(a: ActorId, b: ActorId, state: StateDep,
                   filters: ModalityFilters) -> Relation:
    """The events and the timeline count asserted events unless `modality` names others.
    The answer is kept per store version."""
    x, y = minted("actor", a), minted("actor", b)
    version = await read(state, state.store_version)  # a remote store's: one small query
    ab, ba, months = await kept_rows(
        state, version,
        queries.events(filters, source=x, target=y, limit=1000),
        queries.events(filters, source=y, target=x, limit=1000),
        queries.dyad_timeline(x, y, filters))
    timeline = [
        TimelinePoint(month=r["month"], direction=r["dir"], count=int(r["n"]),
                      reports=int(r.get("reports") or 0), goldstein=float(r.get("goldstein") or 0))
        for r in months
    ]
    return Relation(a=x, b=y, a_to_b=dedupe(ab), b_to_a=dedupe(ba), timeline=timeline)
