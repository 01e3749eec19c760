"""Time to first draw of a 2,000-actor, 4,000-dyad network on the page, in headless Chromium.

Builds a synthetic store (one event per dyad, random CAMEO codes and dates), serves it with
the real app on loopback, and opens `/` several times. The figure is the page's own clock:
`performance.now()` at Cytoscape's first render, i.e. from navigation start, including the
facets and network requests. The first load pays for the server's layout; later loads are
served from the position cache.

`--against DIR` serves a second checkout (say an older commit, unpacked with
`git archive COMMIT | tar -x -C DIR`, with `node_modules` linked into it) from a copy of the
same store, and opens the two pages alternately, so that the ratio is measured under the
same load even when the machine is shared.

    .venv/bin/python bench/bench_draw.py [--nodes 2000] [--edges 4000] [--runs 5]
        [--against DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.store import OxigraphStore  # noqa: E402
from graph.store.vocab import load_vocabularies  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CODES = ["010", "036", "042", "057", "070", "090", "111", "112", "130", "160", "173", "180",
         "190", "195"]
KINDS = ["State", "GovernmentBody", "ArmedForce", "Militia", "Person", "Other"]


def synthetic_turtle(nodes: int, edges: int, seed: int = 1) -> bytes:
    """One document graph holding `edges` distinct dyads among `nodes` actors; degrees are
    skewed (preferential choice) as in real event data."""
    rng = random.Random(seed)
    lines = [
        "@prefix evkg: <https://evkg.org/ontology#> .",
        "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "<https://evkg.org/id/document/bench> a evkg:Document ; evkg:contentHash \"bench\" .",
    ]
    for i in range(nodes):
        kind = KINDS[i % len(KINDS)]
        lines.append(f'<https://evkg.org/id/actor/b{i}> skos:prefLabel "Actor {i}" ; '
                     f"evkg:actorKind evkg:{kind} .")
    pool = list(range(nodes))
    dyads: set[tuple[int, int]] = set()
    while len(dyads) < edges:
        s = rng.choice(pool)
        t = rng.randrange(nodes)
        if s != t and (s, t) not in dyads:
            dyads.add((s, t))
            pool.extend((s, t))  # the busy get busier
    for n, (s, t) in enumerate(sorted(dyads)):
        date = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(
            f"<https://evkg.org/id/event/bench-{n}> a sem:Event ; "
            f"evkg:source <https://evkg.org/id/actor/b{s}> ; "
            f"evkg:target <https://evkg.org/id/actor/b{t}> ; "
            f"sem:hasActor <https://evkg.org/id/actor/b{s}>, <https://evkg.org/id/actor/b{t}> ; "
            f"sem:eventType <https://evkg.org/cameo/{rng.choice(CODES)}> ; "
            f'sem:hasTimeStamp "{date}"^^xsd:date ; '
            "prov:wasDerivedFrom <https://evkg.org/id/document/bench> ."
        )
    return "\n".join(lines).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(root: Path, store: Path) -> tuple[subprocess.Popen, str]:
    """The app of checkout `root` on the store at `store`, once it answers."""
    port = free_port()
    env = {**os.environ, "EVKG_STORE": f"oxigraph:{store}", "PYTHONPATH": str(root)}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=root, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError(f"the server of {root} exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/network/facets", timeout=5).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"the server of {root} did not start")


def first_draw(browser, base: str) -> dict:
    """Open the page once; the page's own clock for data in and first draw, in seconds."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(base + "/")
        page.wait_for_selector("body[data-state=ready]", timeout=120000)
        got = page.evaluate("""() => ({drawn: evkg.drawnAt, fetched: evkg.fetchedAt,
            marks: evkg.marks || null,
            counts: [evkg.cy.nodes().length, evkg.cy.edges().length]})""")
    finally:
        page.close()
    return {"drawn": got["drawn"] / 1000, "fetched": got["fetched"] / 1000,
            "marks": got["marks"], "counts": got["counts"]}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="another evkg checkout to measure alternately with this one")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    roots = {"this": ROOT}
    if args.against:
        roots["against"] = args.against.resolve()
    times: dict[str, list[dict]] = {name: [] for name in roots}
    print(f"load average at start: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="evkg-bench-draw-") as tmp:
        path = Path(tmp) / "store"
        store = OxigraphStore(path)
        load_vocabularies(store)
        store.load(synthetic_turtle(args.nodes, args.edges), "https://evkg.org/id/document/bench",
                   "turtle")
        store.close()
        servers = {}
        try:
            for name, root in roots.items():
                copy = Path(tmp) / f"store-{name}"
                shutil.copytree(path, copy)  # the embedded store has one owner
                servers[name] = serve(root, copy)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=CHROMIUM_ARGS)
                for run in range(args.runs + 1):
                    for name, (_, base) in servers.items():
                        got = first_draw(browser, base)
                        label = "cold (layout on the server)" if run == 0 else f"warm run {run}"
                        marks = ""
                        if got["marks"]:
                            m = got["marks"]
                            marks = (f"; after the data: elements {m['elements']:.0f} ms, "
                                     f"Cytoscape created {m['created']:.0f} ms, "
                                     f"drawn {m['drawn']:.0f} ms")
                        print(f"{name} {label}: first draw after {got['drawn']:.2f} s "
                              f"(data in after {got['fetched']:.2f} s{marks}), "
                              f"{got['counts'][0]} actors, {got['counts'][1]} dyads", flush=True)
                        if run:
                            times[name].append(got)
                browser.close()
        finally:
            for server, _ in servers.values():
                server.terminate()
                server.wait(10)
    print(f"load average at end: {load_average()}")
    medians = {}
    for name, got in times.items():
        drawn = [g["drawn"] for g in got]
        fetched = [g["fetched"] for g in got]
        medians[name] = statistics.median(drawn)
        print(f"{name} ({roots[name]}): time to first draw (cached positions): median "
              f"{medians[name]:.2f} s, max {max(drawn):.2f} s over {len(drawn)} runs "
              f"(target <= 2 s); data in: median {statistics.median(fetched):.2f} s")
    if "against" in medians:
        print(f"ratio against/this of the median first draw: "
              f"{medians['against'] / medians['this']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
