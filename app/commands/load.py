"""`evkg load FILE --graph IRI`: a user's own RDF into a named graph of its own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import add_store_option, open_or_explain


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "load",
        help="load an RDF file (Turtle, N-Triples, TriG, N-Quads, RDF/XML, JSON-LD) into a graph",
        description=(
            "Replace the named graph IRI with the file's triples (quads are merged into it). "
            "Loading the same file again changes nothing."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--graph", required=True, metavar="IRI", help="the named graph")
    parser.add_argument(
        "--format",
        metavar="NAME",
        help="turtle, ntriples, trig, nquads, xml, jsonld (default: from the file's extension)",
    )
    add_store_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.store import StoreError

    store = open_or_explain(args.store, "load")
    if store is None:
        return 2
    try:
        status = store.load(args.file, args.graph, args.format)
        size = store.graph_size(args.graph)
    except (StoreError, ValueError) as exc:
        print(f"evkg load: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"{args.graph}: {status} ({size} triples)")
    return 0
