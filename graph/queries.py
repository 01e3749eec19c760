"""SPARQL for the REST resources: built here so the HTTP layer never writes SPARQL itself.

Each function returns query text; callers run it with `select()` on a store or on the
isolated query pool. Values from clients only enter through `check_iri` and
`ntriples_literal`, so they cannot change a query's shape. Whatever counts or lists events
keeps those of the filters' modality (`graph.network.modality_pattern`: asserted unless
asked otherwise).
"""

from __future__ import annotations

from typing import TypedDict, Unpack

from graph.network import (
    PARTIES,
    PARTIES_ACTED_ON,
    Filters,
    event_patterns,
    happening_key,
    happening_pattern,
    modality_pattern,
)
from graph.sparql import check_iri
from graph.store.vocab import HAPPENINGS_GRAPH
from ontology.namespaces import CAMEO

SD_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
              "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD")


def _iri(value: str) -> str:
    return f"<{check_iri(value)}>"


def service_description(endpoint: str, update: bool) -> str:
    """The SPARQL 1.1 Service Description of the endpoint, as Turtle."""
    languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if update else "")
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in SD_FORMATS)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
[] a sd:Service ;
    sd:endpoint <{check_iri(endpoint)}> ;
    sd:supportedLanguage {languages} ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat {formats} ;
    rdfs:comment "evkg: events of the US/Iran/Iraq conflict from the news. \
The default graph is the union of all graphs." .
"""


def stats() -> str:
    """Documents, document events (reports), happenings (a report not clustered yet counts
    as its own) and actors."""
    return f"""SELECT
  (SUM(IF(?kind = 1, 1, 0)) AS ?documents) (SUM(IF(?kind = 2, 1, 0)) AS ?events)
  (SUM(IF(?kind = 3, 1, 0)) AS ?actors) (SUM(IF(?kind = 4, 1, 0)) AS ?happenings)
WHERE {{
  {{ SELECT DISTINCT ?x ?kind WHERE {{
      {{ ?x a evkg:Document . BIND(1 AS ?kind) }} UNION {{ ?x a sem:Event . BIND(2 AS ?kind) }}
      UNION {{ ?x a sem:Actor . BIND(3 AS ?kind) }}
      UNION {{ ?e a sem:Event . {happening_key("?x")}
               BIND(4 AS ?kind) }} }} }}
}}"""


def triple_count() -> str:
    return "SELECT (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } }"


def actor_exists(actor: str) -> str:
    """One row if anything is said about the actor, none otherwise (SELECT, so the
    isolated reader can run it)."""
    return f"SELECT ?p WHERE {{ {_iri(actor)} ?p ?o }} LIMIT 1"


def actor_facts(actor: str) -> str:
    return f"SELECT DISTINCT ?p ?o WHERE {{ {_iri(actor)} ?p ?o }} ORDER BY ?p ?o"


def actor_links(actor: str) -> str:
    """Who is part of the actor, and who backs it or is backed by it."""
    a = _iri(actor)
    return f"""SELECT DISTINCT ?rel ?other (SAMPLE(?l) AS ?label) WHERE {{
  {{ ?other evkg:partOf {a} . BIND("part" AS ?rel) }}
  UNION {{ {a} evkg:partOf ?other . BIND("partOf" AS ?rel) }}
  UNION {{ {a} evkg:backedBy ?other . BIND("backer" AS ?rel) }}
  UNION {{ ?other evkg:backedBy {a} . BIND("backs" AS ?rel) }}
  OPTIONAL {{ ?other skos:prefLabel ?l }}
}} GROUP BY ?rel ?other ORDER BY ?rel ?other"""


def actor_counts(actor: str, filters: Filters | None = None) -> str:
    """Happenings (?n) and their reports (?reports) of the actor, of the filters' modality,
    per CAMEO root and quad class, as source and as target (a happening whose reports
    disagree on the code counts under each code they give)."""
    a = _iri(actor)
    return f"""SELECT ?role ?root ?quad (COUNT(DISTINCT ?k) AS ?n) (COUNT(DISTINCT ?e) AS ?reports)
WHERE {{
  {{ ?e {PARTIES} {a} . BIND("source" AS ?role) }}
  UNION {{ ?e {PARTIES_ACTED_ON} {a} . BIND("target" AS ?role) }}
  ?e a sem:Event ; sem:eventType ?type .
  {modality_pattern(filters or Filters())}
  {happening_key("?k")}
  OPTIONAL {{ ?type evkg:quadClass ?quad }}
  BIND(SUBSTR(STR(?type), {len(CAMEO) + 1}, 2) AS ?root)
}} GROUP BY ?role ?root ?quad ORDER BY ?role ?root"""


class Chosen(TypedDict, total=False):
    """What an event listing is narrowed to besides the filters: actor IRIs (`source`,
    `target`, or `actor` in either role), a CAMEO `code` and a place IRI."""

    source: str | None
    target: str | None
    actor: str | None
    code: str | None
    place: str | None


def _matching_events(filters: Filters, **chosen: Unpack[Chosen]) -> str:
    """The group that binds ?e to each document event the filters and arguments keep.

    The page of events is chosen starting from what is bound (an actor, a dyad, a place, a
    document): at a million quads, starting from every `sem:Event` and its optional source
    and target cost a second where the bound actor's events cost milliseconds."""
    source, target, actor = chosen.get("source"), chosen.get("target"), chosen.get("actor")
    code, place = chosen.get("code"), chosen.get("place")
    bound = []
    if source:
        bound.append(f"?e {PARTIES} {_iri(source)} .")
    if target:
        bound.append(f"?e {PARTIES_ACTED_ON} {_iri(target)} .")
    if actor:
        bound.append(f"?e sem:hasActor {_iri(actor)} .")
    if place:
        bound.append(f"?e sem:hasPlace {_iri(place)} .")
    if filters.document:
        bound.append(f"?e prov:wasDerivedFrom {_iri(filters.document)} .")
    parts = [*bound, "?e a sem:Event ; sem:eventType ?type ."]
    if code:
        parts.append(f"FILTER(?type = <{CAMEO}{code}>)")
    # the filters' patterns without the event and dyad they open with (bound above), and
    # without the optional document (only its filter matters in choosing the page)
    body = event_patterns(filters, source="?s0", target="?t0", lean=True, choose=True).replace(
        f"?e a sem:Event ; {PARTIES} ?s0 ; {PARTIES_ACTED_ON} ?t0 ; sem:eventType ?type .", ""
    )
    return f"{' '.join(parts)}\n    {body}"


# What `events` and `happenings` read of each event they list (?e, its ?type bound)
_DESCRIBED = """OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e evkg:source ?s } OPTIONAL { ?e evkg:target ?t }
  OPTIONAL { ?e sem:hasTimeStamp ?date }
  OPTIONAL { ?type evkg:goldstein ?gold } OPTIONAL { ?type evkg:quadClass ?quad }"""


def events(filters: Filters, limit: int = 100, offset: int = 0, **chosen: Unpack[Chosen]) -> str:
    """Events with their evidence (sentence, trigger, document), modality (?modality,
    unbound when the event states none) and happening (?h, unbound until clustered);
    source and target optional. The page is ordered and cut by the store (ORDER BY ?e);
    `event_ids` and `listed_events` are the same answer in two queries, ordered here."""
    matching = _matching_events(filters, **chosen)
    return _described_events(f"""{{ SELECT DISTINCT ?e WHERE {{
    {matching}
  }} ORDER BY ?e LIMIT {int(limit)} OFFSET {int(offset)} }}""")


def event_ids(filters: Filters, **chosen: Unpack[Chosen]) -> str:
    """Every event `events` would list under the same arguments (?e), in no order: the
    caller orders them by IRI, takes its page and describes it with `listed_events`."""
    matching = _matching_events(filters, **chosen)
    return f"SELECT DISTINCT ?e WHERE {{\n  {matching}\n}}"


def listed_events(iris: list[str]) -> str:
    """What `events` says of each of its events, for the events listed (a page of
    `event_ids`), in the same order (by date, then IRI)."""
    return _described_events(f"VALUES ?e {{ {' '.join(_iri(e) for e in iris)} }}")


def _described_events(chosen: str) -> str:
    """The rows of `events` for the events `chosen` binds to ?e."""
    return f"""SELECT ?e ?label ?type ?s ?t ?date ?gold ?quad ?doc ?sentence ?trigger ?place
  ?modality ?h
WHERE {{
  {chosen}
  ?e sem:eventType ?type .
  {_DESCRIBED}
  OPTIONAL {{ ?e prov:wasDerivedFrom ?doc }}
  OPTIONAL {{ ?e evkg:sentence/nif:anchorOf ?sentence }}
  OPTIONAL {{ ?e gaf:denotedBy/nif:anchorOf ?trigger }}
  OPTIONAL {{ ?e sem:hasPlace ?place }}
  OPTIONAL {{ ?e evkg:modality ?modality }}
  {happening_pattern()}
}} ORDER BY ?date ?e"""


def happenings(
    filters: Filters, limit: int = 100, offset: int = 0, **chosen: Unpack[Chosen]
) -> str:
    """The happenings (?e) of the events `events` would list, each with its own code,
    actors, date, place and modality and how many of those events report it (?reports);
    an event not clustered yet stands for itself."""
    matching = _matching_events(filters, **chosen)
    return f"""SELECT ?e ?reports ?label ?type ?s ?t ?date ?gold ?quad ?place ?modality
WHERE {{
  {{ SELECT ?e (COUNT(DISTINCT ?r) AS ?reports) WHERE {{
    {{ SELECT DISTINCT ?e0 WHERE {{ {matching} BIND(?e AS ?e0) }} }}
    {happening_key("?e", event="?e0")}
    BIND(?e0 AS ?r)
  }} GROUP BY ?e ORDER BY ?e LIMIT {int(limit)} OFFSET {int(offset)} }}
  ?e sem:eventType ?type .
  {_DESCRIBED}
  OPTIONAL {{ ?e sem:hasPlace ?place }}
  OPTIONAL {{ ?e evkg:modality ?modality }}
}} ORDER BY ?date ?e"""


def happening(iri: str) -> str:
    """What the happenings graph says of one happening."""
    return f"""SELECT ?p ?o WHERE {{ GRAPH <{HAPPENINGS_GRAPH}> {{ {_iri(iri)} ?p ?o }} }}
ORDER BY ?p ?o"""


def happening_reports(iri: str) -> str:
    """A happening's reports still in the store, side by side: each with its code, actors,
    date, place, modality, sentence, trigger, document (and its title) and why it joined."""
    return f"""SELECT ?e ?why ?label ?type ?s ?t ?date ?place ?modality ?sentence ?trigger
  ?doc ?title WHERE {{
  GRAPH <{HAPPENINGS_GRAPH}> {{
    ?e evkg:happening {_iri(iri)} . OPTIONAL {{ ?e evkg:matchedOn ?why }} }}
  ?e a sem:Event ; sem:eventType ?type ; prov:wasDerivedFrom ?doc .
  OPTIONAL {{ ?e rdfs:label ?label }}
  OPTIONAL {{ ?e evkg:source ?s }} OPTIONAL {{ ?e evkg:target ?t }}
  OPTIONAL {{ ?e sem:hasTimeStamp ?date }} OPTIONAL {{ ?e sem:hasPlace ?place }}
  OPTIONAL {{ ?e evkg:modality ?modality }}
  OPTIONAL {{ ?e evkg:sentence/nif:anchorOf ?sentence }}
  OPTIONAL {{ ?e gaf:denotedBy/nif:anchorOf ?trigger }}
  OPTIONAL {{ ?doc dcterms:title ?title }}
}} ORDER BY ?date ?e"""


def dyad_timeline(a: str, b: str, filters: Filters | None = None) -> str:
    """Monthly counts of the a->b and b->a happenings (?n; a happening in the month of its
    earliest report) and their reports (?reports) of the filters' modality, and the
    happenings' Goldstein sums."""
    x, y = _iri(a), _iri(b)
    return f"""SELECT ?dir ?month (COUNT(?k) AS ?n) (SUM(?r) AS ?reports)
  (SUM(?g) AS ?goldstein) WHERE {{
  {{ SELECT ?dir ?k (MIN(?m) AS ?month) (COUNT(DISTINCT ?e) AS ?r) (MIN(?g0) AS ?g) WHERE {{
    {{ ?e {PARTIES} {x} ; {PARTIES_ACTED_ON} {y} . BIND("ab" AS ?dir) }}
    UNION {{ ?e {PARTIES} {y} ; {PARTIES_ACTED_ON} {x} . BIND("ba" AS ?dir) }}
    ?e sem:eventType ?type ; sem:hasTimeStamp ?date .
    {modality_pattern(filters or Filters())}
    {happening_key("?k")}
    OPTIONAL {{ ?type evkg:goldstein ?gold }}
    BIND(COALESCE(?gold, 0) AS ?g0)
    BIND(SUBSTR(STR(?date), 1, 7) AS ?m)
  }} GROUP BY ?dir ?k }}
}} GROUP BY ?dir ?month ORDER BY ?month ?dir"""


def documents(limit: int, offset: int, filters: Filters | None = None) -> str:
    """A page of documents, each with how many events (of the filters' modality) it has."""
    return f"""SELECT ?d ?title ?issued ?url ?file (COUNT(DISTINCT ?e) AS ?events) WHERE {{
  {{ SELECT DISTINCT ?d WHERE {{ ?d a evkg:Document }} ORDER BY ?d
     LIMIT {int(limit)} OFFSET {int(offset)} }}
  OPTIONAL {{ ?d dcterms:title ?title }} OPTIONAL {{ ?d dcterms:issued ?issued }}
  OPTIONAL {{ ?d dcterms:source ?url }} OPTIONAL {{ ?d evkg:fileName ?file }}
  OPTIONAL {{ ?e prov:wasDerivedFrom ?d . {modality_pattern(filters or Filters())} }}
}} GROUP BY ?d ?title ?issued ?url ?file ORDER BY ?d"""


def document(iri: str) -> str:
    d = _iri(iri)
    return f"""SELECT ?title ?issued ?url ?file ?text ?publisher WHERE {{
  GRAPH {d} {{ {d} a evkg:Document .
    OPTIONAL {{ {d} dcterms:title ?title }} OPTIONAL {{ {d} dcterms:issued ?issued }}
    OPTIONAL {{ {d} dcterms:source ?url }} OPTIONAL {{ {d} evkg:fileName ?file }}
    OPTIONAL {{ {d} nif:isString ?text }} OPTIONAL {{ {d} dcterms:publisher ?publisher }} }}
}} LIMIT 1"""


def document_mentions(iri: str, filters: Filters | None = None) -> str:
    """Trigger mentions of the document's events (of the filters' modality), for marking up
    its text."""
    d = _iri(iri)
    return f"""SELECT ?e ?begin ?end ?type WHERE {{ GRAPH {d} {{
  ?e gaf:denotedBy ?m ; sem:eventType ?type . ?m nif:beginIndex ?begin ; nif:endIndex ?end .
  {modality_pattern(filters or Filters())} }}
}} ORDER BY ?begin"""


def resource(iri: str) -> str:
    """Everything said about a minted IRI (for Linked Data)."""
    return f"CONSTRUCT {{ {_iri(iri)} ?p ?o }} WHERE {{ {_iri(iri)} ?p ?o }}"
