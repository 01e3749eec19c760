"""The actor network: who did what to whom, as a networkx graph built from the store.

A node is an actor (its IRI; attribute `label`). A directed edge source -> target
aggregates every event between the two: `count` (happenings: the reports of one real-world
event count once, `counted_refs`), `reports` (document events), `goldstein` (sum over the
happenings), `first` and `last` (ISO dates at the text's precision), `quads` (happenings
per quad class) and `refs` (each report: date, code, document, modality, happening). One
builder (`build_network`, one aggregated query) makes the whole network; a write carries it
forward (`updated_network`) instead of building it again; neighbourhoods and paths read it,
and `add_evidence` adds the sentences of the events an answer shows. The same filters drive
all of them, so the HTTP API, the page and the exports agree on what an edge is.

Anything with a `select(sparql) -> list[dict]` method can be the source: a `GraphStore`,
or the isolated query pool of the API server.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, NotRequired, Protocol, TypedDict

import networkx as nx

from graph.network.filters import ASSERTED, Filters, modality_name
from graph.network.sparql import (
    QUAD_CLASSES_QUERY,
    SOURCES_QUERY,
    described_query,
    dyads_query,
    labels_query,
    sentences_query,
)
from graph.sparql import NAMED_GRAPHS, check_iri, pages_itself, select_listed
from ontology.namespaces import CAMEO

DEFAULT_NODE_CAP = 200
MAX_HOPS = 3
# events a query reads when a store that pages has the network read by doers (`read_dyads`)
EVENTS_PER_QUERY = 5_000


class Selectable(Protocol):
    def select(self, sparql: str) -> list[dict[str, Any]]: ...


@dataclass
class Neighbourhood:
    graph: nx.DiGraph
    root: str
    hops: int
    node_cap: int
    capped: bool = False  # the node cap was hit: more actors lie within `hops`
    hop_of: dict[str, int] = field(default_factory=dict)


def label_nodes(source: Selectable, graph: nx.DiGraph) -> None:
    """Fill in each node's `label` (its skos:prefLabel, else the IRI's last segment)."""
    if graph.number_of_nodes() == 0:
        return
    labels = {r["a"]: r.get("label") for r in select_listed(source, labels_query, sorted(graph))}
    for node in graph.nodes:
        graph.nodes[node]["label"] = labels.get(node) or node.rsplit("/", 1)[-1]


def described_actors(source: Selectable, graphs: Iterable[str]) -> frozenset[str]:
    """The actors `graphs` state a label, alias, kind, country or sector of
    (`described_query`): read before and after a write of those graphs, the actors whose
    facts it may have changed, where every other actor's facts kept hold."""
    listed = sorted(set(graphs))
    return frozenset(
        row["a"] for row in select_listed(source, described_query, listed, NAMED_GRAPHS)
    )


class Ref(NamedTuple):
    """One event behind an edge, as the network keeps it (its sentence is fetched when shown)."""

    date: str | None
    iri: str
    goldstein: float
    type: str
    document: str | None
    modality: str = ASSERTED
    happening: str | None = None  # None: not clustered yet, its own happening


class NetworkEdge(TypedDict):
    """The attributes of an edge of the network (`edge_attributes`; `quads` once counted)."""

    count: int
    reports: int
    goldstein: float
    first: str | None
    last: str | None
    refs: list[Ref]
    quads: NotRequired[dict[int, int]]


def read_dyads(
    source: Selectable, filters: Filters, actors: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """The rows of `dyads_query`, one a dyad, or one an event from a store that pages its
    answers (`graph.sparql.pages_itself`): `add_dyads` takes either. Such a store reads the
    whole network by doers, about EVENTS_PER_QUERY events a query: each page past its row
    cap is the query run again, so one query paged through a store's every event cost
    (pages x the whole query), past ten minutes at ten million quads. The events of given
    actors or of one document are read in one query: they start from what is bound, and
    counting every doer first (`SOURCES_QUERY`) cost seconds a write at ten million."""
    if not pages_itself(source):
        return source.select(dyads_query(filters, actors))
    if actors is not None or filters.document:
        return source.select(dyads_query(filters, actors, grouped=False))
    rows: list[dict[str, Any]] = []
    for doers in _by_events(source.select(SOURCES_QUERY), EVENTS_PER_QUERY):
        rows += source.select(dyads_query(filters, grouped=False, sources=doers))
    return rows


def _by_events(counts: list[dict[str, Any]], most: int) -> list[list[str]]:
    """The actors of `counts` rows (?s, ?n events) in lists of about `most` events (an
    actor with more alone), in IRI order."""
    lists: list[list[str]] = [[]]
    held = 0
    for row in sorted(counts, key=lambda r: str(r["s"])):
        n = int(row["n"])
        if lists[-1] and held + n > most:
            lists.append([])
            held = 0
        lists[-1].append(str(row["s"]))
        held += n
    return [doers for doers in lists if doers]


def add_dyads(graph: nx.DiGraph, rows: list[dict[str, Any]]) -> None:
    """Edges from `read_dyads` rows (those of one dyad joined): count, goldstein (sum),
    first, last and `refs` (the events, in date order). An edge already present is kept:
    any query that returned it returned all of its events."""
    refs_of: dict[tuple[str, str], list[Ref]] = {}
    for row in rows:
        dyad = (row["s"], row["t"])
        if graph.has_edge(*dyad):
            continue
        refs = refs_of.setdefault(dyad, [])
        for line in str(row.get("refs") or "").split("\n"):
            if line:
                date, gold, kind, doc, iri, modality, happening = line.split(" ", 6)
                refs.append(
                    Ref(
                        None if date == "-" else date,
                        iri,
                        float(gold),
                        kind,
                        None if doc == "-" else doc,
                        modality_name(modality),
                        None if happening == "-" else happening,
                    )
                )
    for (source, target), refs in refs_of.items():
        for node in (source, target):
            if node not in graph:
                graph.add_node(node, label=None)
        graph.add_edge(source, target, **edge_attributes(refs))


def edge_attributes(refs: list[Ref]) -> NetworkEdge:
    """An edge of the network from its events: count (happenings), reports, goldstein
    (sum over the happenings counted), first, last and the refs themselves, in date order."""
    refs.sort(key=lambda r: (r.date or "", r.iri))
    dates = [r.date for r in refs if r.date is not None]
    counted = counted_refs(refs)
    return {
        "count": len(counted),
        "reports": len(refs),
        "goldstein": round(sum(r.goldstein for r in counted), 3),
        "first": min(dates, default=None),
        "last": max(dates, default=None),
        "refs": refs,
    }


def counted_refs(refs: list[Ref]) -> list[Ref]:
    """What an edge counts: one report per happening (its first by date, then IRI), a
    report not clustered yet standing for itself. `count`, the Goldstein sum and the quad
    classes are over these; `reports` over all."""
    first: dict[str, Ref] = {}
    for ref in sorted(refs, key=lambda r: (r.date or "", r.iri)):
        first.setdefault(ref.happening or ref.iri, ref)
    return list(first.values())


def build_network(source: Selectable, filters: Filters | None = None) -> nx.DiGraph:
    """The whole network under `filters` (min_events aside: `prune`) with each edge's refs
    but no sentences: one query, small enough to keep per store version and answer the
    view, neighbourhoods and paths from memory. `graph.graph["quads"]` maps CAMEO types to
    quad classes, and each edge's `quads` counts its happenings per quad class
    (`quad_counts`), so a neighbourhood copies them instead of counting again."""
    graph = nx.DiGraph()
    add_dyads(graph, read_dyads(source, filters or Filters()))
    label_nodes(source, graph)
    quad_of = graph.graph["quads"] = quad_classes(source)
    for _, _, data in graph.edges(data=True):
        data["quads"] = quad_counts(data["refs"], quad_of)
    return graph


def prune(graph: nx.DiGraph, min_events: int) -> nx.DiGraph:
    """A copy of `graph` (never changed itself) without the edges of fewer than
    `min_events` happenings and the actors they leave alone; `graph` itself when it keeps
    them all."""
    if min_events <= 1:
        return graph
    strong = [(u, v, d) for u, v, d in graph.edges(data=True) if d["count"] >= min_events]
    ends = {u for u, _, _ in strong} | {v for _, v, _ in strong}
    kept = nx.DiGraph()
    kept.graph.update(graph.graph)
    kept.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if n in ends)
    kept.add_edges_from(strong)
    return kept


def quad_classes(source: Selectable) -> dict[str, int]:
    """CAMEO type IRI -> quad class (a few hundred rows of vocabulary)."""
    rows = source.select(QUAD_CLASSES_QUERY)
    return {r["type"]: int(r["quad"]) for r in rows}


def updated_network(
    source: Selectable,
    network: nx.DiGraph,
    filters: Filters,
    documents: set[str],
    stale: frozenset[str] = frozenset(),
) -> nx.DiGraph:
    """A copy of `network` (never changed itself) with the events of `documents` as the
    store holds them now: their old refs dropped, their dyads read again; the labels of
    new actors read, and of those in `stale` (whose facts the write may have changed)."""
    fresh: dict[tuple[str, str], list[Ref]] = {}  # each document's refs, per edge
    for document in sorted(documents):
        if filters.document in (None, document):
            scoped = dataclasses.replace(filters, document=document)
            read = nx.DiGraph()  # one document's dyads (add_dyads keeps an edge it has)
            add_dyads(read, read_dyads(source, scoped))
            for u, v, refs in read.edges(data="refs"):
                fresh.setdefault((u, v), []).extend(refs)
    touched = set(fresh)
    for u, v, refs in network.edges(data="refs"):
        if any(ref.document in documents for ref in refs):
            touched.add((u, v))
    graph = network.copy()  # new attribute dicts; the refs lists are replaced, not changed
    quad_of = network.graph.get("quads")
    ends: set[str] = set()
    for u, v in touched:
        refs = (
            [r for r in network.edges[u, v]["refs"] if r.document not in documents]
            if (network.has_edge(u, v))
            else []
        )
        refs += fresh.get((u, v), [])
        ends |= {u, v}
        if refs:
            for node in (u, v):
                if node not in graph:
                    graph.add_node(node, label=None)
            graph.add_edge(u, v, **edge_attributes(refs))
            if quad_of is not None:  # as `dyad_network` counts them
                graph.edges[u, v]["quads"] = quad_counts(refs, quad_of)
            else:
                graph.edges[u, v].pop("quads", None)
        elif graph.has_edge(u, v):
            graph.remove_edge(u, v)
    graph.remove_nodes_from([n for n in ends if n in graph and graph.degree(n) == 0])
    unlabelled = nx.DiGraph()
    unlabelled.add_nodes_from(
        n for n, label in graph.nodes(data="label") if label is None or n in stale
    )
    label_nodes(source, unlabelled)
    for node, label in unlabelled.nodes(data="label"):
        graph.nodes[node]["label"] = label
    return graph


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

    Expands one ring at a time: from `network` (a `build_network` under the same filters,
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
            add_dyads(full, read_dyads(source, filters, todo))
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


def _among(
    full: nx.DiGraph, hop_of: dict[str, int], queried: set[str], min_events: int
) -> nx.DiGraph:
    """The actors of `hop_of` and the strong-enough edges among them touching `queried`,
    as a new graph (so `full`, maybe a shared cached network, is never changed)."""
    graph = nx.DiGraph()
    for node, hop in hop_of.items():
        label = full.nodes[node].get("label") if node in full else None
        graph.add_node(node, label=label, hop=hop)
    succ, pred = full._succ, full._pred
    kept: dict[tuple[str, str], NetworkEdge] = {}
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
        (
            u,
            v,
            {
                "events": [],
                "count": data["count"],
                "reports": data["reports"],
                "goldstein": data["goldstein"],
                "first": data["first"],
                "last": data["last"],
            },
        )
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
    an expansion like the view): the counts `full` keeps for the edge (a `build_network`
    has them), else counted from its refs."""
    quad_of = full.graph["quads"]
    succ = full._succ
    for u, v, data in graph.edges(data=True):
        kept = succ[u][v]
        counts = kept.get("quads")
        data["quads"] = dict(counts) if counts is not None else quad_counts(kept["refs"], quad_of)


def add_evidence(
    source: Selectable, graph: nx.DiGraph, full: nx.DiGraph, per_edge: int | None = None
) -> None:
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
    # a cached network may carry a memo of sentences already read (shared, only grows),
    # keyed by (document, event): a write of documents drops theirs (`NetworkCache.advance`)
    sentences: dict[tuple[str | None, str], str | None] = full.graph.get("sentences", {})
    shown = {(r.document, r.iri) for refs in chosen.values() for r in refs}
    unread = {key for key in shown if key not in sentences}  # lookups: others may add meanwhile
    iris = sorted({iri for _, iri in unread})
    found: dict[str, str] = {}
    for row in select_listed(source, sentences_query, iris, EVIDENCE_CHUNK):
        if row["e"] not in found or row["sentence"] < found[row["e"]]:
            found[row["e"]] = row["sentence"]
    sentences.update({key: found.get(key[1]) for key in unread})
    for (u, v), refs in chosen.items():
        data = graph.edges[u, v]
        data["events_truncated"] = len(refs) < data["reports"]
        data["events"] = [
            {
                "iri": r.iri,
                "code": r.type.removeprefix(CAMEO),
                "date": r.date,
                "goldstein": r.goldstein,
                "quad_class": quads.get(r.type),
                "sentence": sentences.get((r.document, r.iri)),
                "document": r.document,
                "modality": r.modality,
                "happening": r.happening or r.iri,
            }
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
