"""Export speed and peak memory on a store of >= 1 million triples.

The store is filled with document-shaped graphs written directly (no extraction), then each
format is exported in a fresh process so its peak RSS is its own: VmHWM of that process, not
ru_maxrss, which Linux carries over from the parent across exec (it reported this script's
own ~1 GB, from filling the store, as every export's peak).

    python bench/bench_export.py --triples 1000000
    python bench/bench_export.py --store bench/out/scale/store-12500   # an ingested store
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PER_DOC = 500
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from graph.export import export_to_path
from graph.store import OxigraphStore
store = OxigraphStore({store!r})
start = time.perf_counter()
export_to_path(store, {fmt!r}, __import__("pathlib").Path({out!r}))
seconds = time.perf_counter() - start
store.close()
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"seconds": seconds, "peak_mb": int(hwm.split()[1]) / 1024}}))
"""


def document_ntriples(n: int) -> bytes:
    """About PER_DOC triples in the shape of a document graph."""
    doc = f"https://evkg.org/id/document/{n:016x}"
    sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    evkg = "https://evkg.org/ontology#"
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    lines = [
        f'<{doc}> <https://evkg.org/ontology#contentHash> "h{n}" .',
        f'<{doc}> <http://purl.org/dc/terms/title> "Report number {n} on Iraq" .',
    ]
    for e in range((PER_DOC - 2) // 7):
        event = f"https://evkg.org/id/event/{n:016x}-{e}"
        mention = f"{doc}#char={e * 40},{e * 40 + 6}"
        lines += [
            f"<{event}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{sem}Event> .",
            f'<{event}> <http://www.w3.org/2000/01/rdf-schema#label> "Iran: attack -> Iraq {e}" .',
            f"<{event}> <{sem}hasActor> <https://evkg.org/id/actor/a{(n + e) % 300}> .",
            f"<{event}> <{evkg}source> <https://evkg.org/id/actor/a{e % 300}> .",
            f"<{event}> <http://groundedannotationframework.org/gaf#denotedBy> <{mention}> .",
            f'<{mention}> <{nif}anchorOf> "attack" .',
            f'<{mention}> <{nif}beginIndex> "{e * 40}"^^<{integer}> .',
        ]
    return ("\n".join(lines) + "\n").encode()


def fill(path: Path, triples: int) -> tuple[int, float]:
    from graph.store import DocumentGraph, OxigraphStore

    store = OxigraphStore(path)
    start = time.perf_counter()
    docs = triples // PER_DOC + 1
    batch = []
    for n in range(docs):
        batch.append(
            DocumentGraph(f"https://evkg.org/id/document/{n:016x}", f"h{n}", document_ntriples(n))
        )
        if len(batch) == 100:
            store.put_documents(batch)
            batch = []
    if batch:
        store.put_documents(batch)
    seconds = time.perf_counter() - start
    count = len(store._store)
    store.close()
    return count, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--formats", nargs="+", default=["turtle", "nquads", "trig"])
    parser.add_argument(
        "--store", type=Path, help="export this store (not open elsewhere) instead of filling one"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.store.parent if args.store else None) as tmp:
        if args.store:
            store = args.store
        else:
            store = Path(tmp) / "store"
            count, seconds = fill(store, args.triples)
            print(f"store: {count:,} quads written in {seconds:.1f} s ({count / seconds:,.0f}/s)")
        results = {}
        for fmt in args.formats:
            out = Path(tmp) / f"export.{fmt}"
            code = CHILD.format(root=str(ROOT), store=str(store), fmt=fmt, out=str(out))
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{fmt}: failed\n{done.stderr}")
                continue
            results[fmt] = json.loads(done.stdout)
            results[fmt]["mb"] = out.stat().st_size / 2**20
        base = results.get("nquads", next(iter(results.values())))["seconds"]
        for fmt, r in results.items():
            print(
                f"{fmt}: {r['seconds']:.1f} s (x{r['seconds'] / base:.2f} of nquads), "
                f"peak RSS {r['peak_mb']:.0f} MB, file {r['mb']:.0f} MB"
            )


if __name__ == "__main__":
    main()
