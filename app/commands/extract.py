"""`evkg extract FILE...`: print what each document yields, touching no store."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from ingest.model import SourceDocument
from ingest.readers import ReadFailure, read_paths


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="extract actors and events from documents and print them",
        description="Print one JSON line (or a Turtle graph) per document. Nothing is stored.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="documents, folders or globs")
    parser.add_argument(
        "--published",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="publication date, for documents that do not state one",
    )
    parser.add_argument("--format", choices=["jsonl", "turtle"], default="jsonl")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ingest.extract import DocumentTooLarge, extract
    from ingest.rdf import to_graph
    from ingest.vocab import require

    require()  # a missing or broken vocabulary stops here, in one line (app.cli)
    failures = 0
    try:
        documents = list(read_paths(args.files))
    except FileNotFoundError as error:
        print(f"evkg extract: {error}", file=sys.stderr)
        return 2
    for item in documents:
        if isinstance(item, ReadFailure):
            print(f"evkg extract: {item.where}: {item.reason}", file=sys.stderr)
            failures += 1
            continue
        document: SourceDocument = item
        if document.published is None and args.published is not None:
            document = SourceDocument(
                text=document.text,
                file=document.file,
                url=document.url,
                title=document.title,
                published=args.published,
                source=document.source,
            )
        try:
            extraction = extract(document)
        except DocumentTooLarge as error:
            print(f"evkg extract: {document.file or document.url}: {error}", file=sys.stderr)
            failures += 1
            continue
        if args.format == "turtle":
            sys.stdout.write(to_graph(extraction, standalone=True).serialize(format="turtle"))
        else:
            sys.stdout.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failures else 0
