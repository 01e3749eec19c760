"""`evkg remove DOC...`: take documents (their named graphs) out of the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import add_store_option, open_or_explain


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "remove",
        help="remove documents from the store",
        description=(
            "DOC is a document IRI, a graph IRI, or what identifies a document: its URL or "
            "its file name (a path is reduced to its file name)."
        ),
    )
    parser.add_argument("docs", nargs="+", metavar="DOC")
    add_store_option(parser)
    parser.set_defaults(func=run)


def graph_for(doc: str) -> str:
    """The graph IRI a DOC argument names."""
    from ingest.model import SourceDocument

    if doc.startswith("https://evkg.org/"):
        return doc
    if doc.startswith(("http://", "https://")):
        return SourceDocument(text="", url=doc).iri
    return SourceDocument(text="", file=Path(doc).name).iri


def run(args: argparse.Namespace) -> int:
    from graph.happening_store import HappeningIndex
    from graph.store import StoreError

    store = open_or_explain(args.store, "remove")
    if store is None:
        return 2
    missing = 0
    removed: list[str] = []
    try:
        for doc in args.docs:
            iri = graph_for(doc)
            if store.remove_graph(iri):
                removed.append(iri)
                print(f"removed {iri}")
            else:
                print(f"evkg remove: {doc}: not in the store", file=sys.stderr)
                missing += 1
        if removed:  # their reports leave their happenings, which are clustered again
            HappeningIndex.load(store).refresh(store, removed)
    except (StoreError, ValueError) as exc:
        print(f"evkg remove: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 1 if missing else 0
