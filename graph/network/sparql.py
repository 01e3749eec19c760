"""The SPARQL of the actor network, in one place: how a filter set becomes a query, and
every query the network, its view, its neighbourhoods and its facets send.

Oxigraph joins in the order a query is written, so each pattern starts from what is bound
(a document, a list of actors or events) where there is one.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.network.filters import ASSERTED, MODALITIES, Filters
from graph.sparql import in_named_graphs, iri, iris, ntriples_literal
from graph.store.vocab import HAPPENINGS_GRAPH
from ontology.namespaces import CAMEO

# An event's doers and those it was done to: its source and target, and the actors named
# with them ("X, Y and Z delivered aid to W": an edge from each to W).
PARTIES = "(evkg:source|evkg:coSource)"
PARTIES_ACTED_ON = "(evkg:target|evkg:coTarget)"


def modality_pattern(filters: Filters, event: str = "?e") -> str:
    """The SPARQL that keeps the events of `filters.modality` and binds ?modality to the
    event's evkg:modality (left unbound when it states none, which counts as asserted): the
    one place a modality choice becomes a query."""
    chosen = filters.modalities
    stated = f"{event} evkg:modality ?modality"
    if not chosen:
        return f"OPTIONAL {{ {stated} }}"
    listed = ", ".join(f"<{MODALITIES[name]}>" for name in chosen)
    if ASSERTED in chosen:
        return f"OPTIONAL {{ {stated} }} FILTER(!BOUND(?modality) || ?modality IN ({listed}))"
    return f"{stated} . FILTER(?modality IN ({listed}))"


def happening_pattern(event: str = "?e", happening: str = "?h") -> str:
    """The SPARQL that binds `happening` to the event's happening (unbound for an event not
    clustered yet, which then counts as its own): the one place a query finds it."""
    return f"OPTIONAL {{ GRAPH <{HAPPENINGS_GRAPH}> {{ {event} evkg:happening {happening} }} }}"


def happening_key(key: str, event: str = "?e") -> str:
    """The SPARQL that binds `key` to what a count of happenings counts for the event: its
    happening, or the event itself while it is not clustered (?h bound beside)."""
    return f"{happening_pattern(event)} BIND(COALESCE(?h, {event}) AS {key})"


def modality_complement(
    filters: Filters, event: str = "?e", stated: Iterable[str] | None = None
) -> str | None:
    """The events `modality_pattern` leaves out when it keeps those stating no modality
    (asserted chosen), as a pattern starting from the stated modality; None when it keeps
    every event or none stating no modality, or when none of the `stated` modalities (those
    the store holds: `STATED_MODALITIES`, when read) is left out. For counting by
    subtraction: the OPTIONAL of `modality_pattern` over every event cost seconds at a
    million quads, while the modalities stated are one lookup each; and knowing which the
    store states, the pattern looks up just those (every event states one at ingestion,
    most of them asserted: the filter over all took 2.4 s at ten million quads, to find
    none). An event states one modality at most."""
    chosen = filters.modalities
    if not chosen or ASSERTED not in chosen:
        return None
    kept = {MODALITIES[name] for name in chosen}
    if stated is not None:
        others = sorted(set(stated) - kept)
        if not others:
            return None
        return f"VALUES ?modality {{ {iris(others)} }} {event} evkg:modality ?modality ."
    listed = ", ".join(f"<{m}>" for m in sorted(kept))
    return f"{event} evkg:modality ?modality . FILTER(?modality NOT IN ({listed}))"


# The modalities events state anywhere in the store (a few, over every event: one scan),
# each with whether it is an IRI (?kind "iri"; a graph written by hand may state a literal).
# Not a boolean: Virtuoso answers isIRI with 1 and 0.
STATED_MODALITIES = """SELECT DISTINCT ?m (IF(isIRI(?m), "iri", "other") AS ?kind) WHERE {
  GRAPH ?g { ?e evkg:modality ?m } }"""


def event_patterns(
    filters: Filters,
    source: str = "?s",
    target: str = "?t",
    lean: bool = False,
    choose: bool = False,
) -> str:
    """The SPARQL group that binds ?e, ?s, ?t, ?type, ?date, ?gold, ?quad, ?doc and
    ?modality (`modality_pattern`); `lean` leaves ?quad and ?doc out unless a filter needs
    them (each OPTIONAL is a join per event, which counts when a query reads the whole
    network); `choose` (with `lean`) leaves ?date and ?gold out too unless a filter needs
    them, for a query that only chooses events (?e) and describes them elsewhere."""
    # a document's events are found from the document first: Oxigraph joins in the order
    # written, and starting from every event cost seconds at a million quads
    first = f"?e prov:wasDerivedFrom {iri(filters.document)} . " if filters.document else ""
    parts = [
        f"{first}?e a sem:Event ; {PARTIES} {source} ; {PARTIES_ACTED_ON} {target} ; "
        "sem:eventType ?type .",
        modality_pattern(filters),
    ]
    if not choose or filters.since or filters.until:
        parts.append("OPTIONAL { ?e sem:hasTimeStamp ?date }")
    if not choose:
        parts.append("OPTIONAL { ?type evkg:goldstein ?gold }")
    if not lean or filters.quad:
        parts.append("OPTIONAL { ?type evkg:quadClass ?quad }")
    if filters.document:
        parts.append(f"BIND({iri(filters.document)} AS ?doc)")
    elif not lean:
        parts.append("OPTIONAL { ?e prov:wasDerivedFrom ?doc }")
    if filters.since:
        lit = ntriples_literal(filters.since)
        parts.append(f"FILTER(BOUND(?date) && STR(?date) >= SUBSTR({lit}, 1, STRLEN(STR(?date))))")
    if filters.until:
        lit = ntriples_literal(filters.until)
        parts.append(f"FILTER(BOUND(?date) && STR(?date) <= SUBSTR({lit}, 1, STRLEN(STR(?date))))")
    if filters.roots:
        starts = " || ".join(f'STRSTARTS(STR(?type), "{CAMEO}{r}")' for r in filters.roots)
        parts.append(f"FILTER({starts})")
    if filters.quads:
        parts.append(f"FILTER(?quad IN ({', '.join(str(int(q)) for q in filters.quads)}))")
    return "\n  ".join(parts)


def dyads_query(
    filters: Filters,
    actors: Iterable[str] | None = None,
    grouped: bool = True,
    sources: Iterable[str] | None = None,
) -> str:
    """One row per directed dyad (?s ?t) with its events in ?refs, one line each of
    "date goldstein type document iri modality happening" ("-" for an unknown date or
    document, no modality stated or no happening yet): a network,
    or the ring around `actors`, comes back as one row per edge instead of one per event.
    The inner group counts an event with two types or sentences once. Not `grouped`, one
    row per event and dyad: for a store that pages its answers, since Virtuoso cannot
    order rows holding a dyad's thousands of events ("Max row length is exceeded"). With
    `sources`, only the dyads from those actors."""
    touching = ""
    if actors is not None:
        touching = f"VALUES ?x {{ {iris(actors)} }} ?e sem:hasActor ?x ."
    if sources is not None:
        touching += f" VALUES ?s {{ {iris(sources)} }}"
    doc = "" if filters.document else "OPTIONAL { ?e prov:wasDerivedFrom ?doc }"
    ref = (
        'CONCAT(COALESCE(STR(?date), "-"), " ", STR(COALESCE(?gold, 0)), " ", STR(?type), '
        '" ", COALESCE(STR(?doc), "-"), " ", STR(?e), " ", COALESCE(STR(?modality), "-"), '
        '" ", COALESCE(STR(?h), "-"))'
    )
    per_event = f"""SELECT ?e ?s ?t (SAMPLE({ref}) AS ?ref) WHERE {{
    {touching}
    {event_patterns(filters, lean=True)}
    {doc}
    {happening_pattern()}
  }} GROUP BY ?e ?s ?t"""
    if not grouped:
        return f"SELECT ?s ?t (?ref AS ?refs) WHERE {{ {{ {per_event} }} }}"
    return f"""SELECT ?s ?t (GROUP_CONCAT(?ref; separator="\\n") AS ?refs) WHERE {{
  {{ {per_event} }}
}} GROUP BY ?s ?t"""


# Events per doer (source or named with one), for cutting a network's reading by doers
SOURCES_QUERY = f"SELECT ?s (COUNT(?e) AS ?n) WHERE {{ ?e a sem:Event ; {PARTIES} ?s }} GROUP BY ?s"


def labels_query(actors: Iterable[str]) -> str:
    """Each listed actor's skos:prefLabel (one sampled when it has several)."""
    return (
        f"SELECT ?a (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?a {{ {iris(actors)} }} "
        "OPTIONAL { ?a skos:prefLabel ?l } } GROUP BY ?a"
    )


# CAMEO type IRI -> quad class (a few hundred rows of vocabulary)
QUAD_CLASSES_QUERY = "SELECT ?type ?quad WHERE { ?type evkg:quadClass ?quad }"


def sentences_query(events: Iterable[str]) -> str:
    """The sentence of each listed event (events without one are left out)."""
    listed = " ".join(iri(e) for e in events)
    return (
        f"SELECT ?e ?sentence WHERE {{ VALUES ?e {{ {listed} }} "
        "?e evkg:sentence ?m . ?m nif:anchorOf ?sentence }"
    )


# the gazetteer's facts of an actor, by the key the view keeps each under
FACTS = {
    "skos:prefLabel": "label",
    "evkg:countryCode": "country",
    "evkg:sector": "sector",
    "skos:altLabel": "aliases",
    "evkg:actorKind": "kind",
}


def facts_query(actors: Iterable[str]) -> str:
    """One row (?a ?p ?v) a fact of the listed actors, ?p the key of FACTS it fills. One row
    a fact, put together by the reader: one row an actor, its facts as OPTIONALs and
    aggregates, took Oxigraph minutes for 200 actors at a million quads. DISTINCT: an actor
    is described in every document naming it, and Virtuoso's union of graphs gave each
    fact once a graph (28,562 rows for 200 actors at ten million quads, 8 s in pages)."""
    named = " ".join(f'({prop} "{key}")' for prop, key in FACTS.items() if key != "kind")
    return f"""SELECT DISTINCT ?a ?p ?v WHERE {{ VALUES ?a {{ {iris(actors)} }}
  {{ VALUES (?prop ?p) {{ {named} }} ?a ?prop ?v }}
  UNION {{ ?a evkg:actorKind ?kc . ?kc skos:notation ?v . BIND("kind" AS ?p) }}
}}"""


def described_query(graphs: Iterable[str]) -> str:
    """The actors (?a) the listed graphs state a fact of (a predicate of FACTS): the ones
    whose facts a write of those graphs can change."""
    pattern = f"VALUES ?p {{ {' '.join(FACTS)} }} ?a ?p ?v"
    return f"SELECT DISTINCT ?a WHERE {{ {in_named_graphs(graphs, pattern)} }}"


DOCUMENTS_QUERY = """SELECT ?doc (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?issued) WHERE {
  ?doc a evkg:Document . OPTIONAL { ?doc dcterms:title ?t } OPTIONAL { ?doc dcterms:issued ?d }
} GROUP BY ?doc"""
ROOTS_QUERY = """SELECT ?root ?label WHERE {
  ?root skos:topConceptOf cameo:scheme ; skos:notation ?code ; skos:prefLabel ?label .
} ORDER BY ?code"""


def months_query(filters: Filters) -> str:
    """Dyadic happenings of `filters.modality` per month, each in the month of its earliest
    report (?n), and their reports (?reports): the facets' histogram."""
    return f"""SELECT ?month (COUNT(?k) AS ?n) (SUM(?r) AS ?reports) WHERE {{
  {{ SELECT ?k (MIN(?m) AS ?month) (COUNT(DISTINCT ?e) AS ?r) WHERE {{
    ?e a sem:Event ; {PARTIES} ?s ; {PARTIES_ACTED_ON} ?t ; sem:hasTimeStamp ?date .
    {modality_pattern(filters)}
    {happening_key("?k")}
    BIND(SUBSTR(STR(?date), 1, 7) AS ?m)
  }} GROUP BY ?k }}
}} GROUP BY ?month"""


def dyad_events_query(actor_from: str, actor_to: str, filters: Filters) -> str:
    """The events of one directed edge with what highlighting them needs: the sentence and
    its start, the trigger's offsets, the type's code, the document's title."""
    s, t = iri(actor_from), iri(actor_to)
    return f"""SELECT ?e ?type ?date ?gold ?quad ?doc ?label ?title ?sentence ?sb ?tb ?te ?code
  ?modality ?h
WHERE {{
  BIND({s} AS ?s) BIND({t} AS ?t)
  {event_patterns(filters, s, t)}
  {happening_pattern()}
  OPTIONAL {{ ?type skos:notation ?code }}
  OPTIONAL {{ ?e rdfs:label ?label }}
  OPTIONAL {{ ?doc dcterms:title ?title }}
  OPTIONAL {{ ?e evkg:sentence ?m . ?m nif:anchorOf ?sentence ; nif:beginIndex ?sb }}
  OPTIONAL {{ ?e gaf:denotedBy ?g . ?g nif:beginIndex ?tb ; nif:endIndex ?te }}
}}"""
