"""SPARQL updates through the API on a store holding the seeds and every vocabulary (about
225,000 quads): graph management (CLEAR ALL, DROP GRAPH), which the store runs itself, and
an INSERT ... WHERE copying the gazetteer's labels, which runs in a query worker.

Two stores: one `evkg ingest` filled ("ingested"), and one the server fills itself at
start, loading the vocabularies into an empty folder ("loaded at start": its writes are
still in RocksDB's memtable and log when the update comes). Each repetition serves a fresh
copy (hard-linked, as `bench_api.clone`), so every update meets the whole store; the clock
covers the one POST /sparql, from request to answer, and the store is then checked to hold
what the update left. `--code` serves another checkout (the code before a change).

    python bench/bench_update.py --repetitions 3 [--code ../main]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import OUT, clone, free_port, server  # noqa: E402

TOKEN = "bench-token"
ACTORS = "https://evkg.org/graph/actors"
COPY = "https://example.org/graph/labels"
LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
UPDATES = {
    "CLEAR ALL": ("CLEAR ALL", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", 0),
    "DROP GRAPH <actors>": (
        f"DROP GRAPH <{ACTORS}>",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ACTORS}> {{ ?s ?p ?o }} }}",
        0,
    ),
    # an update that matches a pattern runs in a query worker, on a copy of the store
    "INSERT labels WHERE": (
        f"INSERT {{ GRAPH <{COPY}> {{ ?a <{LABEL}> ?name }} }} "
        f"WHERE {{ GRAPH <{ACTORS}> {{ ?a <{LABEL}> ?name }} }}",
        f"SELECT ((?copied - ?labels) AS ?n) WHERE {{ "
        f"{{ SELECT (COUNT(*) AS ?copied) WHERE {{ GRAPH <{COPY}> {{ ?s ?p ?o }} }} }} "
        f"{{ SELECT (COUNT(*) AS ?labels) WHERE {{ GRAPH <{ACTORS}> {{ ?s <{LABEL}> ?o }} }} }} }}",
        0,
    ),
}


def seeded() -> Path:
    """The seeds ingested once (with the vocabularies `evkg ingest` loads), cached."""
    store = OUT / "update-store"
    done = store.with_suffix(".done")
    if not done.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "EVKG_STORE": f"oxigraph:{store}"}
        subprocess.run(
            [sys.executable, "-m", "app.cli", "ingest", "seeds", "--jobs", "1"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=1800,
            capture_output=True,
        )
        done.touch()
    return store


def once(store: Path | None, update: str, check: str, expected: int, code: Path) -> float:
    """Serve a copy of `store` (None: an empty one the server fills), time one update,
    check what it left."""
    import httpx

    copy = OUT / "update-run"
    if store is None:
        shutil.rmtree(copy, ignore_errors=True)
    else:
        clone(store, copy)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "EVKG_STORE": f"oxigraph:{copy}",
        "EVKG_TOKEN": TOKEN,
        "EVKG_WARM_EXTRACTOR": "0",
        "EVKG_WARM_NETWORK": "0",
    }
    command = [
        sys.executable,
        "-m",
        "app.cli",
        "serve",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with server(command, env, f"{base}/health", 300, OUT / "update-server.log", cwd=code):
        started = time.perf_counter()
        r = httpx.post(
            f"{base}/sparql",
            content=update,
            timeout=600,
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
        )
        elapsed = time.perf_counter() - started
        if r.status_code != 204:
            raise RuntimeError(f"{update}: {r.status_code} {r.text[:300]}")
        answer = httpx.post(
            f"{base}/sparql",
            data={"query": check},
            timeout=60,
            headers={"Accept": "application/sparql-results+json"},
        ).json()
        left = int(answer["results"]["bindings"][0]["n"]["value"])
        if left != expected:
            raise RuntimeError(f"{update}: {left} quads left, expected {expected}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to serve")
    args = parser.parse_args()
    stores = {"ingested": seeded(), "loaded at start": None}
    print("| store | update | median s | min s | max s | runs |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, store in stores.items():
        for name, (update, check, expected) in UPDATES.items():
            times = [
                once(store, update, check, expected, args.code.resolve())
                for _ in range(args.repetitions)
            ]
            print(
                f"| {label} | `{name}` | {statistics.median(times):.2f} | {min(times):.2f} "
                f"| {max(times):.2f} | {len(times)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
