"""`evkg serve`: the HTTP API (SPARQL endpoint and REST resources) on uvicorn."""

from __future__ import annotations

import argparse
import os


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the graph over HTTP (SPARQL 1.1 endpoint and REST API)",
        description=(
            "Serve the store named by --store / $EVKG_STORE. Writes need $EVKG_TOKEN; "
            "see the README's API section for the other settings."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--store", metavar="SPEC", help="store spec (default: $EVKG_STORE)")
    parser.add_argument("--log-level", default="info")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from app.http_protocol import ProblemH11Protocol
    from ingest.vocab import require

    require()  # POST /documents extracts: no start without the vocabularies (app.cli)

    if args.store:
        os.environ["EVKG_STORE"] = args.store
    # with writes allowed, the extractor is built before the first request is accepted
    # (EVKG_WARM_EXTRACTOR=0 skips it); apps made in-process leave it to the first document
    os.environ.setdefault("EVKG_WARM_EXTRACTOR", "1")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        http=ProblemH11Protocol,  # uvicorn's own refusals as problem details too
        host=args.host,
        port=args.port,
        log_level=args.log_level,
    )
    return 0
