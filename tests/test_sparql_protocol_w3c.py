"""The W3C SPARQL 1.1 Protocol tests (tests/data/w3c-sparql11/protocol/manifest.ttl), run
against a real evkg server started empty (the update tests CLEAR and DROP everything).

The manifest describes each test as ht:Requests; the runner sends them in order and checks
the status class, the result format and the ASK answer it names. TABLE below restates, per
test IRI, the graphs to load first and the status classes of its requests: it must cover
every manifest test and agree with the manifest, so a new or changed test fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from tests.api_server import ApiServer, start_api
from tests.w3c_manifest import DATA, UT, check, entries, exchanges, load

MANIFEST = DATA / "protocol" / "manifest.ttl"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
OK = ("StatusCode2xx", "StatusCode3xx")
BAD = ("StatusCode4xx",)
D1, D2, D3 = "data1.nt", "data2.nt", "data3.nt"

# test -> (data files to load into their graphs, status classes of each request in turn)
TABLE: dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    "query_post_form": ((), (OK,)),
    "query_dataset_default_graphs_get": ((D1, D2), (OK,)),
    "query_dataset_default_graphs_post": ((D1, D2), (OK,)),
    "query_dataset_named_graphs_post": ((D1, D2), (OK,)),
    "query_dataset_named_graphs_get": ((D1, D2), (OK,)),
    "query_dataset_full": ((D1, D2, D3), (OK,)),
    "query_multiple_dataset": ((D1, D2, D3), (OK,)),
    "query_get": ((), (OK,)),
    "query_content_type_select": ((), (OK,)),
    "query_content_type_ask": ((), (OK,)),
    "query_content_type_describe": ((), (OK,)),
    "query_content_type_construct": ((), (OK,)),
    "update_dataset_default_graph": ((), (OK, OK)),
    "update_dataset_default_graphs": ((), (OK, OK)),
    "update_dataset_named_graphs": ((), (OK, OK)),
    "update_dataset_full": ((), (OK, OK)),
    "update_post_form": ((), (OK,)),
    "update_post_direct": ((), (OK,)),
    "update_base_uri": ((), (OK, OK)),
    "query_post_direct": ((), (OK,)),
    "bad_query_method": ((), (BAD,)),
    "bad_multiple_queries": ((), (BAD,)),
    "bad_query_wrong_media_type": ((), (BAD,)),
    "bad_query_missing_form_type": ((), (BAD,)),
    "bad_query_missing_direct_type": ((), (BAD,)),
    "bad_query_non_utf8": ((), (BAD,)),
    "bad_query_syntax": ((), (BAD,)),
    "bad_update_get": ((), (BAD,)),
    "bad_multiple_updates": ((), (BAD,)),
    "bad_update_wrong_media_type": ((), (BAD,)),
    "bad_update_missing_form_type": ((), (BAD,)),
    "bad_update_non_utf8": ((), (BAD,)),
    "bad_update_syntax": ((), (BAD,)),
    "bad_update_dataset_conflict": ((), (BAD,)),
}

GRAPH = load(MANIFEST)
TESTS = entries(GRAPH, MANIFEST)


def test_table_covers_the_manifest() -> None:
    assert len(TESTS) == 34
    assert sorted(str(t).removeprefix(BASE) for t in TESTS) == sorted(TABLE)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    yield from start_api(tmp_path_factory.mktemp("w3c-protocol"))


def _load(api: ApiServer, test: rdflib.URIRef) -> list[str]:
    """Put each ut:graphData file into the graph its label names (Graph Store Protocol)."""
    names = []
    for data in GRAPH.objects(test, UT.graphData):
        path = Path(str(GRAPH.value(data, UT.graph)).removeprefix("file://"))
        r = httpx.put(f"{api.base}/rdf-graphs",
                      params={"graph": str(GRAPH.value(data, rdflib.RDFS.label))},
                      content=path.read_bytes(),
                      headers={**api.auth, "Content-Type": "application/n-triples"})
        assert r.status_code in (201, 204), r.text
        names.append(path.name)
    return sorted(names)


@pytest.mark.parametrize("test", TESTS, ids=lambda t: str(t).removeprefix(BASE))
def test_w3c_protocol(api: ApiServer, test: rdflib.URIRef) -> None:
    data, statuses = TABLE[str(test).removeprefix(BASE)]
    steps = exchanges(GRAPH, test)
    assert tuple(tuple(ex.expected.statuses) for ex in steps) == statuses
    assert _load(api, test) == sorted(data)
    for ex in steps:
        assert ex.path.startswith("/sparql/")
        url = api.base + "/sparql" + ex.path.removeprefix("/sparql/")
        # every request carries the write token, so a refused update is refused for its
        # own fault and not for want of authorisation; the time limit is generous (an
        # update copies the store and runs in a worker, which a loaded machine may take a
        # while over: speed is the benchmarks' business)
        r = httpx.request(ex.method, url, headers={**ex.headers, **api.auth},
                          content=None if ex.body is None else ex.body.encode("utf-8"),
                          timeout=120)
        check(ex, r)
