"""SPARQL 1.1 Graph Store HTTP Protocol (indirect identification) at /rdf-graphs.

Reads are open; PUT, POST and DELETE need the write token. `?default` names the union of
all graphs for reads (as queries see it) and cannot be written. On the embedded store its
read is the whole store, streamed from a snapshot (`_union`), not a query.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import IO, Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from app.deps import State, StateDep, WriteAllowed, read
from app.models import ABSOLUTE_IRI, check_absolute_iri
from app.problems import Problem
from app.responses import RDF_GRAPHS, bodies, merge, problems
from app.routers.documents import rdf_of
from app.routers.sparql import accepted
from app.streaming import StreamFailed, streamed
from graph.isolated import QueryPool
from graph.sparql import check_iri
from graph.store import StoreError
from graph.store.embedded import dump_snapshot_union
from graph.store.formats import rdf_format
from graph.store.loading import parse_for_graph

router = APIRouter(tags=["sparql"])
MAX_BODY = 20_000_000
DUMP_LIMIT = 3600.0  # seconds to send the whole store (`?default`): then it is cut off
WRITTEN = merge({201: {"description": "The graph was created"}},
               problems(400, 401, 403, 405, 413, 415, 422, 503))
# The two ways of naming the target are declared by hand: a read takes exactly one of
# `graph` and `default` (one object parameter whose properties are the query's own, for
# OpenAPI cannot say "one of these two parameters" otherwise); a write needs `graph` (the
# default graph is the union of all graphs: `?default` is answered 405).
GRAPH_IRI = {"type": "string", "maxLength": 2000, "pattern": ABSOLUTE_IRI,
             "examples": ["https://evkg.org/graph/cameo"]}
READ_TARGET = {"parameters": [{
    "name": "target", "in": "query", "required": True, "style": "form", "explode": True,
    "description": "`graph=IRI` for a named graph, or `default` for the default graph "
    "(the union of all graphs, as queries see it): exactly one of them",
    "schema": {"oneOf": [
        {"type": "object", "properties": {"graph": GRAPH_IRI}, "required": ["graph"],
         "additionalProperties": False},
        {"type": "object", "properties": {"default": {"type": "string"}},
         "required": ["default"], "additionalProperties": False},
    ]},
}]}
WRITE_TARGET = {"parameters": [{
    "name": "graph", "in": "query", "required": True, "schema": GRAPH_IRI,
    "description": "the named graph's IRI (`?default` is refused: the default graph is the "
    "union of all graphs)",
}]}
# what evkg reads in a body (any RDF syntax `graph.store.formats` knows; these declared).
# RDF/XML with a DTD (entities) is refused (`graph.store.loading`); a JSON-LD body is JSON,
# so its schema is that of the parsed document
RDF_BODY = {"requestBody": {"required": True, "content": {
    "text/turtle": {"schema": {"type": "string", "format": "turtle"}},
    "application/n-triples": {"schema": {"type": "string", "format": "n-triples"}},
    "application/rdf+xml": {"schema": {"type": "string", "format": "rdf-xml"}},
    "application/ld+json": {"schema": {"type": ["object", "array"]}},
}}}


def _target(request: Request) -> str | None:
    """The graph the request names: its IRI, or None for `?default`; 400 unless exactly one
    `graph` or one `default` is given."""
    given = [request.query_params.getlist(name) for name in ("graph", "default")]
    if sorted(len(values) for values in given) != [0, 1]:
        raise Problem(400, "give exactly one of ?graph=IRI or ?default")
    graph = given[0][0] if given[0] else None
    if graph is None:
        return None
    if len(graph) > 2000:
        raise Problem(400, "the graph IRI is over 2,000 characters")
    try:
        return check_absolute_iri(check_iri(graph))
    except ValueError as exc:
        raise Problem(400, str(exc)) from exc


def _named(request: Request, instead: str) -> str:
    """The named graph a write names (`_target`); 405 for `?default`, saying what to do
    `instead`."""
    iri = _target(request)
    if iri is None:
        raise Problem(405, f"the default graph is the union of all graphs; {instead}")
    return iri


async def _write(state: State, iri: str, write: Callable[[Any], object], arg: Any) -> Response:
    """`write(arg)` to the graph `iri` under the write lock, then what follows a write:
    201 when it made the graph, 204 when the graph was there."""
    async with state.write_lock:
        existed = iri in await anyio.to_thread.run_sync(state.store.graphs)
        mark = await anyio.to_thread.run_sync(state.networks.mark, state.store, [iri])
        await anyio.to_thread.run_sync(write, arg)
        await anyio.to_thread.run_sync(state.after_write, [iri], None, mark)
    return Response(status_code=204 if existed else 201)


@router.get("/rdf-graphs", summary="Read a graph (Graph Store Protocol)", response_class=Response,
            responses=merge(bodies(*RDF_GRAPHS), problems(400, 404, 422, 503)),
            openapi_extra=READ_TARGET)
@router.head("/rdf-graphs", include_in_schema=False, response_class=Response)
async def get_graph(request: Request, state: StateDep) -> Response:
    iri = _target(request)
    if iri is None:
        if state.pool is not None:
            return await _union(request, state.pool)
        sparql = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    else:
        if iri not in await read(state, state.store.graphs):
            raise Problem(404, f"no graph {iri}")
        sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    return await rdf_of(state, sparql, accepted(request))


async def _union(request: Request, pool: QueryPool) -> Response:
    """The default graph (the union of all graphs) of the embedded store, streamed from the
    newest snapshot, which is kept while the body is sent: writes meanwhile do not show in
    it. A fixed read, not a client's SPARQL, so the query time limit does not apply: the
    body has `DUMP_LIMIT` seconds, and is cut off (never ended as if whole) past it."""
    media = next((m for m in accepted(request) if m in RDF_GRAPHS), "text/turtle")
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        return Response(media_type=media, headers=headers)
    fmt = rdf_format(media)

    def produce(out: IO[bytes]) -> None:
        with pool.lease() as snapshot:
            dump_snapshot_union(snapshot, out, fmt)

    body = streamed(produce, DUMP_LIMIT)
    try:  # a store that cannot be read fails here, while a problem can still be answered
        first = await anyio.to_thread.run_sync(next, body, b"")
    except StreamFailed as exc:
        raise Problem(503, f"store error: {exc}") from exc
    return StreamingResponse(chain([first], body), media_type=media, headers=headers)


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
            status_code=204, responses=WRITTEN, openapi_extra={**WRITE_TARGET, **RDF_BODY})
async def put_graph(request: Request, state: StateDep) -> Response:
    iri = _named(request, "write a named graph")
    doc = await _body(request, iri)
    return await _write(state, iri, state.store.put_documents, [doc])


@router.post("/rdf-graphs", dependencies=[WriteAllowed], summary="Add triples to a graph",
             status_code=204, responses=WRITTEN, openapi_extra={**WRITE_TARGET, **RDF_BODY})
async def post_graph(request: Request, state: StateDep) -> Response:
    iri = _named(request, "write a named graph")
    doc = await _body(request, iri)
    update = f"INSERT DATA {{ GRAPH <{iri}> {{ {doc.ntriples.decode('utf-8')} }} }}"
    return await _write(state, iri, state.store.update, update)


@router.delete("/rdf-graphs", dependencies=[WriteAllowed], summary="Delete a graph",
               status_code=204, responses=problems(400, 401, 403, 404, 405, 422, 503),
               openapi_extra=WRITE_TARGET)
async def delete_graph(request: Request, state: StateDep) -> Response:
    iri = _named(request, "delete named graphs")
    if not await state.remove_graph(iri):
        raise Problem(404, f"no graph {iri}")
    return Response(status_code=204)
