"""What runs on a Dask worker for `evkg ingest --cluster` (see `ingest.cluster`).

The worker plugin loads the extractor (language model, vocabularies, dictionaries) once per
worker process, when the plugin is registered or when a worker joins later, and refuses to
start when the worker's extractor version (its code, data files and `EVKG_CODER`) is not
the client's: the content hashes would then disagree and a rerun would extract everything
again. Tasks are plain functions of this module, so workers import them by name.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from distributed import Worker
from distributed.diagnostics.plugin import WorkerPlugin

from graph.happening_store import InHand
from graph.store import GraphStore, open_store
from ingest.model import SourceDocument
from ingest.pipeline import Extracted, Fingerprint, Ingestor, Outcome, _warm_up, extract_many
from ingest.readers import ReadFailure, read_paths

PLUGIN_NAME = "evkg-extractor"

_stores: dict[str, GraphStore] = {}
_stores_lock = threading.Lock()
_warmed = False


class ExtractorMismatchError(RuntimeError):
    """A worker would extract with another extractor version than the client's."""


class ExtractorPlugin(WorkerPlugin):
    """Loads the extractor once per worker; checks it is the client's version."""

    name = PLUGIN_NAME

    def __init__(self, version: str) -> None:
        self.version = version

    def setup(self, worker: Worker) -> None:
        from ingest.rdf import extractor_version
        from ingest.settings import get_settings

        mine = extractor_version()
        if mine != self.version:
            raise ExtractorMismatchError(
                f"worker {worker.address} has extractor version {mine} "
                f"(EVKG_CODER={get_settings().coder}), the client {self.version}: start the "
                "workers with the client's evkg, data files and EVKG_CODER"
            )
        global _warmed
        if not _warmed:  # once per process, however often the plugin is registered again
            _warm_up()
            _warmed = True

    def teardown(self, worker: Worker) -> None:
        with _stores_lock:
            for store in _stores.values():
                store.close()
            _stores.clear()


def worker_store(spec: str) -> GraphStore:
    """One connection per worker process to the remote store `spec` (credentials from the
    worker's own EVKG_STORE_USER and EVKG_STORE_PASSWORD)."""
    with _stores_lock:
        if spec not in _stores:
            _stores[spec] = open_store(spec)
        return _stores[spec]


def extract_task(docs: list[SourceDocument]) -> list[Extracted]:
    """Extract only: the client writes (the embedded store has one writer)."""
    return extract_many(docs)


def read_task(paths: list[str]) -> list[SourceDocument | ReadFailure]:
    """The documents in `paths` (plain files; their folders' metadata.jsonl read too), read
    on this worker. The result stays on the cluster: the client gathers only the documents'
    fingerprints (`fingerprint_task`) and has the changed ones extracted from it
    (`extract_chosen_task`), so no text travels through the client."""
    return list(read_paths(paths))


def fingerprint_task(found: list[SourceDocument | ReadFailure]) -> list[Fingerprint | ReadFailure]:
    """What the client needs of documents read here to skip the unchanged ones."""
    return [item if isinstance(item, ReadFailure) else Fingerprint.of(item) for item in found]


def extract_chosen_task(
    found: list[SourceDocument | ReadFailure], chosen: list[int]
) -> list[Extracted]:
    """Extract the documents at `chosen` of those `read_task` read; the client writes."""
    return extract_many([doc for i in chosen if isinstance(doc := found[i], SourceDocument)])


@dataclass
class TaskReport:
    """What a worker that wrote into the remote store did with one task's documents."""

    outcomes: list[Outcome] = field(default_factory=list)
    written: dict[str, InHand | None] = field(default_factory=dict)  # documents -> reports
    write_seconds: float = 0.0
    seconds: float = 0.0


def ingest_task(
    spec: str, items: list[SourceDocument] | list[str], force: bool = False
) -> TaskReport:
    """The local pipeline on one task's documents, into the remote store: read them when
    given paths, skip those whose stored hash matches, extract, write each document's
    graph in one request (a graph is replaced whole, so a retried task writes nothing
    twice: what a killed worker had written is then found unchanged). The happenings are
    left to the client, their one writer, which is handed the written documents' reports:
    workers clustering side by side would each see part of the store."""
    report = TaskReport()
    sources = (
        read_paths([Path(p) for p in items if isinstance(p, str)])
        if items and isinstance(items[0], str)
        else [d for d in items if isinstance(d, SourceDocument)]
    )
    ingestor = Ingestor(
        worker_store(spec),
        jobs=1,
        batch_size=max(1, len(items)),
        task_size=max(1, len(items)),
        force=force,
        on_outcome=report.outcomes.append,
        happenings=False,
        on_written=lambda written: report.written.update(
            (item.graph.iri, item.in_hand) for item in written if item.graph is not None
        ),
    )
    summary = ingestor.run(sources)
    report.write_seconds = summary.write_seconds
    report.seconds = summary.seconds
    return report


def file_sizes(paths: list[str]) -> list[int | None]:
    """Each file's size as this worker sees it (None: not readable here)."""
    sizes: list[int | None] = []
    for path in paths:
        try:
            with open(path, "rb"):
                pass
            sizes.append(Path(path).stat().st_size)
        except OSError:
            sizes.append(None)
    return sizes
