"""The SPARQL endpoint against the real server: protocol, formats, safety, limits."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from app.problems import store_problem
from graph.isolated import QueryTimeout
from graph.sparql import QuerySyntaxError
from graph.sparql_safety import manages_graphs_only, prepare
from graph.store import StoreError
from tests.api_server import ApiServer, start_api

EVENTS = "SELECT ?e WHERE { ?e a sem:Event } ORDER BY ?e"


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
    assert r.headers["retry-after"] == "5"
    assert q(api, "ASK { ?s ?p ?o }").json()["boolean"] is True


@pytest.mark.parametrize(("error", "status", "detail", "retry"), [
    (QueryTimeout("took longer than 1 s"), 503, "took longer than 1 s", "5"),
    (QuerySyntaxError("expected }"), 400, "malformed SPARQL: expected }", None),
    (StoreError("connection refused"), 503, "store error: connection refused", None),
])
def test_store_failures_answer_alike_on_every_route(error, status, detail, retry) -> None:
    """One mapping serves the routes that read through app.deps and the app's handler."""
    problem = store_problem(error)
    assert (problem.status, problem.detail, problem.headers.get("Retry-After")) == (
        status, detail, retry)


def test_service_description_and_html_page(api: ApiServer) -> None:
    sd = httpx.get(f"{api.base}/sparql")
    g = rdflib.Graph().parse(data=sd.text, format="turtle")
    sdns = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sdns.endpoint, rdflib.URIRef(f"{api.base}/sparql")) in g
    html = httpx.get(f"{api.base}/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert html.headers["content-type"].startswith("text/html") and "<form" in html.text
    # a dataset named without a query is no query, but a malformed one is still refused
    named = httpx.get(f"{api.base}/sparql", params={"default-graph-uri": "https://example.org/g"})
    assert named.status_code == 200 and named.text == sd.text
    for bad in ("not an iri", "relative/graph", "https://example.org/<g>"):
        refused = httpx.get(f"{api.base}/sparql", params={"named-graph-uri": bad})
        assert refused.status_code == 400 and "named-graph-uri" in refused.text


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


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory, seeded: Path) -> Iterator[ApiServer]:
    """A server with a single query worker, so concurrent requests must wait for it."""
    yield from start_api(tmp_path_factory.mktemp("one-worker"), seeded,
                         EVKG_QUERY_WORKERS="1", EVKG_QUERY_TIMEOUT="5")


def test_concurrent_queries_share_one_worker_and_each_gets_its_own_answer(
        one_worker: ApiServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def count(n: int) -> int:
        r = q(one_worker, f"SELECT (COUNT(*) + {n} AS ?n) WHERE {{ ?e a sem:Event }}")
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    events = count(0)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(count, range(1, 25)))
    assert answers == [events + n for n in range(1, 25)]


def test_a_timed_out_query_frees_the_worker_for_those_waiting(one_worker: ApiServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with ThreadPoolExecutor(2) as pool:
        stuck = pool.submit(q, one_worker, slow)
        time.sleep(0.5)  # the slow query holds the only worker
        waiting = pool.submit(q, one_worker, "ASK { ?e a sem:Event }")
        assert stuck.result().status_code == 503
        # the waiter got the replacement worker (or timed out waiting: 503, not a hang)
        assert waiting.result().status_code in (200, 503)
    assert q(one_worker, "ASK { ?e a sem:Event }").json()["boolean"] is True


def test_a_result_over_a_megabyte_arrives_whole(api: ApiServer) -> None:
    """Large answers are read off the worker's pipe in a thread; the bytes must all come."""
    pattern = ("{ ?d nif:isString ?t . ?e a sem:Event . "
               "VALUES ?k { 1 2 3 4 5 6 7 8 9 10 } }")
    big = f'SELECT (GROUP_CONCAT(?t; separator="") AS ?all) WHERE {pattern}'
    size = f"SELECT (SUM(STRLEN(?t)) AS ?n) WHERE {pattern}"
    expected = int(q(api, size).json()["results"]["bindings"][0]["n"]["value"])
    assert expected > 1_100_000  # over graph.isolated.LOOP_READ_LIMIT
    r = q(api, big)
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"][0]["all"]["value"]) == expected


@pytest.mark.parametrize("query", [
    "SELECT ?download ?payload WHERE { BIND(1 AS ?download) BIND(2 AS ?payload) }",
    "SELECT * WHERE { <https://example.org/services/x> ?p ?o }",
    "SELECT ?service WHERE { BIND(3 AS ?service) }",
])
def test_service_and_load_inside_other_words_are_fine(api: ApiServer, query: str) -> None:
    assert q(api, query).status_code == 200


def test_only_texts_holding_the_words_send_a_query_to_the_parser() -> None:
    from graph.sparql_safety import ForbiddenOperation, check_query, needs_parse

    assert not needs_parse("SELECT ?d WHERE { <http://x/y> ?p ?o }")
    assert needs_parse("SELECT ?download WHERE { <http://x/services/y> ?p ?o }")
    assert needs_parse("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    assert needs_parse("select * where {service<http://x/>{?s ?p ?o}}")
    assert needs_parse("select * where { ?s ?p 1SERVICE<http://x/>{?s ?p ?o}}")
    for _ in range(2):  # the second verdict comes from the cache, and must be the same
        with pytest.raises(ForbiddenOperation):
            check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")


def test_results_read_back_as_the_terms_oxigraph_answers(api: ApiServer) -> None:
    """evkg writes result formats itself (to cap rows); read back, they must give the very
    terms Oxigraph's own answer holds: IRIs, blank nodes, language tags, datatypes, escapes,
    unbound variables."""
    import pyoxigraph as ox

    query = '''SELECT ?a ?b ?c ?d WHERE { VALUES (?a ?b ?c ?d) {
      (<http://x.org/é> "say \\"hi\\"\\n\\t<&> \\u0001" "chat"@fr 12)
      (UNDEF "x"^^<http://x.org/dt> UNDEF 1.5e0)
      (<http://x.org/y> UNDEF "2020-01"^^xsd:gYearMonth true) } }'''
    expected = [[s[v] for v in "abcd"] for s in ox.Store().query(
        query, prefixes={"xsd": "http://www.w3.org/2001/XMLSchema#"})]
    for media, fmt in [("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                       ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                       ("text/tab-separated-values", ox.QueryResultsFormat.TSV)]:
        r = q(api, query, media)
        assert r.status_code == 200, r.text
        got = [[s[v] for v in "abcd"] for s in ox.parse_query_results(r.content, fmt)]
        assert got == expected, media


@pytest.mark.parametrize("text,only", [
    ("CLEAR ALL", True),
    ("BASE <http://a/>\nclear silent graph <g> ; DROP NAMED ; CREATE GRAPH <h> ;", True),
    ("PREFIX ex: <http://x/> DROP GRAPH ex:g # INSERT DATA { <a:a> <a:a> <a:a> }", True),
    ("DROP DEFAULT # a comment ends at a carriage return\r; INSERT DATA { }", False),
    ("DROP GRAPH <http://x/\\u003E;INSERT>", True),  # one IRI, escape and all
    ("\\u0043LEAR ALL", False),  # an escape outside an IRI is no keyword
    ("CLEAR ALL ; ADD <http://a/> TO <http://b/>", False),
    ("CREATE ALL", False),
    ("CLEAR GRAPH ?g", False),
    ("DELETE WHERE { ?s ?p ?o }", False),
])
def test_graph_management_is_told_by_every_token(text: str, only: bool) -> None:
    assert manages_graphs_only(prepare(text)) is only


def _update(api: ApiServer, text: str) -> httpx.Response:
    return httpx.post(f"{api.base}/sparql", content=text, timeout=60,
                      headers={"Content-Type": "application/sparql-update", **api.auth})


@pytest.fixture(scope="module")
def tight_limits(tmp_path_factory: pytest.TempPathFactory, seeded: Path) -> Iterator[ApiServer]:
    """A server where no query may take 0.3 s, and no update in a worker a millisecond:
    every update sent to a worker is stopped there."""
    yield from start_api(tmp_path_factory.mktemp("tight"), seeded, EVKG_QUERY_TIMEOUT="0.3",
                         EVKG_UPDATE_TIMEOUT="0.001")


def test_graph_management_runs_on_the_store_other_updates_in_a_worker(
    tight_limits: ApiServer,
) -> None:
    g = "http://example.org/managed"
    ask = f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
    r = _update(tight_limits, f"INSERT DATA {{ GRAPH <{g}> {{ <{g}#s> <{g}#p> 1 }} }}")
    assert r.status_code == 503 and "isolated run" in r.json()["detail"], r.text
    assert q(tight_limits, ask).json()["boolean"] is False
    r = _update(tight_limits, f"CREATE GRAPH <{g}> ; # x\r DROP SILENT GRAPH <{g}/none>")
    assert r.status_code == 204, r.text
    graphs = "SELECT ?g WHERE { GRAPH ?g { } }"
    assert {"g": {"type": "uri", "value": g}} in q(tight_limits, graphs).json()["results"][
        "bindings"]
    r = _update(tight_limits, "DROP GRAPH <https://evkg.org/graph/cameo>")
    assert r.status_code == 204, r.text
    assert q(tight_limits, "ASK { ?c skos:inScheme cameo:scheme }").json()["boolean"] is False


def test_the_whole_store_is_read_past_the_query_time_limit(tight_limits: ApiServer) -> None:
    """The default graph's dump is a fixed read of a snapshot, not a client's query: it
    takes the time it needs, where a query is stopped at 0.3 s."""
    started = time.monotonic()
    r = httpx.get(f"{tight_limits.base}/rdf-graphs", params={"default": ""}, timeout=300,
                  headers={"Accept": "application/n-triples"})
    took = time.monotonic() - started
    assert r.status_code == 200, r.text[:300]
    triples = ox.parse(r.content, ox.RdfFormat.N_TRIPLES)
    assert sum(1 for _ in triples) > 200_000 and took > 0.3, took


def test_an_update_the_store_refuses_is_400_and_writes_nothing(api: ApiServer) -> None:
    g = "http://example.org/refused"
    r = _update(api, f"INSERT DATA {{ GRAPH <{g}> {{ <{g}#s> <{g}#p> 1 }} }} ; "
                     f"DROP GRAPH <{g}/missing>")
    assert r.status_code == 400 and "does not exist" in r.json()["detail"], r.text
    assert q(api, f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}").json()["boolean"] is False
    r = _update(api, "CREATE GRAPH <https://evkg.org/graph/cameo>")
    assert r.status_code == 400 and "already exists" in r.json()["detail"], r.text
