"""The evkg ontology (classes and properties) as Turtle."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import StateDep
from app.responses import RDF_GRAPHS, bodies, merge, problems
from app.routers.documents import rdf_of
from app.routers.sparql import accepted
from graph.store.vocab import vocabulary_graph

router = APIRouter(tags=["service"])


@router.get("/ontology", summary="The evkg ontology", response_class=Response,
            responses=merge(bodies(*RDF_GRAPHS), problems(503)))
async def ontology(request: Request, state: StateDep) -> Response:
    graph = vocabulary_graph("ontology")
    sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return await rdf_of(state, sparql, accepted(request))
