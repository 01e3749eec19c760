"""SPARQL 1.1 Protocol at /sparql: query by GET, form POST and direct POST; update with a token.

Requests are parsed by hand because the protocol mixes the URL, form bodies and raw bodies
in ways a typed signature cannot express; the checks follow the W3C protocol tests.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import State, StateDep, read, require_token, store_problems
from app.models import ABSOLUTE_IRI, check_absolute_iri
from app.problems import Problem, store_problem
from app.responses import RDF_GRAPHS, SPARQL_RESULTS, bodies, merge, problems
from app.sparql_page import query_page
from graph.isolated import CRASHED, PoolBusy, QueryTimeout
from graph.queries import service_description
from graph.results import Encoded, NotAcceptable, encode
from graph.sparql import QuerySyntaxError, UpdateFailed, check_iri
from graph.sparql_safety import (
    DatasetConflict,
    ForbiddenOperation,
    TooComplex,
    check_query,
    check_update,
    manages_graphs_only,
    with_using,
)
from graph.store import OxigraphStore, StoreError

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
MAX_BODY = 1_000_000  # bytes of query or update text

# SPARQL texts are declared with the formats "sparql-query" and "sparql-update" (the
# grammars of SPARQL 1.1 Query and Update), not expressible as JSON Schema; a text that is
# not one is answered 400
IRI = {"type": "string", "pattern": ABSOLUTE_IRI}
IRIS = {"type": "array", "items": IRI}
QUERY_TEXT = {"type": "string", "format": "sparql-query"}
UPDATE_TEXT = {"type": "string", "format": "sparql-update"}
_DOC = {
    "parameters": [
        {"name": "query", "in": "query", "schema": QUERY_TEXT,
         "description": "the query; without it, the service description",
         "example": "SELECT ?e WHERE { ?e a sem:Event } LIMIT 5"},
        {"name": "default-graph-uri", "in": "query", "schema": IRIS},
        {"name": "named-graph-uri", "in": "query", "schema": IRIS},
    ]
}
# a form holds a query or an update (never both), with the protocol's dataset parameters
_FORM = {"oneOf": [
    {"type": "object", "required": ["query"], "not": {"required": ["update"]},
     "properties": {"query": QUERY_TEXT, "default-graph-uri": IRIS, "named-graph-uri": IRIS}},
    {"type": "object", "required": ["update"], "not": {"required": ["query"]},
     "properties": {"update": UPDATE_TEXT, "using-graph-uri": IRIS,
                    "using-named-graph-uri": IRIS}},
]}


ANSWERS = bodies(*SPARQL_RESULTS, *RDF_GRAPHS, "text/html",
                 description="Query results (bindings or a graph) in the negotiated format; "
                 "without a query, the service description (Turtle, or a page for browsers)")


def accepted(request: Request) -> list[str]:
    """The Accept header's media types, best first (q=0 dropped)."""
    items = []
    for n, part in enumerate(request.headers.get("accept", "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((-q, n, media.lower()))
    return [media for *_, media in sorted(items)]


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise Problem(400, f"give one {name} parameter, not {len(values)}")
    return values[0] if values else None


def _utf8(body: bytes, content_type: str) -> str:
    charset = ""
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip().strip('"').lower()
    if charset and charset not in ("utf-8", "utf8"):
        raise Problem(415, f"the body must be UTF-8, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, "the body is not valid UTF-8") from exc


def _iris(values: list[str], name: str) -> list[str]:
    try:
        return [check_absolute_iri(check_iri(v)) for v in values]
    except ValueError as exc:
        raise Problem(400, f"{name}: {exc}") from exc


async def _params(request: Request) -> dict[str, list[str]]:
    """All protocol parameters, from the URL and (for form POSTs) the body."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method != "POST":
        return params
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > MAX_BODY:
        raise Problem(413, f"the request body is over {MAX_BODY:,} bytes")
    if not media:
        raise Problem(400, "a POST to /sparql needs a Content-Type")
    if media == FORM:
        text = _utf8(body, content_type)
        try:
            pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text),
                              errors="strict")
        except (ValueError, UnicodeDecodeError) as exc:
            raise Problem(400, f"malformed form body: {exc}") from exc
        for key, value in pairs:
            params.setdefault(key, []).append(value)
    elif media == QUERY:
        params.setdefault("query", []).append(_utf8(body, content_type))
    elif media == UPDATE:
        params.setdefault("update", []).append(_utf8(body, content_type))
    else:
        raise Problem(415, f"use {FORM}, {QUERY} or {UPDATE}, not {media}")
    return params


def _headers(encoded: Encoded, max_rows: int) -> dict[str, str]:
    headers = {"Vary": "Accept"}
    if encoded.truncated:
        headers["EVKG-Results-Truncated"] = f"true; limit={max_rows}"
        headers["Warning"] = f'199 evkg "results truncated at {max_rows} rows"'
    return headers


async def run_query(state: State, request: Request, params: dict[str, list[str]]) -> Response:
    text = _one(params.get("query", []), "query") or ""
    if not text.strip():
        raise Problem(400, "the query is empty")
    try:
        text = check_query(text, state.settings.allow_service)  # the text to run
    except ForbiddenOperation as exc:
        raise Problem(403, str(exc)) from exc
    except TooComplex as exc:
        raise Problem(400, str(exc)) from exc
    args: dict[str, Any] = {
        "sparql": text,
        "default_graphs": _iris(params.get("default-graph-uri", []), "default-graph-uri"),
        "named_graphs": _iris(params.get("named-graph-uri", []), "named-graph-uri"),
        "accept": accepted(request) or None,
        "max_rows": state.settings.max_rows,
        "base_iri": str(request.url.replace(query="")),
    }
    try:
        if state.pool is not None:
            with store_problems():
                encoded = await state.pool.run_async("serialize", args,
                                                     state.settings.query_timeout)
        else:
            encoded = await _in_process(state, args)
    except NotAcceptable as exc:
        raise Problem(406, str(exc)) from exc
    return Response(encoded.body, media_type=encoded.media,
                    headers=_headers(encoded, state.settings.max_rows))


async def _in_process(state: State, args: dict[str, Any]) -> Encoded:
    """Stores that cannot be snapshotted: the client still gets its 503 on time."""

    def work() -> Encoded:
        result = state.store.query(
            args["sparql"],
            default_graph_uris=args["default_graphs"] or None,
            named_graph_uris=args["named_graphs"] or None,
        )
        return encode(result, args["accept"], args["max_rows"])

    try:
        return await asyncio.wait_for(
            read(state, work), timeout=state.settings.query_timeout
        )
    except TimeoutError as exc:
        raise Problem(503, "the query ran past the time limit", {"Retry-After": "5"}) from exc


async def run_update(state: State, request: Request, params: dict[str, list[str]]) -> Response:
    require_token(request, state)
    text = _one(params.get("update", []), "update") or ""
    if not text.strip():
        raise Problem(400, "the update is empty")
    try:
        text = check_update(text, state.settings.allow_load, state.settings.allow_service)
        text = with_using(
            text,
            _iris(params.get("using-graph-uri", []), "using-graph-uri"),
            _iris(params.get("using-named-graph-uri", []), "using-named-graph-uri"),
        )
    except ForbiddenOperation as exc:
        raise Problem(403, str(exc)) from exc
    except (DatasetConflict, TooComplex) as exc:
        raise Problem(400, str(exc)) from exc
    text = f"BASE <{request.url.replace(query='')}>\n{text}"
    async with state.write_lock:
        updated = await _isolated(state, text)
        try:
            if updated is None or not await _adopted(state, updated):
                await anyio.to_thread.run_sync(state.store.update, text)
        except QuerySyntaxError as exc:
            raise Problem(400, f"malformed SPARQL update: {exc}") from exc
        except UpdateFailed as exc:
            raise Problem(400, f"the update failed, and wrote nothing: {exc}") from exc
        finally:
            await anyio.to_thread.run_sync(state.after_write)
    return Response(status_code=204)


async def _isolated(state: State, text: str) -> Path | None:
    """Run the update in a network-less worker, on a writable copy of the data as it is now
    (the write lock is held), within the update time limit, and return the copy with the
    update made, to become the store (`_adopted`): the engine never runs an update in the
    server's process. One that crashes the engine, runs too long or reaches for the network
    fails there (the worker restarts, the server lives on, nothing is written) and is
    answered with why. None when the store runs the update itself: without workers (a
    store in memory or elsewhere), for graph management alone (CLEAR, DROP, CREATE:
    `manages_graphs_only`, which matches no pattern, so cannot crash the engine or run
    away, and costs the store less than a copy), or after a failure the store will meet
    and answer again."""
    if state.pool is None or manages_graphs_only(text):
        return None
    try:
        return await state.pool.try_update(text, state.settings.update_timeout)
    except QuerySyntaxError as exc:
        raise Problem(400, f"malformed SPARQL update: {exc}") from exc
    except QueryTimeout as exc:
        raise Problem(503, f"the update ran longer than {state.settings.update_timeout:g} s "
                      "in an isolated run and was stopped; nothing was written",
                      {"Retry-After": "5"}) from exc
    except PoolBusy as exc:
        raise store_problem(exc) from exc
    except StoreError as exc:
        if str(exc) == CRASHED:
            raise Problem(503, "the update crashed the SPARQL engine in an isolated run on a "
                          "copy of the data (the worker was restarted); nothing was written"
                          ) from exc
        allowed = state.settings.allow_load or state.settings.allow_service
        if "permission denied" in str(exc).lower() and not allowed:
            raise Problem(403, "the update tried to reach the network (LOAD or SERVICE), "
                          "which this endpoint refuses") from exc
        return None  # any other failure the store's own run meets again, and answers


async def _adopted(state: State, updated: Path) -> bool:
    """Make the updated copy the store; False (the copy removed) where its folder cannot
    take the store's place, e.g. on another file system: the store then runs the update."""
    store = state.store
    if isinstance(store, OxigraphStore) and await anyio.to_thread.run_sync(store.adopt, updated):
        return True  # the one store with workers to copy it
    await anyio.to_thread.run_sync(shutil.rmtree, updated, True)
    return False


@router.get("/sparql", summary="SPARQL query (GET); no query: the service description",
            openapi_extra=_DOC, response_class=Response,
            responses=merge(ANSWERS, problems(400, 403, 406, 503)))
async def sparql_get(request: Request, state: StateDep) -> Response:
    params = await _params(request)
    if "update" in params:
        raise Problem(400, "updates must be POSTed (application/sparql-update or a form)")
    if "query" not in params:
        for name in ("default-graph-uri", "named-graph-uri"):  # checked even when unused
            _iris(params.get(name, []), name)
        accept = accepted(request)
        if "text/html" in accept[:2]:
            return HTMLResponse(query_page(str(request.url.replace(query=""))))
        body = service_description(str(request.url.replace(query="")), state.settings.token
                                   is not None)
        return Response(body, media_type="text/turtle")
    return await run_query(state, request, params)


@router.options("/sparql", include_in_schema=False)
async def sparql_options() -> Response:
    """What /sparql allows (browsers' CORS preflights are the middleware's, when on)."""
    return Response(status_code=204, headers={"Allow": "GET, POST, OPTIONS"})


@router.post("/sparql", summary="SPARQL query or update (form or direct POST)",
             response_class=Response,
             responses=merge(ANSWERS, {204: {"description": "The update was applied"}},
                             problems(400, 401, 403, 406, 413, 415, 503)),
             openapi_extra={"requestBody": {"required": True, "content": {
                 QUERY: {"schema": QUERY_TEXT, "example": "ASK { ?s ?p ?o }"},
                 UPDATE: {"schema": UPDATE_TEXT},
                 FORM: {"schema": _FORM},
             }}})
async def sparql_post(request: Request, state: StateDep) -> Response:
    params = await _params(request)
    if "query" in params and "update" in params:
        raise Problem(400, "give a query or an update, not both")
    if "update" in params:
        return await run_update(state, request, params)
    if "query" not in params:
        raise Problem(400, "no query or update in the request")
    return await run_query(state, request, params)
