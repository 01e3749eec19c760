"""Attacks on the real server: requests that try to make it connect somewhere, crash it or
exhaust it. Each must fail with a clear 4xx problem, change nothing, and (for the network
ones) open no connection: a listener on loopback records every connection it gets."""

from __future__ import annotations

import platform
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api_server import ApiServer, start_api

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class Listener:
    """A TCP listener on loopback that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, seeded: Path) -> Iterator[ApiServer]:
    yield from start_api(tmp_path_factory.mktemp("api"), seeded)


@pytest.fixture()
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


def _count(api: ApiServer) -> int:
    r = httpx.post(
        f"{api.base}/sparql",
        data={"query": COUNT},
        timeout=30,
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def _problem(r: httpx.Response, status: int, words: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert words in r.json()["detail"], r.json()["detail"]


# What each obfuscation wraps: URL stands for the listener's address.
QUERIES = [
    "SELECT * WHERE { ?s ?p ?o . #\r SERVICE <URL> { ?a ?b ?c }\n } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o . #\rSERVICE <URL> { ?a ?b ?c }\n} LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o . SERVICE <URL> { ?a ?b ?c } } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o . service silent <URL> { ?a ?b ?c } } LIMIT 1",
    "PREFIX remote: <URL> SELECT * WHERE { ?s ?p ?o . SERVICE remote: { ?a ?b ?c } } LIMIT 1",
    "BASE <URL> SELECT * WHERE { ?s ?p ?o . SERVICE <> { ?a ?b ?c } } LIMIT 1",
    "SELECT * WHERE { VALUES ?u { <URL> } ?s ?p ?o . SERVICE ?u { ?a ?b ?c } } LIMIT 1",
    "SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o . { SERVICE <URL> { ?a ?b ?c } } } LIMIT 1 } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <URL> { ?a ?b ?c } } } LIMIT 1",
    "SELECT * WHERE { ?s ?p 1SERVICE <URL> { ?a ?b ?c } } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o.SERVICE <URL> { ?a ?b ?c } } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o FILTER(?s<?o)SERVICE <URL> { ?a ?b ?c } } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o FILTER(?s<?o) SERVICE?u#>\n{ ?a ?b ?c } VALUES ?u { <URL> } }",
    "SELECT * WHERE { ?s ?p 'x\\'' . SERVICE <URL> { ?a ?b ?c } } LIMIT 1",
    'SELECT * WHERE { ?s ?p "\\u0022" . SERVICE <URL> { ?a ?b ?c } } LIMIT 1',
    "SELECT * WHERE { ?s ?p ?o . SERVICE <URL> { ?a ?b ?c } } LIMIT 1 # \\u0053ERVICE",
    "SELECT * WHERE { ?s ?p '''a\r''' . #\r\nSERVICE <URL> { ?a ?b ?c } } LIMIT 1",
]

UPDATES = [
    "LOAD <URL>",
    "LOAD SILENT <URL> INTO GRAPH <http://example.org/g>",
    "#\rLOAD <URL> INTO GRAPH <http://example.org/g>",
    "INSERT DATA { <a:s> <a:p> <a:o> } ;\nload <URL>",
    "BASE <URL> LOAD <>",
    "INSERT { <a:s> <a:p> ?a } WHERE { SERVICE <URL> { ?a ?b ?c } }",
    "INSERT { <a:s> <a:p> ?a } WHERE { ?s ?p ?o #\r SERVICE <URL> { ?a ?b ?c }\n }",
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o . 1LOAD <URL> }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_no_query_reaches_the_network(api: ApiServer, listener: Listener, query: str) -> None:
    before = _count(api)
    text = query.replace("URL", listener.url)
    for send in (
        lambda: httpx.post(f"{api.base}/sparql", data={"query": text}, timeout=30),
        lambda: httpx.post(
            f"{api.base}/sparql",
            content=text.encode(),
            timeout=30,
            headers={"Content-Type": "application/sparql-query"},
        ),
        lambda: httpx.get(f"{api.base}/sparql", params={"query": text}, timeout=30),
    ):
        r = send()
        assert r.status_code in (400, 403), r.text
        assert r.headers["content-type"] == "application/problem+json"
    assert listener.connections == 0
    assert _count(api) == before


@pytest.mark.parametrize("update", UPDATES)
def test_no_update_reaches_the_network(api: ApiServer, listener: Listener, update: str) -> None:
    before = _count(api)
    r = httpx.post(
        f"{api.base}/sparql",
        data={"update": update.replace("URL", listener.url)},
        headers=api.auth,
        timeout=30,
    )
    assert r.status_code in (400, 403), r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert listener.connections == 0
    assert _count(api) == before


# the seccomp filter of graph.sandbox exists for these platforms only
SANDBOXED = sys.platform == "linux" and platform.machine() in ("x86_64", "aarch64")


@pytest.mark.skipif(not SANDBOXED, reason="the network filter is Linux x86-64/AArch64 only")
def test_query_workers_cannot_open_network_sockets(listener: Listener) -> None:
    """The second wall on its own: a process that called deny_network() runs a SERVICE
    query against the listener; the engine fails and nothing connects."""
    code = f"""
import pyoxigraph as ox
from graph.sandbox import deny_network
assert deny_network()
store = ox.Store()
store.update("INSERT DATA {{ <a:s> <a:p> <a:o> }}")
try:
    list(store.query("SELECT * WHERE {{ ?s ?p ?o SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"))
except OSError as exc:
    print("refused:", exc)
import socket
try:
    socket.create_connection(("127.0.0.1", {listener.port}), timeout=2)
except OSError as exc:
    print("refused:", exc)
a, b = socket.socketpair()  # Unix sockets (the pipe to the server) still work
a.sendall(b"x")
assert b.recv(1) == b"x"
"""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("refused:") == 2 and "Permission denied" in out.stdout
    assert listener.connections == 0


def test_elsewhere_the_filter_says_so_and_changes_nothing(listener: Listener) -> None:
    """On a platform the filter does not know, deny_network() answers False and the
    process keeps its network (the pool then warns, and the text checks are the wall)."""
    code = f"""
import platform, socket
platform.machine = lambda: "riscv64"
from graph.sandbox import deny_network
assert deny_network() is False
socket.create_connection(("127.0.0.1", {listener.port}), timeout=5).close()
print("connected")
"""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and "connected" in out.stdout, out.stderr
    deadline = time.monotonic() + 5
    while listener.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections == 1


def _nested(n: int) -> str:
    return "{ " * n + " }" * n


@pytest.mark.parametrize(
    "body",
    [
        {"query": "SELECT * WHERE " + _nested(10_000)},
        {"query": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"},
        {"query": "SELECT * WHERE { ?s ?p " + "[ <a:p> " * 5_000 + "1" + " ]" * 5_000 + " }"},
        {"update": "INSERT { <a:x> <a:y> <a:z> } WHERE " + _nested(3_000)},
        {"update": "INSERT DATA { <a:x> <a:y> " + "(" * 3_000 + ")" * 3_000 + " }"},
        {"update": ";\n".join(["CLEAR SILENT GRAPH <a:g>"] * 1_001)},
    ],
)
def test_deep_nesting_is_refused_before_parsing(api: ApiServer, body: dict) -> None:
    before = _count(api)
    r = httpx.post(f"{api.base}/sparql", data=body, headers=api.auth, timeout=30)
    _problem(r, 400, "limit")
    assert httpx.get(f"{api.base}/health", timeout=10).status_code == 200  # still up
    assert _count(api) == before


def test_nesting_under_the_limit_still_runs(api: ApiServer) -> None:
    r = httpx.post(f"{api.base}/sparql", data={"query": "ASK " + _nested(60)}, timeout=30)
    assert r.status_code == 200, r.text


def test_a_crashing_query_worker_says_so_and_is_replaced(tmp_path: Path) -> None:
    """A worker that dies mid-query gives a message, not an empty 503, and a new worker
    takes its place."""
    from graph.isolated import CRASHED, QueryPool
    from graph.store import OxigraphStore, StoreError

    store = OxigraphStore(tmp_path / "store")
    store.update("INSERT DATA { " + " ".join(f"<a:s{i}> <a:p> {i} ." for i in range(300)) + " }")
    pool = QueryPool(store, tmp_path / "snapshots", workers=1)
    try:
        slow = (
            "SELECT (COUNT(*) AS ?n) WHERE { ?a <a:p> ?x . ?b <a:p> ?y . ?c <a:p> ?z . "
            "?d <a:p> ?w }"
        )
        killer = threading.Timer(1.0, lambda: pool._workers[0].process.kill())
        killer.start()
        with pytest.raises(StoreError) as caught:
            pool.run("select", {"sparql": slow}, timeout=30)
        assert str(caught.value) == CRASHED
        assert pool.run("select", {"sparql": "SELECT (1 AS ?one) {}"}, 30) == [{"one": 1}]
    finally:
        pool.close()
        store.close()


SLOW_UPDATE = (  # the data is in named graphs: a cartesian product of them all
    "INSERT { GRAPH <a:g> { ?a <a:p> ?b } } WHERE { GRAPH ?g { ?a ?p ?o } "
    "GRAPH ?h { ?b ?q ?r } GRAPH ?i { ?c ?x ?y } GRAPH ?j { ?d ?z ?w } }"
)


@pytest.fixture(scope="module")
def quick_updates(tmp_path_factory: pytest.TempPathFactory, seeded: Path) -> Iterator[ApiServer]:
    yield from start_api(tmp_path_factory.mktemp("quick"), seeded, EVKG_UPDATE_TIMEOUT="3")


def test_a_runaway_update_is_stopped_in_its_worker_and_writes_nothing(
    quick_updates: ApiServer,
) -> None:
    """Updates run first in a worker on a copy of the data, within the time limit: one
    that runs on is stopped there (its worker replaced), and the store never sees it."""
    api = quick_updates
    before = _count(api)
    r = httpx.post(f"{api.base}/sparql", data={"update": SLOW_UPDATE}, headers=api.auth, timeout=60)
    _problem(r, 503, "nothing was written")
    assert r.headers["retry-after"]
    assert httpx.get(f"{api.base}/health", timeout=10).status_code == 200
    assert _count(api) == before
    folder = api.store_path.stat().st_ino
    ok = httpx.post(
        f"{api.base}/sparql",
        headers=api.auth,
        timeout=60,
        data={"update": "INSERT DATA { GRAPH <a:g> { <a:s> <a:p> 1 } }"},
    )
    assert ok.status_code == 204, ok.text  # the replaced worker takes the next update
    assert _count(api) == before + 1
    # the worker's updated copy became the store: the engine ran the update there only
    assert api.store_path.stat().st_ino != folder
    assert not list(api.store_path.parent.glob("*.replaced"))
    drop = httpx.post(
        f"{api.base}/sparql", headers=api.auth, timeout=60, data={"update": "DROP GRAPH <a:g>"}
    )
    assert drop.status_code == 204 and _count(api) == before
    assert not list(api.store_path.parent.glob("*.snapshots/update-*"))  # copies removed


def test_an_update_that_kills_its_worker_leaves_the_store_and_the_pool_whole(
    tmp_path: Path,
) -> None:
    """The crash path: the worker running an update dies (killed here, as an
    engine crash would end it). The caller is told, the store is unchanged, the copy is
    removed and a new worker takes the next update."""
    import asyncio

    from graph.isolated import CRASHED, QueryPool
    from graph.store import OxigraphStore, StoreError

    store = OxigraphStore(tmp_path / "store")
    store.update("INSERT DATA { " + " ".join(f"<a:s{i}> <a:p> {i} ." for i in range(300)) + " }")
    pool = QueryPool(store, tmp_path / "snapshots", workers=1, reserved=1, network=False)
    try:
        slow = "INSERT { ?a <a:q> ?b } WHERE { ?a <a:p> ?x . ?b <a:p> ?y . ?c <a:p> ?z }"
        rest = next(w for w in pool._workers if w.lane == "rest")
        killer = threading.Timer(1.5, rest.process.kill)
        killer.start()
        with pytest.raises(StoreError) as caught:
            asyncio.run(pool.try_update(slow, timeout=60))
        assert str(caught.value) == CRASHED
        assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 300}]
        assert not list((tmp_path / "snapshots").glob("update-*"))
        asyncio.run(pool.try_update("INSERT DATA { <a:s> <a:q> 1 }", timeout=60))
        assert store.select("SELECT * WHERE { <a:s> <a:q> ?o }") == []  # a copy was written
    finally:
        pool.close()
        store.close()


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX schema: <http://schema.org/> SELECT * WHERE { ?s schema:serviceType ?o }",
        "SELECT * WHERE { VALUES (?a ?b) { (<http://x/load#a> <http://x/service#b>) } "
        "FILTER(?a < ?b) }",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # no SERVICE here, nor LOAD",
        "SELECT ?download WHERE { BIND('SERVICE <http://x/> { }' AS ?download) }",
        "SELECT * WHERE { ?s ?p ?o .\r\n ?s ?p ?o } LIMIT 1",
    ],
)
def test_ordinary_queries_naming_the_words_still_run(api: ApiServer, query: str) -> None:
    r = httpx.post(f"{api.base}/sparql", data={"query": query}, timeout=30)
    assert r.status_code == 200, r.text


@pytest.mark.skipif(not SANDBOXED, reason="the network filter is Linux x86-64/AArch64 only")
def test_the_worker_running_an_update_takes_the_crash_and_the_network_refusal(
    tmp_path: Path, listener: Listener
) -> None:
    """The third wall on its own: an update the text checks let through is first run on an
    empty store in a network-less worker. One that crashes the engine crashes that worker
    (and the pool replaces it); one that reaches for the network is refused there."""
    from graph.isolated import CRASHED, QueryPool
    from graph.store import OxigraphStore, StoreError

    store = OxigraphStore(tmp_path / "store")
    pool = QueryPool(store, tmp_path / "snapshots", workers=1, network=False)
    try:
        assert pool.sandboxed
        deep = "INSERT { <a:x> <a:y> <a:z> } WHERE " + _nested(20_000)
        with pytest.raises(StoreError) as crashed:
            pool.run("update", {"sparql": deep}, timeout=60)
        assert str(crashed.value) == CRASHED
        with pytest.raises(StoreError) as refused:
            pool.run("update", {"sparql": f"LOAD <{listener.url}>"}, timeout=60)
        assert "permission denied" in str(refused.value).lower()
        assert listener.connections == 0
        assert pool.run("update", {"sparql": "INSERT DATA { <a:s> <a:p> 1 }"}, 60) is None
        assert store.graph_size("a:g") == 0 and not store.select(
            "SELECT * WHERE { <a:s> ?p ?o }"
        )  # the worker's runs touched nothing
    finally:
        pool.close()
        store.close()
