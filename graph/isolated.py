"""Queries in worker processes that can be killed: a timeout that really stops the work.

Oxigraph cannot cancel a running query from Python. The API server therefore keeps the
writable store in its own process and runs reads in a few worker processes, each on a
read-only snapshot of the store (`Store.backup`, a RocksDB checkpoint of hard links,
documented as openable with `Store.read_only`). After each write the server takes a new
snapshot; workers move to it at their next task. A task that outlives its timeout gets
its worker killed and replaced, and the caller a `QueryTimeout`.

The HTTP endpoint waits for its worker on the event loop (`run_async`: the worker's pipe
is watched by the loop, no thread per request); code that reads from threads (the REST
routes' `select`) uses `run`. Both take workers from one fair queue. An encoded result
comes back as a small header and then its bytes as they are, not pickled.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import shutil
import threading
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.store.base import StoreError


class QueryTimeout(StoreError):
    """The query ran past its time limit and was stopped."""


class PoolBusy(StoreError):
    """Every worker stayed busy for the whole timeout."""


# Replies over this size are read off the pipe in a thread, so a large result cannot hold
# the event loop while it is copied.
LOOP_READ_LIMIT = 1 << 20


@dataclass
class _Worker:
    process: Any
    conn: Connection


def _serve(conn: Connection, snapshot: str | None = None) -> None:
    """Worker loop: (snapshot, kind, args) in; out ("value", obj), ("encoded", media, kind,
    rows, truncated, size) followed by the body's bytes, or ("error", kind, text).
    `snapshot` is opened at once, so the first query does not pay for it."""
    import pyoxigraph as ox

    from graph.results import NotAcceptable, encode
    from graph.sparql import PREFIXES, rows, variable_names

    current: tuple[str, Any] | None = None
    if snapshot:
        try:
            current = (snapshot, ox.Store.read_only(snapshot))
        except Exception:  # noqa: BLE001 - the first task opens it again and reports why
            current = None
    while True:
        try:
            snapshot, kind, args = conn.recv()
        except EOFError:
            return
        try:
            if current is None or current[0] != snapshot:
                current = None  # drop the old snapshot before opening the new one
                current = (snapshot, ox.Store.read_only(snapshot))
            store = current[1]
            options: dict[str, Any] = {"prefixes": PREFIXES}
            if kind == "select":
                result = store.query(args["sparql"], use_default_graph_as_union=True, **options)
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
        conn.send(("encoded", encoded.media, encoded.kind, encoded.rows, encoded.truncated,
                   len(encoded.body)))
        conn.send_bytes(encoded.body)


class _Waiter:
    """Someone waiting for a worker: a thread (an Event) or a coroutine (a future)."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = loop
        self.future: asyncio.Future[_Worker] | None = loop.create_future() if loop else None
        self.event = None if loop else threading.Event()
        self.worker: _Worker | None = None
        self.gone = False  # gave up waiting


class QueryPool:
    """`workers` processes reading snapshots of `store` (an on-disk OxigraphStore)."""

    def __init__(self, store: Any, snapshots: Path, workers: int = 2) -> None:
        self.store = store
        self.snapshots = Path(snapshots)
        self.snapshots.mkdir(parents=True, exist_ok=True)
        self._context = multiprocessing.get_context("spawn")
        self._mutex = threading.Lock()  # guards _idle and _waiters
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[_Waiter] = deque()
        self._lock = threading.Lock()  # snapshots
        self._generation = 0
        self.snapshot = ""
        self.refresh()
        self.workers = workers
        for _ in range(workers):
            self._idle.append(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self.snapshot),
                                        daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _restart(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        return self._start()

    def refresh(self) -> None:
        """Snapshot the store as it is now; later tasks see it (call after every write)."""
        with self._lock:
            self._generation += 1
            target = self.snapshots / f"g{self._generation:06d}"
            shutil.rmtree(target, ignore_errors=True)
            self.store.snapshot(target)
            self.snapshot = str(target)
            # Workers may still read the previous snapshot; older ones are unused.
            for old in sorted(self.snapshots.glob("g*"))[:-2]:
                shutil.rmtree(old, ignore_errors=True)

    # -- handing out workers, first come first served ----------------------------------

    def _release(self, worker: _Worker) -> None:
        """Give `worker` to the longest waiter still waiting, else back to the idle set."""
        with self._mutex:
            while self._waiters:
                waiter = self._waiters.popleft()
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
            self._idle.append(worker)

    def _deliver(self, waiter: _Waiter, worker: _Worker) -> None:
        """On the waiter's loop: its future gets the worker, unless it stopped waiting."""
        assert waiter.future is not None
        if waiter.future.done():  # timed out or cancelled meanwhile
            self._release(worker)
        else:
            waiter.future.set_result(worker)

    def _acquire(self, timeout: float) -> _Worker:
        with self._mutex:
            if self._idle:
                return self._idle.pop()  # the last one used: its caches are warm
            waiter = _Waiter()
            self._waiters.append(waiter)
        assert waiter.event is not None
        waiter.event.wait(timeout)
        with self._mutex:
            if waiter.worker is not None:
                return waiter.worker
            waiter.gone = True
        raise PoolBusy(f"every query worker stayed busy for {timeout:g} s")

    async def _acquire_async(self, timeout: float) -> _Worker:
        with self._mutex:
            if self._idle:
                return self._idle.pop()  # the last one used: its caches are warm
            waiter = _Waiter(asyncio.get_running_loop())
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

    def run(self, kind: str, args: dict[str, Any], timeout: float) -> Any:
        """Run one task on a free worker; blocks (call it from a thread)."""
        worker = self._acquire(timeout)
        try:
            worker.conn.send((self.snapshot, kind, args))
            if not worker.conn.poll(timeout):
                worker = self._restart(worker)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            reply = worker.conn.recv()
            body = worker.conn.recv_bytes() if reply[0] == "encoded" else None
        except (EOFError, OSError) as exc:
            worker = self._restart(worker)
            raise StoreError(f"query worker failed: {exc}") from exc
        finally:
            self._release(worker)
        return _result(reply, body)

    async def run_async(self, kind: str, args: dict[str, Any], timeout: float) -> Any:
        """`run` for the event loop: waits for the worker's reply without a thread.

        If the caller is cancelled while the worker runs, a thread keeps waiting for the
        reply (up to the timeout) before the worker goes back, so no reply is left unread.
        """
        worker = await self._acquire_async(timeout)
        loop = asyncio.get_running_loop()
        reading: asyncio.Future[bytes] | None = None
        try:
            worker.conn.send((self.snapshot, kind, args))
            ready: asyncio.Future[None] = loop.create_future()
            fd = worker.conn.fileno()
            loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
            try:
                await asyncio.wait_for(ready, timeout)
            finally:
                loop.remove_reader(fd)
            reply = worker.conn.recv()
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
            raise StoreError(f"query worker failed: {exc}") from exc
        except asyncio.CancelledError:
            if reading is not None:  # the body is being read: free the worker after that
                reading.add_done_callback(lambda _: self._release(worker))
            else:
                threading.Thread(target=self._drain, args=(worker, timeout), daemon=True).start()
            raise
        self._release(worker)
        return _result(reply, body)

    def _drain(self, worker: _Worker, timeout: float) -> None:
        """Read and drop the reply a cancelled caller left behind, then free the worker."""
        try:
            if worker.conn.poll(timeout):
                reply = worker.conn.recv()  # the header, and the body if any: nothing else
                if reply[0] == "encoded":
                    worker.conn.recv_bytes()
            else:
                worker = self._restart(worker)
        except (EOFError, OSError):
            worker = self._restart(worker)
        self._release(worker)

    def close(self) -> None:
        with self._mutex:
            idle, self._idle = list(self._idle), deque()
        for worker in idle:
            worker.process.kill()
            worker.process.join()
        shutil.rmtree(self.snapshots, ignore_errors=True)


def _result(reply: tuple, body: bytes | None) -> Any:
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

    def select(self, sparql: str) -> list[dict]:
        return self.pool.run("select", {"sparql": sparql}, self.timeout)
