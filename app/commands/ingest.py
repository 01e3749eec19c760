"""`evkg ingest PATH...`: read documents, extract events, keep them in the store."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.commands.common import add_store_option, open_or_explain
from graph.store import StoreError
from ingest.cluster import ClusterError
from ingest.settings import get_settings

if TYPE_CHECKING:
    from rich.progress import Progress

    from ingest.pipeline import Summary


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="extract events from documents and keep them in the store",
        description=(
            "Read .txt, .md, .html and .jsonl documents (files, folders, globs), extract their "
            "events and store each document as its own named graph. Unchanged documents are "
            "skipped; changed ones replace their graph atomically."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="documents, folders or globs")
    add_store_option(parser)
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="extraction processes (default: one per core; 1 extracts in this process)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=256,
        help="documents per store write (embedded store: one bulk load of the new ones)",
    )
    parser.add_argument("--force", action="store_true", help="re-extract unchanged documents")
    parser.add_argument(
        "--no-vocab", action="store_true", help="do not load ontology/*.ttl into the store"
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="print one line per document")
    parser.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="extract on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786; "
        "default: $EVKG_DASK_SCHEDULER); see `evkg cluster`",
    )
    parser.add_argument(
        "--read-on",
        choices=["auto", "client", "workers"],
        default="auto",
        help="with --cluster, who reads the documents (default: the workers when they see "
        "the same files, else this process, which ships them; JSON Lines are read here)",
    )
    parser.set_defaults(func=run)


def _count(paths: list[str]) -> int:
    """How many documents to expect (JSON Lines files count their lines), for the bar."""
    from ingest.readers import JSONL_SUFFIXES, expand

    total = 0
    for path in expand(paths):
        if path.suffix.lower() in JSONL_SUFFIXES:
            with open(path, "rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += 1
    return total


def run(args: argparse.Namespace) -> int:
    from ingest.pipeline import Ingestor, Outcome
    from ingest.vocab import require

    if (args.jobs is not None and args.jobs < 1) or args.batch_size < 1:
        print("evkg ingest: --jobs and --batch-size must be at least 1", file=sys.stderr)
        return 2
    require()  # a missing or broken vocabulary stops here, in one line (app.cli)
    try:
        total = _count(args.paths)
    except (FileNotFoundError, OSError) as exc:
        print(f"evkg ingest: {exc}", file=sys.stderr)
        return 2
    store = open_or_explain(args.store, "ingest")
    if store is None:
        return 2
    try:
        if not args.no_vocab:
            from graph.store.vocab import load_vocabularies

            for name, status in load_vocabularies(store).items():
                if status in ("new", "replaced"):
                    print(f"vocabulary {name}: {status}", file=sys.stderr)
        show_bar = sys.stderr.isatty() and not args.verbose and total > 1
        progress = _progress() if show_bar else None

        def on_outcome(outcome: Outcome) -> None:
            if args.verbose:
                reason = f"  ({outcome.reason})" if outcome.reason else ""
                print(f"{outcome.status:9} {outcome.where}{reason}", flush=True)
            if progress is not None:
                progress.advance(task)

        ingestor = Ingestor(
            store,
            jobs=args.jobs,
            batch_size=args.batch_size,
            force=args.force,
            on_outcome=on_outcome,
        )
        cluster = args.cluster or get_settings().dask_scheduler
        if cluster:
            from ingest.cluster import ClusterIngestor

            ingestor = ClusterIngestor.like(ingestor, cluster, args.store, args.read_on)
        if progress is not None:
            with progress:
                task = progress.add_task("ingesting", total=total)
                summary = ingestor.run_paths(args.paths)
        else:
            summary = ingestor.run_paths(args.paths)
    except (StoreError, ClusterError) as exc:
        print(f"evkg ingest: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    _print_summary(summary)
    return 1 if summary.failed else 0


def _progress() -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=True,
    )


def _print_summary(summary: Summary) -> None:
    rate = summary.documents / summary.seconds if summary.seconds else 0.0
    print(
        f"documents: {summary.new} new, {summary.unchanged} unchanged, "
        f"{summary.replaced} replaced, {summary.failed} failed"
    )
    print(
        f"events: {summary.events}  triples: {summary.triples}  "
        f"seconds: {summary.seconds:.1f}  ({rate:.1f} documents/s)"
    )
    if summary.read_by_workers:
        print(f"read by the cluster's workers: {summary.read_by_workers} documents")
    for where, reason in summary.failures:
        print(f"failed: {where}: {reason}")
    if summary.failed > len(summary.failures):
        print(f"... and {summary.failed - len(summary.failures)} more failures")
