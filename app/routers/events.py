"""Events with their evidence, filtered by actors, CAMEO code, dates, place, document and
modality."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from app.deps import StateDep, kept_rows, read
from app.models import EventPage
from app.responses import problems
from app.routers.params import (
    DOCUMENT_SCHEMA,
    DateQ,
    ModalityQ,
    dedupe,
    filters_of,
    id_pattern,
    minted,
    next_page,
)
from graph import queries
from graph.sparql import pages_itself

router = APIRouter(tags=["events"])

IdQ = Annotated[str | None, Query(max_length=300, examples=["iran"],
                                  json_schema_extra={"pattern": id_pattern("actor")})]
DocumentIdQ = Annotated[str | None, Query(max_length=300, json_schema_extra=DOCUMENT_SCHEMA,
                                          examples=["02c5fb17753ec921"])]


@router.get("/events", response_model=EventPage, summary="Events with their evidence",
            responses=problems(400, 422, 503))
async def list_events(
    request: Request, state: StateDep,
    source: IdQ = None, target: IdQ = None, actor: IdQ = None,
    root: Annotated[str | None, Query(pattern=r"^\d{2}$", examples=["19"])] = None,
    code: Annotated[str | None, Query(pattern=r"^\d{2,4}$", examples=["190"])] = None,
    since: DateQ = None, until: DateQ = None,
    place: Annotated[str | None, Query(max_length=300, examples=["baghdad"],
                                       json_schema_extra={"pattern": id_pattern("place")})] = None,
    document: DocumentIdQ = None,
    modality: ModalityQ = None,
    level: Annotated[Literal["report", "happening"], Query(
        description="report (the default): the document events; happening: the real-world "
        "events they report, each once, with how many of them report it")] = "report",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> EventPage:
    """Events of the asserted modality unless `modality` names others; each says its own.
    With level=happening, the happenings of those events."""
    filters = filters_of(since=since, until=until, root=root, document=document,
                         modality=modality)
    chosen = {"source": minted("actor", source) if source else None,
              "target": minted("actor", target) if target else None,
              "actor": minted("actor", actor) if actor else None,
              "code": code, "place": minted("place", place) if place else None}
    version = await read(state, state.store_version)  # a remote store's: one small query
    if level == "report" and not pages_itself(state.reader()):
        # found unordered, ordered here, the page described (`graph.sparql.pages_itself`)
        sparql = queries.event_ids(filters, **chosen)
        key: tuple = (version, "ordered", sparql)
        if (found := state.answers.get(key)) is None:
            [rows] = await kept_rows(state, version, sparql)
            found = sorted({r["e"] for r in rows if not r["e"].startswith("_:")})
            state.answers.put(key, found)
        page = found[offset:offset + limit]
        [rows] = await kept_rows(state, version, queries.listed_events(page)) if page else [[]]
    else:
        build = queries.happenings if level == "happening" else queries.events
        [rows] = await kept_rows(state, version, build(filters, **chosen, limit=limit,
                                                        offset=offset))
    items = dedupe(rows)
    return EventPage(limit=limit, offset=offset, level=level, items=items,
                     next=next_page(request, limit, offset, len(items)))
