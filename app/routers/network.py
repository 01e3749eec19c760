"""The actor-network page (`/`), its data (`/network`, facets, the events behind an edge)
and downloads of the filtered view (`/network.graphml|.gexf|.json`). The page expands an
actor through the REST neighbourhood (`/actors/{id}/neighbourhood?compact=true`).

Cytoscape.js is served from `node_modules` (installed by `npm ci`); when it is missing the
page says how to install it and every JSON endpoint works regardless.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from pydantic import WithJsonSchema

from app.models import check_absolute_iri
from app.pages import CYTOSCAPE_JS, STATIC, install_hint
from app.problems import Problem
from app.responses import IRI_SCHEMA, OPTIONAL_IRI_SCHEMA, bodies, merge, problems
from app.routers.params import ModalityFilters, ModalityQ, parsed_filters
from graph.network import (
    DEFAULT_MAX_NODES,
    Filters,
    NetworkCache,
    dyad_events,
    facets,
    network_view,
    page_view,
)
from graph.network.export import MEDIA_TYPES, render
from graph.sparql import check_iri

STATIC_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css",
                ".png": "image/png", ".svg": "image/svg+xml"}
MISSING_LIBRARY = (
    f"Cytoscape.js is not installed, so the network cannot be drawn. {install_hint()} "
    "The API works without it."
)

router = APIRouter(tags=["network"])


def _state(request: Request) -> Any:
    state = getattr(request.app.state, "evkg", None)
    if state is None:
        raise HTTPException(503, "no store is open")
    return state


def get_source(request: Request) -> Any:
    """What the network queries read through: the app's isolated reader (a killable worker
    on a snapshot) when it has one, else the store. Anything with `select()` will do."""
    return _state(request).reader()


def get_version(request: Request) -> Any:
    """The store's version, as the app keeps it (`State.store_version`: a write counter, or a
    remote store's stamp), so a cached view costs no scan of every graph."""
    return _state(request).store_version()


def get_cache(request: Request) -> NetworkCache:
    """The app's one cache of actor networks and what is made of them (`State.networks`)."""
    return _state(request).networks


def get_filters(
    since: DateQ = None,
    until: DateQ = None,
    root: Annotated[
        list[Annotated[str, WithJsonSchema({"type": "string", "pattern": r"^(?:\d{2})?$"})]]
        | None,
        Query(description="CAMEO root, two digits; repeat for any of several"),
    ] = None,
    quad: Annotated[
        list[Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 4})]]
        | None,
        Query(description="quad class 1-4; repeat for any of several"),
    ] = None,
    min_events: Annotated[
        int, Query(json_schema_extra={"minimum": 1}, description="fewest events per edge")
    ] = 1,
    document: Annotated[
        str | None, Query(json_schema_extra=OPTIONAL_IRI_SCHEMA, description="document IRI")
    ] = None,
    modality: ModalityQ = None,
) -> Filters:
    """The shared filters from the query string (`parsed_filters`), `document` an IRI; a
    bad value is a 400 that says why."""
    if document:
        try:
            check_absolute_iri(document)
        except ValueError as exc:
            raise Problem(400, str(exc)) from exc
    return parsed_filters(since, until, root, quad, min_events, document, modality)


# Declared in the OpenAPI document, enforced by Filters (a 400 naming what it accepts, not
# pydantic's 422); a filter's empty value (`?document=`, `?since=`, an empty form field) is
# no filter
DateQ = Annotated[str | None, Query(
    json_schema_extra={"pattern": r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?)?$"},
    description="ISO date, YYYY[-MM[-DD]]")]
Source = Annotated[Any, Depends(get_source)]
Cache = Annotated[NetworkCache, Depends(get_cache)]
Version = Annotated[Any, Depends(get_version)]
FiltersDep = Annotated[Filters, Depends(get_filters)]
MaxNodes = Annotated[int, Query(ge=1, le=20000, description="most actors drawn")]


@router.get("/", include_in_schema=False)
def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/static/vendor/cytoscape.min.js", include_in_schema=False)
def cytoscape_library() -> Response:
    if not CYTOSCAPE_JS.is_file():
        return PlainTextResponse(MISSING_LIBRARY, status_code=404)
    return FileResponse(CYTOSCAPE_JS, media_type="text/javascript")


@router.get("/static/{name}", include_in_schema=False)
def static_file(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if path.parent != STATIC.resolve() or not path.is_file():
        raise HTTPException(404, f"no static file {name}")
    return FileResponse(path, media_type=STATIC_TYPES.get(path.suffix, "application/octet-stream"))


Compact = Annotated[bool, Query(
    description="the page's shape: edges as rows of `edge_fields`, source and target as "
    "indexes into `nodes`, empty facts left out (about a quarter of the size)")]


@router.get("/network", responses=problems(400, 422, 503))
def network(
    source: Source,
    cache: Cache,
    version: Version,
    filters: FiltersDep,
    max_nodes: MaxNodes = DEFAULT_MAX_NODES,
    compact: Compact = False,
) -> Response:
    """The filtered actor network with positions: at most `max_nodes` actors, the most
    central first (`meta.truncated` says when some were left out)."""
    if compact:
        return Response(page_view(source, filters, max_nodes, cache, version),
                        media_type="application/json")
    _, body = network_view(source, filters, max_nodes, cache, version=version)
    return JSONResponse(body)


@router.get("/network/facets", responses=problems(400, 422, 503))
def network_facets(source: Source, filters: ModalityFilters) -> dict[str, Any]:
    """What the filters offer: documents, CAMEO roots, quad classes, events per month (of
    the events of `modality`, asserted by default, as the network counts them)."""
    return facets(source, filters)


@router.get("/network/edge", responses=problems(400, 422, 503))
def network_edge(
    source: Source,
    filters: FiltersDep,
    actor_from: Annotated[
        str, Query(alias="source", description="source actor IRI", json_schema_extra=IRI_SCHEMA)
    ],
    actor_to: Annotated[
        str, Query(alias="target", description="target actor IRI", json_schema_extra=IRI_SCHEMA)
    ],
) -> dict[str, Any]:
    """The events behind one directed edge, with sentences and highlight offsets."""
    _check_iris(actor_from, actor_to)
    events = dyad_events(source, actor_from, actor_to, filters)
    return {"source": actor_from, "target": actor_to, "events": events}


def _file(fmt: str) -> dict:
    """OpenAPI responses of a download: its file's media type, or a problem document."""
    return merge(bodies(MEDIA_TYPES[fmt]), problems(400, 422, 503))


def _add_download(fmt: str, doc: str) -> None:
    """Register `/network.{fmt}`: the filtered view rendered as `fmt`, as an attachment."""

    def download(
        source: Source, cache: Cache, version: Version, filters: FiltersDep,
        max_nodes: MaxNodes = DEFAULT_MAX_NODES,
    ) -> Response:
        graph, _ = network_view(source, filters, max_nodes, cache, version)
        headers = {"Content-Disposition": f'attachment; filename="evkg-network.{fmt}"'}
        return Response(render(graph, fmt), media_type=MEDIA_TYPES[fmt], headers=headers)

    download.__name__ = download.__qualname__ = f"network_{fmt}"
    download.__doc__ = doc
    router.get(f"/network.{fmt}", response_class=Response, responses=_file(fmt))(download)


_add_download("graphml", "The filtered view as GraphML.")
_add_download("gexf", "The filtered view as dynamic GEXF (dates for Gephi's timeline).")
_add_download("json", "The filtered view as node-link JSON.")


def _check_iris(*iris: str) -> None:
    for iri in iris:
        try:
            check_absolute_iri(check_iri(iri))
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc
