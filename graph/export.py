"""Exporting the store to a file or stdout, streamed so memory stays flat.

`turtle` and `ntriples` hold one graph: a chosen graph, or the union of all graphs (the
same view queries see). `trig`, `nquads` and `jsonld` keep every graph with its name.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import IO

from graph.store.base import GraphStore
from graph.store.formats import EXPORT_FORMATS, rdf_format


def export(store: GraphStore, fmt: str, out: IO[bytes], graph: str | None = None) -> None:
    """Write the store (or `graph`) to the binary stream `out` in `fmt`."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    store.dump(out, rdf_format(fmt), graph=graph)


def export_to_path(store: GraphStore, fmt: str, path: Path, graph: str | None = None) -> None:
    """Write to a temporary file beside `path`, then rename: no half-written exports."""
    path = Path(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed)
        "wb", dir=path.parent or ".", prefix=f".{path.name}.", delete=False
    )
    try:
        with handle:
            export(store, fmt, handle, graph)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def export_to_stdout(store: GraphStore, fmt: str, graph: str | None = None) -> None:
    export(store, fmt, sys.stdout.buffer, graph)
    sys.stdout.buffer.flush()
