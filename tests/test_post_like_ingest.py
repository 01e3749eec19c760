"""A document posted to the running service is stored exactly as `evkg ingest` stores it:
the same graph, the same content hash, and either path skips what the other wrote."""

from __future__ import annotations

import io
import json
from contextlib import closing, contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from app.cli import main
from graph.store import OxigraphStore
from graph.store.vocab import HAPPENINGS_GRAPH
from tests.api_server import start_api

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_b95a166e55a045a9.txt"


def nquads(path: Path, graph: str) -> list[bytes]:
    """The graph's quads, one N-Quads line each, sorted."""
    with closing(OxigraphStore(path)) as store:
        out = io.BytesIO()
        store.dump(out, ox.RdfFormat.N_QUADS, graph=graph)
        return sorted(out.getvalue().splitlines())


def stored_hash(path: Path, iri: str) -> str | None:
    with closing(OxigraphStore(path)) as store:
        return store.content_hashes([iri]).get(iri)


def test_posted_and_ingested_documents_are_stored_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {
        "text": SEED.read_text(encoding="utf-8"),
        "title": "U.S. Already Tracking Iran's Activities In Iraq",
        "published": "2019-02-12",
        "url": "https://example.org/2019/02/12/tracking",
    }
    served = tmp_path / "served"
    served.mkdir()
    with contextmanager(start_api)(served) as api:
        first = httpx.post(f"{api.base}/documents", json=record, headers=api.auth, timeout=120)
        assert first.status_code == 201 and first.json()["status"] == "new"
        again = httpx.post(f"{api.base}/documents", json=record, headers=api.auth, timeout=120)
        assert again.status_code == 200 and again.json()["status"] == "unchanged"
        posted_store = api.store_path
    iri = first.json()["iri"]
    assert first.json()["events"]

    lines = tmp_path / "document.jsonl"
    lines.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingested_store = tmp_path / "ingested"
    assert main(["ingest", str(lines), "--store", f"oxigraph:{ingested_store}", "-j", "1"]) == 0

    posted, ingested = nquads(posted_store, iri), nquads(ingested_store, iri)
    assert len(posted) > 100
    assert posted == ingested
    assert stored_hash(posted_store, iri) == stored_hash(ingested_store, iri) is not None
    # the happenings matched from the reports in hand, as ingestion matches them
    assert nquads(posted_store, HAPPENINGS_GRAPH) == nquads(ingested_store, HAPPENINGS_GRAPH)

    # ingestion skips the posted document before extracting it: same hash, same rule
    capsys.readouterr()
    assert main(["ingest", str(lines), "--store", f"oxigraph:{posted_store}", "-j", "1"]) == 0
    assert "documents: 0 new, 1 unchanged, 0 replaced, 0 failed" in capsys.readouterr().out
