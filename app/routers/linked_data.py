"""Minted IRIs (https://evkg.org/id/...) resolve here: RDF by content negotiation, else
a redirect to the REST view of the same thing."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import StateDep, read
from app.problems import Problem
from app.responses import RDF_GRAPHS, bodies, merge, problems
from app.routers.documents import rdf_of
from app.routers.params import SLUG_SCHEMA, minted
from app.routers.sparql import accepted
from graph import queries

router = APIRouter(tags=["linked data"])
Kind = Literal["actor", "event", "document", "place"]
REST = {"actor": "/actors/{}", "document": "/documents/{}"}


@router.get("/id/{kind}/{key}", summary="Resolve a minted IRI", response_class=Response,
            responses=merge(bodies(*RDF_GRAPHS), {303: {"description": "See the REST view"}},
                            problems(400, 404, 422, 503)))
async def resolve(kind: Kind,
                  key: Annotated[str, Path(max_length=200, json_schema_extra=SLUG_SCHEMA)],
                  request: Request, state: StateDep) -> Response:
    iri = minted(kind, key)
    rows = await read(state, state.reader().select, f"SELECT ?p WHERE {{ <{iri}> ?p ?o }} LIMIT 1")
    if not rows:
        raise Problem(404, f"nothing is known about {iri}")
    accept = accepted(request)
    if any(m in RDF_GRAPHS for m in accept) or kind not in REST:
        return await rdf_of(state, queries.resource(iri), accept)
    return RedirectResponse(REST[kind].format(key), status_code=303)
