"""`evkg serve`: the HTTP API (SPARQL endpoint and REST resources) on uvicorn."""

from __future__ import annotations

import argparse
import os

from ingest.settings import get_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the graph over HTTP (SPARQL 1.1 endpoint and REST API)",
        description=(
            "Serve the store named by --store / $EVKG_STORE. Writes need $EVKG_TOKEN; "
            "see the README's Settings table for the others."
        ),
    )
    parser.add_argument("--host", help="address to listen on (default: $EVKG_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default: $EVKG_PORT, 8000)")
    parser.add_argument("--store", metavar="SPEC", help="store spec (default: $EVKG_STORE)")
    parser.add_argument("--log-level", default="info")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from app.http_protocol import ProblemH11Protocol
    from ingest.vocab import require

    # The app reads its settings from the environment (uvicorn makes it): set what the
    # options say before the settings are read, then read them once here so a bad value
    # stops the command with one line (app.cli) rather than a traceback from uvicorn.
    if args.store:
        os.environ["EVKG_STORE"] = args.store
    # with writes allowed, the extractor is built before the first request is accepted
    # (EVKG_WARM_EXTRACTOR=0 skips it); apps made in-process leave it to the first document
    os.environ.setdefault("EVKG_WARM_EXTRACTOR", "1")
    # the actor network and search index are built in the background once serving (a 10M
    # quad store's take a minute); EVKG_WARM_NETWORK=0 leaves them to the first request
    os.environ.setdefault("EVKG_WARM_NETWORK", "1")
    get_settings.cache_clear()
    settings = get_settings()
    require()  # POST /documents extracts: no start without the vocabularies (app.cli)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        http=ProblemH11Protocol,  # uvicorn's own refusals as problem details too
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level=args.log_level,
    )
    return 0
