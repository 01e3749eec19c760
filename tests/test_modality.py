"""Event modality, kept and served: the evkg:ModalityScheme of the ontology, evkg:modality on
every event's RDF, and the `modality` filter of the REST API and the network (asserted
unless a request names others; an event that states no modality counts as asserted).

The events are made by hand (not by the coder), so these tests hold whatever it reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.network import (
    MODALITIES,
    Filters,
    NetworkCache,
    add_evidence,
    build_network,
    modality_pattern,
    neighbourhood,
    network_view,
    parse_modality,
)
from graph.store import DocumentGraph, open_store
from ingest.model import Actor, Event, Extraction, SourceDocument, Span
from ingest.rdf import MODALITY_CONCEPTS, to_graph, to_ntriples
from tests.api_server import ApiServer, start_api

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
EVKG = Namespace("https://evkg.org/ontology#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
ACTOR = "https://evkg.org/id/actor/"
NAMES = ("asserted", "negated", "hypothetical", "intended", "claimed", "denied")
ACCEPTED = "asserted, negated, hypothetical, intended, claimed, denied"

ALPHA, BETA, GAMMA = (
    Actor(f"{ACTOR}modality-{name}", f"Modality {name.title()}", code="USA", kind="state")
    for name in ("alpha", "beta", "gamma")
)


def _event(
    doc: SourceDocument,
    n: int,
    sentence: str,
    trigger: str,
    source: Actor,
    target: Actor,
    code: str,
    when: str,
    modality: str,
) -> Event:
    start = doc.text.index(sentence)
    at = doc.text.index(trigger, start)
    return Event(
        iri=f"https://evkg.org/id/event/{doc.key}-{n}",
        code=code,
        label=f"{source.label} {code} {target.label}",
        quad_class=4,
        goldstein=-10.0,
        sentence=Span(sentence, start, start + len(sentence)),
        trigger=Span(trigger, at, at + len(trigger)),
        source=source,
        target=target,
        date=when,
        modality=modality,
    )


def extraction() -> Extraction:
    """Alpha attacked Beta (asserted); Alpha did not attack Beta again (negated); Gamma is
    believed to have fought Beta (claimed)."""
    first = "Modality Alpha attacked Modality Beta on 5 January 2020."
    second = "Modality Alpha did not attack Modality Beta on 6 January 2020."
    third = "Officials believe Modality Beta fought Modality Gamma in February 2020."
    doc = SourceDocument(
        text=f"{first} {second} {third}",
        url="https://example.org/modality",
        title="Modality test",
        published=date(2020, 2, 20),
    )
    events = [
        _event(doc, 1, first, "attacked", ALPHA, BETA, "190", "2020-01-05", "asserted"),
        _event(doc, 2, second, "attack", ALPHA, BETA, "190", "2020-01-06", "negated"),
        _event(doc, 3, third, "fought", BETA, GAMMA, "190", "2020-02", "claimed"),
    ]
    return Extraction(doc, actors=[ALPHA, BETA, GAMMA], events=events)


def legacy() -> Extraction:
    """A document stored before modality was written: one event, no evkg:modality."""
    text = "Modality Alpha struck Modality Beta in March 2020."
    doc = SourceDocument(
        text=text,
        url="https://example.org/modality-legacy",
        title="Legacy",
        published=date(2020, 3, 30),
    )
    event = _event(doc, 1, text, "struck", ALPHA, BETA, "190", "2020-03", "asserted")
    return Extraction(doc, actors=[ALPHA, BETA], events=[event])


def legacy_ntriples() -> bytes:
    lines = to_ntriples(legacy(), standalone=True).splitlines(keepends=True)
    kept = b"".join(line for line in lines if b"ontology#modality>" not in line)
    assert len(kept) < sum(map(len, lines))
    return kept


# ---------------------------------------------------------------------------
# Ontology and shapes
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "evkg.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl")


def test_the_scheme_has_the_six_modalities(ontology: Graph) -> None:
    scheme = EVKG.ModalityScheme
    assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
    tops = set(ontology.objects(scheme, SKOS.hasTopConcept))
    notations = {}
    for concept in tops:
        assert (concept, RDF.type, SKOS.Concept) in ontology
        assert (concept, SKOS.inScheme, scheme) in ontology
        assert (concept, SKOS.topConceptOf, scheme) in ontology
        assert ontology.value(concept, SKOS.prefLabel) is not None
        assert ontology.value(concept, SKOS.definition) is not None
        notations[str(ontology.value(concept, SKOS.notation))] = str(concept)
    assert sorted(notations) == sorted(NAMES)
    # what the writer and the readers use is the scheme
    assert notations == MODALITIES
    assert {n: f"{EVKG}{c}" for n, c in MODALITY_CONCEPTS.items()} == MODALITIES
    prop = EVKG.modality
    assert ontology.value(prop, RDFS.domain) == SEM.Event
    assert ontology.value(prop, RDFS.range) == SKOS.Concept
    assert ontology.value(prop, RDFS.label) is not None


def _conforms(data: Graph, shapes: Graph) -> tuple[bool, str]:
    ok, _, text = validate(data, shacl_graph=shapes, inference="none")
    return ok, text


def test_a_document_with_modalities_conforms(shapes: Graph) -> None:
    ok, report = _conforms(to_graph(extraction(), standalone=True), shapes)
    assert ok, report
    legacy_graph = Graph().parse(data=legacy_ntriples(), format="nt")  # none stated: allowed
    ok, report = _conforms(legacy_graph, shapes)
    assert ok, report


@pytest.mark.parametrize("breakage", ["two modalities", "not of the scheme", "a literal"])
def test_a_bad_modality_does_not_conform(shapes: Graph, breakage: str) -> None:
    data = to_graph(extraction(), standalone=True)
    event = URIRef(extraction().events[0].iri)
    if breakage == "two modalities":
        data.add((event, EVKG.modality, EVKG.Negated))
    else:
        data.remove((event, EVKG.modality, None))
        data.add(
            (
                event,
                EVKG.modality,
                EVKG.Possible if breakage == "not of the scheme" else Literal("asserted"),
            )
        )
    ok, report = _conforms(data, shapes)
    assert not ok and "evkg:modality" in report, breakage


# ---------------------------------------------------------------------------
# RDF
# ---------------------------------------------------------------------------


def test_every_event_carries_its_modality() -> None:
    made = extraction()
    data = to_ntriples(made)
    parsed = list(ox.parse(data, ox.RdfFormat.N_TRIPLES))
    assert ox.serialize(parsed, format=ox.RdfFormat.N_TRIPLES) == data  # Oxigraph's own form
    assert len(set(parsed)) == len(parsed) == data.count(b"\n")
    graph = to_graph(made)
    for event in made.events:
        stated = list(graph.objects(URIRef(event.iri), EVKG.modality))
        assert stated == [URIRef(MODALITIES[event.modality])]
    assert {str(o) for o in graph.objects(None, EVKG.modality)} == {
        MODALITIES["asserted"],
        MODALITIES["negated"],
        MODALITIES["claimed"],
    }
    assert "modality" in made.events[0].to_json()


def test_an_unknown_modality_is_refused() -> None:
    made = extraction()
    event = made.events[0]
    made.events[0] = Event(**{**event.__dict__, "modality": "perhaps"})
    with pytest.raises(ValueError, match="perhaps"):
        to_ntriples(made)


# ---------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given,kept",
    [
        (None, "asserted"),
        ("", "asserted"),
        ([], "asserted"),
        ("negated", "negated"),
        (" Negated ", "negated"),
        ("negated,claimed", ("claimed", "negated")),
        (["claimed", "negated"], ("claimed", "negated")),
        (["negated,asserted", "claimed"], ("asserted", "claimed", "negated")),
        ("all", "all"),
        ("asserted,all", "all"),
        (",".join(NAMES), "all"),
        (("claimed", "negated"), ("claimed", "negated")),
    ],
)
def test_modality_choices_are_kept_canonical(given, kept) -> None:
    assert parse_modality(given) == kept
    assert Filters(modality=given).modality == kept
    assert Filters() == Filters(modality="asserted")


@pytest.mark.parametrize("bad", ["bogus", "negated,bogus", ["asserted", "maybe"], "*"])
def test_a_bad_modality_names_the_accepted_ones(bad) -> None:
    with pytest.raises(ValueError) as caught:
        Filters(modality=bad)
    assert ACCEPTED in str(caught.value) and "all" in str(caught.value)


def test_the_pattern_keeps_events_without_a_modality_as_asserted() -> None:
    assert "!BOUND(?modality)" in modality_pattern(Filters())
    assert "!BOUND" not in modality_pattern(Filters(modality="negated"))
    assert "FILTER" not in modality_pattern(Filters(modality="all"))


@pytest.fixture(scope="module")
def store() -> Iterator:
    opened = open_store("oxigraph:")
    opened.load(ONTOLOGY / "cameo.ttl", "https://evkg.org/graph/cameo")
    for made, data in ((extraction(), None), (legacy(), legacy_ntriples())):
        doc = made.document
        opened.put_documents(
            [DocumentGraph(doc.iri, doc.content_hash, data or to_ntriples(made, standalone=True))]
        )
    yield opened
    opened.close()


def _counts(graph) -> dict[tuple[str, str], int]:
    return {
        (u.rsplit("-", 1)[-1], v.rsplit("-", 1)[-1]): d["count"]
        for u, v, d in graph.edges(data=True)
    }


def test_networks_follow_the_modality(store) -> None:
    assert _counts(build_network(store)) == {("alpha", "beta"): 2}  # asserted + legacy
    assert _counts(build_network(store, Filters(modality="all"))) == {
        ("alpha", "beta"): 3,
        ("beta", "gamma"): 1,
    }
    assert _counts(build_network(store, Filters(modality="negated,claimed"))) == {
        ("alpha", "beta"): 1,
        ("beta", "gamma"): 1,
    }
    evidence = build_network(store, Filters(modality="all"))
    add_evidence(store, evidence, evidence)
    assert sorted(e["modality"] for e in evidence.edges[ALPHA.iri, BETA.iri]["events"]) == [
        "asserted",
        "asserted",
        "negated",
    ]
    hood = neighbourhood(store, ALPHA.iri, 2, Filters(modality="all"))
    assert sorted(e["modality"] for e in hood.graph.edges[ALPHA.iri, BETA.iri]["events"]) == [
        "asserted",
        "asserted",
        "negated",
    ]
    assert GAMMA.iri in hood.graph
    assert GAMMA.iri not in neighbourhood(store, ALPHA.iri, 2).graph


def test_caches_keep_modalities_apart(store) -> None:
    cache = NetworkCache()
    asserted = cache.get(store, 1, Filters())
    everything = cache.get(store, 1, Filters(modality="all"))
    assert cache.builds == 2 and asserted is not everything
    assert cache.get(store, 1, Filters(modality="asserted")) is asserted
    assert (
        cache.get(
            store, 1, Filters(modality=["denied,claimed,hypothetical", "negated,intended,asserted"])
        )
        is everything
    )
    views = NetworkCache()
    _, default = network_view(store, Filters(), cache=views)
    _, every = network_view(store, Filters(modality="all"), cache=views)
    assert default["meta"]["total_edges"] == 1 and every["meta"]["total_edges"] == 2
    assert default["meta"]["filters"]["modality"] == "asserted"
    assert network_view(store, Filters(), cache=views)[1] is default


# ---------------------------------------------------------------------------
# The API, on the real server
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    server = start_api(tmp_path_factory.mktemp("api-modality"))
    running = next(server)
    for made, data in ((extraction(), None), (legacy(), legacy_ntriples())):
        put = httpx.put(
            f"{running.base}/rdf-graphs",
            params={"graph": made.document.iri},
            content=data or to_ntriples(made, standalone=True),
            timeout=60,
            headers={"Content-Type": "application/n-triples", **running.auth},
        )
        assert put.status_code in (201, 204), put.text
    yield running
    server.close()


def _get(api: ApiServer, path: str, **params) -> dict:
    response = httpx.get(f"{api.base}{path}", params=params, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(items: list[dict]) -> list[str]:
    return sorted(e["iri"].rsplit("/", 1)[-1].split("-")[-1] + ":" + e["modality"] for e in items)


def test_events_hide_other_modalities_by_default(api: ApiServer) -> None:
    def listed(**params) -> list[dict]:
        return _get(api, "/events", actor="modality-alpha", **params)["items"]

    default = listed()
    assert len(default) == 2 and {e["modality"] for e in default} == {"asserted"}
    assert listed(modality="asserted") == default
    negated = listed(modality="negated")
    assert [(e["modality"], e["trigger"]) for e in negated] == [("negated", "attack")]
    everything = listed(modality="all")
    assert len(everything) == 3 and {e["modality"] for e in everything} == {"asserted", "negated"}
    assert listed(modality="asserted,negated") == everything
    assert listed(modality=["asserted", "negated"]) == everything
    claimed = _get(api, "/events", actor="modality-gamma", modality="claimed")["items"]
    assert [e["modality"] for e in claimed] == ["claimed"]
    assert _get(api, "/events", actor="modality-gamma")["items"] == []


def _edges(body: dict) -> dict[tuple[str, str], int]:
    return {
        (e["source"].rsplit("-", 1)[-1], e["target"].rsplit("-", 1)[-1]): e["count"]
        for e in body["edges"]
    }


def _compact_edges(body: dict) -> dict[tuple[str, str], int]:
    ids = [n["id"].rsplit("-", 1)[-1] for n in body["nodes"]]
    return {(ids[row[0]], ids[row[1]]): row[2] for row in body["edges"]}


def test_network_counts_follow_the_modality(api: ApiServer) -> None:
    assert _edges(_get(api, "/network")) == {("alpha", "beta"): 2}
    assert _edges(_get(api, "/network", modality="all")) == {
        ("alpha", "beta"): 3,
        ("beta", "gamma"): 1,
    }
    assert _edges(_get(api, "/network", modality="negated")) == {("alpha", "beta"): 1}
    assert _compact_edges(_get(api, "/network", compact="true", modality="all")) == {
        ("alpha", "beta"): 3,
        ("beta", "gamma"): 1,
    }
    assert _compact_edges(_get(api, "/network", compact="true")) == {("alpha", "beta"): 2}
    assert _edges(_get(api, "/network")) == {("alpha", "beta"): 2}  # the cache kept them apart
    assert _get(api, "/network", modality="all")["meta"]["filters"]["modality"] == "all"
    edge = _get(api, "/network/edge", source=ALPHA.iri, target=BETA.iri, modality="all")
    assert sorted(e["modality"] for e in edge["events"]) == ["asserted", "asserted", "negated"]
    histogram = {h["month"]: h["count"] for h in _get(api, "/network/facets")["histogram"]}
    assert histogram == {"2020-01": 1, "2020-03": 1}
    histogram = {
        h["month"]: h["count"] for h in _get(api, "/network/facets", modality="all")["histogram"]
    }
    assert histogram == {"2020-01": 2, "2020-02": 1, "2020-03": 1}


def test_neighbourhoods_relations_and_paths_follow_the_modality(api: ApiServer) -> None:
    path = "/actors/modality-alpha/neighbourhood"
    default = _get(api, path, hops=2)
    assert _edges(default) == {("alpha", "beta"): 2}
    assert {e["modality"] for edge in default["edges"] for e in edge["events"]} == {"asserted"}
    everything = _get(api, path, hops=2, modality="all")
    assert _edges(everything) == {("alpha", "beta"): 3, ("beta", "gamma"): 1}
    assert _compact_edges(_get(api, path, hops=2, compact="true", modality="all")) == _edges(
        everything
    )
    relation = _get(api, "/relations/modality-alpha/modality-beta")
    assert [e["modality"] for e in relation["a_to_b"]] == ["asserted", "asserted"]
    assert sum(p["count"] for p in relation["timeline"]) == 2
    relation = _get(api, "/relations/modality-alpha/modality-beta", modality="all")
    assert sorted(e["modality"] for e in relation["a_to_b"]) == ["asserted", "asserted", "negated"]
    assert sum(p["count"] for p in relation["timeline"]) == 3
    far = {"from": "modality-alpha", "to": "modality-gamma"}
    assert httpx.get(f"{api.base}/paths", params=far).status_code == 404
    assert _get(api, "/paths", **far, modality="all")["paths"] == [[ALPHA.iri, BETA.iri, GAMMA.iri]]


def test_actors_and_documents_count_the_modality(api: ApiServer) -> None:
    counts = _get(api, "/actors/modality-beta")["counts_by_root"]
    assert counts == {"target": {"19": 2}}
    counts = _get(api, "/actors/modality-beta", modality="all")["counts_by_root"]
    assert counts == {"target": {"19": 3}, "source": {"19": 1}}
    found = {a["id"]: a["events"] for a in _get(api, "/actors", q="modality")["items"]}
    assert found == {"modality-alpha": 2, "modality-beta": 2, "modality-gamma": 0}
    found = {
        a["id"]: a["events"] for a in _get(api, "/actors", q="modality", modality="all")["items"]
    }
    assert found == {"modality-alpha": 3, "modality-beta": 4, "modality-gamma": 1}
    doc = extraction().document
    detail = _get(api, f"/documents/{doc.key}")
    assert detail["events"] == 1 and _ids(detail["event_list"]) == ["1:asserted"]
    assert detail["marked"].count("[[") == 1
    detail = _get(api, f"/documents/{doc.key}", modality="all")
    assert _ids(detail["event_list"]) == ["1:asserted", "2:negated", "3:claimed"]
    assert detail["marked"].count("[[") == 3
    listed = {d["id"]: d["events"] for d in _get(api, "/documents")["items"]}
    assert listed[doc.key] == 1 and listed[legacy().document.key] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/events",
        "/network",
        "/network/facets",
        "/network.json",
        "/actors",
        "/actors/modality-alpha",
        "/actors/modality-alpha/neighbourhood",
        "/relations/modality-alpha/modality-beta",
        "/documents",
    ],
)
@pytest.mark.parametrize("bad", ["bogus", "negated,maybe"])
def test_a_bad_modality_is_a_problem(api: ApiServer, path: str, bad: str) -> None:
    response = httpx.get(f"{api.base}{path}", params={"modality": bad}, timeout=60)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 400 and ACCEPTED in body["detail"] and "all" in body["detail"]


def test_the_openapi_document_names_the_modalities(api: ApiServer) -> None:
    spec = _get(api, "/openapi.json")
    for path in (
        "/events",
        "/network",
        "/actors/{actor_id}/neighbourhood",
        "/relations/{a}/{b}",
        "/paths",
    ):
        params = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert ACCEPTED in params["modality"]["description"], path
        assert "400" in spec["paths"][path]["get"]["responses"], path
    assert "modality" in spec["components"]["schemas"]["EventOut"]["properties"]


@pytest.mark.parametrize("choice", [None, "all", "negated,claimed", "asserted,negated", "denied"])
def test_actor_search_counts_as_the_modality_pattern_does(
    api: ApiServer, choice: str | None
) -> None:
    """The search index counts events by subtraction; it must agree with the one pattern
    that says what a modality choice keeps."""
    filters = Filters(modality=choice)
    sparql = f"""SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE {{
      ?e sem:hasActor ?a . {modality_pattern(filters)} }} GROUP BY ?a"""
    response = httpx.post(
        f"{api.base}/sparql",
        data={"query": sparql},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    expected = {
        b["a"]["value"].rsplit("/", 1)[-1]: int(b["n"]["value"])
        for b in response.json()["results"]["bindings"]
    }
    params = {"limit": 500} if choice is None else {"limit": 500, "modality": choice}
    found = {a["id"]: a["events"] for a in _get(api, "/actors", **params)["items"]}
    assert {a: n for a, n in found.items() if n} == expected
    assert any(n for n in expected.values()) or choice == "denied"
