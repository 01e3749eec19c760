"""The SPARQL endpoint against the real server: protocol, formats, safety, limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from tests.api_server import ApiServer, seed_store, start_api

EVENTS = "SELECT ?e WHERE { ?e a sem:Event } ORDER BY ?e"


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "store"
    seed_store(path)
    return path


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, seeded: Path) -> Iterator[ApiServer]:
    yield from start_api(tmp_path_factory.mktemp("api"), seeded, EVKG_MAX_ROWS="10")


def q(api: ApiServer, query: str, accept: str = "application/sparql-results+json",
      **kw) -> httpx.Response:
    return httpx.post(f"{api.base}/sparql", data={"query": query},
                      headers={"Accept": accept}, timeout=30, **kw)


def test_select_in_every_result_format(api: ApiServer) -> None:
    query = "SELECT ?d ?t WHERE { ?d a evkg:Document ; dcterms:title ?t } ORDER BY ?d"
    js = q(api, query).json()
    assert js["head"]["vars"] == ["d", "t"] and len(js["results"]["bindings"]) == 2
    xml = q(api, query, "application/sparql-results+xml")
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    parsed = rdflib.query.Result.parse(source=__import__("io").BytesIO(xml.content),
                                       format="xml")
    assert len(list(parsed)) == 2
    csv = q(api, query, "text/csv").text.splitlines()
    assert csv[0] == "d,t" and len(csv) == 3
    tsv = q(api, query, "text/tab-separated-values").text.splitlines()
    assert tsv[0] == "?d\t?t" and tsv[1].startswith("<https://evkg.org/id/document/")


def test_ask_construct_describe(api: ApiServer) -> None:
    assert q(api, "ASK { ?e a sem:Event }").json()["boolean"] is True
    turtle = q(api, "CONSTRUCT WHERE { ?a a sem:Actor ; skos:prefLabel ?l } LIMIT 5",
               "text/turtle")
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert 1 <= len(set(graph.subjects())) <= 5
    for media, fmt in [("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
                       ("application/ld+json", "json-ld")]:
        r = q(api, "DESCRIBE <https://evkg.org/id/actor/iran>", media)
        assert r.status_code == 200, r.text
        assert len(rdflib.Graph().parse(data=r.content, format=fmt)) > 3


def test_get_and_direct_post_agree(api: ApiServer) -> None:
    get = httpx.get(f"{api.base}/sparql", params={"query": EVENTS[:-14] + " LIMIT 3"})
    post = httpx.post(f"{api.base}/sparql", content=EVENTS[:-14] + " LIMIT 3",
                      headers={"Content-Type": "application/sparql-query"})
    assert get.json() == post.json()


def test_named_and_default_graph_parameters(api: ApiServer) -> None:
    params = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
              "default-graph-uri": "https://evkg.org/graph/ontology"}
    only_ontology = int(httpx.get(f"{api.base}/sparql", params=params).json()
                        ["results"]["bindings"][0]["n"]["value"])
    params.pop("default-graph-uri")
    everything = int(httpx.get(f"{api.base}/sparql", params=params).json()
                     ["results"]["bindings"][0]["n"]["value"])
    assert 0 < only_ontology < everything


def test_rows_are_capped_and_said_so(api: ApiServer) -> None:
    r = q(api, EVENTS)
    assert r.headers["EVKG-Results-Truncated"].startswith("true")
    assert len(r.json()["results"]["bindings"]) == 10 and r.json()["results"]["truncated"]
    small = q(api, EVENTS + " LIMIT 3")
    assert "EVKG-Results-Truncated" not in small.headers


def test_malformed_query_is_400_with_the_parsers_message(api: ApiServer) -> None:
    r = q(api, "SELECT ?x WHERE { ?x ")
    assert r.status_code == 400
    problem = r.json()
    assert problem["status"] == 400 and "error at" in problem["detail"]
    assert r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <file:///etc/passwd> { ?s ?p ?o } }",
    "select * where { service\n<http://example.org/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused(api: ApiServer, query: str) -> None:
    r = q(api, query)
    assert r.status_code == 403 and "SERVICE" in r.json()["detail"]


def test_the_word_service_in_a_string_is_fine(api: ApiServer) -> None:
    r = q(api, 'SELECT * WHERE { BIND("SERVICE <http://x/>" AS ?x) }')
    assert r.status_code == 200


def test_updates_need_the_token_and_change_nothing_without_it(api: ApiServer) -> None:
    update = "INSERT DATA { GRAPH <http://example.org/g> { <http://e/s> <http://e/p> 1 } }"
    check = "ASK { GRAPH <http://example.org/g> { ?s ?p ?o } }"
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        r = httpx.post(f"{api.base}/sparql", content=update, headers={
            "Content-Type": "application/sparql-update", **headers})
        assert r.status_code in (401, 403)
        assert q(api, check).json()["boolean"] is False
    r = httpx.post(f"{api.base}/sparql", content=update, headers={
        "Content-Type": "application/sparql-update", **api.auth})
    assert r.status_code == 204
    assert q(api, check).json()["boolean"] is True
    httpx.post(f"{api.base}/sparql", content="DROP GRAPH <http://example.org/g>",
               headers={"Content-Type": "application/sparql-update", **api.auth})
    assert q(api, check).json()["boolean"] is False


def test_load_is_refused_even_with_the_token(api: ApiServer) -> None:
    for target in ("http://127.0.0.1:9/x.ttl", "file:///etc/hostname"):
        r = httpx.post(f"{api.base}/sparql", data={"update": f"LOAD <{target}>"},
                       headers=api.auth)
        assert r.status_code == 403 and "LOAD" in r.json()["detail"]


def test_timeout_gives_503_and_the_service_stays_up(api: ApiServer) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = q(api, slow)
    assert r.status_code == 503 and "longer than" in r.json()["detail"]
    assert q(api, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_service_description_and_html_page(api: ApiServer) -> None:
    sd = httpx.get(f"{api.base}/sparql")
    g = rdflib.Graph().parse(data=sd.text, format="turtle")
    sdns = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sdns.endpoint, rdflib.URIRef(f"{api.base}/sparql")) in g
    html = httpx.get(f"{api.base}/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert html.headers["content-type"].startswith("text/html") and "<form" in html.text


def test_sparqlwrapper_and_rdflib_sparqlstore(api: ApiServer) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(f"{api.base}/sparql")
    client.setQuery("SELECT ?l WHERE { <https://evkg.org/id/actor/iran> skos:prefLabel ?l }")
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert result["results"]["bindings"][0]["l"]["value"] == "Iran"
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{api.base}/sparql", returnFormat="json")
    rows = list(rdflib.Graph(store).query(
        "ASK { <https://evkg.org/id/actor/iran> ?p ?o }"))
    assert rows == [True]


def test_bad_bodies_are_4xx(api: ApiServer) -> None:
    cases = [
        (b"\xff\xfe\x00binary", "application/sparql-query"),
        (b"", "application/sparql-query"),
        (b"query=%FF", "application/x-www-form-urlencoded"),
        (b"ASK {}", "text/plain"),
        (b"ASK {}" * 300_000, "application/sparql-query"),
    ]
    for body, media in cases:
        r = httpx.post(f"{api.base}/sparql", content=body, headers={"Content-Type": media})
        assert 400 <= r.status_code < 500, (body[:20], r.status_code)
        json.loads(r.text)
