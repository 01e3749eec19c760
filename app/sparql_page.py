"""The page a browser gets at /sparql: YASGUI (the SPARQL editor and result views most
SPARQL services offer) pointed at this endpoint, with evkg's prefixes, completion over its
own vocabulary and the worked examples as named tabs. Clients asking for anything but HTML
get the protocol's answers (app/routers/sparql.py)."""

from __future__ import annotations

import json
import re
from functools import cache
from html import escape
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from app.pages import page, vendor
from ingest.resources import ontology_dir
from ontology.namespaces import EXPORT_PREFIXES, ID, PREFIXES

# Prefixes the editor offers and declares: those the endpoint predeclares, plus one per
# kind of minted IRI (actor:iran) as the exports use.
EDITOR_PREFIXES: dict[str, str] = {**PREFIXES, **EXPORT_PREFIXES}
# Results show IRIs by these (one per kind of minted IRI rather than the catch-all id:).
RESULT_PREFIXES: dict[str, str] = dict(EXPORT_PREFIXES)

EXAMPLES: dict[str, str] = {
    "Events by CAMEO root": """\
# Events of each CAMEO root (every modality: filter on evkg:modality for one).
SELECT ?root ?label (COUNT(?event) AS ?events) WHERE {
  ?event a sem:Event ; sem:eventType/skos:broader* ?root .
  ?root skos:topConceptOf cameo:scheme ; skos:prefLabel ?label .
} GROUP BY ?root ?label ORDER BY DESC(?events) ?root""",
    "Who attacked whom": """\
# Assaults, fights and mass violence (CAMEO roots 18-20): who did it to whom, and when.
SELECT ?source ?sourceLabel ?target ?targetLabel ?date ?event WHERE {
  VALUES ?root { cameo:18 cameo:19 cameo:20 }
  ?event sem:eventType/skos:broader* ?root ; evkg:source ?source ; evkg:target ?target .
  OPTIONAL { ?source skos:prefLabel ?sourceLabel }
  OPTIONAL { ?target skos:prefLabel ?targetLabel }
  OPTIONAL { ?event sem:hasTimeStamp ?date }
} ORDER BY ?date ?event LIMIT 200""",
    "A dyad's timeline": """\
# Everything the United States and Iran did to each other, oldest first.
SELECT ?date ?source ?code ?label ?target ?event WHERE {
  VALUES (?a ?b) { (actor:united-states actor:iran) }
  { ?event evkg:source ?a ; evkg:target ?b } UNION { ?event evkg:source ?b ; evkg:target ?a }
  ?event evkg:source ?source ; evkg:target ?target ; sem:eventType ?code .
  OPTIONAL { ?code skos:prefLabel ?label }
  OPTIONAL { ?event sem:hasTimeStamp ?date }
} ORDER BY ?date ?event""",
    "A document's events with their sentences": """\
# The events of one document (the one with the most; or name it:
# VALUES ?document { doc:... }), with the trigger and the sentence each was read from.
SELECT ?title ?event ?code ?trigger ?sentence WHERE {
  { SELECT ?document (COUNT(?e) AS ?n) WHERE { ?e a sem:Event ; prov:wasDerivedFrom ?document }
    GROUP BY ?document ORDER BY DESC(?n) ?document LIMIT 1 }
  OPTIONAL { ?document dcterms:title ?title }
  ?event prov:wasDerivedFrom ?document ; sem:eventType ?code ; evkg:sentence ?s .
  ?s nif:anchorOf ?sentence ; nif:beginIndex ?start .
  OPTIONAL { ?event gaf:denotedBy/nif:anchorOf ?trigger }
} ORDER BY ?start ?event""",
}

NEW_TAB = """\
SELECT ?event ?label ?date WHERE {
  ?event a sem:Event ; rdfs:label ?label .
  OPTIONAL { ?event sem:hasTimeStamp ?date }
} ORDER BY DESC(?date) LIMIT 50"""


def with_prefixes(query: str) -> str:
    """`query` after PREFIX lines for the editor prefixes it uses, in the table's order
    (the endpoint predeclares most of them; the editor checks that each is declared)."""
    body = re.sub(r"#[^\n]*", "", query)
    used = [name for name in EDITOR_PREFIXES if re.search(rf"(?<![\w:/#]){re.escape(name)}:", body)]
    return "".join(f"PREFIX {n}: <{EDITOR_PREFIXES[n]}>\n" for n in used) + query


@cache
def vocabulary_terms() -> dict[str, list[str]]:
    """Classes and properties to complete in the editor, from evkg's ontology and shapes
    (what its graphs hold) and the predicates of the CAMEO scheme: offline, instead of the
    editor's default remote vocabulary search."""
    graph = Graph()
    for name in ("evkg.ttl", "shapes.ttl", "cameo.ttl"):
        path = ontology_dir() / name
        if path.is_file():
            graph.parse(path, format="turtle")
    classes = {o for o in graph.objects(None, SH.targetClass)}
    classes |= {o for o in graph.objects(None, SH["class"])}
    properties = {o for o in graph.objects(None, SH.path)}
    for kind in (OWL.Class, RDFS.Class):
        classes |= set(graph.subjects(RDF.type, kind))
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property):
        properties |= set(graph.subjects(RDF.type, kind))
    properties |= set(graph.predicates()) - {RDF.type, RDF.first, RDF.rest}
    # terms the ontology documents without typing them (sem:Event, sem:eventType, ...)
    for subject in set(graph.subjects(RDFS.comment, None)):
        local = re.split(r"[#/]", str(subject))[-1]
        if isinstance(subject, URIRef) and local and (subject, RDF.type, None) not in graph:
            (classes if local[0].isupper() else properties).add(subject)
    namespaces = tuple(EDITOR_PREFIXES.values())

    def keep(terms: set[Any]) -> list[str]:
        return sorted(
            str(t)
            for t in terms
            if isinstance(t, URIRef) and str(t).startswith(namespaces) and not str(t).startswith(ID)
        )

    return {"class": keep(classes), "property": keep(properties)}


def page_config(endpoint: str) -> dict[str, Any]:
    """What the page's script reads: the endpoint, prefixes, examples and terms."""
    return {
        "endpoint": endpoint,
        "prefixes": EDITOR_PREFIXES,
        "resultPrefixes": RESULT_PREFIXES,
        "examples": [{"name": name, "query": with_prefixes(q)} for name, q in EXAMPLES.items()],
        "newTab": with_prefixes(NEW_TAB),
        "terms": vocabulary_terms(),
        "linkedData": {"base": ID, "path": "/id/"},
    }


def query_page(endpoint: str) -> str:
    config = json.dumps(page_config(endpoint)).replace("<", "\\u003c")
    buttons = "".join(
        f'<button type="button" data-example="{n}">{escape(name)}</button>'
        for n, name in enumerate(EXAMPLES)
    )
    head = f"""<link rel="stylesheet" href="{vendor("yasgui", "yasgui.min.css")}">
  <link rel="stylesheet" href="/static/pages/sparql.css">
  <script src="{vendor("yasgui", "yasgui.min.js")}" defer></script>
  <script src="/static/pages/sparql.js" type="module"></script>
  <script type="application/json" id="sparql-config">{config}</script>"""
    body = f"""<section class="evkg-tools" aria-label="Examples and settings">
    <div class="examples"><span>Examples</span>{buttons}</div>
    <form class="token" autocomplete="off"><label>Token for updates <input id="token"
      type="password" autocomplete="off" placeholder="EVKG_TOKEN" size="18"></label></form>
  </section>
  <p class="evkg-hint">Clients: GET or POST <code>{escape(endpoint)}</code> with
    <code>query=</code> (or <code>update=</code> with the token); results as JSON, XML,
    CSV or TSV, graphs as Turtle, N-Triples, JSON-LD and more, by <code>Accept</code>.
    Prefixes {escape(", ".join(PREFIXES))} are predeclared; the default graph is the union
    of all graphs.</p>
  <main id="yasgui"></main>"""
    return page("evkg · SPARQL", "SPARQL", head=head, body=body, library="yasgui")
