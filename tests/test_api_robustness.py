"""The real server under bad input, concurrent writes, runaway queries and kill -9: clear
4xx problems that change nothing, no failed reads, the REST pages answering, and no
snapshot folders left behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from tests.api_server import TOKEN, ApiServer, serve_api, sparql_json, start_api
from tests.servers import _stop, free_port

GRAPH = "https://example.org/graph/robustness"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, seeded: Path) -> Iterator[ApiServer]:
    yield from start_api(
        tmp_path_factory.mktemp("api"), seeded, EVKG_QUERY_WORKERS="2", EVKG_QUERY_TIMEOUT="10"
    )


def _stats(api: ApiServer) -> dict:
    return httpx.get(f"{api.base}/stats", timeout=30).json()


def _problem(r: httpx.Response, status: int, words: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert words in r.json()["detail"], r.json()["detail"]


# -- bad input -------------------------------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">
<rdf:Description rdf:about="http://e/s"><e:p>&g;</e:p></rdf:Description></rdf:RDF>"""
DEEP_XML = (
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
    b'<rdf:Description rdf:about="http://e/s">'
    + b"<e:p><rdf:Description>" * 100_000
    + b"</rdf:Description></e:p>" * 100_000
    + b"</rdf:Description></rdf:RDF>"
)


@pytest.mark.parametrize(
    "body,words",
    [
        (LAUGHS, "document type declaration"),
        (LAUGHS.replace(b'"aaaa', b'SYSTEM "file:///etc/passwd" "aaaa'), "document type"),
        (DEEP_XML, "limit on nesting depth"),
        ("<rdf:RDF/>".encode("utf-16"), "UTF-8"),
    ],
)
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_rdf_xml_bombs_are_refused(api: ApiServer, body: bytes, words: str, method: str) -> None:
    before = _stats(api)
    r = httpx.request(
        method,
        f"{api.base}/rdf-graphs",
        params={"graph": GRAPH},
        content=body,
        timeout=60,
        headers={"Content-Type": "application/rdf+xml", **api.auth},
    )
    _problem(r, 400, words)
    assert httpx.get(f"{api.base}/rdf-graphs", params={"graph": GRAPH}).status_code == 404
    assert _stats(api) == before


BODIES = {  # one graph of two triples in each syntax
    "text/turtle": '<http://e/s> <http://e/p> "a", "b" .',
    "application/n-triples": '<http://e/s> <http://e/p> "a" .\n<http://e/s> <http://e/p> "b" .\n',
    "application/rdf+xml": (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
        '<rdf:Description rdf:about="http://e/s"><e:p>a</e:p><e:p>b</e:p></rdf:Description>'
        "</rdf:RDF>"
    ),
    "application/ld+json": '{"@id": "http://e/s", "http://e/p": ["a", "b"]}',
}


def test_every_body_the_schema_declares_is_read(api: ApiServer) -> None:
    """The OpenAPI document declares the RDF syntaxes a graph write reads (and only those
    are tried by schema-driven clients): each one, PUT and POSTed, stores its triples."""
    spec = httpx.get(f"{api.base}/openapi.json").json()["paths"]["/rdf-graphs"]
    for method in ("put", "post"):
        assert set(spec[method]["requestBody"]["content"]) == set(BODIES)
    expected = {("http://e/s", "http://e/p", "a"), ("http://e/s", "http://e/p", "b")}
    for n, (media, body) in enumerate(BODIES.items()):
        for method in ("PUT", "POST"):
            graph = f"{GRAPH}/body-{n}-{method.lower()}"
            r = httpx.request(
                method,
                f"{api.base}/rdf-graphs",
                params={"graph": graph},
                content=body.encode(),
                headers={"Content-Type": media, **api.auth},
                timeout=60,
            )
            assert r.status_code == 201, (media, method, r.text)
            stored = httpx.get(
                f"{api.base}/rdf-graphs",
                params={"graph": graph},
                headers={"Accept": "application/n-triples"},
            )
            triples = {
                (t.subject.value, t.predicate.value, t.object.value)
                for t in ox.parse(stored.content, ox.RdfFormat.N_TRIPLES)
                if t.subject.value == "http://e/s"
            }
            assert triples == expected, (media, method)
            httpx.delete(f"{api.base}/rdf-graphs", params={"graph": graph}, headers=api.auth)


@pytest.mark.parametrize("body", [b'"AAA"', b"null", b"3", b"  true"])
def test_json_ld_that_is_no_object_or_array_is_refused(api: ApiServer, body: bytes) -> None:
    """The JSON-LD parser reads a bare JSON value as an empty graph; it is no document."""
    before = _stats(api)
    r = httpx.put(
        f"{api.base}/rdf-graphs",
        params={"graph": GRAPH},
        content=body,
        headers={"Content-Type": "application/ld+json", **api.auth},
    )
    _problem(r, 400, "JSON object or array")
    assert httpx.get(f"{api.base}/rdf-graphs", params={"graph": GRAPH}).status_code == 404
    assert _stats(api) == before


@pytest.mark.parametrize(
    "url",
    [
        "then",
        "https://example.org/a b",
        "<https://x.org/>",
        "",
        "AVWT:\u009f",
        "a:%zz",
        "https://x.org/#a#b",
        "https://x.org:port/",
        "https://x.org/[",
        "a:\ufdd0",
    ],
)
def test_a_document_url_must_be_an_absolute_iri(api: ApiServer, url: str) -> None:
    before = _stats(api)
    for send in (
        {"json": {"text": "Iran fired missiles at a US base in Iraq.", "url": url}},
        {"content": b"Iran fired missiles at a US base in Iraq.", "params": {}},
    ):
        if "content" in send:  # the same through a multipart upload's fields
            r = httpx.post(
                f"{api.base}/documents",
                headers=api.auth,
                timeout=60,
                files={"file": ("a.txt", send["content"], "text/plain")},
                data={"url": url},
            )
            if not url:  # an empty form field means no URL: the upload is fine
                assert r.status_code in (200, 201), r.text
                httpx.delete(f"{api.base}/documents/{r.json()['id']}", headers=api.auth)
                continue
        else:
            r = httpx.post(f"{api.base}/documents", headers=api.auth, timeout=60, **send)
        _problem(r, 422, "url")
    assert _stats(api) == before


def _raw(api: ApiServer, *parts: bytes) -> tuple[str, dict[str, str], dict]:
    """Send bytes as they are, in pieces (h11 refuses only what it cannot finish); the status
    line, headers and JSON body of the answer."""
    host, port = api.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        for part in parts:
            sock.sendall(part)
            time.sleep(0.2)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return status, headers, httpx.Response(200, content=body).json()


@pytest.mark.parametrize(
    ("parts", "status", "words"),
    [
        ((b"GET /actors?q=" + b"a" * 20_000,), 414, "the limit on URL length"),
        ((b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: " + b"b" * 20_000,), 431, "limit on headers"),
        ((b"GARBAGE\r\n\r\n",), 400, "not valid HTTP/1.1"),
        ((b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",), 400, "not valid HTTP"),
    ],
    ids=["long-url", "long-headers", "garbage", "bad-header"],
)
def test_the_http_servers_own_refusals_are_problems(
    api: ApiServer, parts: tuple[bytes, ...], status: int, words: str
) -> None:
    line, headers, body = _raw(api, *parts)
    assert line.split()[1] == str(status), line
    assert headers["content-type"] == "application/problem+json"
    assert body["status"] == status and words in body["detail"], body
    assert httpx.get(f"{api.base}/health", timeout=30).status_code == 200  # still serving


def test_deep_json_is_refused(api: ApiServer) -> None:
    before = _stats(api)
    for deep in (
        '{"text": "x", "title": ' + "[" * 1000 + "]" * 1000 + "}",
        "[" * 100_000 + "]" * 100_000,
    ):
        r = httpx.post(
            f"{api.base}/documents",
            content=deep.encode(),
            timeout=60,
            headers={"Content-Type": "application/json", **api.auth},
        )
        _problem(r, 400, "limit on nesting depth")
    assert _stats(api) == before


# -- reads while writing ---------------------------------------------------------------


def test_reads_never_fail_while_graphs_are_replaced(api: ApiServer) -> None:
    """2 writers replace graphs (each write takes a new snapshot) while 6 readers read
    events, for 10 s: every read answers 200, every write lands."""
    stop = time.monotonic() + 10
    failures: list[str] = []
    reads: list[float] = []
    writes: list[int] = []

    def writer(n: int) -> None:
        i = 0
        while time.monotonic() < stop:
            body = f"<http://e/s{n}> <http://e/p> {i} ."
            r = api.put_graph(f"{GRAPH}/{n}", body)
            if r.status_code not in (201, 204):
                failures.append(f"write {r.status_code}: {r.text[:200]}")
            writes.append(i)
            i += 1

    def reader() -> None:
        while time.monotonic() < stop:
            started = time.monotonic()
            r = httpx.get(f"{api.base}/events", params={"actor": "iran"}, timeout=60)
            reads.append(time.monotonic() - started)
            if r.status_code != 200:
                failures.append(f"read {r.status_code}: {r.text[:200]}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    threads += [threading.Thread(target=reader) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[:5]
    assert len(reads) > 20 and len(writes) > 4
    for n in range(2):  # the last write of each writer is what a reader sees now
        ttl = httpx.get(f"{api.base}/rdf-graphs", params={"graph": f"{GRAPH}/{n}"}).text
        assert "<http://e/p>" in ttl
        httpx.delete(f"{api.base}/rdf-graphs", params={"graph": f"{GRAPH}/{n}"}, headers=api.auth)
    snapshots = api.store_path.with_name("store.snapshots")
    assert len(list(snapshots.glob("g*"))) <= 2 + 2 + 1  # a held one per worker, the newest


def test_the_whole_store_streams_whole_and_unchanged_while_graphs_are_replaced(
    api: ApiServer,
) -> None:
    """GET /rdf-graphs?default (the union of all graphs) while a writer replaces a graph
    over and over: every dump answers 200 with every triple of the rest of the store, and
    shows the graph as one write left it (its first and last subjects, read far apart in
    the dump, carry the same number)."""
    rest = sparql_json(
        api.base,
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o "
        'FILTER(!STRSTARTS(STR(?s), "http://e/dump")) } }',
    )
    expected = int(rest["results"]["bindings"][0]["n"]["value"])
    graph = f"{GRAPH}/dump"
    stop = threading.Event()
    writes: list[int] = []

    def writer() -> None:
        i = 0
        while not stop.is_set():
            body = f"<http://e/dump-a> <http://e/p> {i} . <http://e/dump-z> <http://e/p> {i} ."
            r = api.put_graph(graph, body)
            assert r.status_code in (201, 204), r.text
            writes.append(i)
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while not writes:
            time.sleep(0.1)
        for _ in range(2):
            r = httpx.get(
                f"{api.base}/rdf-graphs",
                params={"default": ""},
                headers={"Accept": "application/n-triples"},
                timeout=300,
            )
            assert r.status_code == 200, r.text[:300]
            assert r.headers["content-type"].startswith("application/n-triples")
            triples = list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))
            written = {
                t.subject.value: t.object.value
                for t in triples
                if t.subject.value.startswith("http://e/dump")
            }
            assert set(written) == {"http://e/dump-a", "http://e/dump-z"}, written
            assert written["http://e/dump-a"] == written["http://e/dump-z"]
            # and the rest whole: the graph's own record (its content hash) aside
            others = [t for t in triples if t.subject.value != graph]
            assert len(set(triples)) == len(triples) and len(others) == expected + 2
    finally:
        stop.set()
        thread.join()
    assert len(writes) > 2  # the writes went on while the store was read
    head = httpx.head(f"{api.base}/rdf-graphs", params={"default": ""})
    assert head.status_code == 200 and head.headers["content-type"].startswith("text/turtle")
    httpx.delete(f"{api.base}/rdf-graphs", params={"graph": graph}, headers=api.auth)


# -- runaway queries -------------------------------------------------------------------

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_rest_reads_answer_while_runaway_queries_hold_every_sparql_worker(
    api: ApiServer,
) -> None:
    for _ in range(3):  # every worker started and warm, as on a server in service
        assert httpx.get(f"{api.base}/actors", params={"q": "Iran"}, timeout=60).is_success
    with ThreadPoolExecutor(4) as pool:
        runaways = [
            pool.submit(httpx.post, f"{api.base}/sparql", data={"query": RUNAWAY}, timeout=60)
            for _ in range(4)
        ]
        time.sleep(1.5)  # both SPARQL workers busy, two queries queued
        assert not any(f.done() for f in runaways)
        for _ in range(5):
            r = httpx.get(f"{api.base}/actors", params={"q": "Iran"}, timeout=30)
            assert r.status_code == 200 and r.json()["items"], r.text
        # every read answered while the runaways still held the workers (no clock bound:
        # how fast is the benchmarks' business, that they answer at all is this test's)
        assert not all(f.done() for f in runaways)
        for f in runaways:
            assert f.result().status_code == 503  # stopped at the timeout


# -- cold start ------------------------------------------------------------------------


def _post_many(base: str, n: int, tag: str) -> list[float]:
    def post(i: int) -> float:
        started = time.monotonic()
        r = httpx.post(
            f"{base}/documents",
            timeout=300,
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={
                "text": f"Iran fired missiles at a US base in Iraq ({tag} {i}).",
                "url": f"https://example.org/{tag}/{i}",
            },
        )
        assert r.status_code == 201, r.text
        return time.monotonic() - started

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(post, range(n)))


def test_concurrent_first_documents_within_twice_a_warm_one(tmp_path: Path, seeded: Path) -> None:
    """32 concurrent first POST /documents on a fresh server: `evkg serve` builds the
    extractor before it accepts a request, so the slowest is within twice the slowest of 32
    on the same server once warm."""
    started = time.monotonic()
    for server in start_api(tmp_path, seeded):
        startup = time.monotonic() - started
        # the network and happening index warm up in the background once the service
        # answers: not what this measures, and it would share the CPU with the first batch
        while httpx.get(f"{server.base}/health").json()["warm"] == "warming":
            time.sleep(0.1)
        cold = _post_many(server.base, 32, "cold")
        warm = _post_many(server.base, 32, "warm")
    print(
        f"start-up (warm-up included) {startup:.2f} s; 32 cold: max {max(cold):.2f} s; "
        f"32 warm: max {max(warm):.2f} s; ratio {max(cold) / max(warm):.2f}"
    )
    assert max(cold) <= 2 * max(warm)


# -- kill -9 ---------------------------------------------------------------------------


def _serve(store: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "EVKG_STORE": f"oxigraph:{store}", "EVKG_TOKEN": TOKEN}
    return serve_api(port, env, log, append=True, new_session=True)


def test_kill_9_during_writes_leaves_a_whole_store_and_no_snapshots(
    tmp_path: Path, seeded: Path
) -> None:
    import shutil

    store = tmp_path / "store"
    shutil.copytree(seeded, store)
    snapshots = tmp_path / "store.snapshots"
    log = tmp_path / "server.log"
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    for round_ in range(int(os.environ.get("EVKG_KILL_ROUNDS") or 3)):  # 20 for the issue
        port = free_port()
        proc = _serve(store, port, log)
        base = f"http://127.0.0.1:{port}"
        if round_:  # what the killed server left was cleared: only this one's snapshots
            assert not (snapshots / "left-by-the-killed-server").exists()
            assert len(list(snapshots.glob("g*"))) <= 1
            whole = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s <http://e/p> ?o }} }}"
            # the store opened whole: the graph holds one write's triple, not two or half
            answer = sparql_json(base, whole, timeout=30)
            assert answer["results"]["bindings"][0]["n"]["value"] == "1"
            assert not store.with_name("store.replaced").exists()  # a cut swap was settled
        stop, landed = threading.Event(), threading.Event()

        def write(
            base: str = base, stop: threading.Event = stop, landed: threading.Event = landed
        ) -> None:
            i = 0
            while not stop.is_set():
                try:
                    response = httpx.put(
                        f"{base}/rdf-graphs",
                        params={"graph": GRAPH},
                        headers=auth,
                        content=f"<http://e/s> <http://e/p> {i} .",
                        timeout=10,
                    )
                except httpx.HTTPError:
                    return
                if response.is_success:
                    landed.set()
                i += 1

        def update(base: str = base, stop: threading.Event = stop) -> None:
            """SPARQL updates, each run in a worker whose copy then takes the store's
            place: a kill may land in the swap."""
            triple = "<http://e/u> <http://e/p> {} .".format
            i = 0
            while not stop.is_set():
                try:
                    httpx.post(
                        f"{base}/sparql",
                        headers={"Authorization": auth["Authorization"]},
                        data={"update": f"INSERT DATA {{ GRAPH <{GRAPH}/u> {{ {triple(i)} }} }}"},
                        timeout=10,
                    )
                except httpx.HTTPError:
                    return
                i += 1

        writers = [threading.Thread(target=write), threading.Thread(target=update)]
        for writer in writers:
            writer.start()
        # killed once a write has landed (the next round counts its triple), amid others
        assert landed.wait(120), "no write landed"
        time.sleep(1.5)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        stop.set()
        for writer in writers:
            writer.join()
        assert store.exists() or store.with_name("store.replaced").exists()
        assert list(snapshots.glob("g*"))  # a kill leaves them...
        (snapshots / "left-by-the-killed-server").mkdir()
    proc = _serve(store, free_port(), log)  # ...and the next start clears them
    try:
        assert not (snapshots / "left-by-the-killed-server").exists()
        assert len(list(snapshots.glob("g*"))) <= 1
    finally:
        _stop(proc)
    assert not snapshots.exists()  # a clean stop removes the folder


# -- smaller answers -------------------------------------------------------------------


def test_small_protocol_answers(api: ApiServer) -> None:
    options = httpx.options(f"{api.base}/sparql")
    assert options.status_code == 204 and "POST" in options.headers["allow"]
    wrong = httpx.post(
        f"{api.base}/documents", json={"text": "x"}, headers={"Authorization": "Bearer wrong"}
    )
    assert wrong.status_code == 403 and "invalid_token" in wrong.headers["www-authenticate"]
    health = httpx.get(f"{api.base}/health").json()
    assert str(api.store_path) not in str(health) and "/" not in health["store"]


def test_nul_in_json_text_is_refused_and_a_declared_charset_is_honoured(
    api: ApiServer,
) -> None:
    before = _stats(api)
    nul = httpx.post(
        f"{api.base}/documents", headers=api.auth, json={"text": "Iran fired\u0000 missiles."}
    )
    _problem(nul, 400, "NUL")
    assert _stats(api) == before
    text = "Iran fired missiles at a US base in Iraq, said the café owner."
    r = httpx.post(
        f"{api.base}/documents",
        content=text.encode("latin-1"),
        timeout=120,
        headers={"Content-Type": "text/plain; charset=latin-1", **api.auth},
    )
    assert r.status_code == 201, r.text
    stored = httpx.get(f"{api.base}/documents/{r.json()['id']}").json()
    assert "café" in stored["text"]
    httpx.delete(f"{api.base}/documents/{r.json()['id']}", headers=api.auth)
    unknown = httpx.post(
        f"{api.base}/documents",
        content=b"x",
        headers={"Content-Type": "text/plain; charset=klingon", **api.auth},
    )
    _problem(unknown, 415, "klingon")
