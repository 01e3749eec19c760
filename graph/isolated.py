"""Queries in worker processes that can be killed: a timeout that really stops the work.

Oxigraph cannot cancel a running query from Python. The API server therefore keeps the
writable store in its own process and runs reads in a few worker processes, each on a
read-only snapshot of the store (`Store.backup`, a RocksDB checkpoint of hard links,
documented as openable with `Store.read_only`). After each write the server takes a new
snapshot; workers move to it at their next task. A task that outlives its timeout gets
its worker killed and replaced, and the caller a `QueryTimeout`.

The HTTP endpoint waits for its worker on the event loop (`run_async`: the worker's pipe
is watched by the loop, no thread per request); code that reads from threads (the REST
routes' `select`) uses `run`. An encoded result comes back as a small header and then its
bytes as they are, not pickled.

Workers come in two lanes. Arbitrary SPARQL (`lane="sparql"`) only gets the SPARQL lane's
workers; the service's own reads (`lane="rest"`) get a reserved worker first and any idle
SPARQL worker otherwise, so runaway queries cannot starve the REST pages. Waiters are served
first come, first served, among those a freed worker may serve.

A snapshot is deleted only when no worker holds it: each worker records the snapshots it
may have open (the one it last ran on, and the one it is moving to), and only snapshots
outside every worker's set, and older than the newest, are removed. The server process
may read a snapshot itself too (`lease`: the whole store's dump, streamed for as long as
the client reads), which keeps it as long. The pool owns its snapshot folder and empties
it when it starts, so folders a killed server left are removed by the next one.

A SPARQL update runs in a worker too (`try_update`), on a writable checkpoint of the store
taken for it (`update-*` in the snapshot folder), which then becomes the store
(`OxigraphStore.adopt`): the engine never runs an update in the server's process, so an
update that crashes it or runs past its time limit costs a worker, not the server, and
nothing is written.

Unless the operator allows SERVICE, workers run without network access
(`graph.sandbox.deny_network`): the engine cannot connect anywhere, whatever the query.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import shutil
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.store.base import StoreError

log = logging.getLogger("evkg")


class QueryTimeout(StoreError):
    """The query ran past its time limit and was stopped."""


class PoolBusy(StoreError):
    """Every worker stayed busy for the whole timeout."""


# Replies over this size are read off the pipe in a thread, so a large result cannot hold
# the event loop while it is copied.
LOOP_READ_LIMIT = 1 << 20


LANES = ("sparql", "rest")
READY_TIMEOUT = 120.0  # seconds for the first workers to start
CRASHED = (
    "the query worker stopped while running this request (the SPARQL engine crashed); "
    "it was restarted and the request was not completed"
)


@dataclass
class _Worker:
    process: Any
    conn: Connection
    lane: str = "sparql"
    held: set[str] = field(default_factory=set)  # snapshots it may have open
    ready: bool | None = None  # its ("ready", sandboxed) read: whether it is sandboxed


def _serve(conn: Connection, snapshot: str | None = None, network: bool = True) -> None:
    """Worker loop: (snapshot, kind, args) in; out ("value", obj), ("encoded", media, kind,
    rows, truncated, size) followed by the body's bytes, or ("error", kind, text).
    `snapshot` is opened at once, so the first query does not pay for it, and then
    ("ready", sandboxed) is sent; without `network` the process first gives up network
    access (`sandboxed` says whether it could). The kind "update" runs an update on a
    writable copy of the store (`args["folder"]`, a checkpoint `QueryPool.try_update` made,
    which the server then adopts as the store), or on an empty in-memory store without one:
    the server runs SPARQL updates here, so one that crashes the engine crashes a worker,
    not the server, and one that runs past the timeout is stopped with its worker."""
    sandboxed = False
    if not network:
        from graph.sandbox import deny_network

        sandboxed = deny_network()
    import pyoxigraph as ox

    from graph.results import NotAcceptable, encode
    from graph.sparql import rows, variable_names
    from ontology.namespaces import PREFIXES

    current: tuple[str, ox.Store] | None = None
    if snapshot:
        try:
            current = (snapshot, ox.Store.read_only(snapshot))
        except Exception:  # noqa: BLE001 - the first task opens it again and reports why
            current = None
    conn.send(("ready", sandboxed))
    while True:
        try:
            snapshot, kind, args = conn.recv()
        except EOFError:
            return
        try:
            if kind == "update":  # on a copy of the data (or none), in this process
                copy = ox.Store(args["folder"]) if args.get("folder") else ox.Store()
                try:
                    copy.update(args["sparql"], prefixes=PREFIXES)
                finally:
                    del copy  # closed before the server adopts or removes the folder
                conn.send(("value", None))
                continue
            if current is None or current[0] != snapshot:
                current = None  # drop the old snapshot before opening the new one
                current = (snapshot, ox.Store.read_only(snapshot))
            store = current[1]
            options: dict[str, Any] = {"prefixes": PREFIXES}
            if kind == "select":
                result = store.query(args["sparql"], use_default_graph_as_union=True, **options)
                if not isinstance(result, ox.QuerySolutions):
                    raise TypeError("a select task needs a SELECT query")
                conn.send(("value", rows(result, variable_names(result))))
                continue
            if args.get("default_graphs"):
                options["default_graph"] = [ox.NamedNode(g) for g in args["default_graphs"]]
            else:
                options["use_default_graph_as_union"] = True
            if args.get("named_graphs"):
                options["named_graphs"] = [ox.NamedNode(g) for g in args["named_graphs"]]
            if args.get("base_iri"):
                options["base_iri"] = args["base_iri"]
            result = store.query(args["sparql"], **options)
            encoded = encode(result, args.get("accept"), args.get("max_rows"))
        except SyntaxError as exc:
            conn.send(("error", "syntax", str(exc)))
            continue
        except NotAcceptable as exc:
            conn.send(("error", "not-acceptable", str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - reported to the caller, the worker lives on
            conn.send(("error", "store", f"{type(exc).__name__}: {exc}"))
            continue
        conn.send(
            (
                "encoded",
                encoded.media,
                encoded.kind,
                encoded.rows,
                encoded.truncated,
                len(encoded.body),
            )
        )
        conn.send_bytes(encoded.body)


def _wake(future: asyncio.Future[None]) -> None:
    """The event loop's reader callback: the worker's reply is ready to read."""
    if not future.done():
        future.set_result(None)


class _Waiter:
    """Someone waiting for a worker: a thread (an Event) or a coroutine (a future)."""

    def __init__(self, lane: str, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.lane = lane
        self.loop = loop
        self.future: asyncio.Future[_Worker] | None = loop.create_future() if loop else None
        self.event = None if loop else threading.Event()
        self.worker: _Worker | None = None
        self.gone = False  # gave up waiting


class QueryPool:
    """Processes reading snapshots of `store` (an on-disk OxigraphStore) kept in
    `snapshots`, a folder the pool owns (emptied at start): `workers` for SPARQL and
    `reserved` more only the service's own reads may use."""

    def __init__(
        self, store: Any, snapshots: Path, workers: int = 2, reserved: int = 0, network: bool = True
    ) -> None:
        self.store = store
        self.snapshots = Path(snapshots)
        shutil.rmtree(self.snapshots, ignore_errors=True)  # a killed server's leftovers
        self.snapshots.mkdir(parents=True, exist_ok=True)
        self.network = network
        self._context = multiprocessing.get_context("spawn")
        self._mutex = threading.Lock()  # guards _idle and _waiters
        self._idle: dict[str, deque[_Worker]] = {lane: deque() for lane in LANES}
        self._waiters: list[_Waiter] = []
        self._lock = threading.Lock()  # snapshots, and the workers' holds on them
        self._refreshing = threading.Lock()  # one snapshot taken at a time
        self._workers: list[_Worker] = []
        self._leases: Counter[str] = Counter()  # snapshots read in this process (`lease`)
        self._generation = 0
        self.snapshot = ""
        self.refresh()
        self.workers = workers
        self.reserved = reserved
        for lane, count in (("sparql", workers), ("rest", reserved)):
            for _ in range(count):
                self._idle[lane].append(self._start(lane))
        # Started together, waited for together: the service answers once its workers do.
        self.sandboxed = all([self._ready(w, READY_TIMEOUT) for w in self._workers])
        if not network and not self.sandboxed:
            log.warning(
                "query workers could not give up network access on this platform: "
                "the text checks alone keep SERVICE from connecting anywhere"
            )

    @staticmethod
    def _ready(worker: _Worker, timeout: float) -> bool:
        """Wait for a new worker's ("ready", sandboxed); whether it is sandboxed."""
        try:
            if worker.ready is None and worker.conn.poll(timeout):
                worker.ready = bool(worker.conn.recv()[1])
        except (EOFError, OSError):  # it died starting: the first task to use it says so
            return False
        return bool(worker.ready)

    def _start(self, lane: str) -> _Worker:
        with self._lock:
            snapshot = self.snapshot
            parent, child = self._context.Pipe()
            process = self._context.Process(
                target=_serve, args=(child, snapshot, self.network), daemon=True
            )
            process.start()
            child.close()
            worker = _Worker(process, parent, lane, {snapshot})
            self._workers.append(worker)
        return worker

    def _restart(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        fresh = self._start(worker.lane)
        self._collect()
        return fresh

    def refresh(self) -> None:
        """Snapshot the store as it is now; later tasks see it (call after every write).
        The snapshot is taken outside the lock tasks take, so reads do not wait for it."""
        with self._refreshing:
            self._generation += 1
            target = self.snapshots / f"g{self._generation:06d}"
            shutil.rmtree(target, ignore_errors=True)
            self.store.snapshot(target)
            with self._lock:
                self.snapshot = str(target)
        self._collect()

    def _collect(self) -> None:
        """Delete the snapshots no worker holds that are older than the newest. Such a
        snapshot can never be held again (tasks only ever take the newest), so the folders
        are removed outside the lock."""
        with self._lock:
            keep = {self.snapshot, *self._leases}.union(*(w.held for w in self._workers))
            newest = _generation(Path(self.snapshot))  # one being taken now: left alone
            stale = [
                f
                for f in self.snapshots.glob("g*")
                if str(f) not in keep and 0 <= _generation(f) < newest
            ]
        for folder in stale:
            shutil.rmtree(folder, ignore_errors=True)

    @contextmanager
    def lease(self) -> Iterator[str]:
        """The newest snapshot's folder, kept until the block ends: for a long read in this
        process (the whole store's dump) that must see one state of the store throughout,
        whatever is written and snapshotted meanwhile."""
        with self._lock:
            snapshot = self.snapshot
            self._leases[snapshot] += 1
        try:
            yield snapshot
        finally:
            with self._lock:
                self._leases[snapshot] -= 1
                if self._leases[snapshot] <= 0:
                    del self._leases[snapshot]
            self._collect()

    def _send(self, worker: _Worker, kind: str, args: dict[str, Any]) -> str:
        """Hand `worker` a task on the newest snapshot, which it holds from now on."""
        with self._lock:
            snapshot = self.snapshot
            worker.held.add(snapshot)
        worker.conn.send((snapshot, kind, args))
        return snapshot

    def _finished(self, worker: _Worker, snapshot: str) -> None:
        """`worker` answered a task on `snapshot`: it holds that one only now."""
        with self._lock:
            worker.held = {snapshot}
        self._collect()

    # -- handing out workers, first come first served ----------------------------------

    def _release(self, worker: _Worker) -> None:
        """Give `worker` to the longest waiter that may use it and still waits, else back
        to its lane's idle set. A SPARQL worker may serve either lane; a reserved one only
        the service's own reads."""
        with self._mutex:
            while True:
                waiter = next(
                    (w for w in self._waiters if w.lane == "rest" or worker.lane == "sparql"), None
                )
                if waiter is None:
                    break
                self._waiters.remove(waiter)
                if waiter.gone:
                    continue
                waiter.worker = worker
                if waiter.event is not None:
                    waiter.event.set()
                    return
                assert waiter.loop is not None
                try:
                    waiter.loop.call_soon_threadsafe(self._deliver, waiter, worker)
                except RuntimeError:  # its loop is closed: the next waiter, if any
                    continue
                return
            self._idle[worker.lane].append(worker)

    def _deliver(self, waiter: _Waiter, worker: _Worker) -> None:
        """On the waiter's loop: its future gets the worker, unless it stopped waiting."""
        assert waiter.future is not None
        if waiter.future.done():  # timed out or cancelled meanwhile
            self._release(worker)
        else:
            waiter.future.set_result(worker)

    def _idle_worker(self, lane: str) -> _Worker | None:
        """An idle worker `lane` may use (the last one used: its caches are warm)."""
        for source in ("rest", "sparql") if lane == "rest" else ("sparql",):
            if self._idle[source]:
                return self._idle[source].pop()
        return None

    def _acquire(self, timeout: float, lane: str = "sparql") -> _Worker:
        with self._mutex:
            worker = self._idle_worker(lane)
            if worker is not None:
                return worker
            waiter = _Waiter(lane)
            self._waiters.append(waiter)
        assert waiter.event is not None
        waiter.event.wait(timeout)
        with self._mutex:
            if waiter.worker is not None:
                return waiter.worker
            waiter.gone = True
        raise PoolBusy(f"every query worker stayed busy for {timeout:g} s")

    async def _acquire_async(self, timeout: float, lane: str = "sparql") -> _Worker:
        with self._mutex:
            worker = self._idle_worker(lane)
            if worker is not None:
                return worker
            waiter = _Waiter(lane, asyncio.get_running_loop())
            self._waiters.append(waiter)
        assert waiter.future is not None
        try:
            return await asyncio.wait_for(waiter.future, timeout)
        except TimeoutError as exc:
            raise PoolBusy(f"every query worker stayed busy for {timeout:g} s") from exc
        finally:
            with self._mutex:
                waiter.gone = True  # a worker handed over after this goes back (_deliver)

    # -- running tasks -----------------------------------------------------------------

    def run(self, kind: str, args: dict[str, Any], timeout: float, lane: str = "sparql") -> Any:
        """Run one task on a free worker of `lane`; blocks (call it from a thread)."""
        worker = self._acquire(timeout, lane)
        try:
            snapshot = self._send(worker, kind, args)
            reply = self._reply(worker, timeout)
            if reply is None:
                worker = self._restart(worker)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            body = worker.conn.recv_bytes() if reply[0] == "encoded" else None
            self._finished(worker, snapshot)
        except (EOFError, OSError) as exc:
            worker = self._restart(worker)
            raise StoreError(CRASHED) from exc
        finally:
            self._release(worker)
        return _result(reply, body)

    async def run_async(
        self, kind: str, args: dict[str, Any], timeout: float, lane: str = "sparql"
    ) -> Any:
        """`run` for the event loop: waits for the worker's reply without a thread.

        If the caller is cancelled while the worker runs, a thread keeps waiting for the
        reply (up to the timeout) before the worker goes back, so no reply is left unread.
        """
        worker = await self._acquire_async(timeout, lane)
        loop = asyncio.get_running_loop()
        reading: asyncio.Future[bytes] | None = None
        snapshot = ""
        try:
            snapshot = self._send(worker, kind, args)
            deadline = loop.time() + timeout
            while True:  # a replacement worker says it is ready before it answers
                readable: asyncio.Future[None] = loop.create_future()
                fd = worker.conn.fileno()
                loop.add_reader(fd, _wake, readable)
                try:
                    await asyncio.wait_for(readable, max(0.0, deadline - loop.time()))
                finally:
                    loop.remove_reader(fd)
                reply = worker.conn.recv()
                if reply[0] != "ready":
                    break
                worker.ready = bool(reply[1])
            body = None
            if reply[0] == "encoded":
                if reply[5] > LOOP_READ_LIMIT:
                    reading = asyncio.ensure_future(asyncio.to_thread(worker.conn.recv_bytes))
                    body = await asyncio.shield(reading)
                else:
                    body = worker.conn.recv_bytes()
        except TimeoutError as exc:
            self._release(self._restart(worker))
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from exc
        except (EOFError, OSError) as exc:
            self._release(self._restart(worker))
            raise StoreError(CRASHED) from exc
        except asyncio.CancelledError:
            if reading is not None:  # the body is being read: free the worker after that
                reading.add_done_callback(lambda _: self._free(worker, snapshot))
            else:
                threading.Thread(
                    target=self._drain, args=(worker, snapshot, timeout), daemon=True
                ).start()
            raise
        self._free(worker, snapshot)
        return _result(reply, body)

    async def try_update(self, sparql: str, timeout: float) -> Path:
        """Run a SPARQL update in a worker (of the reserved lane: runaway queries cannot
        hold it back) on a writable checkpoint of the store as it is now, and return the
        copy, updated, for the caller to adopt as the store (`OxigraphStore.adopt`) or
        remove. The caller holds the write lock, so the copy is the store with the update
        made. What the run raises (a syntax error, a `QueryTimeout`, the engine crashing)
        is raised here, the copy removed."""
        folder = self.snapshots / f"update-{uuid.uuid4().hex}"  # not a g* snapshot
        try:
            await asyncio.to_thread(self.store.snapshot, folder)
            await self.run_async(
                "update", {"sparql": sparql, "folder": str(folder)}, timeout, lane="rest"
            )
        except BaseException:
            await asyncio.to_thread(shutil.rmtree, folder, True)
            raise
        return folder

    @staticmethod
    def _reply(worker: _Worker, timeout: float) -> tuple[Any, ...] | None:
        """The worker's answer within `timeout` (skipping a new worker's "ready"), or None."""
        deadline = time.monotonic() + timeout
        while worker.conn.poll(max(0.0, deadline - time.monotonic())):
            reply: tuple[Any, ...] = worker.conn.recv()
            if reply[0] != "ready":
                return reply
            worker.ready = bool(reply[1])
        return None

    def _free(self, worker: _Worker, snapshot: str) -> None:
        self._finished(worker, snapshot)
        self._release(worker)

    def _drain(self, worker: _Worker, snapshot: str, timeout: float) -> None:
        """Read and drop the reply a cancelled caller left behind, then free the worker."""
        try:
            reply = self._reply(worker, timeout)
            if reply is not None:  # the header, and the body if any: nothing else
                if reply[0] == "encoded":
                    worker.conn.recv_bytes()
                self._finished(worker, snapshot)
            else:
                worker = self._restart(worker)
        except (EOFError, OSError):
            worker = self._restart(worker)
        self._release(worker)

    def close(self) -> None:
        with self._mutex:
            self._idle = {lane: deque() for lane in LANES}
        with self._lock:
            workers, self._workers = list(self._workers), []
        for worker in workers:
            worker.process.kill()
            worker.process.join()
        shutil.rmtree(self.snapshots, ignore_errors=True)


def _generation(folder: Path) -> int:
    """A snapshot folder's number (g000012: 12); -1 for anything else, such as the
    g000013.tmp RocksDB writes a checkpoint into before renaming it."""
    digits = folder.name[1:]
    return int(digits) if digits.isdigit() else -1


def _result(reply: tuple[Any, ...], body: bytes | None) -> Any:
    """The worker's reply as the caller's value, or its error raised."""
    from graph.results import Encoded, NotAcceptable
    from graph.sparql import QuerySyntaxError

    if reply[0] == "value":
        return reply[1]
    if reply[0] == "encoded":
        _, media, kind, rows, truncated, _size = reply
        assert body is not None
        return Encoded(body, media, kind, rows, truncated)
    _, error, message = reply
    if error == "syntax":
        raise QuerySyntaxError(message)
    if error == "not-acceptable":
        raise NotAcceptable(message)
    raise StoreError(message)


class PooledReader:
    """`select()` through the pool, so graph.network and graph.queries run isolated too."""

    def __init__(self, pool: QueryPool, timeout: float) -> None:
        self.pool = pool
        self.timeout = timeout

    def select(self, sparql: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.pool.run(
            "select", {"sparql": sparql}, self.timeout, lane="rest"
        )
        return rows
