"""Queries in worker processes that can be killed: a timeout that really stops the work.

Oxigraph cannot cancel a running query from Python. The API server therefore keeps the
writable store in its own process and runs reads in a few worker processes, each on a
read-only snapshot of the store (`Store.backup`, a RocksDB checkpoint of hard links,
documented as openable with `Store.read_only`). After each write the server takes a new
snapshot; workers move to it at their next task. A task that outlives its timeout gets
its worker killed and replaced, and the caller a `QueryTimeout`.
"""

from __future__ import annotations

import multiprocessing
import queue
import shutil
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.store.base import StoreError


class QueryTimeout(StoreError):
    """The query ran past its time limit and was stopped."""


class PoolBusy(StoreError):
    """Every worker stayed busy for the whole timeout."""


@dataclass
class _Worker:
    process: Any
    conn: Connection


def _serve(conn: Connection) -> None:
    """Worker loop: (snapshot, kind, args) in, ("ok", value) or ("error", kind, text) out."""
    import pyoxigraph as ox

    from graph.results import NotAcceptable, encode
    from graph.sparql import PREFIXES, rows, variable_names

    current: tuple[str, Any] | None = None
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
                conn.send(("ok", rows(result, variable_names(result))))
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
            conn.send(("ok", encoded))
        except SyntaxError as exc:
            conn.send(("error", "syntax", str(exc)))
        except NotAcceptable as exc:
            conn.send(("error", "not-acceptable", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the caller, the worker lives on
            conn.send(("error", "store", f"{type(exc).__name__}: {exc}"))


class QueryPool:
    """`workers` processes reading snapshots of `store` (an on-disk OxigraphStore)."""

    def __init__(self, store: Any, snapshots: Path, workers: int = 2) -> None:
        self.store = store
        self.snapshots = Path(snapshots)
        self.snapshots.mkdir(parents=True, exist_ok=True)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._generation = 0
        self.snapshot = ""
        self.refresh()
        self._workers = workers
        for _ in range(workers):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child,), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def refresh(self) -> None:
        """Snapshot the store as it is now; later tasks see it (call after every write)."""
        with self._lock:
            self._generation += 1
            target = self.snapshots / f"g{self._generation:06d}"
            shutil.rmtree(target, ignore_errors=True)
            self.store.flush()
            self.store._store.backup(str(target))  # the embedded store's pyoxigraph Store
            self.snapshot = str(target)
            # Workers may still read the previous snapshot; older ones are unused.
            for old in sorted(self.snapshots.glob("g*"))[:-2]:
                shutil.rmtree(old, ignore_errors=True)

    def run(self, kind: str, args: dict[str, Any], timeout: float) -> Any:
        """Run one task on a free worker; blocks (call it from a thread)."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty as exc:
            raise PoolBusy(f"every query worker stayed busy for {timeout:g} s") from exc
        try:
            worker.conn.send((self.snapshot, kind, args))
            if not worker.conn.poll(timeout):
                worker.process.kill()
                worker.process.join()
                worker = self._start()
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            worker.process.kill()
            worker = self._start()
            raise StoreError(f"query worker failed: {exc}") from exc
        finally:
            self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1]
        _, error, message = reply
        from graph.results import NotAcceptable
        from graph.sparql import QuerySyntaxError

        if error == "syntax":
            raise QuerySyntaxError(message)
        if error == "not-acceptable":
            raise NotAcceptable(message)
        raise StoreError(message)

    def close(self) -> None:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            worker.process.kill()
            worker.process.join()
        shutil.rmtree(self.snapshots, ignore_errors=True)


class PooledReader:
    """`select()` through the pool, so graph.network and graph.queries run isolated too."""

    def __init__(self, pool: QueryPool, timeout: float) -> None:
        self.pool = pool
        self.timeout = timeout

    def select(self, sparql: str) -> list[dict]:
        return self.pool.run("select", {"sparql": sparql}, self.timeout)
