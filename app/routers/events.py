"""Events with their evidence, filtered by actors, CAMEO code, dates, place, document and
modality."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import WithJsonSchema

from app.deps import StateDep, read
from app.models import EventOut, EventPage
from app.problems import Problem
from app.responses import problems
from graph import queries
from graph.lru import Lru
from graph.network import ALL_MODALITIES, MODALITIES, Filters, modality_name, parse_modality
from graph.sparql import pages_itself
from ontology.namespaces import ID

router = APIRouter(tags=["events"])
# The patterns below are declared in the OpenAPI document (json_schema_extra, WithJsonSchema)
# and enforced by the code that reads the values (`minted`, graph.network's Filters), which
# answers a mismatch with a 400 naming what it accepts, not pydantic's 422.
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,200}$"
SLUG = re.compile(SLUG_PATTERN)
# a document filter: its id or its minted IRI (what `minted` accepts), as the schema shows it
def id_pattern(kind: str, optional: bool = True) -> str:
    """What `minted(kind, ...)` reads: an id or the minted IRI of that kind; for an
    `optional` filter also nothing (`?document=`, as a form sends an empty field: no filter)."""
    one = rf"(?:https://evkg\.org/id/{kind}/)?[A-Za-z0-9][A-Za-z0-9._~-]{{0,200}}"
    return f"^(?:{one})?$" if optional else f"^{one}$"


DOCUMENT_PATTERN = id_pattern("document")
SLUG_SCHEMA: dict[str, Any] = {"pattern": SLUG_PATTERN}
DOCUMENT_SCHEMA: dict[str, Any] = {"pattern": DOCUMENT_PATTERN}


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in word)


# what graph.network.parse_modality reads: names in any case, comma-separated, spaces around
_MODALITY_NAME = "|".join(_any_case(m) for m in (*MODALITIES, ALL_MODALITIES))
MODALITY_PATTERN = f"^ *(?:{_MODALITY_NAME})? *(?:, *(?:{_MODALITY_NAME})? *)*$"


def minted(kind: str, key: str) -> str:
    """The IRI of a minted resource from its id (slug), or its full IRI; 400 otherwise."""
    if key.startswith(f"{ID}{kind}/") and SLUG.match(key.rsplit("/", 1)[-1]):
        return key
    if not SLUG.match(key):
        raise Problem(400, f"{key!r} is not a valid {kind} id")
    return f"{ID}{kind}/{key}"


def one_or_many(values: Any) -> Any:
    """Query values as `Filters` takes them: None, one value, or a sorted tuple (so
    `root=18&root=19` and `root=19&root=18` share a cached network); a lone value as is."""
    if values is None or isinstance(values, str | int):
        return values
    values = sorted({v for v in values if v != ""})
    if not values:
        return None
    return values[0] if len(values) == 1 else tuple(values)


def filters_of(since: str | None = None, until: str | None = None,
               root: str | Sequence[str] | None = None,
               quad: int | Sequence[int] | None = None, min_events: int = 1,
               document: str | None = None,
               modality: str | Sequence[str] | None = None) -> Filters:
    """The shared event filters; `root` and `quad` may be several (any of them matches),
    `document` an id or a minted IRI, `modality` as the query gave it (`ModalityQ`: read by
    `graph.network.parse_modality`, asserted when absent). A bad value is a 400 that says
    why."""
    try:
        return Filters(since, until, one_or_many(root), one_or_many(quad), min_events,
                       minted("document", document) if document else None,
                       parse_modality(modality))
    except ValueError as exc:
        raise Problem(400, str(exc)) from exc


# the one query parameter every route that counts or lists events takes (graph.network's
# Filters reads it, so a bad value is a 400 problem naming the accepted ones)
ModalityQ = Annotated[list[Annotated[str, WithJsonSchema(
    {"type": "string", "pattern": MODALITY_PATTERN})]] | None, Query(
    max_length=20,
    description="which events count, by how the text puts them: "
    f"{', '.join(MODALITIES)}; several comma-separated (or the parameter repeated), or "
    f"`{ALL_MODALITIES}` for every event. Default asserted: what the text reports as having "
    "happened (an event that states no modality counts as asserted).",
    examples=[["asserted"], ["negated,claimed"], [ALL_MODALITIES]])]


def modality_filters(modality: ModalityQ = None) -> Filters:
    """The filters of a route whose only filter is the modality."""
    return filters_of(modality=modality)


ModalityFilters = Annotated[Filters, Depends(modality_filters)]


def event_out(row: dict) -> EventOut:
    code = str(row["type"]).rsplit("/", 1)[-1]
    return EventOut(
        iri=row["e"], label=row.get("label"), code=code, source=row.get("s"),
        target=row.get("t"), date=str(row["date"]) if row.get("date") is not None else None,
        goldstein=row.get("gold"), quad_class=row.get("quad"), place=row.get("place"),
        document=row.get("doc"), sentence=row.get("sentence"), trigger=row.get("trigger"),
        modality=modality_name(row.get("modality")),
        happening=row.get("h") or (row["e"] if "reports" not in row else None),
        reports=int(row["reports"]) if row.get("reports") is not None else None,
    )


def dedupe(rows: list[dict]) -> list[EventOut]:
    seen: dict[str, EventOut] = {}
    for row in rows:
        seen.setdefault(row["e"], event_out(row))
    return list(seen.values())


def next_page(request: Request, limit: int, offset: int, got: int) -> str | None:
    if got < limit:
        return None
    return str(request.url.include_query_params(offset=offset + limit, limit=limit))


LISTINGS = 64  # event listings and pages kept, least recently used dropped first


def listings(request: Request) -> Lru[list]:
    """The app's event listings kept per store version, keyed by the version and the query:
    the ordered IRIs of the events a `queries.event_ids` query finds (pages are cut from
    them), and the rows of each page asked for."""
    kept = getattr(request.app.state, "event_listings", None)
    if kept is None:
        kept = request.app.state.event_listings = Lru(LISTINGS)
    return kept


DateQ = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", examples=["2020-01"])]
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
    filters = filters_of(since, until, root, document=document, modality=modality)
    chosen = {"source": minted("actor", source) if source else None,
              "target": minted("actor", target) if target else None,
              "actor": minted("actor", actor) if actor else None,
              "code": code, "place": minted("place", place) if place else None}
    reader = state.reader()
    version = await read(state, state.store_version)  # a remote store's: one small query
    kept = listings(request)
    if level == "report" and not pages_itself(reader):
        # found unordered, ordered here, the page described (`graph.sparql.pages_itself`)
        sparql = queries.event_ids(filters, **chosen)
        found = kept.get((version, sparql))
        if found is None:
            rows = await read(state, reader.select, sparql)
            found = sorted({r["e"] for r in rows if not r["e"].startswith("_:")})
            kept.put((version, sparql), found)
        page = found[offset:offset + limit]
        key: tuple = (version, sparql, offset, limit)
        if (rows := kept.get(key)) is None:
            rows = await read(state, reader.select, queries.listed_events(page)) if page else []
            kept.put(key, rows)
    else:
        build = queries.happenings if level == "happening" else queries.events
        sparql = build(filters, **chosen, limit=limit, offset=offset)
        if (rows := kept.get((version, sparql))) is None:
            rows = await read(state, reader.select, sparql)
            kept.put((version, sparql), rows)
    items = dedupe(rows)
    return EventPage(limit=limit, offset=offset, level=level, items=items,
                     next=next_page(request, limit, offset, len(items)))
