"""Real SPARQL servers for the store tests, started on loopback and stopped after.

- Oxigraph's server: the `oxigraph` binary from the `oxigraph` package (test extra).
- OpenLink Virtuoso 7: `virtuoso-t` from the Debian package `virtuoso-opensource`
  (scripts/setup-system.sh installs it). Without the binary the Virtuoso tests skip, except
  under CI, where they fail: a missing server must never pass silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

VIRTUOSO_BINARY = "virtuoso-t"
VIRTUOSO_VAD = "/usr/share/virtuoso-opensource-7/vad"


@dataclass(frozen=True)
class Server:
    name: str
    spec: str  # EVKG_STORE value
    base: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, log: Path, seconds: float = 120.0) -> None:
    """Poll until the server answers (a condition, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{_tail(log)}")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not come up:\n{_tail(log)}")


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-3000:]
    except OSError:
        return ""


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise RuntimeError("the oxigraph server binary is missing: pip install 'evkg[test]'")
    return found


def start_oxigraph(workdir: Path) -> Iterator[Server]:
    port = free_port()
    log = workdir / "oxigraph.log"
    data = workdir / "oxigraph-data"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(data), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_http(f"{base}/query?query=ASK%7B%7D", proc, log)
        yield Server("oxigraph-server", f"oxigraph-server:{base}", base)
    finally:
        _stop(proc)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}, {vad}
VADInstallDir = {vad}/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 256M
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 120
DefaultGraph = urn:evkg:default
"""


def virtuoso_available() -> bool:
    return shutil.which(VIRTUOSO_BINARY) is not None


def start_virtuoso(workdir: Path, max_rows: int = 10_000) -> Iterator[Server]:
    """Virtuoso on loopback; `max_rows` is its row cap (ResultSetMaxRows), each SELECT's
    answer cut there."""
    data = workdir / "virtuoso"
    (data / "vsp").mkdir(parents=True)
    http_port, sql_port = free_port(), free_port()
    ini = data / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            d=data, sql_port=sql_port, http_port=http_port, vad=VIRTUOSO_VAD, max_rows=max_rows
        )
    )
    log = data / "virtuoso.log"
    with open(workdir / "virtuoso.out", "wb") as out:
        proc = subprocess.Popen(
            [VIRTUOSO_BINARY, "+configfile", str(ini), "+foreground"],
            cwd=data,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_http(f"{base}/sparql?query=ASK%7B%7D", proc, workdir / "virtuoso.out")
        yield Server("virtuoso", f"virtuoso:{base}", base)
    finally:
        _stop(proc)
        if log.exists() and os.environ.get("EVKG_KEEP_SERVER_LOGS"):
            shutil.copy(log, workdir / "virtuoso-final.log")


def need_virtuoso() -> None:
    """Skip without Virtuoso, unless under CI, where its absence is a failure."""
    if virtuoso_available():
        return
    if os.environ.get("CI"):
        pytest.fail("virtuoso-t is not installed (scripts/setup-system.sh installs it)")
    pytest.skip("virtuoso-t is not installed")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_oxigraph(tmp_path_factory.mktemp("oxigraph"))


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    need_virtuoso()
    yield from start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
