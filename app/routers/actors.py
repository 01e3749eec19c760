"""Actors: search by label or alias, one actor's facts and counts, its neighbourhood."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import Field

from app.deps import StateDep, kept_rows, read
from app.models import ActorDetail, ActorPage, ActorSummary, Network, PageNetwork, Related
from app.problems import Problem
from app.responses import problems
from app.routers.params import (
    DOCUMENT_SCHEMA,
    SLUG_SCHEMA,
    DateQ,
    ModalityFilters,
    ModalityQ,
    filters_of,
    minted,
    next_page,
)
from graph import queries
from graph.network import DEFAULT_NODE_CAP, encode, neighbourhood, neighbourhood_page, to_json

EVENTS_PER_EDGE = 50

router = APIRouter(tags=["actors"])
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
ActorId = Annotated[str, Path(max_length=200, json_schema_extra=SLUG_SCHEMA, examples=["iran"])]
# repeated query parameters, as /network takes them: an event of any of them counts
RootsQ = Annotated[list[Annotated[str, Field(pattern=r"^\d{2}$")]] | None, Query(
    max_length=20, description="CAMEO root, two digits; repeat for any of several",
    examples=[["18", "19"]])]
QuadsQ = Annotated[list[Annotated[int, Field(ge=1, le=4)]] | None, Query(
    max_length=4, description="quad class 1-4; repeat for any of several")]
DocumentQ = Annotated[str | None, Query(
    max_length=300, json_schema_extra=DOCUMENT_SCHEMA,
    description="only the events of this document (its id or IRI)")]
CompactQ = Annotated[bool, Query(
    description="the network page's shape, as `/network?compact=true`: nodes with kind and "
    "country, edges as rows of `edge_fields` indexing `nodes`, no events or sentences "
    "(`events_per_edge` is then ignored)")]


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@router.get("/actors", response_model=ActorPage, summary="Search actors by label or alias",
            responses=problems(400, 422, 503))
async def search(
    request: Request, state: StateDep, filters: ModalityFilters,
    q: Annotated[str | None, Query(max_length=200, examples=["hezbollah"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ActorPage:
    """Each actor with its happenings of `modality` (asserted unless it names others) as
    `events`, the reports of them (document events) as `reports`; most happenings first."""
    rows = await read(state, state.search_actors, q, limit, offset, filters)
    items = [ActorSummary(id=_slug(r["a"]), iri=r["a"], label=r.get("label") or _slug(r["a"]),
                          events=int(r.get("events", 0)), reports=int(r.get("reports", 0)))
             for r in rows]
    return ActorPage(limit=limit, offset=offset, items=items,
                     next=next_page(request, limit, offset, len(items)))


async def _existing(state, actor_id: str) -> str:
    """The actor's IRI, or 404; the answer kept per store version (on a remote store the
    question was a round trip on every neighbourhood, most of a kept one's time)."""
    iri = minted("actor", actor_id)
    version = await read(state, state.store_version)
    [rows] = await kept_rows(state, version, queries.actor_exists(iri))
    if not rows:
        raise Problem(404, f"no actor {actor_id!r}")
    return iri


@router.get("/actors/{actor_id}", response_model=ActorDetail,
            summary="An actor: facts, aliases, parts, backers, event counts",
            responses=problems(400, 404, 422, 503))
async def actor(actor_id: ActorId, state: StateDep, filters: ModalityFilters) -> ActorDetail:
    """The counts are of the happenings of `modality` (asserted unless it names others),
    the reports of them beside (`reports_by_root`)."""
    iri = minted("actor", actor_id)
    reader = state.reader()
    facts_rows = await read(state, reader.select, queries.actor_facts(iri))
    if not facts_rows:
        raise Problem(404, f"no actor {actor_id!r}")
    facts: dict[str, list] = defaultdict(list)
    for row in facts_rows:
        value = row["o"]
        value = value if isinstance(value, int | float | str | bool) else str(value)
        if value not in facts[row["p"]]:
            facts[row["p"]].append(value)
    links = await read(state, reader.select, queries.actor_links(iri))
    related: dict[str, list[Related]] = defaultdict(list)
    for row in links:
        related[row["rel"]].append(Related(id=_slug(row["other"]), iri=row["other"],
                                           label=row.get("label")))
    by_root: dict[str, dict[str, int]] = defaultdict(dict)
    by_quad: dict[str, dict[str, int]] = defaultdict(dict)
    reports: dict[str, dict[str, int]] = defaultdict(dict)
    for row in await read(state, reader.select, queries.actor_counts(iri, filters)):
        role = row["role"]
        by_root[role][row["root"]] = by_root[role].get(row["root"], 0) + int(row["n"])
        reports[role][row["root"]] = reports[role].get(row["root"], 0) + int(row["reports"])
        quad = str(row.get("quad", "unknown"))
        by_quad[role][quad] = by_quad[role].get(quad, 0) + int(row["n"])
    labels = facts.get(PREF, [])
    return ActorDetail(
        id=actor_id if "/" not in actor_id else _slug(iri), iri=iri,
        label=labels[0] if labels else None, aliases=sorted(map(str, facts.get(ALT, []))),
        facts=dict(facts), parts=related["part"], part_of=related["partOf"],
        backers=related["backer"], backs=related["backs"],
        counts_by_root=dict(by_root), counts_by_quad=dict(by_quad),
        reports_by_root=dict(reports),
    )


@router.get("/actors/{actor_id}/neighbourhood", response_model=Network | PageNetwork,
            summary="Actors within 1-3 hops and the events between them",
            responses=problems(400, 404, 422, 503))
async def actor_neighbourhood(
    actor_id: ActorId, state: StateDep,
    hops: Annotated[int, Query(ge=1, le=3)] = 1,
    since: DateQ = None, until: DateQ = None,
    root: RootsQ = None, quad: QuadsQ = None,
    min_events: Annotated[int, Query(ge=1, le=100_000)] = 1,
    document: DocumentQ = None,
    modality: ModalityQ = None,
    node_cap: Annotated[int, Query(ge=1, le=2000)] = DEFAULT_NODE_CAP,
    events_per_edge: Annotated[int, Query(
        ge=0, le=1000, description="most events listed per edge, the latest first kept; "
        "an edge with more says `events_truncated`")] = EVENTS_PER_EDGE,
    compact: CompactQ = False,
) -> Response:
    iri = await _existing(state, actor_id)
    filters = filters_of(since=since, until=until, root=root, quad=quad,
                         min_events=min_events, document=document, modality=modality)

    def work() -> bytes:
        # rings come from the actor network kept per store version; only sentences are read
        reader, cache = state.reader(), state.networks
        version = state.store_version()
        shape = "compact" if compact else events_per_edge
        key = (version, iri, hops, filters.key(), node_cap, shape)
        if (kept := cache.neighbourhoods.get(key)) is not None:
            return kept
        network = cache.get(reader, version, filters)
        hood = neighbourhood(reader, iri, hops, filters, node_cap, not compact,
                             events_per_edge, network)
        if compact:
            encoded = encode(neighbourhood_page(reader, hood, network))
        else:
            # written straight from graph.network's JSON shape (the Network model documents
            # it, and the schema tests hold the two together): validating thousands of
            # events again would cost more than finding them
            encoded = encode({"root": iri, "hops": hops, "node_cap": node_cap,
                              "capped": hood.capped, "events_per_edge": events_per_edge,
                              **to_json(hood.graph)})
        cache.neighbourhoods.put(key, encoded)  # kept per store version
        return encoded

    return Response(await read(state, work), media_type="application/json")
