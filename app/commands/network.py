"""`evkg network`: the filtered actor network as a file (HTML that works offline, GraphML,
GEXF with dates for Gephi's timeline, or node-link JSON), the same view the page draws."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import add_store_option, open_or_explain

SUFFIXES = {".html": "html", ".htm": "html", ".graphml": "graphml", ".gexf": "gexf",
            ".json": "json"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "network",
        help="write the actor network as HTML (offline), GraphML, GEXF or JSON",
        description=(
            "Write the actor network under the given filters. The format follows the file's "
            "suffix: .html (opens offline in a browser), .graphml, .gexf (dated, for Gephi's "
            "timeline) or .json (node-link)."
        ),
    )
    parser.add_argument("--out", "-o", metavar="FILE", type=Path, required=True,
                        help="FILE.html, FILE.graphml, FILE.gexf or FILE.json")
    parser.add_argument("--since", metavar="DATE", help="events on or after (YYYY[-MM[-DD]])")
    parser.add_argument("--until", metavar="DATE", help="events on or before (YYYY[-MM[-DD]])")
    parser.add_argument("--root", metavar="NN", help="CAMEO root code, e.g. 19")
    parser.add_argument("--quad", type=int, choices=(1, 2, 3, 4), help="quad class")
    parser.add_argument("--min-events", type=int, default=1, metavar="N",
                        help="drop edges with fewer events (default 1)")
    parser.add_argument("--document", metavar="IRI", help="only this document's events")
    parser.add_argument("--modality", metavar="NAMES", default=None,
                        help="which readings count: asserted (default), negated, hypothetical, "
                             "intended, claimed, denied, several comma-separated, or all")
    parser.add_argument("--max-nodes", type=int, default=2000, metavar="N",
                        help="keep the N most central actors (default 2000)")
    add_store_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.pages import MissingLibraryError, network_page
    from graph.network import network_view, parse_filters
    from graph.network.export import render
    from graph.store import StoreError
    from graph.store.base import content_version

    fmt = SUFFIXES.get(args.out.suffix.lower())
    if fmt is None:
        print(f"evkg network: {args.out} must end in {', '.join(SUFFIXES)}", file=sys.stderr)
        return 2
    if not args.out.parent.is_dir():
        print(f"evkg network: no folder {args.out.parent}", file=sys.stderr)
        return 2
    try:
        filters = parse_filters(args.since, args.until, args.root, args.quad, args.min_events,
                                args.document, args.modality)
    except ValueError as exc:
        print(f"evkg network: {exc}", file=sys.stderr)
        return 2
    if args.max_nodes < 1:
        print("evkg network: --max-nodes must be at least 1", file=sys.stderr)
        return 2
    store = open_or_explain(args.store, "network")
    if store is None:
        return 2
    try:
        # the file names the store's content it was drawn from (no cache keys it here)
        graph, body = network_view(store, filters, args.max_nodes,
                                   version=content_version(store))
        args.out.write_bytes(render(graph, fmt, network_page() if fmt == "html" else None))
    except (StoreError, MissingLibraryError) as exc:
        print(f"evkg network: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    meta = body["meta"]
    note = f" (the most central of {meta['total_nodes']})" if meta.get("truncated") else ""
    print(f"{args.out}: {meta['nodes']} actors{note}, {meta['edges']} dyads", file=sys.stderr)
    return 0
