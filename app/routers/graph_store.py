"""SPARQL 1.1 Graph Store HTTP Protocol (indirect identification) at /rdf-graphs.

Reads are open; PUT, POST and DELETE need the write token. `?default` names the union of
all graphs for reads (as queries see it) and cannot be written.
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.deps import StateDep, WriteAllowed, read
from app.problems import Problem
from app.responses import RDF_GRAPHS, bodies, merge, problems
from app.routers.documents import rdf_of
from app.routers.sparql import accepted
from graph.sparql import check_iri
from graph.store import StoreError
from graph.store.formats import rdf_format
from graph.store.loading import parse_for_graph

router = APIRouter(tags=["sparql"])
MAX_BODY = 20_000_000
WRITTEN = merge({201: {"description": "The graph was created"}},
               problems(400, 401, 403, 405, 413, 415, 422, 503))
GraphQ = Annotated[str | None, Query(max_length=2000, examples=["https://evkg.org/graph/cameo"])]


def _target(graph: str | None, default: str | None) -> str | None:
    if (graph is None) == (default is None):
        raise Problem(400, "give exactly one of ?graph=IRI or ?default")
    if graph is None:
        return None
    try:
        return check_iri(graph)
    except ValueError as exc:
        raise Problem(400, str(exc)) from exc


@router.get("/rdf-graphs", summary="Read a graph (Graph Store Protocol)", response_class=Response,
            responses=merge(bodies(*RDF_GRAPHS), problems(400, 404, 422, 503)))
@router.head("/rdf-graphs", include_in_schema=False, response_class=Response)
async def get_graph(request: Request, state: StateDep, graph: GraphQ = None,
                    default: Annotated[str | None, Query()] = None) -> Response:
    iri = _target(graph, default)
    if iri is None:
        sparql = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    else:
        if iri not in await read(state, state.store.graphs):
            raise Problem(404, f"no graph {iri}")
        sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    return await rdf_of(state, sparql, accepted(request))


async def _body(request: Request, iri: str):
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise Problem(413, f"the body is over {MAX_BODY:,} bytes")
    if not raw.strip():
        raise Problem(400, "the body is empty")
    media = request.headers.get("content-type", "text/turtle").split(";")[0].strip()
    try:
        rdf_format(media)
    except ValueError as exc:  # not RDF evkg reads: the protocol's 415, not a parse error
        raise Problem(415, str(exc)) from exc
    try:
        return parse_for_graph(raw, iri, media)
    except (ValueError, SyntaxError, StoreError) as exc:
        raise Problem(400, f"malformed RDF: {exc}") from exc


@router.put("/rdf-graphs", dependencies=[WriteAllowed], summary="Replace a graph",
            status_code=204, responses=WRITTEN)
async def put_graph(request: Request, state: StateDep, graph: GraphQ = None,
                    default: Annotated[str | None, Query()] = None) -> Response:
    iri = _target(graph, default)
    if iri is None:
        raise Problem(405, "the default graph is the union of all graphs; write a named graph")
    doc = await _body(request, iri)
    async with state.write_lock:
        existed = iri in await anyio.to_thread.run_sync(state.store.graphs)
        await anyio.to_thread.run_sync(state.store.put_documents, [doc])
        await anyio.to_thread.run_sync(state.after_write, [iri])
    return Response(status_code=204 if existed else 201)


@router.post("/rdf-graphs", dependencies=[WriteAllowed], summary="Add triples to a graph",
             status_code=204, responses=WRITTEN)
async def post_graph(request: Request, state: StateDep, graph: GraphQ = None,
                     default: Annotated[str | None, Query()] = None) -> Response:
    iri = _target(graph, default)
    if iri is None:
        raise Problem(405, "the default graph is the union of all graphs; write a named graph")
    doc = await _body(request, iri)
    update = f"INSERT DATA {{ GRAPH <{iri}> {{ {doc.ntriples.decode('utf-8')} }} }}"
    async with state.write_lock:
        existed = iri in await anyio.to_thread.run_sync(state.store.graphs)
        await anyio.to_thread.run_sync(state.store.update, update)
        await anyio.to_thread.run_sync(state.after_write, [iri])
    return Response(status_code=204 if existed else 201)


@router.delete("/rdf-graphs", dependencies=[WriteAllowed], summary="Delete a graph",
               status_code=204, responses=problems(400, 401, 403, 404, 405, 422, 503))
async def delete_graph(state: StateDep, graph: GraphQ = None,
                       default: Annotated[str | None, Query()] = None) -> Response:
    iri = _target(graph, default)
    if iri is None:
        raise Problem(405, "the default graph is the union of all graphs; delete named graphs")
    async with state.write_lock:
        removed = await anyio.to_thread.run_sync(state.store.remove_graph, iri)
        if removed:
            await anyio.to_thread.run_sync(state.after_write, [iri])
    if not removed:
        raise Problem(404, f"no graph {iri}")
    return Response(status_code=204)
