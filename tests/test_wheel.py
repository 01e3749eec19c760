"""The wheel works away from the checkout: built from the sources, installed into a fresh
virtual environment, and run from a folder outside the checkout (`evkg extract`, `evkg
ingest`, `evkg serve`), it finds its vocabularies, dictionaries and pages in itself.

The fresh environment gets evkg from the wheel only; its dependencies (spaCy and the rest,
and the pinned English model) are read from the checkout's environment through a path file
added after the install, so the test needs no download and takes seconds. Nothing of the
checkout is on its path: the test checks where `app`, `ingest` and `ontology` come from.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.pages import NPM_PACKAGES
from tests.servers import _wait_http, free_port

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "002_b35e7bfbbd023063.txt"
SOURCES = ["pyproject.toml", "README.md", "app", "graph", "ingest", "ontology"]
# Files the installed packages read at run time, each of which the wheel must carry.
DATA = [
    "ontology/evkg.ttl",
    "ontology/actors.ttl",
    "ontology/countries.ttl",
    "ontology/international.ttl",
    "ontology/armed_groups.ttl",
    "ontology/agents.ttl",
    "ontology/places.ttl",
    "ontology/cameo.ttl",
    "ontology/shapes.ttl",
    "ingest/dictionaries/triggers.yaml",
    "ingest/dictionaries/cameo_verbs.yaml",
    "ingest/dictionaries/grammar.yaml",
    "ingest/dictionaries/mentions.yaml",
    "app/static/index.html",
    "app/static/app.js",
    "app/static/style.css",
    "app/static/pages/pages.css",
    "app/static/pages/service.js",
    "app/static/pages/sparql.js",
]


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    site: Path  # the fresh environment's site-packages
    work: Path  # a folder outside the checkout, the commands' working directory
    env: dict[str, str]

    def evkg(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "evkg"), *args],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def _build(tmp: Path) -> Path:
    """The wheel, built from a copy of the sources (so the checkout gets no build/ folder)
    with the pinned setuptools of the test environment, without build isolation."""
    source = tmp / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "sources", "node_modules")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(dist),
            str(source),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (wheel,) = dist.glob("evkg-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    tmp = tmp_path_factory.mktemp("wheel")
    assert not tmp.resolve().is_relative_to(ROOT)
    wheel = _build(tmp)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies from the checkout's environment, after the fresh one on the path.
    # A plain path line: the checkout environment's own path files (its editable evkg) are
    # not read.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp / "work"
    work.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EVKG_") and key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env["EVKG_CACHE_DIR"] = str(tmp / "cache")
    yield Installed(wheel, venv, site, work, env)


def test_the_wheel_carries_the_data_files(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    assert [name for name in DATA if name not in names] == []
    # neither the vocabularies' sources nor the front-end packages
    assert not any(n.startswith(("ontology/sources/", "node_modules/")) for n in names)


def test_the_installed_packages_are_the_wheels(installed: Installed) -> None:
    code = (
        "import app, ingest, ontology, json\n"
        "from ingest.resources import ontology_dir, dictionaries_dir\n"
        "print(json.dumps([app.__file__, ingest.__file__, ontology.__file__,"
        " str(ontology_dir()), str(dictionaries_dir())]))"
    )
    result = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", code],
        cwd=installed.work,
        env=installed.env,
        capture_output=True,
        text=True,
        check=True,
    )
    for path in json.loads(result.stdout):
        assert Path(path).resolve().is_relative_to(installed.site.resolve()), path


def test_extract_ingest_and_serve_from_the_wheel(installed: Installed) -> None:
    shutil.copy2(SEED, installed.work / SEED.name)
    extracted = installed.evkg("extract", SEED.name)
    assert extracted.returncode == 0, extracted.stderr
    document = json.loads(extracted.stdout.splitlines()[0])
    assert document["events"] and document["actors"]

    ingested = installed.evkg("ingest", SEED.name, "--store", "oxigraph:store", "-j", "1")
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert "1 new" in ingested.stdout

    port = free_port()
    log = installed.work / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(installed.venv / "bin" / "evkg"),
                "serve",
                "--store",
                "oxigraph:store",
                "--port",
                str(port),
            ],
            cwd=installed.work,
            env=installed.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_http(f"{base}/health", server, log)
        page = httpx.get(f"{base}/", timeout=30)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "<html" in page.text.lower()
        for path in ("/static/app.js", "/static/pages/service.js", "/sparql", "/docs"):
            assert httpx.get(base + path, timeout=30).status_code == 200, path
        events = httpx.get(f"{base}/events", timeout=60)
        assert events.status_code == 200, events.text
        asserted = [e for e in document["events"] if e["modality"] == "asserted"]
        assert 0 < len(events.json()["items"]) <= len(asserted)
        assert {e["iri"] for e in events.json()["items"]} <= {e["iri"] for e in asserted}
        ontology = httpx.get(f"{base}/ontology", timeout=30)
        assert ontology.status_code == 200 and "evkg:contentHash" in ontology.text
        # The front-end packages are not in the wheel: the page's library URL says how to
        # install them beside the installed packages.
        library = httpx.get(f"{base}/static/vendor/cytoscape.min.js", timeout=30)
        assert library.status_code == 404
        assert f"npm install --prefix {installed.site}" in library.text
        assert "cytoscape@" + NPM_PACKAGES["cytoscape"] in library.text
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("actors.ttl", None, "vocabulary file missing: "),
        ("countries.ttl", "this is not turtle\n", "does not parse"),
        ("triggers.yaml", "triggers: [unclosed\n", "does not parse"),
    ],
)
def test_a_missing_or_broken_vocabulary_stops_start_up_in_one_line(
    installed: Installed, name: str, content: str | None, says: str
) -> None:
    folder = "ingest/dictionaries" if name.endswith(".yaml") else "ontology"
    path = installed.site / folder / name
    kept = path.read_bytes()
    try:
        if content is None:
            path.unlink()
        else:
            path.write_text(content)
        for command in (["serve", "--port", str(free_port())], ["extract", "-"]):
            result = installed.evkg(*command, timeout=120)
            assert result.returncode == 2, result.stdout + result.stderr
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1, result.stderr
            assert lines[0].startswith(f"evkg {command[0]}: ") and says in lines[0], lines
            assert name in lines[0]
    finally:
        path.write_bytes(kept)


def test_the_pinned_front_end_packages_are_package_json_s() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    assert package["dependencies"] == NPM_PACKAGES
