"""Reads under writes and runaway queries: `evkg serve` on a copy of the seeded store.

1. Idle: R readers read `/events?actor=iran` for S seconds alone (p50 / p99).
2. Under writes: W writers replace graphs through the Graph Store Protocol (each write makes
   a new snapshot for the query workers) while R readers read, for S seconds: failed reads,
   lost writes (a write answered 2xx whose graph does not hold its last value), p50 / p99.
3. Runaway queries: 4 cartesian `COUNT(*)` queries are sent to /sparql, then
   `/actors?q=Iran` is timed 20 times while they run.

    python bench/bench_load.py --writers 8 --readers 24 --seconds 60
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.api_server import TOKEN, seed_store, serve_api, sparql_json  # noqa: E402
from tests.servers import _stop, free_port  # noqa: E402

GRAPH = "https://example.org/graph/bench-load"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def percentiles(values: list[float]) -> str:
    if not values:
        return "no reads"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{len(values)} reads, p50 {statistics.median(ordered) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms"
    )


def read_loop(base: str, stop: float, latencies: list[float], failures: list[str]) -> None:
    with httpx.Client(timeout=120) as client:
        while time.monotonic() < stop:
            started = time.monotonic()
            r = client.get(f"{base}/events", params={"actor": "iran"})
            latencies.append(time.monotonic() - started)
            if r.status_code != 200:
                failures.append(f"{r.status_code} {r.text[:160]}")


def write_loop(base: str, n: int, stop: float, last: dict[int, int], failures: list[str]) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    with httpx.Client(timeout=120) as client:
        i = 0
        while time.monotonic() < stop:
            r = client.put(
                f"{base}/rdf-graphs",
                params={"graph": f"{GRAPH}/{n}"},
                content=f"<http://e/s{n}> <http://e/p> {i} .",
                headers=headers,
            )
            if r.status_code in (201, 204):
                last[n] = i
            else:
                failures.append(f"{r.status_code} {r.text[:160]}")
            i += 1


def phase(base: str, readers: int, writers: int, seconds: float) -> dict:
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    read_failures: list[str] = []
    write_failures: list[str] = []
    last: dict[int, int] = {}
    threads = [
        threading.Thread(target=read_loop, args=(base, stop, latencies, read_failures))
        for _ in range(readers)
    ]
    threads += [
        threading.Thread(target=write_loop, args=(base, n, stop, last, write_failures))
        for n in range(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lost = 0
    for n, value in last.items():
        ask = f"ASK {{ GRAPH <{GRAPH}/{n}> {{ ?s <http://e/p> {value} }} }}"
        lost += not sparql_json(base, ask)["boolean"]
    return {
        "latencies": latencies,
        "read_failures": read_failures,
        "write_failures": write_failures,
        "writes": sum(v + 1 for v in last.values()),
        "lost": lost,
    }


def runaway(base: str) -> list[float]:
    for _ in range(3):
        httpx.get(f"{base}/actors", params={"q": "Iran"}, timeout=60)
    took: list[float] = []
    with ThreadPoolExecutor(4) as pool:
        queries = [
            pool.submit(httpx.post, f"{base}/sparql", data={"query": RUNAWAY}, timeout=300)
            for _ in range(4)
        ]
        time.sleep(2)
        for _ in range(20):
            started = time.monotonic()
            r = httpx.get(f"{base}/actors", params={"q": "Iran"}, timeout=60)
            took.append(time.monotonic() - started)
            assert r.status_code == 200, r.text
        busy = sum(not q.done() for q in queries)
        print(f"  runaway queries still running while timed: {busy} of 4")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="evkg-bench-load-"))
    try:
        seed_store(work / "store")
        port = free_port()
        env = {
            **os.environ,
            "EVKG_STORE": f"oxigraph:{work / 'store'}",
            "EVKG_TOKEN": TOKEN,
            "EVKG_QUERY_TIMEOUT": "30",
        }
        proc = serve_api(port, env, work / "server.log")
        base = f"http://127.0.0.1:{port}"
        try:
            idle = phase(base, args.readers, 0, min(args.seconds, 20))
            print(
                f"idle, {args.readers} readers: {percentiles(idle['latencies'])}, "
                f"{len(idle['read_failures'])} failed"
            )
            busy = phase(base, args.readers, args.writers, args.seconds)
            print(
                f"{args.writers} writers + {args.readers} readers, {args.seconds:g} s: "
                f"{percentiles(busy['latencies'])}, {len(busy['read_failures'])} failed "
                f"reads, {busy['writes']} writes, {len(busy['write_failures'])} failed, "
                f"{busy['lost']} lost"
            )
            for failure in (busy["read_failures"] + busy["write_failures"])[:5]:
                print("   ", failure)
            took = runaway(base)
            print(
                f"/actors?q=Iran beside 4 runaway queries: {percentiles(took)}, "
                f"max {max(took) * 1000:.0f} ms"
            )
        finally:
            _stop(proc)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
