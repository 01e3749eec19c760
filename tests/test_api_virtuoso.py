"""The API on Virtuoso holding more than its row cap allows one answer: every route a
reader uses answers as on the embedded store holding the same graphs, none with a 503
(the store pages past the cap) or a 400 (its VALUES lists stay within Virtuoso's)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest

from graph.network import Filters, Ref, add_evidence, build_network, dyads_query
from graph.store import DocumentGraph, OxigraphStore, open_store
from graph.store.remote import SparqlStore
from ontology.namespaces import CAMEO
from tests.api_server import ApiServer, start_api
from tests.servers import need_virtuoso, start_virtuoso

EVKG = "https://evkg.org/ontology#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CAP = 10  # rows: the seeds' network, names and evidence are several times as many
ROUTES = [
    "/actors?limit=500",
    "/actors?q=ir&limit=500",
    "/actors?q=a&modality=all&limit=500",
    "/actors/united-states/neighbourhood?hops=2",
    "/actors/united-states/neighbourhood?hops=3&compact=true",
    "/paths?from=united-states&to=iran",
    "/events?actor=united-states&limit=1000",
    "/relations/united-states/iran",
    "/events?limit=1000&modality=all",
]


def copy_graphs(source: Path, target: SparqlStore) -> int:
    """Every named graph of the embedded store at `source` into `target`; its quad count."""
    store = OxigraphStore(source)
    docs = list(store.document_graphs())
    store.close()
    target.put_documents(docs)
    return sum(doc.ntriples.count(b"\n") for doc in docs)  # one triple a line


@pytest.fixture(scope="module")
def apis(
    tmp_path_factory: pytest.TempPathFactory, seeded: Path
) -> Iterator[tuple[ApiServer, ApiServer, SparqlStore]]:
    need_virtuoso()
    copy = tmp_path_factory.mktemp("seeded-copy") / "store"
    shutil.copytree(seeded, copy)
    for server in start_virtuoso(tmp_path_factory.mktemp("virtuoso-capped"), max_rows=CAP):
        remote = open_store(server.spec)
        assert isinstance(remote, SparqlStore)
        assert copy_graphs(copy, remote) > 100 * CAP
        for embedded in start_api(tmp_path_factory.mktemp("api-embedded"), seeded):
            for virtuoso in start_api(
                tmp_path_factory.mktemp("api-virtuoso"), EVKG_STORE=server.spec
            ):
                yield embedded, virtuoso, remote
        remote.close()


def test_the_store_holds_more_than_its_cap(apis: tuple[ApiServer, ApiServer, SparqlStore]) -> None:
    """The network's one query answers more rows than Virtuoso gives at once, all of them."""
    *_, remote = apis
    response = httpx.post(
        remote.config.query_url,
        data={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert len(response.json()["results"]["bindings"]) == CAP  # the server's own cut
    dyads = remote.select(dyads_query(Filters()))
    assert len(dyads) > CAP and len({(r["s"], r["t"]) for r in dyads}) == len(dyads)


@pytest.mark.parametrize("route", ROUTES)
def test_routes_answer_as_on_the_embedded_store(
    apis: tuple[ApiServer, ApiServer, SparqlStore], route: str
) -> None:
    embedded, virtuoso, _ = apis
    mine = httpx.get(f"{embedded.base}{route}", timeout=120)
    theirs = httpx.get(f"{virtuoso.base}{route}", timeout=120)
    assert mine.status_code == 200, mine.text
    assert theirs.status_code == 200, theirs.text
    assert theirs.json() == mine.json()


def test_long_lists_of_events_fit_virtuoso(apis: tuple[ApiServer, ApiServer, SparqlStore]) -> None:
    """Virtuoso refuses a VALUES list of more than 4,094 values: the sentences of an edge's
    4,500 events are asked for in lists it takes."""
    *_, remote = apis
    refs = [
        Ref(None, f"https://evkg.org/id/event/nobody-{i}", 0.0, f"{CAMEO}190", None)
        for i in range(4500)
    ]
    full = nx.DiGraph(quads={}, sentences={})
    full.add_edge("https://evkg.org/id/actor/a", "https://evkg.org/id/actor/b", refs=refs)
    shown = nx.DiGraph()
    shown.add_edge(
        "https://evkg.org/id/actor/a", "https://evkg.org/id/actor/b", count=4500, reports=4500
    )
    add_evidence(remote, shown, full)
    events = shown.edges["https://evkg.org/id/actor/a", "https://evkg.org/id/actor/b"]["events"]
    assert [e["iri"] for e in events] == [r.iri for r in refs]
    assert len(full.graph["sentences"]) == 4500  # each asked for, none found


def test_rows_with_long_values_are_paged(apis: tuple[ApiServer, ApiServer, SparqlStore]) -> None:
    """Virtuoso will not sort on a value past 1,900 bytes: the pages are ordered by the
    short ones."""
    *_, remote = apis
    events = {r["e"] for r in remote.select("SELECT DISTINCT ?e WHERE { ?e a sem:Event }")}
    assert len(events) > CAP
    padding = "x" * 2500
    found = remote.select(
        f'SELECT ?e ?long WHERE {{ ?e a sem:Event . BIND(CONCAT(STR(?e), "{padding}") AS ?long) }}'
    )
    assert sorted(r["e"] for r in found) == sorted(events)
    assert all(r["long"] == r["e"] + padding for r in found)


def test_a_dyad_of_many_events_is_paged(apis: tuple[ApiServer, ApiServer, SparqlStore]) -> None:
    """Virtuoso cannot order rows past ~4,000 bytes, and one row a dyad holding each of its
    events is far longer for a busy dyad: a store that pages reads one row an event, and
    builds the network an embedded store holding the same graph builds."""
    *_, remote = apis
    a, b = "https://evkg.org/id/actor/busy-a", "https://evkg.org/id/actor/busy-b"
    document = "https://evkg.org/id/document/busy-dyad"
    lines = [f"<{document}> <{RDF_TYPE}> <{EVKG}Document> ."]
    for n in range(60):
        e = f"<https://evkg.org/id/event/busy-dyad-{n}>"
        lines += [
            f"{e} <{RDF_TYPE}> <{SEM}Event> .",
            f"{e} <{EVKG}source> <{a}> .",
            f"{e} <{EVKG}target> <{b}> .",
            f"{e} <{SEM}hasActor> <{a}> .",
            f"{e} <{SEM}hasActor> <{b}> .",
            f"{e} <{SEM}eventType> <{CAMEO}190> .",
            f'{e} <{SEM}hasTimeStamp> "2019-03-{n % 28 + 1:02d}"^^<{XSD}date> .',
            f"{e} <{PROV}wasDerivedFrom> <{document}> .",
        ]
    graph = DocumentGraph(document, "busy", ("\n".join(lines) + "\n").encode())
    embedded = OxigraphStore(None)
    embedded.put_documents([graph])
    remote.put_documents([graph])
    try:
        assert len(remote.select(dyads_query(Filters(document=document)))) == 1  # ~10 KB
        mine, theirs = build_network(embedded), build_network(remote)  # past the cap: paged
        assert len(theirs.edges) > CAP
        shown = [
            [(r.iri, r.date, r.document) for r in n.edges[a, b]["refs"]] for n in (mine, theirs)
        ]
        assert shown[0] == shown[1] and len(shown[1]) == 60
    finally:
        remote.remove_graph(document)
