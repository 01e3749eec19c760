"""Bulk ingestion: documents are extracted in a process pool and written by ONE writer.

Why this shape: extraction (spaCy) is CPU-bound and embarrassingly parallel, while the
embedded store accepts one writer. Documents whose stored hash already matches (the
document as read and the extractor version: `ingest.rdf.graph_hash`) are skipped before
extraction, so re-running an ingestion is cheap and changes nothing. Each
batch of documents is written in one store transaction: a process killed mid-run leaves
every document fully in or fully out. Input is read lazily and at most a bounded window of
documents is in flight, so memory stays flat however large the corpus. After each batch
the happenings of its documents are brought up to date (`graph.happening_store`), by the
same writer.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal, TypeVar

from graph.happening_store import HappeningIndex, InHand
from graph.happenings import Report
from graph.store import DocumentGraph, GraphStore, StoreError
from ingest.model import Extraction, SourceDocument
from ingest.rdf import graph_hash
from ingest.readers import ReadFailure

Status = Literal["new", "unchanged", "replaced", "failed"]
T = TypeVar("T")
MAX_FAILURES_KEPT = 1000
# Documents a store write (one bulk load). At 10,000 documents, 1,024 cost no less CPU a
# document than 256 and held ~500 MB more (bench/RESULTS.md).
BATCH_SIZE = 256


@dataclass(frozen=True)
class Outcome:
    """What happened to one document."""

    where: str
    status: Status
    iri: str | None = None
    reason: str | None = None
    events: int = 0
    triples: int = 0


@dataclass
class Summary:
    """Totals of a run, for the closing report."""

    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0
    events: int = 0
    triples: int = 0
    seconds: float = 0.0
    write_seconds: float = 0.0  # time inside the store's writes (the single writer's load)
    match_seconds: float = 0.0  # time keeping the happenings (reading, matching, writing)
    read_by_workers: int = 0  # documents read by a cluster's workers, not by this process
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return self.new + self.unchanged + self.replaced + self.failed

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        if outcome.status == "failed":
            if len(self.failures) < MAX_FAILURES_KEPT:
                self.failures.append((outcome.where, outcome.reason or "unknown"))
        elif outcome.status != "unchanged":
            self.events += outcome.events
            self.triples += outcome.triples


@dataclass(frozen=True)
class Extracted:
    """A worker's answer for one document: its graph, or why there is none."""

    where: str
    graph: DocumentGraph | None
    events: int = 0
    triples: int = 0
    reason: str | None = None
    in_hand: InHand | None = None  # its reports, for matching into happenings


def where_of(doc: SourceDocument) -> str:
    return doc.url or doc.file or doc.iri


@dataclass(frozen=True)
class Fingerprint:
    """What deciding whether a document needs extraction takes of it: where it was read,
    its graph's IRI and the hash its stored graph would record (`graph_hash`)."""

    where: str
    iri: str
    hash: str

    @classmethod
    def of(cls, doc: SourceDocument) -> Fingerprint:
        return cls(where_of(doc), doc.iri, graph_hash(doc))


def extract_one(doc: SourceDocument) -> Extracted:
    """Text -> events -> N-Triples. Runs in a worker; never raises for a bad document."""
    from ingest.extract import extract

    try:
        return prepared(extract(doc))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a bulk run
        return Extracted(where_of(doc), None, reason=f"extraction failed: {exc!r}"[:300])


def prepared(extraction: Extraction) -> Extracted:
    """An extraction as the writer takes it: the document's graph as the store keeps it and
    its reports for the happenings. The one way a document is made ready to store, whether
    `evkg ingest` read it or a client posted it (`POST /documents`)."""
    from ingest.rdf import to_ntriples

    doc = extraction.document
    # The graph records the hash of the document as read and of the extractor version
    # (`<doc> evkg:contentHash`, `graph_hash`), so the next write can skip it unchanged.
    ntriples = to_ntriples(extraction)  # as Oxigraph writes them: canonical
    payload = DocumentGraph(doc.iri, graph_hash(doc), ntriples, canonical=True)
    return Extracted(
        where_of(doc),
        payload,
        len(extraction.events),
        ntriples.count(b"\n"),
        in_hand=reports_of(extraction),
    )


def reports_of(extraction: Extraction) -> InHand:
    """The document's events as matching reads them, and what it says of their actors:
    made in the worker from the extraction, so the writer need not read them back."""
    from ingest.rdf import mention_iri

    doc = extraction.document
    reports = []
    facts: dict[tuple[str, str, str], None] = {}
    for event in extraction.events:
        for actor in event.sources + event.targets:
            if actor is not None:
                for kind, value in (("c", actor.code), ("s", actor.sector)):
                    if value:
                        facts[actor.iri, kind, value] = None
                if actor.kind == "state":
                    facts[actor.iri, "k", ""] = None
        reports.append(
            Report(
                iri=event.iri,
                document=doc.iri,
                code=event.code,
                source=event.source.iri if event.source else None,
                target=event.target.iri if event.target else None,
                date=event.date,
                place=event.place.iri if event.place else None,
                modality=event.modality,
                label=event.label,
                mentions=(mention_iri(doc.iri, event.trigger),),
            )
        )
    return InHand(tuple(sorted(reports, key=lambda r: r.iri)), tuple(facts))


def extract_many(docs: list[SourceDocument]) -> list[Extracted]:
    return [extract_one(doc) for doc in docs]


def _warm_up() -> None:
    """Load the language model once per worker, not once per task; then keep the
    vocabularies and matchers (long-lived, millions of objects) out of the garbage
    collector's passes, which otherwise walk them again and again (~5% of extraction)."""
    extract_one(SourceDocument(text="Iran warned the United States.", file="warm-up"))
    gc.freeze()


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Ingestor:
    """Runs one ingestion into `store` with `jobs` extraction processes."""

    def __init__(
        self,
        store: GraphStore,
        jobs: int | None = None,
        batch_size: int = BATCH_SIZE,
        task_size: int = 8,
        force: bool = False,
        on_outcome: Callable[[Outcome], None] | None = None,
        happenings: bool = True,
        on_written: Callable[[list[Extracted]], None] | None = None,
    ) -> None:
        self.store = store
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.batch_size = batch_size
        self.task_size = task_size
        self.force = force
        self.on_outcome = on_outcome
        self.summary = Summary()
        self.happenings = happenings  # cluster reports into happenings after each batch
        self.on_written = on_written  # told of each batch the store took
        self._index: HappeningIndex | None = None

    def run(self, sources: Iterable[SourceDocument | ReadFailure]) -> Summary:
        return self._write_all(self._extracted(sources))

    def _write_all(self, extracted: Iterable[Extracted]) -> Summary:
        """Write `extracted` in batches, the happenings kept after each; the run's summary."""
        started = time.perf_counter()
        pending: list[Extracted] = []
        for item in extracted:
            pending.append(item)
            if len(pending) >= self.batch_size:
                self._write(pending)
                pending = []
        self._write(pending)
        if self.happenings and self._index is None:
            self._refresh([])  # nothing written: still repair what a killed run left
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def run_paths(self, paths: list[str]) -> Summary:
        """Ingest the documents under `paths` (files, folders, globs)."""
        from ingest.readers import read_paths

        return self.run(read_paths(paths))

    def _refresh(self, written: list[Extracted]) -> None:
        """Recluster the happenings of the documents just `written`."""
        self._cluster({item.graph.iri: item.in_hand for item in written if item.graph is not None})

    def _cluster(self, documents: Mapping[str, InHand | None]) -> None:
        """Recluster the happenings of `documents` (loading every stored report the first
        time), from the reports their extraction gave; all are read back from the store
        when one is given without them."""
        started = time.perf_counter()
        if self._index is None:
            self._index = HappeningIndex.load(self.store)
        in_hand = {iri: found for iri, found in documents.items() if found is not None}
        self._index.refresh(
            self.store, documents, in_hand if len(in_hand) == len(documents) else None
        )
        self.summary.match_seconds += time.perf_counter() - started

    def _report(self, outcome: Outcome) -> None:
        self.summary.add(outcome)
        if self.on_outcome is not None:
            self.on_outcome(outcome)

    def _to_extract(
        self, sources: Iterable[SourceDocument | ReadFailure]
    ) -> Iterator[list[SourceDocument]]:
        """Documents that need extraction, a task's worth at a time; the rest are reported."""
        for chunk in _chunks(sources, self.batch_size):
            found = [(d, d if isinstance(d, ReadFailure) else Fingerprint.of(d)) for d in chunk]
            todo = [d for d in self._changed(found) if isinstance(d, SourceDocument)]
            yield from _chunks(todo, self.task_size)

    def _changed(self, found: Sequence[tuple[T, Fingerprint | ReadFailure]]) -> list[T]:
        """The items of `found` whose document needs extraction (not stored with this
        fingerprint's hash); the unreadable and the unchanged are reported, in order."""
        prints = [f for _, f in found if isinstance(f, Fingerprint)]
        stored = {} if self.force else self.store.content_hashes(f.iri for f in prints)
        todo = []
        for item, known in found:
            if isinstance(known, ReadFailure):
                self._report(Outcome(known.where, "failed", reason=known.reason))
            elif stored.get(known.iri) == known.hash:
                self._report(Outcome(known.where, "unchanged", known.iri))
            else:
                todo.append(item)
        return todo

    def _extracted(self, sources: Iterable[SourceDocument | ReadFailure]) -> Iterator[Extracted]:
        tasks = self._to_extract(sources)
        if self.jobs == 1:
            for task in tasks:
                yield from extract_many(task)
            return
        context = multiprocessing.get_context("forkserver")
        window: deque[Future[list[Extracted]]] = deque()
        # Enough tasks in flight that the workers keep extracting while the writer writes a
        # whole batch (else they stall for the length of every write), and still bounded.
        in_flight = self.jobs * 4 + math.ceil(self.batch_size / self.task_size)
        with ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_warm_up) as pool:
            for task in tasks:
                window.append(pool.submit(extract_many, task))
                while len(window) >= in_flight:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()

    def _write(self, batch: list[Extracted]) -> None:
        """One transaction per batch; if it fails, retry one by one to name the culprit."""
        if not batch:
            return
        for item in batch:
            if item.graph is None:
                self._report(Outcome(item.where, "failed", reason=item.reason))
        good = [item for item in batch if item.graph is not None]
        if not good:
            return
        if self.happenings and self._index is None:
            self._refresh([])  # every report stored before this run
        written = self._put(good)
        if self.on_written is not None:
            self.on_written(written)
        if self.happenings:
            self._refresh(written)

    def _put(self, good: list[Extracted]) -> list[Extracted]:
        """Write `good`; those the store took."""
        written: list[Extracted] = []
        started = time.perf_counter()
        try:
            statuses = self.store.put_documents(
                [item.graph for item in good],  # type: ignore[misc]
                bulk=True,
            )
        except (StoreError, ValueError):
            for item in good:
                try:
                    status = self.store.put_documents([item.graph])[0]  # type: ignore[list-item]
                except (StoreError, ValueError) as exc:
                    self._report(Outcome(item.where, "failed", reason=f"store refused it: {exc}"))
                else:
                    self._done(item, status)
                    written.append(item)
            return written
        self.summary.write_seconds += time.perf_counter() - started
        for item, status in zip(good, statuses, strict=True):
            self._done(item, status)
            written.append(item)
        return written

    def _done(self, item: Extracted, status: Status) -> None:
        assert item.graph is not None
        self._report(
            Outcome(item.where, status, item.graph.iri, events=item.events, triples=item.triples)
        )


def ingest(
    store: GraphStore,
    sources: Iterable[SourceDocument | ReadFailure],
    jobs: int | None = None,
    **options: Any,
) -> Summary:
    """Ingest `sources` into `store`; see `Ingestor`."""
    return Ingestor(store, jobs=jobs, **options).run(sources)
