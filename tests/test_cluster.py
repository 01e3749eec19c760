"""`evkg ingest --cluster` on a real Dask cluster on loopback: a `dask scheduler`, two
`dask worker` processes and an Oxigraph server, against a local `evkg ingest` of the same
documents (text files the workers can read, the seeds with their metadata, and JSON Lines
the client ships)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.store import open_store
from tests.servers import Server, free_port, start_oxigraph

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
from corpus import documents, write_jsonl  # noqa: E402

TEXT_FILES = 10
JSONL_DOCS = 40


@dataclass
class Cluster:
    address: str
    workdir: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start_worker(self, name: str) -> None:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - kept by the process
        self.procs[name] = subprocess.Popen(
            [str(BIN / "dask"), "worker", self.address, "--nthreads", "1", "--no-nanny"]
            + ["--no-dashboard", "--name", name, "--local-directory", str(self.workdir)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(n, timeout=120)

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def kill_when_busy(self, name: str, run: subprocess.Popen) -> None:
        """Kill worker `name` while it runs a task of `run`."""
        from distributed import Client

        with Client(self.address, timeout=60, set_as_default=False) as client:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline and run.poll() is None:
                workers = client.scheduler_info(n_workers=-1)["workers"]
                address = next(a for a, w in workers.items() if w["name"] == name)
                if client.processing(workers=[address]).get(address):
                    time.sleep(0.2)  # into the task
                    self.kill(name)
                    return
                time.sleep(0.05)
        raise AssertionError(f"{name} was never busy while the run was under way")

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    workdir = tmp_path_factory.mktemp("dask")
    port = free_port()
    found = Cluster(f"tcp://127.0.0.1:{port}", workdir)
    log = open(workdir / "scheduler.log", "wb")  # noqa: SIM115 - kept by the process
    found.procs["scheduler"] = subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port)]
        + ["--no-dashboard"],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        found.start_worker("worker-1")
        found.start_worker("worker-2")
        found.wait_for_workers(2)
        yield found
    finally:
        found.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Plain text files with a metadata.jsonl (the seeds), more text files, JSON Lines."""
    root = tmp_path_factory.mktemp("corpus")
    folder = root / "texts"
    folder.mkdir()
    for name in ("metadata.jsonl", *(p.name for p in SEEDS.glob("*.txt"))):
        (folder / name).write_bytes((SEEDS / name).read_bytes())
    for n, record in enumerate(documents(TEXT_FILES, 11, 120)):
        (folder / f"generated-{n:02}.txt").write_text(record["text"], encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")  # a failure, reported alike
    jsonl = write_jsonl(root / "more.jsonl", JSONL_DOCS, seed=5, words=120)
    return [str(folder), str(jsonl)]


def ingest(paths: list[str], store: str, *more: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(BIN / "evkg"), "ingest", *paths, "--store", store, "--no-vocab", *more],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode in (0, 1), done.stderr
    return done


def quads(spec: str) -> set[str]:
    """The whole store as a set of N-Quads lines."""
    store = open_store(spec)
    try:
        out = io.BytesIO()
        store.dump(out, ox.RdfFormat.N_QUADS)
    finally:
        store.close()
    return set(out.getvalue().decode("utf-8").splitlines())


def summary_line(done: subprocess.CompletedProcess) -> str:
    return next(line for line in done.stdout.splitlines() if line.startswith("documents:"))


@pytest.fixture(scope="module")
def reference(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    spec = f"oxigraph:{tmp_path_factory.mktemp('reference') / 'store'}"
    done = ingest(corpus, spec, "-j", "1")
    total = TEXT_FILES + 2 + JSONL_DOCS
    assert f"documents: {total} new, 0 unchanged, 0 replaced, 1 failed" in done.stdout
    found = quads(spec)
    assert len(found) > 1000
    return found


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Server]:
    yield from start_oxigraph(tmp_path)


def test_cluster_into_the_embedded_store_equals_a_local_ingest(
    cluster: Cluster, corpus: list[str], reference: set[str], tmp_path: Path
) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    done = ingest(corpus, spec, "--cluster", cluster.address)
    assert summary_line(done) == f"documents: {TEXT_FILES + 2 + JSONL_DOCS} new, 0 unchanged, " + (
        "0 replaced, 1 failed"
    )
    assert "empty.txt: no text" in done.stdout
    assert quads(spec) == reference

    again = ingest(corpus, spec, "--cluster", cluster.address)
    assert f"0 new, {TEXT_FILES + 2 + JSONL_DOCS} unchanged" in summary_line(again)


@pytest.mark.parametrize("read_on", ["auto", "client"])
def test_workers_write_into_an_oxigraph_server_as_a_local_ingest_would(
    cluster: Cluster, corpus: list[str], reference: set[str], oxigraph: Server, read_on: str
) -> None:
    # On one machine the workers see the client's files: `auto` has them read the texts.
    env_cluster = {**os.environ, "EVKG_DASK_SCHEDULER": cluster.address}
    done = subprocess.run(
        [str(BIN / "evkg"), "ingest", *corpus, "--store", oxigraph.spec, "--no-vocab"]
        + ["--read-on", read_on, "-v"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env_cluster,
        timeout=900,
    )
    assert done.returncode == 1, done.stderr  # the empty file
    assert summary_line(done) == f"documents: {TEXT_FILES + 2 + JSONL_DOCS} new, 0 unchanged, " + (
        "0 replaced, 1 failed"
    )
    assert quads(oxigraph.spec) == reference
    again = ingest(corpus, oxigraph.spec, "--cluster", cluster.address)
    assert f"0 new, {TEXT_FILES + 2 + JSONL_DOCS} unchanged" in summary_line(again)


@pytest.mark.parametrize("store", ["embedded", "oxigraph-server"])
def test_a_worker_killed_mid_run_changes_nothing(
    cluster: Cluster,
    corpus: list[str],
    reference: set[str],
    tmp_path: Path,
    store: str,
) -> None:
    servers = start_oxigraph(tmp_path) if store == "oxigraph-server" else None
    spec = next(servers).spec if servers else f"oxigraph:{tmp_path / 'store'}"
    try:
        proc = subprocess.Popen(
            [str(BIN / "evkg"), "ingest", *corpus, "--store", spec, "--no-vocab", "-v"]
            + ["--cluster", cluster.address, "--read-on", "client"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        cluster.kill_when_busy("worker-2", proc)
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 1, err  # the empty file, nothing else
        summary = next(line for line in out.splitlines() if line.startswith("documents:"))
        # a document the killed worker had written is found unchanged when its task reruns
        counts = [int(n) for n in summary.split()[1:8:2]]
        assert counts[0] + counts[1] == TEXT_FILES + 2 + JSONL_DOCS
        assert counts[2:] == [0, 1]
        assert quads(spec) == reference
    finally:
        if servers is not None:
            servers.close()
        if "worker-2" not in cluster.procs:
            cluster.start_worker("worker-2")
            cluster.wait_for_workers(2)
