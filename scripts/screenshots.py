"""Screenshots of the SPARQL editor, Swagger UI and ReDoc pages for the README.

Ingests the seed documents into a new store (in a temporary folder, named as
`bash scripts/run.sh` names its store), serves it with the real app on loopback, and
photographs each page in headless Chromium with every request to anything but this
machine refused. Needs what the tests need: Debian's chromium (scripts/setup-system.sh)
and the environment and npm packages of scripts/setup.sh.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, Route, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.api_server import serve_api  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.servers import _stop  # noqa: E402

VIEWPORT = {"width": 1400, "height": 860}


def free_port(preferred: int = 8000) -> int:
    """`bash scripts/run.sh`'s port when it is free (the pictures then show its URLs)."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port")


@contextmanager
def seeded_server(folder: Path) -> Iterator[str]:
    """`evkg ingest seeds` into ./data/evkg under `folder`, then `evkg serve` on it."""
    env = {**os.environ, "EVKG_STORE": "oxigraph:./data/evkg"}
    env.pop("EVKG_TOKEN", None)
    subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", str(ROOT / "seeds"), "--jobs", "1"],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    proc = serve_api(port, env, folder / "server.log", cwd=folder)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def offline(route: Route) -> None:
    host = urlsplit(route.request.url).hostname
    if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        print(f"refused: {route.request.url}", file=sys.stderr)
        route.abort()


def sparql(page: Page) -> None:
    """An example run: who attacked whom, as a table."""
    page.click("button[data-example='1']")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector(".tabPanel.active .yasr table.dataTable tbody tr", timeout=30000)


def swagger(page: Page) -> None:
    """The list of operations, from the top."""
    page.wait_for_selector(".opblock", timeout=30000)


def redoc(page: Page) -> None:
    """The SPARQL operations, picked in the sidebar."""
    page.locator("li[data-item-id='tag/sparql'] > label").click()
    page.locator("li[data-item-id='tag/sparql/operation/sparql_get_sparql_get'] > label").click()


SHOTS: dict[str, tuple[str, Callable[[Page], None]]] = {
    "sparql": ("/sparql", sparql),
    "swagger-ui": ("/docs", swagger),
    "redoc": ("/redoc", redoc),
}


def take(base: str, out: Path, names: list[str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in names:
            path, prepare = SHOTS[name]
            context: Any = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
            context.route("**/*", offline)
            page = context.new_page()
            page.goto(base + path)
            page.wait_for_selector("body[data-state=ready]", timeout=30000)
            page.locator(".evkg-served").filter(has_text="events").wait_for(timeout=30000)
            prepare(page)
            page.wait_for_timeout(400)  # let scrolling and fonts settle
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            written.append(target)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "pages", nargs="*", metavar="PAGE", help=f"some of {', '.join(SHOTS)} (default: all)"
    )
    args = parser.parse_args()
    unknown = set(args.pages) - set(SHOTS)
    if unknown:
        parser.error(f"no page {', '.join(sorted(unknown))}: pick from {', '.join(SHOTS)}")
    folder = Path(tempfile.mkdtemp(prefix="evkg-screenshots-"))
    try:
        with seeded_server(folder) as base:
            for path in take(base, args.out, args.pages or list(SHOTS)):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
