"""The `--store` option and store opening that every command reading or writing the store
shares, kept here so commands do not import one another."""

from __future__ import annotations

import argparse
import sys

from graph.config import DEFAULT_STORE, StoreConfigError
from graph.store import GraphStore, StoreError, open_store

STORE_HELP = (
    "store to use: oxigraph:PATH, oxigraph-server:URL, virtuoso:URL or sparql:URL "
    f"(default: $EVKG_STORE, else {DEFAULT_STORE})"
)


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="SPEC", help=STORE_HELP)


def open_or_explain(spec: str | None, command: str) -> GraphStore | None:
    """Open the store, or print why not (busy, bad spec, unreachable) and return None."""
    try:
        return open_store(spec)
    except (StoreError, StoreConfigError) as exc:
        print(f"evkg {command}: {exc}", file=sys.stderr)
        return None
