"""The real API server for tests: uvicorn in a subprocess on a free loopback port, on a
temporary on-disk store seeded with the seed documents; stopped after."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.servers import _stop, _wait_http, free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "test-token"


@dataclass(frozen=True)
class ApiServer:
    base: str
    token: str
    store_path: Path

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def put_graph(self, graph: str, turtle: str, timeout: float = 60) -> httpx.Response:
        """Replace the named `graph` with `turtle` (Graph Store Protocol PUT, authorised)."""
        return httpx.put(
            f"{self.base}/rdf-graphs",
            params={"graph": graph},
            content=turtle,
            headers={"Content-Type": "text/turtle", **self.auth},
            timeout=timeout,
        )


def seed_store(path: Path) -> None:
    """Ingest the seeds (in a child process, which then releases the store)."""
    env = {**os.environ, "EVKG_STORE": f"oxigraph:{path}"}
    subprocess.run([sys.executable, "-m", "app.cli", "ingest", "seeds", "--jobs", "1"],
                   cwd=ROOT, env=env, check=True, capture_output=True)


def start_api(workdir: Path, seeded: Path | None = None, **env_extra: str) -> Iterator[ApiServer]:
    """Serve a copy of the store at `seeded` (else an empty one)."""
    store = workdir / "store"
    if seeded is not None:
        shutil.copytree(seeded, store)
    port = free_port()
    env = {**os.environ, "EVKG_STORE": f"oxigraph:{store}", "EVKG_TOKEN": TOKEN,
           "EVKG_QUERY_TIMEOUT": "5", **env_extra}
    proc = serve_api(port, env, workdir / "server.log")
    try:
        yield ApiServer(f"http://127.0.0.1:{port}", TOKEN, store)
    finally:
        _stop(proc)


def serve_api(port: int, env: dict[str, str], log: Path, *, cwd: Path = ROOT,
              append: bool = False, new_session: bool = False) -> subprocess.Popen:
    """`evkg serve` on loopback `port` under `env`, run in `cwd`, its output in `log` (added
    to it with `append`), once it answers /health; stopped again if it never does."""
    with log.open("ab" if append else "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port),
             "--log-level", "warning"],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=new_session,
        )
    try:
        _wait_http(f"http://127.0.0.1:{port}/health", proc, log)
    except BaseException:
        _stop(proc)
        raise
    return proc


def sparql_json(base: str, query: str, timeout: float = 60) -> Any:
    """The server's answer to `query` (POSTed to /sparql), as SPARQL JSON results."""
    r = httpx.post(f"{base}/sparql", data={"query": query}, timeout=timeout,
                   headers={"Accept": "application/sparql-results+json"})
    return r.json()
