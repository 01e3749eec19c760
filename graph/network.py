"""The actor network: who did what to whom, as a networkx graph built from the store.

A node is an actor (its IRI; attribute `label`). A directed edge source -> target
aggregates every event between the two: `count` (happenings: the reports of one real-world
event count once, `counted_refs`), `reports` (document events), `goldstein` (sum over the
happenings), `first` and `last` (ISO dates at the text's precision) and, with evidence,
`events` (each report with its code, date, sentence, document and happening). The same
filters drive the whole network, one actor's neighbourhood and the paths between two
actors, so the HTTP API, the browser view and the GraphML/GEXF exports all agree on what an
edge is.

Anything with a `select(sparql) -> list[dict]` method can be the source: a `GraphStore`,
or the isolated query pool of the API server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import networkx as nx

from graph.sparql import check_iri, ntriples_literal, values_limit
from graph.store.vocab import HAPPENINGS_GRAPH
from ontology.namespaces import CAMEO, EVKG

# how the text puts an event (evkg:modality): the concepts of evkg:ModalityScheme by their
# skos:notation; an event that states none counts as asserted
MODALITIES = {
    "asserted": f"{EVKG}Asserted",
    "negated": f"{EVKG}Negated",
    "hypothetical": f"{EVKG}Hypothetical",
    "intended": f"{EVKG}Intended",
    "claimed": f"{EVKG}Claimed",
    "denied": f"{EVKG}Denied",
}
MODALITY_NAMES = {iri: name for name, iri in MODALITIES.items()}
ASSERTED = "asserted"
ALL_MODALITIES = "all"
MODALITY_CHOICES = (
    f"{', '.join(MODALITIES)} (several comma-separated), or {ALL_MODALITIES}"
)
DEFAULT_NODE_CAP = 200
MAX_HOPS = 3

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ROOT = re.compile(r"^\d{2}$")


class Selectable(Protocol):
    def select(self, sparql: str) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Filters:
    """Which events count. Dates are ISO at any precision ("2020", "2020-01", "2020-01-03");
    an event dated to a month matches `since=2020-01-15` because the periods overlap."""

    since: str | None = None
    until: str | None = None
    root: str | tuple[str, ...] | None = None  # CAMEO root "19", or several: ("18", "19")
    quad: int | tuple[int, ...] | None = None  # quad class 1..4, or several
    min_events: int = 1  # edges with fewer events are dropped
    document: str | None = None  # only events of this document (IRI)
    # which readings count (`parse_modality`): "asserted" (the default: what the text
    # reports as having happened), another of MODALITIES, a sorted tuple of several, or "all"
    modality: str | tuple[str, ...] = ASSERTED

    def __post_init__(self) -> None:
        # as given ("negated,claimed", a list from repeated parameters...), kept canonical so
        # that equal choices share cached networks and views
        object.__setattr__(self, "modality", parse_modality(self.modality))
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _DATE.match(value):
                raise ValueError(f"{name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if self.root is not None and not all(
            isinstance(r, str) and _ROOT.match(r) for r in self.roots
        ):
            raise ValueError("root must be a two-digit CAMEO root such as 19")
        if self.quad is not None and not all(q in (1, 2, 3, 4) for q in self.quads):
            raise ValueError("quad must be 1, 2, 3 or 4")
        if self.min_events < 1:
            raise ValueError("min_events must be at least 1")
        if self.document is not None:
            check_iri(self.document)


    @property
    def roots(self) -> tuple[str, ...]:
        """The CAMEO roots asked for (any of them matches); empty: all."""
        if self.root is None:
            return ()
        return (self.root,) if isinstance(self.root, str) else tuple(self.root)

    @property
    def quads(self) -> tuple[int, ...]:
        """The quad classes asked for (any of them matches); empty: all."""
        if self.quad is None:
            return ()
        return (self.quad,) if isinstance(self.quad, int) else tuple(self.quad)

    @property
    def modalities(self) -> tuple[str, ...]:
        """The modalities asked for (any of them matches); empty: any, or none stated."""
        if self.modality == ALL_MODALITIES:
            return ()
        return (self.modality,) if isinstance(self.modality, str) else self.modality


def parse_modality(value: str | Iterable[str] | None) -> str | tuple[str, ...]:
    """A modality choice as `Filters` keeps it: one name, a sorted tuple of several, or
    "all" (every event, whatever its modality or none). Takes a name, a comma-separated
    list, or several of either (repeated query parameters); case and spaces do not matter;
    nothing at all is the default, asserted. Anything else is a ValueError naming the
    accepted values."""
    if value is None:
        return ASSERTED
    parts = [value] if isinstance(value, str) else list(value)
    names: set[str] = set()
    for part in parts:
        if not isinstance(part, str):
            raise ValueError(f"modality must be one of {MODALITY_CHOICES}; got {part!r}")
        for name in part.split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name != ALL_MODALITIES and name not in MODALITIES:
                raise ValueError(f"modality must be one of {MODALITY_CHOICES}; got {name!r}")
            names.add(name)
    if not names:
        return ASSERTED
    if ALL_MODALITIES in names or names == set(MODALITIES):
        return ALL_MODALITIES
    chosen = tuple(sorted(names))
    return chosen[0] if len(chosen) == 1 else chosen


def modality_name(value: Any) -> str:
    """The modality of an event from its evkg:modality (unbound: asserted); a concept from
    outside the scheme is given as its IRI."""
    if value is None or value == "" or value == "-":
        return ASSERTED
    return MODALITY_NAMES.get(str(value), str(value))


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


def modality_complement(filters: Filters, event: str = "?e") -> str | None:
    """The events `modality_pattern` leaves out when it keeps those stating no modality
    (asserted chosen), as a pattern starting from the stated modality; None when it keeps
    every event or none stating no modality. For counting by subtraction: the OPTIONAL of
    `modality_pattern` over every event cost seconds at a million quads, while the
    modalities stated are one lookup each. An event states one modality at most."""
    chosen = filters.modalities
    if not chosen or ASSERTED not in chosen:
        return None
    listed = ", ".join(f"<{MODALITIES[name]}>" for name in chosen)
    return f"{event} evkg:modality ?modality . FILTER(?modality NOT IN ({listed}))"


@dataclass
class Neighbourhood:
    graph: nx.DiGraph
    root: str
    hops: int
    node_cap: int
    capped: bool = False  # the node cap was hit: more actors lie within `hops`
    hop_of: dict[str, int] = field(default_factory=dict)


def _iri(value: str) -> str:
    return f"<{check_iri(value)}>"


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
    first = f"?e prov:wasDerivedFrom {_iri(filters.document)} . " if filters.document else ""
    parts = [
        f"{first}?e a sem:Event ; evkg:source {source} ; evkg:target {target} ; "
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
        parts.append(f"BIND({_iri(filters.document)} AS ?doc)")
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


def events_query(filters: Filters, evidence: bool = False) -> str:
    """Dyadic events (both a source and a target)."""
    sentence = ""
    if evidence:
        sentence = "OPTIONAL { ?e evkg:sentence ?m . ?m nif:anchorOf ?sentence }"
    return (
        "SELECT DISTINCT ?e ?s ?t ?type ?date ?gold ?quad ?doc ?modality ?h"
        + (" ?sentence" if evidence else "")
        + f" WHERE {{\n  {event_patterns(filters)}\n  {happening_pattern()}\n  {sentence}\n}}"
    )


def labels_query(actors: Iterable[str]) -> str:
    listed = " ".join(_iri(a) for a in sorted(set(actors)))
    return (
        f"SELECT ?a (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?a {{ {listed} }} "
        "OPTIONAL { ?a skos:prefLabel ?l } } GROUP BY ?a"
    )


def _add_events(graph: nx.DiGraph, rows: list[dict[str, Any]], evidence: bool) -> None:
    seen: set[str] = graph.graph.setdefault("events_seen", set())
    counted: set[tuple[str, str, str]] = graph.graph.setdefault("happenings_seen", set())
    for row in rows:
        event = row["e"]
        if event in seen:  # an event with two types or sentences counts once
            continue
        seen.add(event)
        source, target = row["s"], row["t"]
        date = str(row["date"]) if row.get("date") is not None else None
        gold = float(row.get("gold") or 0.0)
        for node in (source, target):
            if node not in graph:
                graph.add_node(node, label=None)
        if graph.has_edge(source, target):
            data = graph.edges[source, target]
        else:
            data = {"count": 0, "reports": 0, "goldstein": 0.0, "first": None, "last": None,
                    "events": []}
            graph.add_edge(source, target, **data)
            data = graph.edges[source, target]
        data["reports"] += 1
        happening = str(row.get("h") or event)
        if (source, target, happening) not in counted:  # a happening counts once an edge
            counted.add((source, target, happening))
            data["count"] += 1
            data["goldstein"] = round(data["goldstein"] + gold, 3)
            if row.get("quad") is not None:  # happenings per quad class, for colouring
                quads = data.setdefault("quads", {})
                quads[int(row["quad"])] = quads.get(int(row["quad"]), 0) + 1
        if date is not None:
            data["first"] = date if data["first"] is None else min(data["first"], date)
            data["last"] = date if data["last"] is None else max(data["last"], date)
        if evidence:
            data["events"].append(
                {
                    "iri": event,
                    "code": str(row["type"]).removeprefix(CAMEO),
                    "date": date,
                    "goldstein": gold,
                    "quad_class": row.get("quad"),
                    "sentence": row.get("sentence"),
                    "document": row.get("doc"),
                    "modality": modality_name(row.get("modality")),
                    "happening": happening,
                }
            )


def _prune(graph: nx.DiGraph, min_events: int) -> None:
    if min_events > 1:
        weak = [(u, v) for u, v, d in graph.edges(data=True) if d["count"] < min_events]
        graph.remove_edges_from(weak)
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])


def label_nodes(source: Selectable, graph: nx.DiGraph) -> None:
    """Fill in each node's `label` (its skos:prefLabel, else the IRI's last segment)."""
    if graph.number_of_nodes() == 0:
        return
    actors, step = sorted(graph.nodes), values_limit(source)
    labels = {r["a"]: r.get("label") for start in range(0, len(actors), step)
              for r in source.select(labels_query(actors[start : start + step]))}
    for node in graph.nodes:
        graph.nodes[node]["label"] = labels.get(node) or node.rsplit("/", 1)[-1]


def build_network(
    source: Selectable, filters: Filters | None = None, evidence: bool = False
) -> nx.DiGraph:
    """The whole actor network under `filters`."""
    filters = filters or Filters()
    graph = nx.DiGraph()
    _add_events(graph, source.select(events_query(filters, evidence=evidence)), evidence)
    _prune(graph, filters.min_events)
    graph.graph.pop("events_seen", None)
    graph.graph.pop("happenings_seen", None)
    label_nodes(source, graph)
    return graph


class Ref(NamedTuple):
    """One event behind an edge, as the network keeps it (its sentence is fetched when shown)."""

    date: str | None
    iri: str
    goldstein: float
    type: str
    document: str | None
    modality: str = ASSERTED
    happening: str | None = None  # None: not clustered yet, its own happening


def dyads_query(filters: Filters, actors: Iterable[str] | None = None) -> str:
    """One row per directed dyad (?s ?t) with its events in ?refs, one line each of
    "date goldstein type document iri modality happening" ("-" for an unknown date or
    document, no modality stated or no happening yet): a network,
    or the ring around `actors`, comes back as one row per edge instead of one per event.
    The inner group counts an event with two types or sentences once."""
    touching = ""
    if actors is not None:
        listed = " ".join(_iri(a) for a in sorted(set(actors)))
        touching = f"VALUES ?x {{ {listed} }} ?e sem:hasActor ?x ."
    doc = "" if filters.document else "OPTIONAL { ?e prov:wasDerivedFrom ?doc }"
    ref = ('CONCAT(COALESCE(STR(?date), "-"), " ", STR(COALESCE(?gold, 0)), " ", STR(?type), '
           '" ", COALESCE(STR(?doc), "-"), " ", STR(?e), " ", COALESCE(STR(?modality), "-"), '
           '" ", COALESCE(STR(?h), "-"))')
    return f"""SELECT ?s ?t (GROUP_CONCAT(?ref; separator="\\n") AS ?refs) WHERE {{
  {{ SELECT ?e ?s ?t (SAMPLE({ref}) AS ?ref) WHERE {{
    {touching}
    {event_patterns(filters, lean=True)}
    {doc}
    {happening_pattern()}
  }} GROUP BY ?e ?s ?t }}
}} GROUP BY ?s ?t"""


def add_dyads(graph: nx.DiGraph, rows: list[dict[str, Any]]) -> None:
    """Edges from `dyads_query` rows: count, goldstein (sum), first, last and `refs` (the
    events, in date order). An edge already present is kept: any query that returned it
    returned all of its events."""
    for row in rows:
        source, target = row["s"], row["t"]
        if graph.has_edge(source, target):
            continue
        refs = []
        for line in str(row.get("refs") or "").split("\n"):
            if line:
                date, gold, kind, doc, iri, modality, happening = line.split(" ", 6)
                refs.append(Ref(None if date == "-" else date, iri, float(gold), kind,
                                None if doc == "-" else doc, modality_name(modality),
                                None if happening == "-" else happening))
        for node in (source, target):
            if node not in graph:
                graph.add_node(node, label=None)
        graph.add_edge(source, target, **edge_attributes(refs))


def edge_attributes(refs: list[Ref]) -> dict[str, Any]:
    """An edge of the network from its events: count (happenings), reports, goldstein
    (sum over the happenings counted), first, last and the refs themselves, in date order."""
    refs.sort(key=lambda r: (r.date or "", r.iri))
    dates = [r.date for r in refs if r.date is not None]
    counted = counted_refs(refs)
    return {"count": len(counted), "reports": len(refs),
            "goldstein": round(sum(r.goldstein for r in counted), 3),
            "first": min(dates, default=None), "last": max(dates, default=None),
            "refs": refs}


def counted_refs(refs: list[Ref]) -> list[Ref]:
    """What an edge counts: one report per happening (its first by date, then IRI), a
    report not clustered yet standing for itself. `count`, the Goldstein sum and the quad
    classes are over these; `reports` over all."""
    first: dict[str, Ref] = {}
    for ref in sorted(refs, key=lambda r: (r.date or "", r.iri)):
        first.setdefault(ref.happening or ref.iri, ref)
    return list(first.values())


def dyad_network(source: Selectable, filters: Filters | None = None) -> nx.DiGraph:
    """The whole network under `filters` (min_events aside) with each edge's refs but no
    sentences: one query, small enough to keep per store version and answer
    neighbourhoods and paths from memory. `graph.graph["quads"]` maps CAMEO types to
    quad classes, and each edge's `quads` counts its happenings per quad class
    (`quad_counts`), so a neighbourhood copies them instead of counting again."""
    graph = nx.DiGraph()
    add_dyads(graph, source.select(dyads_query(filters or Filters())))
    label_nodes(source, graph)
    quad_of = graph.graph["quads"] = quad_classes(source)
    for _, _, data in graph.edges(data=True):
        data["quads"] = quad_counts(data["refs"], quad_of)
    return graph


def quad_classes(source: Selectable) -> dict[str, int]:
    """CAMEO type IRI -> quad class (a few hundred rows of vocabulary)."""
    rows = source.select("SELECT ?type ?quad WHERE { ?type evkg:quadClass ?quad }")
    return {r["type"]: int(r["quad"]) for r in rows}


def sentences_query(events: Iterable[str]) -> str:
    """The sentence of each listed event (events without one are left out)."""
    listed = " ".join(_iri(e) for e in events)
    return (f"SELECT ?e ?sentence WHERE {{ VALUES ?e {{ {listed} }} "
            "?e evkg:sentence ?m . ?m nif:anchorOf ?sentence }")


def neighbourhood(
    source: Selectable,
    actor: str,
    hops: int = 1,
    filters: Filters | None = None,
    node_cap: int = DEFAULT_NODE_CAP,
    evidence: bool = True,
    events_per_edge: int | None = None,
    network: nx.DiGraph | None = None,
) -> Neighbourhood:
    """Actors within `hops` events of `actor` (either direction) and the edges among them
    that touch an actor nearer than `hops`.

    Expands one ring at a time: from `network` (a `dyad_network` under the same filters,
    read, never changed) when given, else with one aggregated query per ring, so a 1-hop
    request never reads the whole network. When the next ring would pass `node_cap`, the
    strongest-connected actors of that ring are kept and `capped` says so. With
    `evidence`, each edge lists its events (its latest `events_per_edge` when that is set;
    `events_truncated` marks an edge that has more).
    """
    if not 1 <= hops <= MAX_HOPS:
        raise ValueError(f"hops must be between 1 and {MAX_HOPS}")
    if node_cap < 1:
        raise ValueError("node_cap must be at least 1")
    if events_per_edge is not None and events_per_edge < 0:
        raise ValueError("events_per_edge must be at least 0")
    check_iri(actor)
    filters = filters or Filters()
    full = network if network is not None else nx.DiGraph()
    hop_of = {actor: 0}
    frontier = {actor}
    queried: set[str] = set()
    capped = False
    for hop in range(1, hops + 1):
        todo = frontier - queried
        if not todo:
            break
        queried |= todo
        if network is None:
            add_dyads(full, source.select(dyads_query(filters, todo)))
        ring: dict[str, int] = {}
        # the adjacency dicts read directly: a 2-hop ring at a million quads is tens of
        # thousands of edges, each a few lookups through networkx's views otherwise
        succ, pred = full._succ, full._pred
        for node in sorted(todo & succ.keys()):
            for adjacent in (succ[node], pred[node]):
                for other, data in adjacent.items():
                    count = data["count"]
                    if other not in hop_of and count >= filters.min_events:
                        ring[other] = ring.get(other, 0) + count
        room = node_cap - len(hop_of)
        if len(ring) > room:
            capped = True
            ring = dict(sorted(ring.items(), key=lambda kv: (-kv[1], kv[0]))[: max(room, 0)])
        for node in ring:
            hop_of[node] = hop
        frontier = set(ring)
        if capped:
            break
    graph = _among(full, hop_of, queried, filters.min_events)
    if "quads" not in full.graph:  # our own graph; a cached network has them already
        full.graph["quads"] = quad_classes(source)
    count_quads(graph, full)
    if any(label is None for _, label in graph.nodes(data="label")):
        label_nodes(source, graph)  # a cached network labels its actors already
    if evidence:
        add_evidence(source, graph, full, events_per_edge)
    return Neighbourhood(graph, actor, hops, node_cap, capped, hop_of)


def _among(full: nx.DiGraph, hop_of: dict[str, int], queried: set[str],
           min_events: int) -> nx.DiGraph:
    """The actors of `hop_of` and the strong-enough edges among them touching `queried`,
    as a new graph (so `full`, maybe a shared cached network, is never changed)."""
    graph = nx.DiGraph()
    for node, hop in hop_of.items():
        label = full.nodes[node].get("label") if node in full else None
        graph.add_node(node, label=label, hop=hop)
    succ, pred = full._succ, full._pred
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    for node in queried & succ.keys():
        if node not in hop_of:
            continue
        for v, data in succ[node].items():
            if v in hop_of and data["count"] >= min_events:
                kept[node, v] = data
        for u, data in pred[node].items():
            if u in hop_of and data["count"] >= min_events:
                kept[u, node] = data
    graph.add_edges_from(
        (u, v, {"events": [], "count": data["count"], "reports": data["reports"],
                "goldstein": data["goldstein"], "first": data["first"], "last": data["last"]})
        for (u, v), data in kept.items()
    )  # EDGE_KEYS, written out: thousands of edges in a 2-hop neighbourhood
    return graph


EDGE_KEYS = ("count", "reports", "goldstein", "first", "last")
EVIDENCE_CHUNK = 5000  # events per sentence query


def quad_counts(refs: list[Ref], quad_of: dict[str, int]) -> dict[int, int]:
    """An edge's happenings (`counted_refs`) per quad class, from its refs and the map of
    CAMEO types to quad classes (`quad_classes`)."""
    counts: dict[int, int] = {}
    for ref in counted_refs(refs):
        quad = quad_of.get(ref.type)
        if quad is not None:
            counts[quad] = counts.get(quad, 0) + 1
    return counts


def count_quads(graph: nx.DiGraph, full: nx.DiGraph) -> None:
    """Each edge's events per quad class (`quads`, as `network` gives them, for colouring
    an expansion like the view): the counts `full` keeps for the edge (a `dyad_network`
    has them), else counted from its refs."""
    quad_of = full.graph["quads"]
    succ = full._succ
    for u, v, data in graph.edges(data=True):
        kept = succ[u][v]
        counts = kept.get("quads")
        data["quads"] = dict(counts) if counts is not None else quad_counts(kept["refs"], quad_of)


def add_evidence(source: Selectable, graph: nx.DiGraph, full: nx.DiGraph,
                 per_edge: int | None = None) -> None:
    """Fill each edge's `events` (code, date, Goldstein, quad class, sentence, document)
    from the refs `full` keeps for it: the latest `per_edge` of them when set, with
    `events_truncated` saying whether the edge has more. Only the sentences of the events
    shown are read (none that `full.graph["sentences"]` already holds). Quad classes come
    from `full.graph["quads"]`, which `neighbourhood` makes sure of."""
    chosen: dict[tuple[str, str], list[Ref]] = {}
    for u, v in graph.edges:
        refs = full.edges[u, v]["refs"]
        if per_edge is not None:
            refs = refs[-per_edge:] if per_edge else []
        chosen[u, v] = refs
    quads = full.graph["quads"]
    # a cached network may carry a memo of sentences already read (shared, only grows)
    sentences: dict[str, str | None] = full.graph.get("sentences", {})
    iris = sorted({ref.iri for refs in chosen.values() for ref in refs if ref.iri not in sentences})
    step = min(EVIDENCE_CHUNK, values_limit(source))
    for start in range(0, len(iris), step):
        chunk = iris[start:start + step]
        found: dict[str, str] = {}
        for row in source.select(sentences_query(chunk)):
            if row["e"] not in found or row["sentence"] < found[row["e"]]:
                found[row["e"]] = row["sentence"]
        sentences.update({iri: found.get(iri) for iri in chunk})
    for (u, v), refs in chosen.items():
        data = graph.edges[u, v]
        data["events_truncated"] = len(refs) < data["reports"]
        data["events"] = [
            {"iri": r.iri, "code": r.type.removeprefix(CAMEO), "date": r.date,
             "goldstein": r.goldstein, "quad_class": quads.get(r.type),
             "sentence": sentences.get(r.iri), "document": r.document,
             "modality": r.modality, "happening": r.happening or r.iri}
            for r in refs
        ]


def paths(
    graph: nx.DiGraph, start: str, end: str, max_hops: int = 3, limit: int = 20
) -> list[list[str]]:
    """Simple paths from `start` to `end` of at most `max_hops` edges, in either direction
    of each event: the first `limit` by (length, actors), found length by length by a
    depth-first walk in sorted order that only steps where `end` is still in reach, so a
    dense network is not enumerated."""
    if start not in graph or end not in graph or start == end:
        return []
    undirected = graph.to_undirected(as_view=True)
    reach = nx.single_source_shortest_path_length(undirected, end, cutoff=max_hops)
    if start not in reach:
        return []
    ordered: dict[str, list[str]] = {}
    found: list[list[str]] = []

    def walk(path: list[str], left: int) -> None:
        node = path[-1]
        if node not in ordered:
            ordered[node] = sorted(undirected[node])
        for step in ordered[node]:
            if len(found) >= limit:
                return
            if step in path or reach.get(step, max_hops + 1) > left - 1:
                continue
            if step == end:
                if left == 1:
                    found.append([*path, end])
                continue
            walk([*path, step], left - 1)

    for length in range(reach[start], max_hops + 1):
        walk([start], length)
        if len(found) >= limit:
            break
    return found


def edge_json(graph: nx.DiGraph, source: str, target: str) -> dict[str, Any]:
    data = graph.edges[source, target]
    out: dict[str, Any] = {"source": source, "target": target}
    out.update({k: data[k] for k in EDGE_KEYS})
    out["events"] = sorted(data.get("events", []), key=lambda e: (e["date"] or "", e["iri"]))
    out["events_truncated"] = data.get("events_truncated", False)
    return out


def to_json(graph: nx.DiGraph) -> dict[str, Any]:
    """Nodes and edges as plain JSON (the shape the API and the browser view use)."""
    nodes = [
        {"id": n, "label": d.get("label") or n.rsplit("/", 1)[-1], **_node_extra(graph, n, d)}
        for n, d in sorted(graph.nodes(data=True))
    ]
    edges = [edge_json(graph, u, v) for u, v in sorted(graph.edges)]
    return {"nodes": nodes, "edges": edges}


def _node_extra(graph: nx.DiGraph, node: str, data: dict[str, Any]) -> dict[str, Any]:
    events = sum(d["count"] for *_, d in graph.in_edges(node, data=True))
    events += sum(d["count"] for *_, d in graph.out_edges(node, data=True))
    extra: dict[str, Any] = {"events": events}
    if "hop" in data:
        extra["hop"] = data["hop"]
    return extra
