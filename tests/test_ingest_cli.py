"""`evkg ingest|load|remove`, end to end with the real extractor and a store on disk."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from app.cli import main
from graph.happening_store import inconsistencies
from graph.store import OxigraphStore
from graph.store.embedded import JOURNAL, JOURNAL_DRAFT, PENDING_GRAPH
from graph.store.vocab import HAPPENINGS_GRAPH, vocabulary_graph

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_jsonl  # noqa: E402


def evkg(*args: str) -> int:
    return main(list(args))


def doc_key(document_iri: str) -> str:
    """The prefix of the IRIs of a document's events."""
    return "https://evkg.org/id/event/" + document_iri.rsplit("/", 1)[-1]


def graph_sets(path: Path) -> dict[str, set]:
    with closing(OxigraphStore(path)) as store:
        out = {}
        for iri in store.graphs():
            if iri.startswith("https://evkg.org/id/document/"):
                quads = store._store.quads_for_pattern(None, None, None, _node(iri))
                out[iri] = {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}
        return out


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seeds (and the vocabularies), built once for the module."""
    path = tmp_path_factory.mktemp("seeded") / "store"
    assert evkg("ingest", str(SEEDS), "--store", f"oxigraph:{path}", "-j", "1") == 0
    return path


def test_ingest_seeds_then_again_changes_nothing(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "store"
    shutil.copytree(seeded, copy)
    before = graph_sets(copy)
    assert len(before) == 2
    capsys.readouterr()
    assert evkg("ingest", str(SEEDS), "--store", f"oxigraph:{copy}", "-j", "1") == 0
    out = capsys.readouterr().out
    assert "0 new, 2 unchanged, 0 replaced, 0 failed" in out
    assert graph_sets(copy) == before
    with closing(OxigraphStore(copy)) as store:
        assert set(store.graphs()) >= {vocabulary_graph("ontology"), vocabulary_graph("actors")}


def test_changed_document_replaces_its_graph_and_remove_drops_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    doc = folder / "report.txt"
    doc.write_text("Iran fired missiles at a base in Iraq on January 8, 2020.")
    other = folder / "other.txt"
    other.write_text("The United States accused Hezbollah of attacks in Lebanon.")
    spec = f"oxigraph:{tmp_path / 'store'}"
    assert evkg("ingest", str(folder), "--store", spec, "-j", "1", "--no-vocab") == 0
    first = graph_sets(tmp_path / "store")
    doc.write_text("Iraq condemned Iran in Baghdad on January 9, 2020.")
    capsys.readouterr()
    assert evkg("ingest", str(doc), "--store", spec, "-j", "1", "--no-vocab") == 0
    assert "0 new, 0 unchanged, 1 replaced, 0 failed" in capsys.readouterr().out
    second = graph_sets(tmp_path / "store")
    assert second.keys() == first.keys()
    changed = [iri for iri in first if first[iri] != second[iri]]
    assert len(changed) == 1
    assert not any("missiles" in o for _, _, o in second[changed[0]])

    store = OxigraphStore(tmp_path / "store")
    count = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?d evkg:mentions ?a }"
    actors_before = store.select(count)[0]["n"]
    store.close()
    assert evkg("remove", str(doc), "--store", spec) == 0
    assert evkg("remove", "report.txt", "--store", spec) == 1  # already gone: says so
    with closing(OxigraphStore(tmp_path / "store")) as store:
        documents = [iri for iri in store.graphs() if iri in first or iri == changed[0]]
        assert documents == [iri for iri in first if iri != changed[0]]
        assert store.select(count)[0]["n"] < actors_before
        # the removed document's reports left the happenings with it
        assert inconsistencies(store) == []
        linked = store.select(
            f"SELECT ?e WHERE {{ GRAPH <{HAPPENINGS_GRAPH}> {{ ?e evkg:happening ?h }} }}"
        )
        assert linked and not any(r["e"].startswith(doc_key(changed[0])) for r in linked)


def test_load_user_rdf_and_bad_input_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    ref = tmp_path / "ref.ttl"
    ref.write_text("@prefix ex: <http://example.org/> . ex:a ex:b ex:c , ex:d .")
    assert evkg("load", str(ref), "--graph", "http://example.org/ref", "--store", spec) == 0
    assert "new (3 triples)" in capsys.readouterr().out
    assert evkg("load", str(ref), "--graph", "http://example.org/ref", "--store", spec) == 0
    assert "unchanged" in capsys.readouterr().out
    bad = tmp_path / "bad.ttl"
    bad.write_text("ex:a ex:b")
    assert evkg("load", str(bad), "--graph", "http://example.org/ref", "--store", spec) == 2
    assert "not valid" in capsys.readouterr().err
    assert evkg("load", str(ref), "--graph", "not an iri", "--store", spec) == 2
    assert evkg("ingest", str(tmp_path / "nope"), "--store", spec) == 2
    assert evkg("ingest", str(ref), "--store", "mystery:thing") == 2
    with closing(OxigraphStore(tmp_path / "store")) as store:
        assert store.graphs() == ["http://example.org/ref"]
        assert store.graph_size("http://example.org/ref") == 3


def test_failed_documents_are_reported_with_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "Iran warned Iraq."}\n{"title": "empty"}\n{oops\n')
    spec = f"oxigraph:{tmp_path / 'store'}"
    assert evkg("ingest", str(path), "--store", spec, "-j", "1", "--no-vocab") == 1
    out = capsys.readouterr().out
    assert "1 new, 0 unchanged, 0 replaced, 2 failed" in out
    assert 'mixed.jsonl:2: no "text"' in out
    assert "mixed.jsonl:3: invalid JSON" in out


def test_seed_store_validates_against_the_shapes(seeded: Path) -> None:
    shapes_path = ROOT / "ontology" / "shapes.ttl"
    if not shapes_path.is_file():
        if os.environ.get("CI"):
            pytest.fail("ontology/shapes.ttl is missing")
        pytest.skip("ontology/shapes.ttl is not written yet")
    from pyshacl import validate

    with closing(OxigraphStore(seeded)) as store:
        union = io.BytesIO()
        store.dump(union, ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph().parse(data=union.getvalue(), format="nt")
    shapes = rdflib.Graph().parse(shapes_path, format="turtle")
    conforms, _, report = validate(data, shacl_graph=shapes, inference="none")
    assert conforms, report


def ingest_command(corpus: Path, batch_size: int) -> list[str]:
    """`evkg ingest` in a process of its own, one line per document."""
    return [sys.executable, "-m", "app.cli", "ingest", str(corpus), "-j", "1", "--no-vocab",
            "--batch-size", str(batch_size), "-v"]


def reference_graphs(command: list[str], path: Path) -> dict[str, set]:
    """What an uninterrupted run of `command` stores, graph by graph."""
    done = subprocess.run(
        [*command, "--store", f"oxigraph:{path}"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return graph_sets(path)


def start_ingest(command: list[str], path: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [*command, "--store", f"oxigraph:{path}"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    return proc


def assert_whole(partial: dict[str, set], expected: dict[str, set]) -> None:
    for iri, triples in partial.items():
        assert triples == expected[iri], f"{iri} is only partly in the store"


def test_killed_ingestion_leaves_whole_documents_and_a_store_that_opens(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "corpus.jsonl", 60, words=120)
    command = ingest_command(corpus, batch_size=4)
    expected = reference_graphs(command, tmp_path / "reference")
    assert len(expected) == 60

    killed = tmp_path / "killed"
    proc = start_ingest(command, killed)
    written = 0
    for line in proc.stdout:
        written += line.startswith("new")
        if written >= 10:  # a few transactions in, extraction of the next batch under way
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert written >= 10, "the run ended before it could be killed"

    partial = graph_sets(killed)
    assert 10 <= len(partial) < 60
    assert_whole(partial, expected)

    resumed = subprocess.run(
        [*command, "--store", f"oxigraph:{killed}"], cwd=ROOT, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{60 - len(partial)} new, {len(partial)} unchanged" in resumed.stdout
    assert graph_sets(killed) == expected


def _half_written(path: Path) -> tuple[str, set, list]:
    """A store of 3 documents, with the first one cut to half its triples, as a bulk write
    killed half way leaves it; returns that victim, the whole graphs and the kept ones."""
    corpus = write_jsonl(path.parent / "corpus.jsonl", 3, words=120)
    assert evkg("ingest", str(corpus), "--store", f"oxigraph:{path}", "-j", "1", "--no-vocab") == 0
    whole = graph_sets(path)
    assert len(whole) == 3
    assert not (path / JOURNAL).exists()  # a finished bulk write clears its journal
    victim = sorted(whole)[0]
    raw = ox.Store(str(path))
    graph = _node(victim)
    quads = list(raw.quads_for_pattern(None, None, None, graph))
    raw.remove_graph(graph)
    raw.extend(quads[: len(quads) // 2])
    del raw
    return victim, whole, sorted(whole)[1:]


def _reopens_without(path: Path, victim: str, kept: list, whole: set) -> None:
    with closing(OxigraphStore(path)) as store:
        assert store.recovered == [victim]
        assert victim not in store.graphs() and PENDING_GRAPH not in store.graphs()
    assert not (path / JOURNAL).exists() and not (path / JOURNAL_DRAFT).exists()
    assert sorted(graph_sets(path)) == kept
    corpus = path.parent / "corpus.jsonl"
    assert evkg("ingest", str(corpus), "--store", f"oxigraph:{path}", "-j", "1", "--no-vocab") == 0
    assert graph_sets(path) == whole


def test_store_opening_drops_what_a_killed_bulk_write_left(tmp_path: Path) -> None:
    """A bulk write killed half way leaves its journal of pending graphs: opening drops them."""
    path = tmp_path / "store"
    victim, whole, kept = _half_written(path)
    # The journal lists the victim (and a line that is no IRI, which is skipped); a draft of
    # the next journal, left by a kill while it was written, goes too.
    (path / JOURNAL).write_text(f"{victim}\nhttps://evkg.org/id/docu ment/cut", "utf-8")
    (path / JOURNAL_DRAFT).write_text("https://evkg.org/id/document/next\n", "utf-8")
    _reopens_without(path, victim, kept, whole)


def test_store_opening_drops_graphs_an_older_version_recorded_as_pending(
    tmp_path: Path,
) -> None:
    """Stores written by versions that kept the pending record inside the store recover too."""
    path = tmp_path / "store"
    victim, whole, kept = _half_written(path)
    raw = ox.Store(str(path))
    pending = _node(PENDING_GRAPH)
    record = _node("https://evkg.org/ontology#pendingWrite")
    raw.add(ox.Quad(pending, record, _node(victim), pending))
    del raw
    _reopens_without(path, victim, kept, whole)


@pytest.mark.parametrize("delay", [0.0, 0.15, 0.4])
def test_bulk_ingestion_killed_at_any_moment_keeps_documents_whole(
    tmp_path: Path, delay: float
) -> None:
    """Batches of 20 documents, killed at several moments into the second batch's write."""
    corpus = write_jsonl(tmp_path / "corpus.jsonl", 60, words=120)
    command = ingest_command(corpus, batch_size=20)
    expected = reference_graphs(command, tmp_path / "reference")

    killed = tmp_path / "killed"
    proc = start_ingest(command, killed)
    for line in proc.stdout:
        if line.startswith("new"):
            break  # the first batch is in; the second is being extracted or written
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    partial = graph_sets(killed)
    assert len(partial) >= 20
    assert_whole(partial, expected)
