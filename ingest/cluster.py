"""`evkg ingest --cluster tcp://HOST:8786`: extraction on the workers of a Dask cluster.

The run is the local one (`ingest.pipeline.Ingestor`: the same content-hash skip, batches,
outcomes and summary) with extraction moved to the cluster.

Documents are read where the paths are readable: by the workers when they see the same
files (shared storage: checked on a sample of the files, the same size on every worker as
here; `read_on` decides instead), else here and shipped. JSON Lines files are always read
here and shipped (one file holds many documents, read in one pass). The
summary says how many documents the workers read. Who writes:

- Embedded store (`oxigraph:PATH`, one writer): this process writes what the workers
  extract in batches, as `evkg ingest` does with its process pool (same journal, so a
  killed client leaves each document whole or absent), and skips before extraction the
  documents whose stored hash matches. Documents read here are hashed here and the rest
  shipped in tasks of a few. Files the workers read stay with them: a task reads a few
  files and holds the documents, a small task hands back only their fingerprints (IRI,
  which a folder's metadata.jsonl or the page decides, and content hash), and the
  documents to extract are extracted from what the workers hold (Dask runs that beside
  them, and reads them again elsewhere if their worker died).
- Remote store (`oxigraph-server:`, `virtuoso:`, `sparql:`): each task is a whole local
  ingestion of a few documents run on a worker, which writes into the store itself (one
  request per document graph, which replaces it whole). The happenings have one writer,
  this process: the workers hand back the reports of what they wrote, clustered here
  batch by batch in the input's order, so the store ends as a local run leaves it,
  however the tasks were spread.

A task whose worker dies is run again elsewhere (Dask's retries): the embedded store is
written only by this process, once per document; a remote store's graphs are replaced
whole, so a task run twice writes nothing twice (documents the killed worker had already
written are then reported unchanged). Tasks are released in order through a bounded
window, so memory stays flat and duplicates in the input resolve as in a local run.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from graph.config import RemoteConfig, parse_store_spec
from graph.happening_store import InHand
from graph.store import GraphStore
from ingest.model import SourceDocument
from ingest.pipeline import (
    BATCH_SIZE,
    Extracted,
    Ingestor,
    Outcome,
    Summary,
    _chunks,
    where_of,
)
from ingest.readers import JSONL_SUFFIXES, ReadFailure, expand, read_paths
from ingest.settings import get_settings

if TYPE_CHECKING:
    from distributed import Client, Future

ReadOn = Literal["auto", "client", "workers"]
RETRIES = 3  # a task that raised is run again this often (a killed worker: see README)
TASK_SIZE = 8  # documents a task: ~0.5 s of extraction, well above Dask's ~1 ms a task
# Files a worker reads in one task: reading costs far less than extracting, so one read
# feeds several extraction tasks and the client waits on fewer answers.
READ_SIZE = 4 * TASK_SIZE
SAMPLE = 16  # files checked on every worker to decide whether they can read the paths
CONNECT_SECONDS = 30.0
WORKERS_SECONDS = 60.0


class ClusterError(RuntimeError):
    """The cluster cannot be used: unreachable, no workers, or workers unlike the client."""


def _failed(exc: Exception) -> str:
    """Why a task's documents failed: its retries spent, or its worker lost too often."""
    return f"cluster task failed: {exc!r}"[:300]


class ClusterIngestor(Ingestor):
    """Runs one ingestion into `store` with extraction on the Dask cluster at `address`."""

    def __init__(
        self,
        store: GraphStore,
        address: str,
        store_spec: str | None = None,
        read_on: ReadOn = "auto",
        batch_size: int = BATCH_SIZE,
        task_size: int = TASK_SIZE,
        force: bool = False,
        on_outcome: Callable[[Outcome], None] | None = None,
        retries: int = RETRIES,
    ) -> None:
        super().__init__(
            store,
            jobs=1,
            batch_size=batch_size,
            task_size=task_size,
            force=force,
            on_outcome=on_outcome,
        )
        self.address = address
        self.spec = store_spec or get_settings().store
        self.remote = isinstance(parse_store_spec(self.spec), RemoteConfig)
        self.read_on: ReadOn = read_on
        self.retries = retries
        self.workers_read = False  # whether the workers read the files: decided by `run_paths`
        self._client: Client | None = None

    @classmethod
    def like(
        cls, local: Ingestor, address: str, store_spec: str | None, read_on: ReadOn = "auto"
    ) -> ClusterIngestor:
        """The cluster run with the options of the local run `local`."""
        return cls(
            local.store,
            address,
            store_spec=store_spec,
            read_on=read_on,
            batch_size=local.batch_size,
            task_size=TASK_SIZE,
            force=local.force,
            on_outcome=local.on_outcome,
        )

    # -- the run ---------------------------------------------------------------------------

    def run_paths(self, paths: list[str]) -> Summary:
        """Ingest the documents under `paths` (files, folders, globs)."""
        with self._connect() as client:
            self._client = client
            try:
                if self.remote:
                    return self._run_remote(paths)
                if self.read_on == "client":
                    return self.run(read_paths(paths))
                files = [p.resolve() for p in expand(paths)]
                self.workers_read = self._workers_read(files)
                if not self.workers_read:
                    return self.run(read_paths(paths))
                return self._write_all(self._extracted_where_read(files))
            finally:
                self._client = None

    def _connect(self) -> Client:
        from distributed import Client

        from ingest.cluster_worker import ExtractorPlugin
        from ingest.rdf import extractor_version

        try:
            client = Client(self.address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the scheduler at {self.address}: {exc}") from exc
        try:
            try:
                client.wait_for_workers(1, timeout=WORKERS_SECONDS)
            except TimeoutError as exc:
                raise ClusterError(
                    f"no worker joined the scheduler at {self.address} within "
                    f"{WORKERS_SECONDS:.0f} s (see `evkg cluster`)"
                ) from exc
            try:
                client.register_plugin(ExtractorPlugin(extractor_version()))
            except Exception as exc:  # a worker's setup failed: its message says why
                raise ClusterError(f"a worker cannot extract: {exc}") from exc
        except BaseException:
            client.close()
            raise
        return client

    def _threads(self) -> int:
        assert self._client is not None
        threads: dict[str, int] = self._client.nthreads()
        return max(1, sum(threads.values()))

    def _window(self) -> int:
        # As the process pool's: workers busy while results wait to be written, bounded.
        return self._threads() * 4 + math.ceil(self.batch_size / self.task_size)

    def _ordered(self, submitted: Iterator[tuple[Future[Any], Any]]) -> Iterator[tuple[Any, Any]]:
        """(result or exception, what was submitted) in submission order, a bounded window
        of tasks in flight."""
        window: deque[tuple[Future[Any], Any]] = deque()
        limit = self._window()

        def settle() -> tuple[Any, Any]:
            future, item = window.popleft()
            try:
                return future.result(), item
            except Exception as exc:  # noqa: BLE001 - retries spent, the worker died, ...
                return exc, item
            finally:
                future.release()

        for pair in submitted:
            window.append(pair)
            while len(window) >= limit:
                yield settle()
        while window:
            yield settle()

    def _submit(self, function: Callable[..., Any], *args: Any, priority: int = 0) -> Future[Any]:
        assert self._client is not None
        return self._client.submit(
            function, *args, retries=self.retries, pure=False, priority=priority
        )

    # -- embedded store: the workers extract, this process writes ---------------------------

    def _extracted(self, sources: Iterable[SourceDocument | ReadFailure]) -> Iterator[Extracted]:
        from ingest.cluster_worker import extract_task

        tasks = ((self._submit(extract_task, t), t) for t in self._to_extract(sources))
        for result, task in self._ordered(tasks):
            if isinstance(result, Exception):
                reason = _failed(result)
                yield from (Extracted(where_of(doc), None, reason=reason) for doc in task)
            else:
                yield from result

    def _extracted_where_read(self, files: list[Path]) -> Iterator[Extracted]:
        """The workers read the plain files and keep the documents; this process gathers
        only their fingerprints, skips those stored unchanged (`Ingestor._changed`) and has
        the rest extracted from the documents the workers hold (Dask runs the extraction
        beside them, or moves them between workers, never through here). JSON Lines are
        read here and shipped (`_extracted`)."""
        from ingest.cluster_worker import extract_chosen_task, fingerprint_task, read_task

        plain = [str(f) for f in files if f.suffix.lower() not in JSONL_SUFFIXES]
        shipped = [f for f in files if f.suffix.lower() in JSONL_SUFFIXES]

        def fingerprinted() -> Iterator[tuple[Future[Any], tuple[Future[Any], list[str]]]]:
            for paths in _chunks(plain, READ_SIZE):
                # ahead of the extractions, which wait on them
                read = self._submit(read_task, paths, priority=1)
                yield self._submit(fingerprint_task, read, priority=1), (read, paths)

        def extractions() -> Iterator[tuple[Future[Any], list[str]]]:
            for result, (read, paths) in self._ordered(fingerprinted()):
                if isinstance(result, Exception):
                    reason = _failed(result)
                    for path in paths:
                        self._report(Outcome(path, "failed", reason=reason))
                else:
                    self.summary.read_by_workers += len(result)
                    for chosen in _chunks(self._changed(list(enumerate(result))), self.task_size):
                        task = self._submit(extract_chosen_task, read, chosen)
                        yield task, [result[i].where for i in chosen]
                read.release()  # the cluster keeps the documents while their extraction waits

        for result, wheres in self._ordered(extractions()):
            if isinstance(result, Exception):
                reason = _failed(result)
                yield from (Extracted(where, None, reason=reason) for where in wheres)
            else:
                yield from result
        if shipped:
            yield from self._extracted(read_paths(shipped))

    # -- remote store: the workers read (or are sent), extract and write ---------------------

    def _run_remote(self, paths: list[str]) -> Summary:
        from ingest.cluster_worker import TaskReport, ingest_task

        started = time.perf_counter()
        files = [p.resolve() for p in expand(paths)]
        self.workers_read = self._workers_read(files)
        if self.happenings:
            self._cluster({})  # the index of the store as it is before this run
        tasks = (
            (self._submit(ingest_task, self.spec, items, self.force), items)
            for items in self._remote_tasks(files)
        )
        written: dict[str, InHand | None] = {}
        unchanged: list[str] = []
        for result, items in self._ordered(tasks):
            if isinstance(result, TaskReport):
                if items and isinstance(items[0], str):
                    self.summary.read_by_workers += len(result.outcomes)
                for outcome in result.outcomes:
                    self._report(outcome)
                    if outcome.status == "unchanged" and outcome.iri:
                        unchanged.append(outcome.iri)
                self.summary.write_seconds += result.write_seconds
                written.update(result.written)
            else:
                reason = _failed(result)
                for item in items:
                    where = item if isinstance(item, str) else where_of(item)
                    self._report(Outcome(where, "failed", reason=reason))
            if self.happenings and len(written) >= self.batch_size:
                self._cluster(written)  # in the order of the input, batch by batch
                written = {}
        if self.happenings:
            self._cluster(written)
            self._cluster_unreported(unchanged)
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _cluster_unreported(self, unchanged: list[str]) -> None:
        """Cluster the documents found unchanged that the index has not seen: written by
        a task whose worker died before it could report them (its rerun found them
        stored), so their reports are read back from the store."""
        assert self._index is not None
        unseen = [iri for iri in unchanged if iri not in self._index.by_document]
        for chunk in _chunks(unseen, self.batch_size):
            self._cluster(dict.fromkeys(chunk))

    def _remote_tasks(self, files: list[Path]) -> Iterator[list[str] | list[SourceDocument]]:
        """Tasks of paths (the workers read them) or of documents read here; files that
        cannot be read here are reported as failed here."""
        by_path = [str(f) for f in files if f.suffix.lower() not in JSONL_SUFFIXES]
        shipped = [f for f in files if f.suffix.lower() in JSONL_SUFFIXES]
        if self.workers_read:
            yield from _chunks(by_path, self.task_size)
        else:
            shipped = files
        docs: Iterator[SourceDocument | ReadFailure] = read_paths(shipped) if shipped else iter(())
        for chunk in _chunks(docs, self.task_size):
            for failure in (item for item in chunk if isinstance(item, ReadFailure)):
                self._report(Outcome(failure.where, "failed", reason=failure.reason))
            todo = [item for item in chunk if isinstance(item, SourceDocument)]
            if todo:
                yield todo

    def _workers_read(self, files: list[Path]) -> bool:
        """Whether the workers read the files themselves: asked (`read_on`), or, for
        `auto`, every worker sees a sample of them with the sizes this process sees."""
        from ingest.cluster_worker import file_sizes

        if self.read_on != "auto":
            return self.read_on == "workers"
        plain = [f for f in files if f.suffix.lower() not in JSONL_SUFFIXES]
        if not plain:
            return False
        step = max(1, len(plain) // SAMPLE)
        sample = [str(f) for f in plain[::step][:SAMPLE]]
        here = file_sizes(sample)
        assert self._client is not None
        seen = self._client.run(file_sizes, sample)
        return bool(seen) and all(sizes == here for sizes in seen.values())
