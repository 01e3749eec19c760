"""`evkg export`: the store, or one graph, as an RDF file (streamed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import add_store_option, open_or_explain
from graph.store.formats import EXPORT_FORMATS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the store (or one graph) as Turtle, TriG, N-Quads, N-Triples or JSON-LD",
        description=(
            "Stream the store to a file or stdout. turtle and ntriples hold the union of all "
            "graphs (or --graph); trig, nquads and jsonld keep each named graph."
        ),
    )
    parser.add_argument("--format", "-f", choices=EXPORT_FORMATS, default="turtle")
    parser.add_argument("--graph", metavar="IRI", help="only this named graph")
    parser.add_argument("--out", "-o", metavar="FILE", type=Path, help="default: stdout")
    add_store_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.export import export_to_path, export_to_stdout
    from graph.store import StoreError

    if args.out is not None and not args.out.parent.is_dir():
        print(f"evkg export: no folder {args.out.parent}", file=sys.stderr)
        return 2
    store = open_or_explain(args.store, "export")
    if store is None:
        return 2
    try:
        if args.out is None:
            export_to_stdout(store, args.format, args.graph)
        else:
            export_to_path(store, args.format, args.out, args.graph)
    except (StoreError, ValueError) as exc:
        print(f"evkg export: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0
