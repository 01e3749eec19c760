"""Read the HTTP exchanges of the W3C SPARQL 1.1 protocol test manifests (ht:/mf: vocabulary)
and check a live server's responses against them."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic

DATA = Path(__file__).parent / "data" / "w3c-sparql11"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

# hts: terms as (lowest, highest) status codes
STATUS = {"StatusCode2xx": (200, 299), "StatusCode3xx": (300, 399),
          "StatusCode4xx": (400, 499), "StatusCode5xx": (500, 599),
          "OK": (200, 200), "Created": (201, 201), "NoContent": (204, 204),
          "NotFound": (404, 404), "BadRequest": (400, 400)}

BOOLEAN_MEDIA = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_MEDIA = (*BOOLEAN_MEDIA, "text/csv", "text/tab-separated-values")
RDF_MEDIA = {"application/rdf+xml": "xml", "text/turtle": "turtle",
             "application/n-triples": "nt", "text/plain": "nt"}


@dataclass
class Expected:
    statuses: list[str]
    boolean: bool | None = None
    format: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    location: str | None = None

    def status_ok(self, code: int) -> bool:
        return any(lo <= code <= hi for lo, hi in (STATUS[s] for s in self.statuses))


@dataclass
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    expected: Expected


def load(path: Path) -> rdflib.Graph:
    """The manifest and the manifests it includes (mf:include), in one graph."""
    graph = rdflib.Graph()
    graph.parse(path, format="turtle", publicID=path.as_uri())
    for lst in graph.objects(rdflib.URIRef(path.as_uri()), MF.include):
        for included in Collection(graph, lst):  # type: ignore[arg-type]
            graph.parse(Path(str(included).removeprefix("file://")), format="turtle",
                        publicID=str(included))
    return graph


def entries(graph: rdflib.Graph, path: Path) -> list[rdflib.URIRef]:
    """The manifest's tests, in order (following mf:include)."""
    tests: list[rdflib.URIRef] = []
    manifest = rdflib.URIRef(path.as_uri())
    for lst in graph.objects(manifest, MF.entries):
        tests.extend(Collection(graph, lst))  # type: ignore[arg-type]
    for lst in graph.objects(manifest, MF.include):
        for included in Collection(graph, lst):  # type: ignore[arg-type]
            tests.extend(entries(graph, Path(str(included).removeprefix("file://"))))
    return tests


def _headers(graph: rdflib.Graph, node) -> dict[str, str]:
    lst = graph.value(node, HT.headers)
    if lst is None:
        return {}
    return {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
            for h in Collection(graph, lst)}


def _chars(graph: rdflib.Graph, node) -> str | None:
    body = graph.value(node, HT.body)
    return None if body is None else str(graph.value(body, CNT.chars))


def exchanges(graph: rdflib.Graph, test: rdflib.URIRef) -> list[Exchange]:
    action = graph.value(test, MF.action)
    out = []
    for req in Collection(graph, graph.value(action, HT.requests)):
        resp = graph.value(req, HT.resp)
        boolean = graph.value(resp, MF.expectedBoolean)
        fmt = graph.value(resp, MF.expectedFormat)
        location = graph.value(resp, MF.expectedLocation)
        expected = Expected(
            statuses=sorted(str(s).removeprefix(str(HTS))
                            for s in graph.objects(resp, MF.expectedStatus)),
            boolean=None if boolean is None else bool(boolean.toPython()),
            format=None if fmt is None else str(fmt),
            headers=_headers(graph, resp), body=_chars(graph, resp),
            location=None if location is None else str(location),
        )
        out.append(Exchange(str(graph.value(req, HT.methodName)),
                            str(graph.value(req, HT.absolutePath)),
                            _headers(graph, req), _chars(graph, req), expected))
    return out


def media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def check(ex: Exchange, r: httpx.Response,
          own: Callable[[rdflib.Graph], rdflib.Graph] | None = None) -> None:
    """The response matches what the manifest expects of it; `own` takes the server's own
    additions out of a returned graph before it is compared."""
    what = f"{ex.method} {ex.path} -> {r.status_code}: {r.text[:300]}"
    assert ex.expected.status_ok(r.status_code), what
    if ex.expected.format == "boolean" or ex.expected.boolean is not None:
        assert media(r) in BOOLEAN_MEDIA, what
        if media(r).endswith("json"):
            value = json.loads(r.content)["boolean"]
        else:
            value = rdflib.query.Result.parse(io.BytesIO(r.content), format="xml").askAnswer
        if ex.expected.boolean is not None:
            assert value is ex.expected.boolean, what
    elif ex.expected.format == "tabular":
        assert media(r) in TABULAR_MEDIA, what
    elif ex.expected.format == "RDF":
        assert media(r) in RDF_MEDIA, what
        rdflib.Graph().parse(data=r.content, format=RDF_MEDIA[media(r)])
    want = ex.expected.headers.get("content-type")
    if want is not None:
        assert media(r) == want.split(";")[0].strip().lower(), what
    if ex.expected.body is not None:
        got = rdflib.Graph().parse(data=r.content, format=RDF_MEDIA[media(r)])
        if own is not None:
            got = own(got)
        want_graph = rdflib.Graph().parse(data=ex.expected.body, format="turtle")
        assert isomorphic(got, want_graph), (
            f"{what}\n{got.serialize(format='nt')}")
