"""Every error as RFC 9457 problem details: one JSON shape for every 4xx and 5xx."""

from __future__ import annotations

import re
from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.isolated import QueryTimeout
from graph.sparql import QuerySyntaxError
from graph.store import StoreError

MEDIA = "application/problem+json"


class Problem(Exception):
    """Raise anywhere in a handler to answer with a problem document."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def store_problem(exc: StoreError | QuerySyntaxError) -> Problem:
    """The one answer to a failed store read, wherever it surfaces: a timeout is 503 with
    Retry-After, malformed SPARQL 400, any other store error 503."""
    if isinstance(exc, QuerySyntaxError):
        return Problem(400, f"malformed SPARQL: {exc}")
    if isinstance(exc, QueryTimeout):
        return Problem(503, str(exc), {"Retry-After": "5"})
    return Problem(503, f"store error: {exc}")


def problem_response(
    status: int,
    detail: str,
    request: Request | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.url.path
    return JSONResponse(body, status_code=status, media_type=MEDIA, headers=headers)


def allowed_methods(request: Request, fallback: str) -> str:
    """The `Allow` header for the request's path: every method the OpenAPI document gives
    the path (a path may have a route per method, and Starlette names only the first's),
    with HEAD beside GET and OPTIONS; `fallback` for a path it does not document."""
    for template, operations in request.app.openapi()["paths"].items():
        pattern = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            methods = {m.upper() for m in operations} | {"OPTIONS"}
            return ", ".join(sorted(methods | ({"HEAD"} if "GET" in methods else set())))
    return fallback


def install(app: FastAPI) -> None:
    """Route FastAPI's own errors (404, 405, validation) through the same shape."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.detail, request, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = exc.headers
        if exc.status_code == 405:  # every method the path takes, not one route's
            allow = allowed_methods(request, (headers or {}).get("Allow", "OPTIONS"))
            if request.method == "OPTIONS":
                return Response(status_code=204, headers={"Allow": allow})
            headers = {**(headers or {}), "Allow": allow}
        return problem_response(exc.status_code, str(exc.detail), request, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()))
            parts.append(f"{where}: {error.get('msg')}")
        return problem_response(422, "; ".join(parts) or "invalid request", request)

    @app.exception_handler(StoreError)
    @app.exception_handler(QuerySyntaxError)
    async def _store(request: Request, exc: StoreError | QuerySyntaxError) -> JSONResponse:
        # routes that read without app.deps.read (the network page's) answer as it does
        problem = store_problem(exc)
        return problem_response(problem.status, problem.detail, request, problem.headers)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(500, f"internal error: {type(exc).__name__}", request)
