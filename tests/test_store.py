"""One store test suite, run against embedded Oxigraph, Oxigraph's server and Virtuoso."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from servers import oxigraph_server, virtuoso_server  # noqa: F401

from graph.sparql import CONTENT_HASH, QuerySyntaxError
from graph.store import (
    DocumentGraph,
    GraphStore,
    OxigraphStore,
    StoreBusyError,
    StoreError,
    open_store,
)
from graph.store.embedded import JOURNAL

EVKG = rdflib.Namespace("https://evkg.org/ontology#")
SEM = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
DOC = "https://evkg.org/id/document/"
ACTOR = "https://evkg.org/id/actor/"
TEST_GRAPH = "https://evkg.org/graph/test-"


def document_graph(iri: str, graph: rdflib.Graph, content_hash: str | None = None) -> DocumentGraph:
    """A document ready to store from an rdflib graph: its hash read from
    `<iri> evkg:contentHash` unless one is given (then recorded in the graph)."""
    doc = rdflib.URIRef(iri)
    if content_hash is None:
        content_hash = str(graph.value(doc, rdflib.URIRef(CONTENT_HASH)))
    else:
        graph = graph + rdflib.Graph()  # a copy
        graph.set((doc, rdflib.URIRef(CONTENT_HASH), rdflib.Literal(content_hash)))
    return DocumentGraph(iri, content_hash, graph.serialize(format="nt", encoding="utf-8"))


def put_document(store: GraphStore, iri: str, graph: rdflib.Graph) -> str:
    """Store one document's graph, its hash read from it."""
    return store.put_documents([document_graph(iri, graph)])[0]


def doc_graph(key: str, content_hash: str, actors: list[str], title: str = "t") -> rdflib.Graph:
    """A small document graph in the shape of docs/ARCHITECTURE.md."""
    g = rdflib.Graph()
    doc = rdflib.URIRef(DOC + key)
    g.add((doc, rdflib.RDF.type, EVKG.Document))
    g.add((doc, rdflib.DCTERMS.title, rdflib.Literal(title)))
    g.add((doc, EVKG.contentHash, rdflib.Literal(content_hash)))
    for i, slug in enumerate(actors):
        actor = rdflib.URIRef(ACTOR + slug)
        g.add((doc, EVKG.mentions, actor))
        g.add((actor, rdflib.RDF.type, SEM.Actor))
        g.add((actor, SKOS.prefLabel, rdflib.Literal(slug.replace("-", " ").title())))
        event = rdflib.URIRef(f"https://evkg.org/id/event/{key}-{i}")
        g.add((event, rdflib.RDF.type, SEM.Event))
        g.add((event, SEM.hasActor, actor))
        g.add((event, rdflib.RDFS.label, rdflib.Literal(f'line one\nline "two" {i} ünï')))
    return g


@pytest.fixture(params=["embedded", "oxigraph-server", "virtuoso"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A clean store of each kind; server stores are emptied of evkg's graphs after use."""
    if request.param == "embedded":
        opened = open_store(f"oxigraph:{tmp_path / 'store'}")
    else:
        fixture = "oxigraph_server" if request.param == "oxigraph-server" else "virtuoso_server"
        opened = open_store(request.getfixturevalue(fixture).spec)
    for g in opened.graphs():
        opened.remove_graph(g)
    yield opened
    for g in opened.graphs():
        opened.remove_graph(g)
    opened.close()


def triples_of(store: GraphStore, iri: str) -> set[tuple[str, str, str]]:
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_TRIPLES, graph=iri)
    parsed = ox.parse(out.getvalue(), ox.RdfFormat.N_TRIPLES)
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in parsed}


def mentioned_actors(store: GraphStore) -> int:
    rows = store.select("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?d evkg:mentions ?a }")
    return int(rows[0]["n"])


def test_put_document_is_new_then_unchanged_then_replaced(store: GraphStore) -> None:
    iri = DOC + "a1"
    first = doc_graph("a1", "h1", ["iran", "iraq"])
    assert put_document(store, iri, first) == "new"
    before = triples_of(store, iri)
    assert len(before) == len(first)
    assert put_document(store, iri, first) == "unchanged"
    assert triples_of(store, iri) == before

    second = doc_graph("a1", "h2", ["united-states"], title="changed")
    assert put_document(store, iri, second) == "replaced"
    after = triples_of(store, iri)
    assert len(after) == len(second)
    assert not any("iraq" in o for _, _, o in after), "old version's triples must be gone"
    assert store.content_hashes([iri, DOC + "missing"]) == {iri: "h2"}


def test_batch_writes_each_document_and_last_version_wins(store: GraphStore) -> None:
    docs = [
        document_graph(DOC + "b1", doc_graph("b1", "x", ["iran"])),
        document_graph(DOC + "b2", doc_graph("b2", "y", ["iraq"])),
        document_graph(DOC + "b1", doc_graph("b1", "z", ["hezbollah"])),
    ]
    assert store.put_documents(docs) == ["new", "new", "replaced"]
    assert store.content_hashes([DOC + "b1", DOC + "b2"]) == {DOC + "b1": "z", DOC + "b2": "y"}
    assert any("hezbollah" in o for _, _, o in triples_of(store, DOC + "b1"))
    assert sorted(store.graphs()) == [DOC + "b1", DOC + "b2"]


def test_remove_drops_the_document_and_actors_only_it_named(store: GraphStore) -> None:
    put_document(store, DOC + "c1", doc_graph("c1", "1", ["iran", "iraq"]))
    put_document(store, DOC + "c2", doc_graph("c2", "2", ["iraq"]))
    assert mentioned_actors(store) == 2
    assert store.remove_graph(DOC + "c1") is True
    assert store.remove_graph(DOC + "c1") is False
    assert store.graphs() == [DOC + "c2"]
    assert mentioned_actors(store) == 1
    assert not store.query(f"ASK {{ ?d evkg:mentions <{ACTOR}iran> }}")


def test_default_graph_is_the_union_and_can_be_narrowed(store: GraphStore) -> None:
    put_document(store, DOC + "d1", doc_graph("d1", "1", ["iran"]))
    put_document(store, DOC + "d2", doc_graph("d2", "2", ["iraq"]))
    docs = store.select("SELECT ?d WHERE { ?d a evkg:Document } ORDER BY ?d")
    assert [r["d"] for r in docs] == [DOC + "d1", DOC + "d2"]
    only = store.query("SELECT ?d WHERE { ?d a evkg:Document }", default_graph_uris=[DOC + "d2"])
    assert [s["d"].value for s in only] == [DOC + "d2"]
    named = store.query(
        "SELECT ?g WHERE { GRAPH ?g { ?d a evkg:Document } }", named_graph_uris=[DOC + "d1"]
    )
    assert [s["g"].value for s in named] == [DOC + "d1"]
    assert store.query(f"ASK {{ <{DOC}d1> evkg:mentions <{ACTOR}iran> }}") is True
    triples = list(store.query(f"CONSTRUCT {{ <{DOC}d2> ?p ?o }} WHERE {{ <{DOC}d2> ?p ?o }}"))
    assert len(triples) == 4 and all(isinstance(t, ox.Triple) for t in triples)


def test_literals_survive_the_round_trip(store: GraphStore) -> None:
    put_document(store, DOC + "e1", doc_graph("e1", "1", ["iran"]))
    rows = store.select("SELECT ?l WHERE { ?e a sem:Event ; rdfs:label ?l }")
    assert rows == [{"l": 'line one\nline "two" 0 ünï'}]


def test_query_serialized_forwards_a_standard_encoding(store: GraphStore) -> None:
    put_document(store, DOC + "f1", doc_graph("f1", "1", ["iran", "iraq"]))
    chunks, media = store.query_serialized(
        "SELECT ?a WHERE { ?d evkg:mentions ?a } ORDER BY ?a", "application/sparql-results+json"
    )
    assert media == "application/sparql-results+json"
    data = json.loads(b"".join(chunks))
    assert [b["a"]["value"] for b in data["results"]["bindings"]] == [
        ACTOR + "iran",
        ACTOR + "iraq",
    ]
    chunks, media = store.query_serialized(
        f"CONSTRUCT {{ ?d ?p ?o }} WHERE {{ ?d ?p ?o FILTER(?d = <{DOC}f1>) }}", "text/turtle"
    )
    parsed = rdflib.Graph().parse(data=b"".join(chunks), format="turtle")
    assert len(parsed) == 5


def test_bad_input_is_a_clear_error_and_changes_nothing(store: GraphStore) -> None:
    put_document(store, DOC + "g1", doc_graph("g1", "1", ["iran"]))
    before = triples_of(store, DOC + "g1")
    with pytest.raises(QuerySyntaxError):
        store.query("SELEKT nonsense")
    with pytest.raises(QuerySyntaxError):
        store.update(f"DROP GRAPH <{DOC}g1> ; INSERT DATA {{ broken")
    with pytest.raises(ValueError, match="IRI"):
        store.remove_graph("not an iri")
    with pytest.raises(ValueError, match="IRI"):
        put_document(store, DOC + "g 1", doc_graph("g1", "2", []))
    assert triples_of(store, DOC + "g1") == before


def test_load_any_rdf_format_into_a_named_graph(store: GraphStore, tmp_path: Path) -> None:
    source = rdflib.Graph()
    ex = rdflib.Namespace("http://example.org/")
    for i in range(5):
        source.add((ex[f"s{i}"], ex.p, rdflib.Literal(i)))
    graph_iri = TEST_GRAPH + "ref"
    for fmt, suffix in [
        ("turtle", ".ttl"),
        ("nt", ".nt"),
        ("xml", ".rdf"),
        ("json-ld", ".jsonld"),
    ]:
        path = tmp_path / f"ref{suffix}"
        source.serialize(path, format=fmt)
        assert store.load(path, graph_iri) in ("new", "replaced")
        assert store.load(path, graph_iri) == "unchanged"
        assert store.graph_size(graph_iri) == 6  # + the file's content hash
    quads = tmp_path / "ref.trig"
    ds = rdflib.Dataset()
    ds.graph(rdflib.URIRef("http://example.org/other")).add((ex.a, ex.b, ex.c))
    ds.serialize(quads, format="trig")
    assert store.load(quads, graph_iri) == "replaced"
    assert store.graph_size(graph_iri) == 2

    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://example.org/a> <http://example.org/b> .")
    with pytest.raises(ValueError, match="not valid"):
        store.load(broken, graph_iri)
    with pytest.raises(ValueError, match="format"):
        store.load(tmp_path / "ref.unknown", graph_iri)
    assert store.graph_size(graph_iri) == 2


def test_row_caps_are_paged(store: GraphStore) -> None:
    """Virtuoso cuts results at 10,000 rows: the store reads past the cap a page at a
    time, every row once, in the query's own order when it has one."""
    g = rdflib.Graph()
    ex = rdflib.Namespace("http://example.org/")
    for i in range(10_500):
        g.add((ex[f"s{i}"], ex.p, rdflib.Literal(i)))
    iri = TEST_GRAPH + "big"
    store.put_documents([document_graph(iri, g, content_hash="big")])
    assert len(triples_of(store, iri)) == 10_501
    found = store.select(f"SELECT ?s WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    assert len(found) == len({r["s"] for r in found}) == 10_501  # the hash has its own
    ordered = store.select(
        "PREFIX ex: <http://example.org/>\n"
        f"SELECT ?o WHERE {{ GRAPH <{iri}> {{ ?s ex:p ?o }} }} ORDER BY DESC(?o)"
    )
    assert [r["o"] for r in ordered] == list(range(10_499, -1, -1))


def test_embedded_store_is_single_process(tmp_path: Path) -> None:
    path = tmp_path / "store"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('ok', flush=True);"
            " sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ok"
        with pytest.raises(StoreBusyError, match="another process"):
            OxigraphStore(path)
    finally:
        holder.communicate(b"")
    reopened = OxigraphStore(path)  # the lock goes with the process
    reopened.close()


def test_document_graph_from_triples_gives_the_same_quads_in_its_graph() -> None:
    """The N-Quads are derived from the N-Triples text: literals that look like line ends
    (a dot, a newline, quotes) must not confuse it."""
    iri = DOC + "nq"
    node = ox.NamedNode(iri)
    tricky = ['ends with a dot .', 'two\nlines .\n', 'quote " . and tab\t.', "ünï ."]
    triples = [
        ox.Triple(node, ox.NamedNode(f"{EVKG}label{i}"), ox.Literal(text))
        for i, text in enumerate(tricky)
    ]
    triples.append(ox.Triple(node, ox.NamedNode(CONTENT_HASH), ox.Literal("h")))
    doc = DocumentGraph.from_triples(iri, "h", triples)
    assert doc.canonical
    quads = list(ox.parse(doc.as_nquads(), ox.RdfFormat.N_QUADS))
    assert len(quads) == len(triples)
    assert {q.triple for q in quads} == set(triples)
    assert {q.graph_name for q in quads} == {node}
    slow = DocumentGraph(iri, "h", doc.ntriples)  # not known to be Oxigraph's: parsed
    assert set(ox.parse(slow.as_nquads(), ox.RdfFormat.N_QUADS)) == set(quads)
    assert [q.triple for q in ox.parse(doc.ntriples, ox.RdfFormat.N_TRIPLES)] == triples


@pytest.mark.parametrize("on_disk", [True, False])
def test_a_failed_bulk_write_leaves_none_of_its_batch(tmp_path: Path, on_disk: bool) -> None:
    """A batch whose N-Quads break part way is refused whole, in memory as on disk."""
    store = OxigraphStore(tmp_path / "store" if on_disk else None)
    try:
        kept = document_graph(DOC + "kept", doc_graph("kept", "k", ["iran"]))
        assert store.put_documents([kept], bulk=True) == ["new"]
        good = document_graph(DOC + "good", doc_graph("good", "g", ["iraq"]))
        text = doc_graph("bad", "b", ["syria"]).serialize(format="nt", encoding="utf-8")
        # Claimed to be Oxigraph's own text, so nothing parses it before the bulk loader does.
        fine = DocumentGraph(DOC + "good", "g", good.ntriples, canonical=True)
        broken = text + b'<https://x/s> <https://x/p> "never closed .\n'
        bad = DocumentGraph(DOC + "bad", "b", broken, canonical=True)
        with pytest.raises(StoreError):
            store.put_documents([fine, bad], bulk=True)
        assert store.graphs() == [DOC + "kept"]
        if on_disk:
            assert not (tmp_path / "store" / JOURNAL).exists()
    finally:
        store.close()


def _count(store: OxigraphStore) -> int:
    return int(store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"])


def _updated_copy(store: OxigraphStore, folder: Path, sparql: str) -> None:
    """What a worker does: open a checkpoint of the store writable, update it, close it."""
    store.snapshot(folder)
    copy = ox.Store(str(folder))
    copy.update(sparql)
    del copy


def test_an_updated_copy_becomes_the_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.update("INSERT DATA { GRAPH <a:g> { <a:s> <a:p> 1 } }")
    _updated_copy(store, tmp_path / "copy", "INSERT DATA { GRAPH <a:g> { <a:s> <a:p> 2 } }")
    assert _count(store) == 1  # the copy is apart until adopted
    assert store.adopt(tmp_path / "copy")
    assert _count(store) == 2
    assert not (tmp_path / "copy").exists() and not list(tmp_path.glob("*.replaced"))
    store.update("INSERT DATA { GRAPH <a:g> { <a:s> <a:p> 3 } }")  # and takes writes
    store.close()
    reopened = OxigraphStore(path)
    assert _count(reopened) == 3
    with pytest.raises(StoreError, match="no store to adopt"):
        reopened.adopt(tmp_path / "missing")
    assert _count(reopened) == 3
    reopened.close()


def test_opening_settles_a_swap_a_kill_cut_short(tmp_path: Path) -> None:
    """Killed between the two renames: the old store comes back, the update not made.
    Killed after them: the new store stays and the old folder goes."""
    path, aside = tmp_path / "store", tmp_path / "store.replaced"
    store = OxigraphStore(path)
    store.update("INSERT DATA { GRAPH <a:g> { <a:s> <a:p> 1 } }")
    _updated_copy(store, tmp_path / "copy", "INSERT DATA { GRAPH <a:g> { <a:s> <a:p> 2 } }")
    store.close()
    path.rename(aside)  # the first rename, then the kill
    store = OxigraphStore(path)
    assert _count(store) == 1 and not aside.exists()
    store.close()
    path.rename(aside)
    (tmp_path / "copy").rename(path)  # both renames, then the kill
    store = OxigraphStore(path)
    assert _count(store) == 2 and not aside.exists()
    store.close()


def test_reads_during_swaps_meet_the_old_store_or_the_new(tmp_path: Path) -> None:
    """Reads in the server's process run beside the swaps of an update's copy into place:
    each answers from the store before or after a swap, none meets it closed."""
    import threading

    store = OxigraphStore(tmp_path / "store")
    store.update("INSERT DATA { GRAPH <a:g> { <a:s> <a:p> 0 } }")
    seen: list[int] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                seen.append(_count(store))
                assert store.graphs() == ["a:g"]
            except BaseException as exc:  # noqa: BLE001 - reported below
                failures.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for i in range(1, 6):
            copy = tmp_path / f"copy{i}"
            _updated_copy(store, copy, f"INSERT DATA {{ GRAPH <a:g> {{ <a:s> <a:p> {i} }} }}")
            assert store.adopt(copy)
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert not failures, failures
    assert _count(store) == 6 and set(seen) <= set(range(1, 7)) and len(seen) > 5
    store.close()
