"""The whole graph as one file, streamed."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from app.deps import StateDep
from app.responses import bodies, merge, problems
from graph.export import export
from graph.store.formats import rdf_format

router = APIRouter(tags=["export"])
Format = Literal["turtle", "trig", "nquads", "jsonld", "ntriples"]


class _Pipe:
    """A file-like writer feeding a generator, so the dump never sits whole in memory."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        self.writer = os.fdopen(self.write_fd, "wb", buffering=1 << 16)

    def chunks(self) -> Iterator[bytes]:
        with os.fdopen(self.read_fd, "rb") as reader:
            while chunk := reader.read(1 << 16):
                yield chunk


@router.get("/export", summary="Export every graph (streamed)", response_class=StreamingResponse,
            responses=merge(bodies(*(rdf_format(f).media_type for f in get_args(Format))),
                            problems(422)))
async def export_all(state: StateDep,
                     format: Annotated[Format, Query()] = "trig") -> StreamingResponse:
    pipe = _Pipe()

    def produce() -> None:
        try:
            export(state.store, format, pipe.writer)
        finally:
            pipe.writer.close()

    threading.Thread(target=produce, daemon=True).start()
    ext = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "jsonld": "jsonld", "ntriples": "nt"}
    return StreamingResponse(
        pipe.chunks(), media_type=rdf_format(format).media_type,
        headers={"Content-Disposition": f'attachment; filename="evkg.{ext[format]}"'},
    )
