"""`evkg ingest --cluster` on a real Dask cluster on loopback: a `dask scheduler`, two
`dask worker` processes and an Oxigraph server, against a local `evkg ingest` of the same
documents (text files the workers can read, the seeds with their metadata, and JSON Lines
the client ships)."""

from __future__ import annotations

import io
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from graph.store import open_store
from graph.store.remote import VERSION_GRAPH
from graph.store.vocab import HAPPENINGS_GRAPH
from tests.servers import Server, _stop, _wait_http, free_port, start_oxigraph

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
from corpus import documents, write_jsonl  # noqa: E402

TEXT_FILES = 10
JSONL_DOCS = 40


def recipe_line(program: str, ports: dict[str, int], **paths: str) -> tuple[dict, list[str]]:
    """The README's cluster recipe line that runs `program` ("dask worker", "evkg ingest"...),
    made to run here: hosts on loopback, free ports, `paths` for its paths, our binaries.
    Returns the environment it sets and its words."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- cluster recipe:", 1)[1].split("```bash\n", 1)[1]
    for line in block.split("```", 1)[0].splitlines():
        words = shlex.split(line, comments=True)
        env = {}
        while words and "=" in words[0]:
            key, _, value = words.pop(0).partition("=")
            env[key] = value
        if " ".join(words[:2]) != program:
            continue
        out = [str(BIN / words[0])]
        for word in words[1:]:
            for old, new in (("a.example", "127.0.0.1"), ("0.0.0.0", "127.0.0.1")):
                word = word.replace(old, new)
            for port, value in ports.items():
                word = str(value) if word == port else word.replace(f":{port}", f":{value}")
            out += paths[word].split("\0") if word in paths else [word]
        return env, out
    raise AssertionError(f"the README's cluster recipe has no {program} line")


@dataclass
class Cluster:
    address: str
    workdir: Path
    ports: dict[str, int]
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start_worker(self, name: str) -> None:
        env, words = recipe_line("dask worker", self.ports)
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - kept by the process
        self.procs[name] = subprocess.Popen(
            [*words, "--no-dashboard", "--name", name, "--local-directory", str(self.workdir)],
            cwd=ROOT,
            env={**os.environ, **env},
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
    ports = {"8786": free_port(), "7878": free_port()}
    found = Cluster(f"tcp://127.0.0.1:{ports['8786']}", workdir, ports)
    _, words = recipe_line("dask scheduler", ports)
    log = open(workdir / "scheduler.log", "wb")  # noqa: SIM115 - kept by the process
    found.procs["scheduler"] = subprocess.Popen(
        [*words, "--no-dashboard"],
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


def ingest(
    paths: list[str], store: str, *more: str, runner: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [*runner, str(BIN / "evkg"), "ingest", *paths, "--store", store, "--no-vocab", *more],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode in (0, 1), done.stderr
    return done


def quads(spec: str) -> set[str]:
    """The whole store as a set of N-Quads lines (a remote store's version stamp aside: it
    is new at every write)."""
    if spec.startswith("oxigraph-server:"):  # the dataset in one answer, not paged queries
        url = spec.partition(":")[2] + "/store"
        answer = httpx.get(url, headers={"Accept": "application/n-quads"}, timeout=120)
        answer.raise_for_status()
        return {line for line in answer.text.splitlines() if f"<{VERSION_GRAPH}> ." not in line}
    with closing(open_store(spec)) as store:
        out = io.BytesIO()
        store.dump(out, ox.RdfFormat.N_QUADS)
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
    # On one machine the workers see the client's files: `auto` has them read the texts.
    assert f"read by the cluster's workers: {TEXT_FILES + 3} documents" in done.stdout
    assert quads(spec) == reference

    again = ingest(corpus, spec, "--cluster", cluster.address)
    assert f"0 new, {TEXT_FILES + 2 + JSONL_DOCS} unchanged" in summary_line(again)


@pytest.fixture(scope="module")
def other_view(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ...]:
    """Words that run a command for which the corpus' text files hold other bytes than the
    workers read there: not UTF-8, one byte longer (a folder mounted over theirs, in a user
    and mount namespace of the command's own)."""
    texts = Path(corpus[0])
    other = tmp_path_factory.mktemp("other-view")
    for path in texts.iterdir():
        (other / path.name).write_bytes(b"\xff" * (path.stat().st_size + 1))
    words = ("unshare", "--user", "--map-root-user", "--mount", "sh", "-c")
    mount = ('mount --bind "$1" "$2" && shift 2 && exec "$@"', "sh", str(other), str(texts))
    probe = subprocess.run([*words, *mount, "cat", str(texts / "empty.txt")], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no user and mount namespaces here: {probe.stderr.decode()[:200]}")
    assert probe.stdout == b"\xff"  # the command's view, not the workers'
    return (*words, *mount)


def test_the_workers_read_the_files_for_the_embedded_store(
    cluster: Cluster,
    corpus: list[str],
    reference: set[str],
    other_view: tuple[str, ...],
    tmp_path: Path,
) -> None:
    """The client cannot read the texts the workers read (it sees other bytes at their
    paths): only documents read by the workers give the local ingest's store."""
    spec = f"oxigraph:{tmp_path / 'store'}"
    args = ("--cluster", cluster.address, "--read-on", "workers")
    done = ingest(corpus, spec, *args, runner=other_view)
    total = TEXT_FILES + 2 + JSONL_DOCS
    assert summary_line(done) == f"documents: {total} new, 0 unchanged, 0 replaced, 1 failed"
    assert "empty.txt: no text" in done.stdout
    assert f"read by the cluster's workers: {TEXT_FILES + 3} documents" in done.stdout
    assert quads(spec) == reference

    again = ingest(corpus, spec, *args, runner=other_view)  # skipped on the workers' hashes
    assert summary_line(again) == f"documents: 0 new, {total} unchanged, 0 replaced, 1 failed"


def test_auto_has_the_client_read_files_the_workers_see_otherwise(
    cluster: Cluster, corpus: list[str], other_view: tuple[str, ...], tmp_path: Path
) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    done = ingest([corpus[0]], spec, "--cluster", cluster.address, runner=other_view)
    files = TEXT_FILES + 3
    assert summary_line(done) == f"documents: 0 new, 0 unchanged, 0 replaced, {files} failed"
    assert done.stdout.count(": not UTF-8 text") == files  # the client's view, read here
    assert "read by the cluster's workers" not in done.stdout


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
    read_there = f"read by the cluster's workers: {TEXT_FILES + 3} documents"
    assert (read_there in done.stdout) == (read_on == "auto")
    again = ingest(corpus, oxigraph.spec, "--cluster", cluster.address)
    assert f"0 new, {TEXT_FILES + 2 + JSONL_DOCS} unchanged" in summary_line(again)


@pytest.mark.parametrize(
    ("store", "read_on"),
    [("embedded", "client"), ("embedded", "workers"), ("oxigraph-server", "client")],
)
def test_a_worker_killed_mid_run_changes_nothing(
    cluster: Cluster,
    corpus: list[str],
    reference: set[str],
    tmp_path: Path,
    store: str,
    read_on: str,
) -> None:
    # reading on the workers, the documents a killed worker held are read again elsewhere
    servers = start_oxigraph(tmp_path) if store == "oxigraph-server" else None
    spec = next(servers).spec if servers else f"oxigraph:{tmp_path / 'store'}"
    try:
        proc = subprocess.Popen(
            [str(BIN / "evkg"), "ingest", *corpus, "--store", spec, "--no-vocab", "-v"]
            + ["--cluster", cluster.address, "--read-on", read_on],
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


def test_evkg_cluster_says_how_to_start_and_checks_the_workers(cluster: Cluster) -> None:
    shown = subprocess.run(
        [str(BIN / "evkg"), "cluster"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "dask scheduler --host 0.0.0.0 --port 8786" in shown.stdout
    assert "worker tcp://SCHEDULER:8786 --nworkers $(nproc) --nthreads 1" in shown.stdout
    assert "EVKG_CODER=" in shown.stdout
    checked = subprocess.run(
        [str(BIN / "evkg"), "cluster", "--check", cluster.address],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert ": 2 workers, 2 threads" in checked.stdout
    assert checked.stdout.count(" ok\n") == 2


def documents_only(found: set[str]) -> set[str]:
    """The quads of the documents' graphs and their happenings (not the vocabularies')."""
    return {
        q
        for q in found
        if q.rsplit(" ", 2)[-2].startswith("<https://evkg.org/id/document/")
        or q.rsplit(" ", 2)[-2] == f"<{HAPPENINGS_GRAPH}>"
    }


def test_the_readme_recipe(
    cluster: Cluster, corpus: list[str], reference: set[str], tmp_path: Path
) -> None:
    """The recipe's scheduler and workers are the module's cluster; here its store and
    its ingestion, vocabularies included."""
    _, words = recipe_line("oxigraph serve", cluster.ports, **{"evkg-store": str(tmp_path)})
    log = tmp_path / "oxigraph.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(words, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{cluster.ports['7878']}"
    try:
        _wait_http(f"{base}/query?query=ASK%7B%7D", server, log)
        env, words = recipe_line("evkg ingest", cluster.ports, **{"news/": "\0".join(corpus)})
        done = subprocess.run(
            words, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
        )
        assert done.returncode == 1, done.stderr  # the empty file
        assert "vocabulary ontology: new" in done.stderr
        assert "1 failed" in summary_line(done)
        stored = quads(f"oxigraph-server:{base}")
        assert documents_only(stored) == documents_only(reference) == reference
        assert len(stored) > len(reference)  # and the vocabularies
    finally:
        _stop(server)
