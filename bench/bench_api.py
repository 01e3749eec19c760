"""API latency and throughput on a store of >= 1 million triples: evkg serve against
rdflib-endpoint (the same data in an rdflib Dataset) and pyoxigraph in-process (the floor),
and evkg's REST neighbourhood and paths against the SPARQL 2-hop query they resemble.

The store is ingested once from a generated corpus and cached under bench/out/ (with an
N-Quads export for rdflib). Each target gets N concurrent clients on 127.0.0.1, each loop
bounded by a request count and a time budget; requests over the per-request timeout count as
timeouts, not as latencies. The REST routes answer from an actor network kept per store
version: the first request after the server starts builds it, and is timed on its own
("cold") before the clients start.

The floor reads a hard-linked copy of the store while evkg serves the original, and the two
take turns (`--rounds`) on each SPARQL query, after untimed requests that warm every query
worker, so that load from other work on the machine falls on both alike. evkg gets one query
worker per client (`--workers` to change), as the floor runs one query per client thread.

    python bench/bench_api.py --documents 1850 --clients 8 --requests 64
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_jsonl  # noqa: E402

ACTOR = "https://evkg.org/id/actor/iran"
PROLOGUE = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX evkg: <https://evkg.org/ontology#>
"""
# (a) Iran's 2-hop neighbourhood: its events (as source or target), their other actors and
# those actors' events; aggregated so every engine does the whole join but sends little.
TWO_HOP = PROLOGUE + f"""SELECT ?other (COUNT(DISTINCT ?e2) AS ?events) WHERE {{
  {{ ?e1 evkg:source <{ACTOR}> }} UNION {{ ?e1 evkg:target <{ACTOR}> }}
  ?e1 sem:hasActor ?other . FILTER(?other != <{ACTOR}>)
  ?e2 sem:hasActor ?other .
}} GROUP BY ?other ORDER BY DESC(?events)"""
# (b) events by CAMEO root (first two digits of the code) and month.
BY_ROOT_MONTH = PROLOGUE + """SELECT ?root ?month (COUNT(?e) AS ?events) WHERE {
  ?e a sem:Event ; sem:eventType ?type ; sem:hasTimeStamp ?t .
  BIND(SUBSTR(STRAFTER(STR(?type), "https://evkg.org/cameo/"), 1, 2) AS ?root)
  BIND(SUBSTR(STR(?t), 1, 7) AS ?month)
} GROUP BY ?root ?month ORDER BY ?root ?month"""
QUERIES = {"a 2-hop SPARQL": TWO_HOP, "b group-by SPARQL": BY_ROOT_MONTH}
REST = {"c GET /actors/iran/neighbourhood?hops=2": "/actors/iran/neighbourhood?hops=2",
        "d GET /paths?from=united-states&to=iran": "/paths?from=united-states&to=iran"}
ROTATE = 16
ROTATING = f"c' GET neighbourhood?hops=2 of the {ROTATE} most active actors in turn"
RESULTS_JSON = "application/sparql-results+json"

RDFLIB_SERVER = """
import sys, rdflib, uvicorn
from rdflib_endpoint import SparqlEndpoint
dataset = rdflib.Dataset(default_union=True)
dataset.parse(sys.argv[1], format="nquads")
print("loaded", len(dataset), flush=True)
uvicorn.run(SparqlEndpoint(graph=dataset, path="/sparql"), host="127.0.0.1",
            port=int(sys.argv[2]), log_level="warning")
"""


@dataclass
class Run:
    target: str
    query: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    seconds: float = 0.0

    def pct(self, q: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def hammer(target: str, query: str, call: Callable[[], None], clients: int, requests: int,
           budget: float, is_timeout: Callable[[Exception], bool]) -> Run:
    """`clients` threads share `requests` calls; none starts after `budget` seconds."""
    run = Run(target, query)
    lock = threading.Lock()
    left = [requests]
    deadline = time.perf_counter() + budget

    def client() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            start = time.perf_counter()
            try:
                call()
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    if is_timeout(exc):
                        run.timeouts += 1
                    else:
                        run.errors += 1
                        if run.errors == 1:
                            print(f"  {target} {query}: {exc!r}"[:300], file=sys.stderr)
                continue
            with lock:
                run.latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    return run


def merged(parts: list[Run]) -> Run:
    """Rounds of one target and query as one cell: latencies pooled, seconds summed."""
    run = Run(parts[0].target, parts[0].query)
    for part in parts:
        run.latencies += part.latencies
        run.errors += part.errors
        run.timeouts += part.timeouts
        run.seconds += part.seconds
    return run


# -- the data --------------------------------------------------------------------------


def clone(store: Path, target: Path) -> Path:
    """A copy of the closed store for the floor to read while evkg serves the original:
    RocksDB never rewrites its table files (.sst), so they are hard-linked; the rest is
    copied. The same idea as the snapshots evkg's workers read."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for item in store.iterdir():
        if item.name == "LOCK":
            continue
        if item.suffix == ".sst":
            os.link(item, target / item.name)
        else:
            shutil.copy2(item, target / item.name)
    return target


def build(documents: int, jobs: int) -> tuple[Path, Path]:
    """The cached store (ingested by `evkg ingest`) and its N-Quads export."""
    OUT.mkdir(parents=True, exist_ok=True)
    store = OUT / f"api-store-{documents}"
    done = store.with_suffix(".done")
    nquads = OUT / f"api-store-{documents}.nq"
    if not done.exists():
        corpus = write_jsonl(OUT / f"api-corpus-{documents}.jsonl", documents)
        env = {**os.environ, "EVKG_STORE": f"oxigraph:{store}"}
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app.cli", "ingest", str(corpus), "--jobs",
                        str(jobs)], cwd=ROOT, env=env, check=True, timeout=1800)
        print(f"ingested {documents} documents in {time.perf_counter() - started:.0f} s")
        done.touch()
        nquads.unlink(missing_ok=True)
    if not nquads.exists():
        import pyoxigraph as ox

        readonly = ox.Store.read_only(str(store))
        readonly.dump(str(nquads) + ".part", ox.RdfFormat.N_QUADS)
        del readonly
        os.replace(str(nquads) + ".part", nquads)
    return store, nquads


# -- targets ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(command: list[str], env: dict[str, str], health: str, wait: float,
           log: Path, cwd: Path = ROOT) -> Iterator[None]:
    import httpx

    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + wait
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(health, timeout=2).status_code < 500:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not up after {wait:.0f} s")
            time.sleep(0.5)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Clients:
    """HTTP clients made before the clock starts and kept from cell to cell: making an
    httpx.Client costs ~20 ms of CPU (its TLS context), which timed requests would pay and
    the floor would not, and kept clients keep their connections open."""

    def __init__(self, n: int, timeout: float) -> None:
        import httpx

        self.free: queue.Queue[Any] = queue.Queue()
        for _ in range(n):
            self.free.put(httpx.Client(timeout=timeout))

    @contextlib.contextmanager
    def one(self) -> Iterator[Any]:
        client = self.free.get()
        try:
            yield client
        finally:
            self.free.put(client)


def http_sparql(base: str, sparql: str, clients: Clients) -> Callable[[], None]:
    def call() -> None:
        with clients.one() as client:
            response = client.post(f"{base}/sparql", data={"query": sparql},
                                   headers={"Accept": RESULTS_JSON})
        response.raise_for_status()
        if not response.json()["results"]["bindings"]:
            raise RuntimeError("no rows")

    return call


def http_get(url: str | list[str], clients: Clients) -> Callable[[], None]:
    """GET `url`, or each of a list of URLs in turn."""
    urls = itertools.cycle([url] if isinstance(url, str) else url)
    lock = threading.Lock()

    def call() -> None:
        with lock:
            target = next(urls)
        with clients.one() as client:
            response = client.get(target)
        response.raise_for_status()
        response.json()

    return call


def is_http_timeout(exc: Exception) -> bool:
    import httpx

    return isinstance(exc, httpx.TimeoutException)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1850, help="~550 triples each: >= 1M")
    parser.add_argument("--jobs", type=int, default=2, help="extraction processes for the build")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=64, help="per target and query")
    parser.add_argument("--budget", type=float, default=40.0, help="seconds per target and query")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request (HTTP)")
    parser.add_argument("--workers", type=int, default=0,
                        help="evkg's query workers (EVKG_QUERY_WORKERS; default: --clients)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="turns the floor and evkg take per query (SPARQL cells)")
    parser.add_argument("--rdflib-requests", type=int, default=16)
    parser.add_argument("--rdflib-budget", type=float, default=90.0)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--skip-group-by", action="store_true", help="leave out query (b)")
    args = parser.parse_args()
    import importlib.util

    if not args.skip_rdflib and importlib.util.find_spec("rdflib_endpoint") is None:
        sys.exit("rdflib-endpoint is not installed (pip install -e '.[bench]'), "
                 "or pass --skip-rdflib")
    import httpx
    import pyoxigraph as ox

    store_path, nquads = build(args.documents, args.jobs)
    runs: list[Run] = []
    queries = {k: v for k, v in QUERIES.items() if not (args.skip_group_by and k.startswith("b"))}

    # The floor: pyoxigraph in this process on a copy of the same store, with the work
    # evkg's answer needs and no more: the results written as SPARQL JSON (by Oxigraph) and
    # read back as the HTTP clients read theirs. Oxigraph leaves the GIL while it
    # evaluates, so the floor's client threads run their queries at once, on every core.
    floor_copy = clone(store_path, OUT / f"api-store-{args.documents}-floor")
    store = ox.Store.read_only(str(floor_copy))
    print(f"store: {len(store):,} quads ({store_path.name}); "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def floor_call(sparql: str, db: ox.Store = store) -> Callable[[], None]:
        def call() -> None:
            body = db.query(sparql, use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON)
            if not json.loads(body)["results"]["bindings"]:
                raise RuntimeError("no rows")
        return call

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # As many query workers as clients (unless --workers): the floor runs every client's
    # query at once, and so does evkg. With fewer workers than clients, evkg's queries wait
    # in line while the floor's share the cores, and on a machine with other work a
    # process group with fewer runnable tasks gets a smaller share of the CPU.
    workers = args.workers or args.clients
    # no warm-up at start: the cold figures are the first requests' own builds
    env = {**os.environ, "EVKG_STORE": f"oxigraph:{store_path}", "EVKG_WARM_NETWORK": "0",
           "EVKG_QUERY_TIMEOUT": str(args.timeout), "EVKG_QUERY_WORKERS": str(workers)}
    env.pop("EVKG_TOKEN", None)
    with server([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--log-level",
                 "warning"], env, f"{base}/health", 120, OUT / "bench-api-evkg.log"):
        http = Clients(max(workers, args.clients), args.timeout)
        # The floor and evkg take turns, `--rounds` each per query, so load from other work
        # on the machine falls on both alike; a round gets its share of requests and budget.
        for name, sparql in queries.items():
            # untimed: every worker (and the floor) answers a few first, as in a server
            # that has been up a while; a fresh worker's first queries warm its caches
            warm = 2 * max(workers, args.clients)
            hammer("pyoxigraph", name, floor_call(sparql), args.clients, warm, args.budget,
                   lambda _exc: False)
            hammer("evkg", name, http_sparql(base, sparql, http), workers, warm,
                   args.budget, is_http_timeout)
            parts: dict[str, list[Run]] = {"pyoxigraph": [], "evkg": []}
            for turn in range(args.rounds):
                share = args.requests // args.rounds + (turn < args.requests % args.rounds)
                parts["pyoxigraph"].append(hammer(
                    "pyoxigraph", name, floor_call(sparql), args.clients, share,
                    args.budget / args.rounds, lambda _exc: False))
                parts["evkg"].append(hammer(
                    "evkg", name, http_sparql(base, sparql, http), args.clients, share,
                    args.budget / args.rounds, is_http_timeout))
            runs += [merged(parts["pyoxigraph"]), merged(parts["evkg"])]
        del store
        shutil.rmtree(floor_copy, ignore_errors=True)
        for name, path in REST.items():
            cold = hammer("evkg (cold)", name, http_get(base + path, http), 1, 1,
                          args.budget, is_http_timeout)
            runs.append(cold)
            runs.append(hammer("evkg", name, http_get(base + path, http),
                               args.clients, args.requests, args.budget, is_http_timeout))
        # the same route for the most active actors in turn: most requests meet events
        # whose sentences no earlier answer showed
        top = httpx.get(f"{base}/actors", params={"limit": ROTATE}, timeout=args.timeout)
        urls = [f"{base}/actors/{a['id']}/neighbourhood?hops=2" for a in top.json()["items"]]
        runs.append(hammer("evkg", ROTATING, http_get(urls, http), args.clients,
                           args.requests, args.budget, is_http_timeout))

    if not args.skip_rdflib:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        with server([sys.executable, "-c", RDFLIB_SERVER, str(nquads), str(port)],
                    dict(os.environ), f"{base}/sparql?query=ASK%7B%7D", 900,
                    OUT / "bench-api-rdflib.log"):
            print(f"rdflib-endpoint: loaded and up in {time.perf_counter() - started:.0f} s")
            rdflib_http = Clients(args.clients, args.rdflib_timeout)
            for name, sparql in queries.items():
                runs.append(hammer("rdflib-endpoint", name,
                                   http_sparql(base, sparql, rdflib_http), args.clients,
                                   args.rdflib_requests, args.rdflib_budget, is_http_timeout))
    report(runs, args)


def report(runs: list[Run], args: argparse.Namespace) -> None:
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value * 1000:,.0f}"

    print(f"\n{args.clients} clients; requests per cell: {args.requests} "
          f"(rdflib-endpoint {args.rdflib_requests}, timeout {args.rdflib_timeout:g} s); "
          f"evkg query workers: {args.workers or args.clients}; "
          f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| target | query | ok | timeouts | errors | p50 ms | p99 ms | req/s | wall s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in runs:
        print(f"| {r.target} | {r.query} | {len(r.latencies)} | {r.timeouts} | {r.errors} | "
              f"{ms(r.pct(0.5))} | {ms(r.pct(0.99))} | {r.throughput:.2f} | {r.seconds:.1f} |")
    cell = {(r.target, r.query): r for r in runs}
    print("\n| query | p50 evkg/floor | req/s floor/evkg | p50 rdflib/evkg | "
          "req/s evkg/rdflib |")
    print("| --- | --- | --- | --- | --- |")
    for name in (k for k in QUERIES if ("pyoxigraph", k) in cell):
        evkg, floor, rdf = (cell.get((t, name)) for t in ("evkg", "pyoxigraph", "rdflib-endpoint"))

        def ratio(x: float | None, y: float | None) -> str:
            return f"{x / y:.1f}x" if x and y else "-"

        print(f"| {name} | {ratio(evkg.pct(0.5), floor.pct(0.5))} | "
              f"{ratio(floor.throughput, evkg.throughput)} | "
              f"{ratio(rdf.pct(0.5), evkg.pct(0.5)) if rdf else '-'} | "
              f"{ratio(evkg.throughput, rdf.throughput) if rdf else '-'} |")

    two_hop = "a 2-hop SPARQL"
    floor, evkg_a = cell.get(("pyoxigraph", two_hop)), cell.get(("evkg", two_hop))
    print("\n| REST route | p50 ms | p50 / evkg (a) | p50 / floor (a) | req/s evkg (a) / route |")
    print("| --- | --- | --- | --- | --- |")
    for name in [*REST, ROTATING]:
        route = cell.get(("evkg", name))
        if not (route and floor and evkg_a and route.pct(0.5)):
            print(f"| {name} | - | - | - | - |")
            continue
        print(f"| {name} | {ms(route.pct(0.5))} | {route.pct(0.5) / evkg_a.pct(0.5):.1f}x | "
              f"{route.pct(0.5) / floor.pct(0.5):.1f}x | "
              f"{evkg_a.throughput / route.throughput:.1f}x |")


if __name__ == "__main__":
    main()
