"""The API documentation pages (`/docs`: Swagger UI, `/redoc`: ReDoc) and the files every
browser page loads: the front-end libraries from `node_modules` (`/static/vendor/...`,
installed by `npm ci`) and the pages' own scripts and styles (`/static/pages/...`).

Nothing is fetched from a CDN, so the pages work on a machine without internet. When a
library is missing, its URL answers 404 with how to install it and the page shows the same
message; the API works regardless.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from app.pages import LIBRARIES, page, vendor

PAGES = Path(__file__).resolve().parent.parent / "static" / "pages"
TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}

router = APIRouter(include_in_schema=False)


def _openapi_url(request: Request) -> str:
    root = request.scope.get("root_path", "").rstrip("/")
    return root + (request.app.openapi_url or "/openapi.json")


@router.get("/docs")
def swagger_page(request: Request) -> HTMLResponse:
    head = f"""<link rel="stylesheet" href="{vendor("swagger-ui", "swagger-ui.css")}">
  <script src="{vendor("swagger-ui", "swagger-ui-bundle.js")}" defer></script>
  <script src="/static/pages/swagger.js" type="module"></script>"""
    body = f'<main id="swagger-ui" data-openapi="{escape(_openapi_url(request))}"></main>'
    return HTMLResponse(
        page(
            "evkg · API (Swagger UI)", "API: Swagger UI", head=head, body=body, library="swagger-ui"
        )
    )


@router.get("/redoc")
def redoc_page(request: Request) -> HTMLResponse:
    head = f"""<script src="{vendor("redoc", "redoc.standalone.js")}" defer></script>
  <script src="/static/pages/redoc.js" type="module"></script>"""
    body = f'<main id="redoc" data-openapi="{escape(_openapi_url(request))}"></main>'
    return HTMLResponse(
        page("evkg · API (ReDoc)", "API: ReDoc", head=head, body=body, library="redoc")
    )


@router.get("/static/vendor/{library}/{name}")
def vendor_file(library: str, name: str) -> Response:
    """A library file from node_modules; 404 with the install hint when it is missing."""
    known = LIBRARIES.get(library)
    path = known.path(name) if known else None
    if known is None or path is None:
        raise HTTPException(404, f"no library file {library}/{name}")
    if not path.is_file():
        return PlainTextResponse(known.missing(), status_code=404)
    return FileResponse(path, media_type=TYPES.get(path.suffix, "application/octet-stream"))


@router.get("/static/pages/{name}")
def page_file(name: str) -> FileResponse:
    path = (PAGES / name).resolve()
    if path.parent != PAGES.resolve() or not path.is_file():
        raise HTTPException(404, f"no page file {name}")
    return FileResponse(path, media_type=TYPES.get(path.suffix, "application/octet-stream"))
