"""Ingestion on a Dask cluster against the local process pool, side by side in one run.

On one generated corpus: the local pool (`evkg ingest -j N`) with 1 and 2 processes, then a
real `dask scheduler` with 1 and then 2 `dask worker` processes (one thread each) on
loopback, into the embedded store (the client writes) and into an Oxigraph server (the
workers write; the local pool into the same kind of server for comparison). Per run:
documents/s, the CPU a document cost in each process (client and writer, scheduler,
workers), and the time inside store writes, which bounds what a single writer or the server
can take. The same documents as web pages (a folder with its metadata.jsonl), into the
embedded store with 2 workers, read by the client and shipped, then read by the workers,
each run twice (the second finds every document unchanged). The workers are started (and
warmed by a small ingestion) before the timed runs, as a standing cluster is; the local
pool starts and warms its processes in every run, so its start-up is timed too and shown
apart.

    python bench/bench_cluster.py --documents 400
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_ingest import cpu_seconds  # noqa: E402
from corpus import write_jsonl, write_pages  # noqa: E402

from graph.store import GraphStore, open_store  # noqa: E402
from ingest.cluster import ClusterIngestor, ReadOn  # noqa: E402
from ingest.pipeline import Ingestor, Summary  # noqa: E402
from tests.servers import Server, free_port, start_oxigraph  # noqa: E402

BIN = Path(sys.executable).parent


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def tree_cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for one in [proc, *proc.children(recursive=True)]:
                times = one.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


class Cluster:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.scheduler = self._start(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1]],
        )
        self.workers: list[subprocess.Popen] = []

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - kept by the process
        return subprocess.Popen(
            [str(BIN / "dask"), *args, "--no-dashboard"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def add_worker(self) -> None:
        from distributed import Client

        n = len(self.workers) + 1
        args = ["worker", self.address, "--nthreads", "1", "--no-nanny", "--name", f"w{n}"]
        self.workers.append(self._start(f"worker-{n}", args))
        with Client(self.address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(n, timeout=180)

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)


def measure(
    label: str,
    make: Callable[[GraphStore, str], Ingestor],
    spec: str,
    paths: list[str],
    cluster: Cluster | None,
    status: str = "new",
) -> dict:
    store = open_store(spec)
    ingestor = make(store, spec)
    client_before, local_before = own_cpu(), cpu_seconds()
    worker_pids = [p.pid for p in cluster.workers] if cluster else []
    workers_before = tree_cpu(worker_pids)
    scheduler_before = tree_cpu([cluster.scheduler.pid]) if cluster else 0.0
    started = time.perf_counter()
    summary: Summary = ingestor.run_paths(paths)
    wall = time.perf_counter() - started
    store.close()
    n = max(1, summary.documents)
    client = own_cpu() - client_before
    if cluster:
        workers = tree_cpu(worker_pids) - workers_before
        scheduler = tree_cpu([cluster.scheduler.pid]) - scheduler_before
    else:  # the pool's processes are this process's descendants
        workers, scheduler = cpu_seconds() - local_before - client, 0.0
    assert summary.failed == 0 and getattr(summary, status) == summary.documents, summary
    if isinstance(ingestor, ClusterIngestor):
        assert (summary.read_by_workers > 0) == (ingestor.read_on == "workers"), summary
    return {
        "label": label,
        "documents": summary.documents,
        "wall": wall,
        "rate": summary.documents / wall,
        "client_ms": 1000 * client / n,
        "scheduler_ms": 1000 * scheduler / n,
        "workers_ms": 1000 * workers / n,
        "write_ms": 1000 * summary.write_seconds / n,
    }


def local(jobs: int) -> Callable[[GraphStore, str], Ingestor]:
    return lambda store, _spec: Ingestor(store, jobs=jobs)


def on_cluster(
    cluster: Cluster, read_on: ReadOn = "client"
) -> Callable[[GraphStore, str], Ingestor]:
    return lambda store, spec: ClusterIngestor(
        store, cluster.address, store_spec=spec, read_on=read_on
    )


def server(workdir: Path, name: str) -> Iterator[Server]:
    path = workdir / name
    path.mkdir()
    return start_oxigraph(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--words", type=int, default=500)
    args = parser.parse_args()
    results: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        corpus = [str(write_jsonl(workdir / "corpus.jsonl", args.documents, words=args.words))]
        pages = [str(write_pages(workdir / "pages", args.documents, words=args.words))]
        warm = [str(write_jsonl(workdir / "warm.jsonl", 4, seed=3, words=args.words))]
        n = iter(range(1000))

        def embedded() -> str:
            return f"oxigraph:{workdir / f'store-{next(n)}'}"

        start_up = measure("local pool, 2 processes, 4 documents", local(2), embedded(), warm, None)
        cluster = Cluster(workdir)
        try:
            cluster.add_worker()
            measure("warm-up", on_cluster(cluster), embedded(), warm, cluster)
            results.append(measure("local pool, 1 process", local(1), embedded(), corpus, None))
            results.append(
                measure("cluster, 1 worker", on_cluster(cluster), embedded(), corpus, cluster)
            )
            cluster.add_worker()
            measure("warm-up", on_cluster(cluster), embedded(), warm, cluster)
            results.append(measure("local pool, 2 processes", local(2), embedded(), corpus, None))
            results.append(
                measure("cluster, 2 workers", on_cluster(cluster), embedded(), corpus, cluster)
            )
            for read_on in ("client", "workers"):
                spec = embedded()
                for status in ("new", "unchanged"):
                    label = f"cluster, 2 workers, HTML pages read by the {read_on}"
                    results.append(
                        measure(
                            label + (", rerun (all unchanged)" if status == "unchanged" else ""),
                            on_cluster(cluster, read_on),
                            spec,
                            pages,
                            cluster,
                            status,
                        )
                    )
            servers = server(workdir, "server-local")
            spec = next(servers).spec
            results.append(
                measure("local pool, 2 processes -> Oxigraph server", local(2), spec, corpus, None)
            )
            servers.close()
            servers = server(workdir, "server-cluster")
            spec = next(servers).spec
            results.append(
                measure(
                    "cluster, 2 workers write -> Oxigraph server",
                    on_cluster(cluster),
                    spec,
                    corpus,
                    cluster,
                )
            )
            servers.close()
        finally:
            cluster.stop()
    print(
        f"corpus: {args.documents} generated documents of ~{args.words} words; "
        f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}; local pool start-up "
        f"(2 processes, 4 documents): {start_up['wall']:.1f} s"
    )
    print()
    print(
        "| run | documents/s | client + writer ms/doc | scheduler ms/doc | "
        "extraction processes ms/doc | store writes ms/doc (wall) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['label']} | {r['rate']:.1f} | {r['client_ms']:.1f} | "
            f"{r['scheduler_ms']:.1f} | {r['workers_ms']:.1f} | {r['write_ms']:.1f} |"
        )


if __name__ == "__main__":
    main()
