"""Exports parse back, with rdflib and with Oxigraph, to exactly what the store holds."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from servers import oxigraph_server, virtuoso_server  # noqa: F401
from test_store import DOC, doc_graph, put_document, store  # noqa: F401

from app.cli import main
from graph.export import export
from graph.store import GraphStore, OxigraphStore
from graph.store.formats import EXPORT_FORMATS

ROOT = Path(__file__).resolve().parents[1]
RDFLIB_NAMES = {
    "turtle": "turtle",
    "trig": "trig",
    "nquads": "nquads",
    "ntriples": "nt",
    "jsonld": "json-ld",
}
DATASET_FORMATS = {"trig", "nquads", "jsonld"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "store"
    assert main(["ingest", str(ROOT / "seeds"), "--store", f"oxigraph:{path}", "-j", "1"]) == 0
    return path


def store_quads(opened: OxigraphStore) -> dict[str, rdflib.Graph]:
    """The store's content, graph by graph, as rdflib graphs (read via N-Quads)."""
    data = opened._store.dump(format=ox.RdfFormat.N_QUADS)
    return by_graph(rdflib.Dataset().parse(data=data, format="nquads"))


def by_graph(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    out: dict[str, rdflib.Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = str(g.identifier if isinstance(g, rdflib.Graph) else g)
        out.setdefault(name, rdflib.Graph()).add((s, p, o))
    out.pop(str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID), None)
    return out


def union(graphs: dict[str, rdflib.Graph]) -> rdflib.Graph:
    out = rdflib.Graph()
    for graph in graphs.values():
        for triple in graph:
            out.add(triple)
    return out


def oxigraph_triples(data: bytes, fmt: str) -> set[str]:
    parsed = ox.parse(
        data,
        {
            "turtle": ox.RdfFormat.TURTLE,
            "ntriples": ox.RdfFormat.N_TRIPLES,
            "trig": ox.RdfFormat.TRIG,
            "nquads": ox.RdfFormat.N_QUADS,
            "jsonld": ox.RdfFormat.JSON_LD,
        }[fmt],
    )
    if fmt in DATASET_FORMATS:
        return {str(q) for q in parsed}
    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in parsed}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_parses_back_to_the_same_triples(seeded: Path, fmt: str) -> None:
    opened = OxigraphStore(seeded)
    try:
        expected = store_quads(opened)
        out = io.BytesIO()
        export(opened, fmt, out)
        all_quads = list(opened._store.quads_for_pattern(None, None, None, None))
    finally:
        opened.close()
    data = out.getvalue()
    assert len(expected) >= 4  # two documents and the vocabularies
    if fmt in DATASET_FORMATS:
        parsed = by_graph(rdflib.Dataset().parse(data=data, format=RDFLIB_NAMES[fmt]))
        assert parsed.keys() == expected.keys()
        for name, graph in expected.items():
            assert isomorphic(parsed[name], graph), name
        assert oxigraph_triples(data, fmt) == {str(q) for q in all_quads}
    else:
        parsed = rdflib.Graph().parse(data=data, format=RDFLIB_NAMES[fmt])
        assert isomorphic(parsed, union(expected))
        assert oxigraph_triples(data, fmt) == {str(q.triple) for q in all_quads}


def test_turtle_is_readable_and_one_graph_can_be_exported(seeded: Path, tmp_path: Path) -> None:
    opened = OxigraphStore(seeded)
    try:
        doc_iri = next(g for g in opened.graphs() if g.startswith(DOC))
        expected = store_quads(opened)[doc_iri]
    finally:
        opened.close()
    out = tmp_path / "doc.ttl"
    spec = f"oxigraph:{seeded}"
    assert main(["export", "--store", spec, "--graph", doc_iri, "--out", str(out)]) == 0
    text = out.read_text()
    assert "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> ." in text
    assert "@prefix doc: <https://evkg.org/id/document/> ." in text
    assert " ;\n" in text  # grouped by subject
    assert isomorphic(rdflib.Graph().parse(out, format="turtle"), expected)

    trig = tmp_path / "doc.trig"
    assert main(["export", "-f", "trig", "--store", spec, "--graph", doc_iri, "-o", str(trig)]) == 0
    assert set(by_graph(rdflib.Dataset().parse(trig, format="trig"))) == {doc_iri}


def test_export_errors_are_clear_and_leave_no_file(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = f"oxigraph:{seeded}"
    out = tmp_path / "x.ttl"
    assert (
        main(["export", "--store", spec, "--graph", "https://evkg.org/nothing", "--out", str(out)])
        == 2
    )
    assert "no graph" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.iterdir())
    assert main(["export", "--store", spec, "--out", str(tmp_path / "no" / "x.ttl")]) == 2
    with pytest.raises(SystemExit):
        main(["export", "--store", spec, "--format", "csv"])


def test_remote_and_embedded_exports_agree(store: GraphStore) -> None:  # noqa: F811
    for key, actors in [("x1", ["iran", "iraq"]), ("x2", ["iraq", "united-states"])]:
        put_document(store, DOC + key, doc_graph(key, key, actors))
    for fmt in ("trig", "turtle"):
        out = io.BytesIO()
        export(store, fmt, out)
        if fmt == "trig":
            graphs = by_graph(rdflib.Dataset().parse(data=out.getvalue(), format="trig"))
            assert sorted(graphs) == [DOC + "x1", DOC + "x2"]
            assert isomorphic(graphs[DOC + "x1"], doc_graph("x1", "x1", ["iran", "iraq"]))
        else:
            merged = rdflib.Graph().parse(data=out.getvalue(), format="turtle")
            expected = doc_graph("x1", "x1", ["iran", "iraq"]) + doc_graph(
                "x2", "x2", ["iraq", "united-states"]
            )
            assert isomorphic(merged, expected)


def test_union_export_writes_each_triple_once_grouped_by_subject(tmp_path: Path) -> None:
    """Actors described in several graphs (and the default graph) come out once."""
    opened = OxigraphStore(tmp_path / "store")
    try:
        for key, actors in (("u1", ["iran", "iraq"]), ("u2", ["iran", "hezbollah"])):
            put_document(opened, DOC + key, doc_graph(key, key, actors))
        opened.update('INSERT DATA { <https://evkg.org/id/actor/iran> skos:prefLabel "Iran" }')
        out = io.BytesIO()
        export(opened, "ntriples", out)
        expected = set(
            opened.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graph_uris=None)  # union
        )
    finally:
        opened.close()
    lines = out.getvalue().decode().splitlines()
    assert len(lines) == len(set(lines)), "a triple was written twice"
    triples = list(ox.parse(out.getvalue(), ox.RdfFormat.N_TRIPLES))
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in triples} == expected
    subjects = [q.subject for q in triples]
    runs = [s for i, s in enumerate(subjects) if i == 0 or subjects[i - 1] != s]
    assert len(runs) == len(set(runs)), "a subject's triples are split"
