"""The whole graph as one file, streamed."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from app.deps import StateDep
from app.responses import bodies, merge, problems
from app.streaming import streamed
from graph.export import export
from graph.store.formats import rdf_format

router = APIRouter(tags=["export"])
Format = Literal["turtle", "trig", "nquads", "jsonld", "ntriples"]


@router.get("/export", summary="Export every graph (streamed)", response_class=StreamingResponse,
            responses=merge(bodies(*(rdf_format(f).media_type for f in get_args(Format))),
                            problems(422)))
async def export_all(state: StateDep,
                     format: Annotated[Format, Query()] = "trig") -> StreamingResponse:
    body = streamed(lambda out: export(state.store, format, out))
    ext = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "jsonld": "jsonld", "ntriples": "nt"}
    return StreamingResponse(
        body, media_type=rdf_format(format).media_type,
        headers={"Content-Disposition": f'attachment; filename="evkg.{ext[format]}"'},
    )
