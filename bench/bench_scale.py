"""The REST routes and a SPARQL mix at a million quads and more, on the embedded store and
on Virtuoso, in one sitting, taking turns.

The store is ingested once from the generated corpus (`bench/corpus.py`, ~670 quads a
document: 1,850 documents make ~1.2 million) into `--out`, and reused. Its named graphs
are then written into a Virtuoso started here (through evkg's remote store, as a service
would write them), with the row cap the tests use (10,000), so the routes must page past
it. Two `evkg serve` processes answer, one on each store; each route is warmed on both,
then timed in `--rounds` rounds of `--requests` sequential requests, the two targets
alternating within each round, so load from elsewhere on the machine falls on both alike.
Cold figures: the first neighbourhood after the server starts (the actor network built
from the store), and the first neighbourhood and search after a document is written.

    python bench/bench_scale.py --documents 1850 --out /tmp/evkg-scale
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_api import BY_ROOT_MONTH, TWO_HOP, clone, free_port, server  # noqa: E402
from corpus import write_jsonl  # noqa: E402

from graph.store import OxigraphStore, open_store  # noqa: E402
from graph.store.remote import SparqlStore  # noqa: E402
from ingest.model import SourceDocument  # noqa: E402
from tests.servers import VIRTUOSO_BINARY, VIRTUOSO_INI, VIRTUOSO_VAD  # noqa: E402

TOKEN = "bench-token"
LOADED = "virtuoso.loaded"  # in --out: Virtuoso's folder there holds the store's graphs
LARGE = 50_000  # triples: a graph larger than this is written in parts of this size
WRITE = {
    "text": "Iran fired missiles at Israel on 2 March 2020.",
    "url": "https://example.org/bench-scale-write",
}


def build(documents: int, out: Path, jobs: int) -> Path:
    """The embedded store of `documents` generated documents (ingested once, then kept)."""
    store = out / f"store-{documents}"
    done = out / f"store-{documents}.done"
    if not done.exists():
        corpus = write_jsonl(out / f"corpus-{documents}.jsonl", documents)
        env = {**os.environ, "EVKG_STORE": f"oxigraph:{store}"}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "app.cli", "ingest", str(corpus), "--jobs", str(jobs)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"ingested {documents} documents in {time.perf_counter() - started:.0f} s")
        done.touch()
    return store


def virtuoso(workdir: Path, buffers: int) -> Iterator[str]:
    """Virtuoso on loopback with the tests' settings (its 10,000-row cap among them) and
    `buffers` 8 KB pages of cache; yields the EVKG_STORE spec."""
    data = workdir / "virtuoso"
    if not (workdir / LOADED).exists():  # else the graphs are there from an earlier run
        shutil.rmtree(data, ignore_errors=True)
    (data / "vsp").mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = VIRTUOSO_INI.format(
        d=data, sql_port=sql_port, http_port=http_port, vad=VIRTUOSO_VAD, max_rows=10_000
    )
    ini = ini.replace("NumberOfBuffers = 10000", f"NumberOfBuffers = {buffers}")
    ini = ini.replace("MaxDirtyBuffers = 6000", f"MaxDirtyBuffers = {buffers * 3 // 4}")
    ini = ini.replace("MaxQueryMem = 256M", "MaxQueryMem = 2G")
    (data / "virtuoso.ini").write_text(ini)
    base = f"http://127.0.0.1:{http_port}"
    with server(
        [VIRTUOSO_BINARY, "+configfile", str(data / "virtuoso.ini"), "+foreground"],
        dict(os.environ),
        f"{base}/sparql?query=ASK%7B%7D",
        900,  # a store loaded but not checkpointed replays its log first: minutes
        workdir / "virtuoso.out",
    ):
        yield f"virtuoso:{base}"


def copy_graphs(source: Path, spec: str) -> tuple[int, float]:
    """Every named graph of the embedded store into the remote one; quads and seconds."""
    store = OxigraphStore(source)
    remote = open_store(spec)
    assert isinstance(remote, SparqlStore)
    started, quads, batch = time.perf_counter(), 0, []
    for doc in store.document_graphs():
        lines = doc.ntriples.splitlines()  # one triple a line
        quads += len(lines)
        if len(lines) > LARGE:  # the happenings graph: as one PUT, Virtuoso deadlocked
            append(remote, doc.iri, lines)
            continue
        batch.append(doc)
        if len(batch) == 100:
            remote.put_documents(batch)
            batch = []
    remote.put_documents(batch)
    store.close()
    remote.close()
    return quads, time.perf_counter() - started


def append(remote: SparqlStore, iri: str, lines: list[bytes]) -> None:
    """A large graph added `LARGE` triples a request (Graph Store Protocol POST: an
    INSERT DATA of more than a few thousand triples exhausts Virtuoso's SPARQL compiler)."""
    for start in range(0, len(lines), LARGE):
        response = httpx.post(
            str(remote.config.store_url),
            params={"graph-uri": iri},
            content=b"\n".join(lines[start : start + LARGE]) + b"\n",
            headers={"Content-Type": "text/turtle; charset=utf-8"},
            auth=httpx.DigestAuth(remote.config.user or "", remote.config.password or ""),
            timeout=600,
        )
        response.raise_for_status()


def timed(client: httpx.Client, method: str, url: str, **kwargs: object) -> float:
    started = time.perf_counter()
    response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    took = time.perf_counter() - started
    if response.status_code >= 400:
        raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:300]}")
    response.read()
    return took * 1000


def routes(
    dyad: tuple[str, str], actor: str, others: list[str]
) -> dict[str, Callable[[httpx.Client, str], float]]:
    """The timed routes; `others`, actors each target is asked about once (a kept answer
    is no help there), one a request."""

    def get(path: str) -> Callable[[httpx.Client, str], float]:
        return lambda client, base: timed(client, "GET", f"{base}{path}")

    def unasked(path: str) -> Callable[[httpx.Client, str], float]:
        left: dict[str, Iterator[str]] = {}

        def call(client: httpx.Client, base: str) -> float:
            other = next(left.setdefault(base, iter(others)))
            return timed(client, "GET", f"{base}{path.format(other)}")

        return call

    def sparql(query: str) -> Callable[[httpx.Client, str], float]:
        return lambda client, base: timed(
            client,
            "POST",
            f"{base}/sparql",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )

    a, b = dyad
    return {
        "`GET /actors?q=iraq`": get("/actors?q=iraq"),
        f"`GET /events?actor={actor}`": get(f"/events?actor={actor}"),
        "`GET /events?actor=` of an actor not asked before": unasked("/events?actor={}"),
        f"`GET /relations/{a}/{b}`": get(f"/relations/{a}/{b}"),
        "2-hop neighbourhood of iran, compact": get(
            "/actors/iran/neighbourhood?hops=2&compact=true"
        ),
        "2-hop neighbourhood, compact, of an actor not asked before": unasked(
            "/actors/{}/neighbourhood?hops=2&compact=true"
        ),
        "2-hop neighbourhood of iran, with evidence": get("/actors/iran/neighbourhood?hops=2"),
        "`GET /paths?from=united-states&to=iran`": get("/paths?from=united-states&to=iran"),
        "SPARQL 2-hop (via /sparql)": sparql(TWO_HOP),
        "SPARQL group-by root and month (via /sparql)": sparql(BY_ROOT_MONTH),
    }


def p50(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f}" if values else "-"


def checkout(commit: str, out: Path) -> Path:
    """The files of `commit` (a revision of this repository) under `out`, to serve the same
    store with earlier code: `python -m app.cli` run there imports that tree's packages."""
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{commit}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    tree = out / f"code-{sha[:12]}"
    if not tree.exists():
        partial = out / f"code-{sha[:12]}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", sha], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(partial)], input=archive, check=True)
        partial.rename(tree)
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1850)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "scale")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=5, help="per target, route and round")
    parser.add_argument("--buffers", type=int, default=170_000, help="Virtuoso's 8 KB pages")
    parser.add_argument(
        "--before",
        metavar="COMMIT",
        help="also serve the embedded store with the code of COMMIT (a git "
        "revision), a column beside this checkout's",
    )
    parser.add_argument("--no-virtuoso", action="store_true", help="the embedded store only")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    store = build(args.documents, args.out, args.jobs)
    # the first neighbourhood builds the actor network in one long query: let it finish;
    # no warm-up at start, so the cold figures are the builds themselves
    env = {
        **os.environ,
        "EVKG_TOKEN": TOKEN,
        "EVKG_QUERY_TIMEOUT": "600",
        "EVKG_WARM_NETWORK": "0",
    }
    serve = [sys.executable, "-m", "app.cli", "serve", "--log-level", "warning", "--port"]
    # (column, EVKG_STORE, the code's folder); each embedded server its own copy, as the
    # API may write (the original is kept)
    targets = [("embedded", f"oxigraph:{clone(store, args.out / 'served')}", ROOT)]
    if args.before:
        code = checkout(args.before, args.out)
        before = clone(store, args.out / "served-before")
        targets.insert(0, (f"embedded, {args.before}", f"oxigraph:{before}", code))
    with contextlib.ExitStack() as stack:
        quads = 0
        if not args.no_virtuoso:
            spec = stack.enter_context(contextlib.contextmanager(virtuoso)(args.out, args.buffers))
            if (args.out / LOADED).exists():
                quads = int((args.out / LOADED).read_text())
            else:
                quads, seconds = copy_graphs(store, spec)
                print(f"{quads:,} quads written to Virtuoso in {seconds:.0f} s", flush=True)
                (args.out / LOADED).write_text(str(quads))
            if args.before:
                targets.append((f"Virtuoso, {args.before}", spec, code))
            targets.append(("Virtuoso", spec, ROOT))
        bases = {}
        for name, spec, code in targets:
            port = free_port()
            bases[name] = f"http://127.0.0.1:{port}"
            slug = "".join(c if c.isalnum() else "-" for c in name.lower())
            stack.enter_context(
                server(
                    [*serve, str(port)],
                    {**env, "EVKG_STORE": spec},
                    f"{bases[name]}/health",
                    300,
                    args.out / f"serve-{slug}.log",
                    cwd=code,
                )
            )
        client = stack.enter_context(httpx.Client(timeout=600))
        run(client, bases, args, quads or len(ox.Store.read_only(str(store))))


def run(client: httpx.Client, bases: dict[str, str], args: argparse.Namespace, quads: int) -> None:
    cold: dict[str, dict[str, float]] = {name: {} for name in bases}
    hood = "/actors/iran/neighbourhood?hops=2&compact=true"
    for name, base in bases.items():  # the actor network and the label index, built
        cold[name]["first neighbourhood after start"] = timed(client, "GET", f"{base}{hood}")
        cold[name]["first search after start"] = timed(client, "GET", f"{base}/actors?q=iraq")
        print(name, cold[name], flush=True)
    top = client.get(f"{bases['embedded']}/actors", params={"limit": 1}).json()["items"][0]
    net = client.get(f"{bases['embedded']}{hood}").json()
    fields = net["edge_fields"]
    edges = [dict(zip(fields, row, strict=False)) for row in net["edges"]]
    strongest = max(edges, key=lambda e: e["count"])
    ids = [n["id"] for n in net["nodes"]]
    dyad = (
        ids[strongest["source"]].rsplit("/", 1)[-1],
        ids[strongest["target"]].rsplit("/", 1)[-1],
    )
    listed = client.get(f"{bases['embedded']}/actors", params={"limit": 200}).json()["items"]
    # those with most events after the first ten, iran and the dyad's aside
    others = [a["id"] for a in listed[10:] if a["id"] not in ("iran", *dyad)]
    table = routes(dyad, top["id"], others)
    times: dict[str, dict[str, list[float]]] = {r: {n: [] for n in bases} for r in table}
    for route, call in table.items():
        for base in bases.values():
            call(client, base)  # warm
        for _ in range(args.rounds):
            for name, base in bases.items():
                times[route][name] += [call(client, base) for _ in range(args.requests)]
        print(route, {n: p50(v) for n, v in times[route].items()}, flush=True)
    for name, base in bases.items():
        auth = {"Authorization": f"Bearer {TOKEN}"}
        after = ("first write (happening index read)", "second write")
        after += ("first neighbourhood after a write", "first search after a write")
        second = {**WRITE, "url": f"{WRITE['url']}-2"}
        try:
            cold[name][after[0]] = timed(
                client, "POST", f"{base}/documents", json=WRITE, headers=auth
            )
            cold[name][after[1]] = timed(
                client, "POST", f"{base}/documents", json=second, headers=auth
            )
            cold[name][after[2]] = timed(client, "GET", f"{base}{hood}")
            cold[name][after[3]] = timed(client, "GET", f"{base}/actors?q=iraq")
        except httpx.TimeoutException:  # a row of its own, not the whole table lost
            cold[name].update({what: float("nan") for what in after if what not in cold[name]})
        print(name, cold[name], flush=True)
        for url in (WRITE["url"], second["url"]):  # written even if the client gave up
            key = SourceDocument(text=WRITE["text"], url=url).key
            with contextlib.suppress(httpx.TimeoutException):
                client.delete(f"{base}/documents/{key}", headers=auth)
    print(
        f"\n{args.documents:,} documents, {quads:,} quads; p50 of "
        f"{args.rounds * args.requests} warm requests, one client, ms\n"
    )
    names = list(bases)
    print(f"| route | {' | '.join(names)} |\n| --- |{' ---: |' * len(names)}")
    for route, by in times.items():
        print(f"| {route} | {' | '.join(p50(by[n]) for n in names)} |")
    for what in cold[names[0]]:
        print(f"| cold: {what} | {' | '.join(f'{cold[n][what]:,.0f}' for n in names)} |")


if __name__ == "__main__":
    main()
