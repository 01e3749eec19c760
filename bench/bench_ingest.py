"""Bulk ingestion speed: documents/s with 1 and 2 extraction processes, and triples/s into
the store, on a generated corpus; memory sampled as the run goes to show it stays flat.

Also the CPU time all processes spent per document (the writer's and the workers'): it
moves less with the machine's load than documents/s do, but a slower host moves it too
(18.4 to 27.0 ms for the same code within an hour), so compare runs made side by side.

    python bench/bench_ingest.py --documents 10000
    python bench/bench_ingest.py --documents 10000 --jobs 2 --matching on off on off

`--matching` runs each configuration with the clustering of reports into happenings after
every batch (`on`, what `evkg ingest` does) or without (`off`), in the order given, so the
cost of matching is measured side by side.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_jsonl  # noqa: E402
from procs import descendants, stat_fields  # noqa: E402

from graph import queries  # noqa: E402
from graph.store import OxigraphStore  # noqa: E402
from ingest.pipeline import BATCH_SIZE, Ingestor  # noqa: E402
from ingest.readers import read_paths  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def cpu_seconds() -> float:
    """User + system time of this process and all its descendants, live or ended (the
    pool's workers are children of the forkserver, so RUSAGE_CHILDREN would not see them;
    once they end, their time is in the forkserver's cutime and cstime)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = 0.0
    table = stat_fields()
    for pid in descendants(os.getpid(), {pid: int(fields[1]) for pid, fields in table.items()}):
        # utime stime cutime cstime
        seconds += sum(int(table[pid][k]) for k in (11, 12, 13, 14)) / ticks
    return seconds


def own_cpu_seconds() -> float:
    """User + system time of this process: the writer, with the store's own threads
    (Oxigraph's bulk loader, RocksDB's compactions); the rest of `cpu_seconds` is the
    extraction workers'."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(
    corpus: Path, jobs: int, workdir: Path, total: int, batch_size: int, matching: bool = True
) -> dict:
    store = OxigraphStore(workdir / f"store-{jobs}-{matching}-{len(os.listdir(workdir))}")
    cpu_before = cpu_seconds()
    writer_before = own_cpu_seconds()
    samples: list[tuple[int, float]] = []
    marks = {total // 4, total // 2, 3 * total // 4}

    def on_outcome(_outcome) -> None:  # type: ignore[no-untyped-def]
        done = ingestor.summary.documents
        if done in marks:
            samples.append((done, rss_mb()))

    ingestor = Ingestor(
        store, jobs=jobs, batch_size=batch_size, on_outcome=on_outcome, happenings=matching
    )
    summary = ingestor.run(read_paths([corpus]))
    samples.append((summary.documents, rss_mb()))
    happenings = store.select(queries.stats())[0].get("happenings", 0) if matching else None
    store.close()
    cpu = cpu_seconds() - cpu_before
    writer_cpu = own_cpu_seconds() - writer_before
    return {
        "jobs": jobs,
        "matching": matching,
        "match_seconds": summary.match_seconds,
        "events": summary.events,
        "happenings": happenings,
        "documents": summary.documents,
        "failed": summary.failed,
        "seconds": summary.seconds,
        "docs_per_s": summary.documents / summary.seconds,
        "triples": summary.triples,
        "write_triples_per_s": summary.triples / summary.write_seconds
        if summary.write_seconds
        else 0,
        "rss_mb": samples,
        "cpu_ms_per_doc": 1000 * cpu / max(1, summary.documents),
        "writer_ms_per_doc": 1000 * writer_cpu / max(1, summary.documents),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--batch-size", type=int, default=BATCH_SIZE, help="documents per store write"
    )
    parser.add_argument("--matching", choices=["on", "off"], nargs="+", default=["on"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        corpus = write_jsonl(workdir / "corpus.jsonl", args.documents, words=args.words)
        results = [
            run(corpus, jobs, workdir, args.documents, args.batch_size, matching == "on")
            for jobs in args.jobs
            for matching in args.matching
        ]
    base = results[0]["docs_per_s"]
    print(
        f"corpus: {args.documents} documents of ~{args.words} words, {args.batch_size} a write; "
        f"{os.getloadavg()=}"
    )
    for r in results:
        memory = ", ".join(f"{n}: {mb:.0f} MB" for n, mb in r["rss_mb"])
        matched = ""
        if r["matching"]:
            matched = (
                f"; matching {r['match_seconds']:.1f} s: {r['events']} reports in "
                f"{r['happenings']} happenings"
            )
        print(
            f"jobs={r['jobs']} matching={'on' if r['matching'] else 'off'}: "
            f"{r['docs_per_s']:.1f} documents/s "
            f"(x{r['docs_per_s'] / base:.2f} of jobs={results[0]['jobs']}), "
            f"{r['seconds']:.1f} s, {r['triples']} triples, failed {r['failed']}, "
            f"store writes {r['write_triples_per_s']:,.0f} triples/s; "
            f"CPU {r['cpu_ms_per_doc']:.1f} ms/document "
            f"({r['writer_ms_per_doc']:.1f} in the writer and the store); writer RSS {memory}"
            f"{matched}"
        )


if __name__ == "__main__":
    main()
