"""What schemathesis needs to know of evkg's OpenAPI document beyond JSON Schema: loaded by
bench/bench_schema.py (SCHEMATHESIS_HOOKS) and imported by tests/test_api_schemathesis.py.

SPARQL query and update bodies are plain UTF-8 text. The string formats the document
declares for grammars JSON Schema cannot express ("sparql-query", "sparql-update",
"turtle", "n-triples", "rdf-xml") get strategies that draw texts of that grammar, so a request valid
by the schema is one the server can take. Updates and graph writes name graphs under
https://example.org/ only (the seeded data is left as it is).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import schemathesis
from hypothesis import strategies as st
from schemathesis.transport.asgi import ASGI_TRANSPORT
from schemathesis.transport.requests import REQUESTS_TRANSPORT
from schemathesis.transport.wsgi import WSGI_TRANSPORT

schemathesis.serializer.alias(
    [
        "application/sparql-query",
        "application/sparql-update",
        "text/turtle",
        "application/n-triples",
        "application/rdf+xml",
    ],
    "text/plain",
)
# A `+xml` type is of the XML family, and schemathesis takes the first serializer of the
# family it has: the built-in one for application/xml, which wraps a string in an element of
# its own. evkg takes no application/xml body, so that serializer goes and an RDF/XML body
# is sent as its strategy drew it.
for _transport in (ASGI_TRANSPORT, REQUESTS_TRANSPORT, WSGI_TRANSPORT):
    _transport.unregister_serializer("application/xml", "text/xml")

EXAMPLE = "https://example.org/"
_names = st.from_regex(r"[a-z][a-z0-9]{0,11}", fullmatch=True)
iris = _names.map(lambda name: f"<{EXAMPLE}{name}>")
graphs = _names.map(lambda name: f"<{EXAMPLE}graph/{name}>")
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=20)


def _literal(value: str) -> str:
    """A string literal as SPARQL, Turtle and N-Triples all read it."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


literals = _text.map(_literal)
terms = st.one_of(iris, literals, st.integers(-1000, 1000).map(str))
triples = st.tuples(iris, iris, st.one_of(iris, literals)).map(" ".join)
limits = st.integers(0, 50)

queries = st.one_of(
    limits.map(lambda n: f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {n}"),
    st.tuples(iris, literals).map(lambda t: f"ASK {{ ?s {t[0]} {t[1]} }}"),
    iris.map(lambda c: f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a {c} }}"),
    limits.map(lambda n: f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {n}"),
    iris.map(lambda i: f"DESCRIBE {i}"),
    st.lists(terms, min_size=1, max_size=5).map(
        lambda ts: f"SELECT ?x WHERE {{ VALUES ?x {{ {' '.join(ts)} }} }}"
    ),
    limits.map(
        lambda n: (
            "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>\n"
            f"SELECT ?e WHERE {{ ?e a sem:Event }} LIMIT {n}"
        )
    ),
)
updates = st.one_of(
    st.tuples(graphs, triples).map(lambda t: f"INSERT DATA {{ GRAPH {t[0]} {{ {t[1]} }} }}"),
    st.tuples(graphs, triples).map(lambda t: f"DELETE DATA {{ GRAPH {t[0]} {{ {t[1]} }} }}"),
    graphs.map(lambda g: f"CLEAR SILENT GRAPH {g}"),
    st.tuples(graphs, iris).map(lambda t: f"DELETE WHERE {{ GRAPH {t[0]} {{ ?s {t[1]} ?o }} }}"),
    st.tuples(graphs, iris, literals).map(
        lambda t: (
            f"INSERT {{ GRAPH {t[0]} {{ ?s {t[1]} {t[2]} }} }} "
            f"WHERE {{ GRAPH {t[0]} {{ ?s ?p ?o }} }}"
        )
    ),
)
ntriples = st.lists(triples, min_size=1, max_size=5).map(lambda ts: "".join(f"{t} .\n" for t in ts))
turtle = st.one_of(
    ntriples,
    st.tuples(_names, _names, literals).map(
        lambda t: f"@prefix ex: <{EXAMPLE}> .\nex:{t[0]} ex:{t[1]} {t[2]} ."
    ),
)

_xml_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn")), max_size=20
)
rdf_xml = st.lists(st.tuples(_names, _names, _xml_text), min_size=1, max_size=5).map(
    lambda rows: (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:ex="{EXAMPLE}">'
        + "".join(
            f'<rdf:Description rdf:about="{EXAMPLE}{s}"><ex:{p}>{escape(o)}</ex:{p}>'
            "</rdf:Description>"
            for s, p, o in rows
        )
        + "</rdf:RDF>"
    )
)

schemathesis.openapi.format("sparql-query", queries)
schemathesis.openapi.format("sparql-update", updates)
schemathesis.openapi.format("n-triples", ntriples)
schemathesis.openapi.format("turtle", turtle)
schemathesis.openapi.format("rdf-xml", rdf_xml)
