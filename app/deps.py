"""Shared state for the routers: settings, the store, the isolated query pool, auth."""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import anyio
from fastapi import Depends, Request

from app.problems import Problem, store_problem
from graph.actor_index import ActorIndex
from graph.happening_store import HappeningIndex, InHand
from graph.isolated import PooledReader, QueryPool
from graph.lru import Lru
from graph.network import Filters, Mark, NetworkCache, described_actors
from graph.sparql import QuerySyntaxError
from graph.store import GraphStore, OxigraphStore, PutStatus, StoreError
from ingest.pipeline import Extracted
from ingest.settings import Settings

ANSWERS = 64  # query answers kept (`State.answers`), least recently used dropped first
log = logging.getLogger("evkg")


@dataclass
class State:
    settings: Settings
    store: GraphStore
    pool: QueryPool | None  # None when the store cannot be snapshotted (in memory, remote)
    write_lock: anyio.Lock
    # the actor networks and what is made of them, kept per store version; also the keeper
    # of that version (`store_version`)
    networks: NetworkCache = field(default_factory=NetworkCache)
    # kept between writes, valid at the store version `happenings_at` (else read again)
    happenings: HappeningIndex | None = None
    happenings_at: Hashable = None
    # held while the index is refreshed, or taken from the warm-up (`_warm_happenings`)
    happening_lock: threading.Lock = field(default_factory=threading.Lock)
    actors: ActorIndex = field(default_factory=ActorIndex)
    # rows of listing and relation queries (and the ordered IRIs of event listings), keyed
    # by (store version, query): a page asked again, or the next, asks the store nothing
    answers: Lru[list] = field(default_factory=lambda: Lru(ANSWERS))
    warm: Literal["off", "warming", "ready", "failed"] = "off"  # `warm_up`, for /health

    def reader(self) -> Any:
        """What graph.queries and graph.network read through (isolated when possible)."""
        if self.pool is not None:
            return PooledReader(self.pool, self.settings.query_timeout)
        return self.store

    def put_document(self, ready: Extracted) -> PutStatus:
        """Write a document made ready as `evkg ingest` makes it (`ingest.pipeline.prepared`)
        through the store's one writer, `put_documents` (nothing when its hash is the stored
        one), then what follows a write, its happenings matched from the reports in hand.
        Call it holding `write_lock`.

        Not `bulk`: the bulk loader pays off on ingestion's batches, but for one document it
        took 20-35 ms where a transaction took 5-8 ms (415 triples), and each load would
        leave RocksDB one more small file to compact."""
        if ready.graph is None:
            raise ValueError(f"nothing to write for {ready.where}: {ready.reason}")
        iri = ready.graph.iri
        mark = self.networks.mark(self.store, [iri])
        [status] = self.store.put_documents([ready.graph])
        if status != "unchanged":
            in_hand = None if ready.in_hand is None else {iri: ready.in_hand}
            self.after_write([iri], in_hand, mark)
        return status

    def after_write(
        self,
        documents: list[str] | None = None,
        in_hand: Mapping[str, InHand] | None = None,
        mark: Mark | None = None,
    ) -> None:
        """After a write: the happenings of `documents` (graphs just written or removed)
        are brought up to date, and any left behind repaired; readers see the write; and
        what is kept per version follows. A write of `documents` carries the actor
        networks forward, reading again just those documents and the ones whose
        happenings changed with them, when no other writer can have come between (a remote
        store's: from `mark`, taken before the write); any other write (None: a SPARQL
        update, which may change anything) reads the happening index again and leaves the
        networks to be built again when asked for. `in_hand` (a written document -> its
        reports, as the extraction gave them) saves reading them back. The actor search's
        index is carried the same way, and what both remember of actors' facts, but for
        the actors the written graphs described before the write (`mark.described`) or
        after it."""
        if mark is None and isinstance(self.store, OxigraphStore):
            mark = self.networks.mark(self.store)  # the count of writes before this one
        changed = self._refresh_happenings(documents, in_hand, mark)
        if self.pool is not None:
            self.pool.refresh()
        self.networks.written()
        after = None if mark is None else self.networks.successor(self.store, mark)
        self.happenings_at = after  # None: read the index again at the next write
        if documents is not None and mark is not None and after is not None:
            written, reader = set(documents) | changed, self.reader()
            stale = None
            if mark.described is not None:
                stale = mark.described | described_actors(reader, documents)
            self.networks.advance(reader, mark.version, after, written, stale)
            self.actors.advance(reader, mark.version, after, written, stale)

    async def remove_graph(self, iri: str) -> bool:
        """Remove a graph (a document's or any other) under the write lock, then what
        follows a write; False when there was no such graph."""
        async with self.write_lock:
            mark = await anyio.to_thread.run_sync(self.networks.mark, self.store, [iri])
            removed = await anyio.to_thread.run_sync(self.store.remove_graph, iri)
            if removed:
                await anyio.to_thread.run_sync(self.after_write, [iri], None, mark)
        return removed

    def _refresh_happenings(
        self,
        documents: list[str] | None,
        in_hand: Mapping[str, InHand] | None = None,
        mark: Mark | None = None,
    ) -> set[str]:
        """Cluster again what `documents` changed; the documents whose reports moved. The
        happening index is kept from one write to the next while nothing else writes the
        store: it is read again after a SPARQL update, or when the version the write
        started from (`mark`) is not the one the index was left at (a remote store
        another service wrote)."""
        with self.happening_lock:
            kept = documents and mark is not None and mark.version == self.happenings_at
            index = self.happenings if kept else None
            if index is None:
                index = HappeningIndex.load(self.store)
            try:
                change = index.refresh(self.store, documents or (), in_hand)
            except Exception:
                self.happenings = None  # read again from the store by the next write
                raise
            self.happenings = index
            return set(change.documents)

    def _warm_happenings(self) -> None:
        """Read the happening index as the first write would, kept at the version read
        before it unless a write came meanwhile. Read holding the lock a write's refresh
        takes, so a write that comes meanwhile waits for this index instead of reading its
        own beside it (two reads sharing the CPU: each took twice as long)."""
        with self.happening_lock:
            writes = self.networks.writes
            version = self.networks.version(self.store, fresh=True)
            index = HappeningIndex.load(self.store)
            if self.happenings is None and self.networks.writes == writes:
                self.happenings, self.happenings_at = index, version

    def store_version(self) -> Any:
        """What changes whenever the store does, for what is kept per version: the one
        notion of it, `NetworkCache.version` (a write counter, or a remote store's stamp)."""
        return self.networks.version(self.store)

    def network(self, filters: Filters | None = None) -> Any:
        """The actor network under `filters`, kept until the store changes."""
        return self.networks.get(self.reader(), self.store_version(), filters or Filters())

    def warm_up(self) -> None:
        """Build the actor network (default filters) and the search index, in a thread at
        start, so the first neighbourhood and search read memory: at ten million quads each
        took over a minute, past a request's timeout. Read with the update timeout. A
        service that takes writes (a token set) reads the happening index too, which the
        first write would otherwise read: 12 s at 1.5M quads, 2 minutes at 10M."""
        self.warm = "warming"  # (already, when started at start)
        reader = self.store if self.pool is None else PooledReader(
            self.pool, self.settings.update_timeout)
        try:
            version = self.store_version()
            self.networks.get(reader, version, Filters())
            self.actors.search(reader, version, None, 1, 0, Filters())
            if self.settings.token is not None:
                self._warm_happenings()
        except Exception as exc:  # the service answers on; the first request builds them
            log.warning("building the actor network at start failed: %s", exc)
            self.warm = "failed"
            return
        self.warm = "ready"

    def search_actors(self, text: str | None, limit: int, offset: int,
                      filters: Filters) -> list[dict]:
        """Actors by label or alias, from the index kept per store version."""
        return self.actors.search(self.reader(), self.store_version(), text, limit, offset,
                                  filters)


async def get_state(request: Request) -> State:
    """Async, so FastAPI does not send every request through a thread to fetch it."""
    return request.app.state.evkg


StateDep = Annotated[State, Depends(get_state)]


def require_token(request: Request, state: StateDep) -> None:
    """Writes need `Authorization: Bearer <EVKG_TOKEN>`; with no token set, none are allowed."""
    if state.settings.token is None:
        raise Problem(403, "this service is read-only (no write token is configured)")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise Problem(401, "writes need Authorization: Bearer <token>",
                      {"WWW-Authenticate": 'Bearer realm="evkg"'})
    if not hmac.compare_digest(given.strip().encode(), state.settings.token.encode()):
        raise Problem(403, "the token is not valid",
                      {"WWW-Authenticate": 'Bearer realm="evkg", error="invalid_token"'})


WriteAllowed = Depends(require_token)


@contextmanager
def store_problems() -> Iterator[None]:
    """Store errors as problems (`app.problems.store_problem`)."""
    try:
        yield
    except (StoreError, QuerySyntaxError) as exc:
        raise store_problem(exc) from exc


async def read(state: State, fn: Any, *args: Any) -> Any:
    """Run a blocking read in a thread, mapping store errors to problems."""
    with store_problems():
        return await anyio.to_thread.run_sync(fn, *args)


async def kept_rows(state: State, version: Hashable, *queries: str) -> list[list[dict]]:
    """The rows of each SELECT in `queries` at store `version`, from `state.answers`; those
    not kept are read at once, each in its own thread (a remote store answers each in a
    round trip of its own, so they take the longest one's time, not the sum), and kept."""
    reader = state.reader()
    found: list[list[dict] | None] = [state.answers.get((version, q)) for q in queries]
    failed: list[Exception] = []

    async def one(i: int) -> None:
        try:
            found[i] = await anyio.to_thread.run_sync(reader.select, queries[i])
        except Exception as exc:  # raised below, as `read` would, not as an exception group
            failed.append(exc)

    async with anyio.create_task_group() as group:
        for i in (i for i, rows in enumerate(found) if rows is None):
            group.start_soon(one, i)
    if failed:
        with store_problems():
            raise failed[0]
    out = []
    for query, rows in zip(queries, found, strict=True):
        assert rows is not None
        state.answers.put((version, query), rows)
        out.append(rows)
    return out
