"""The actor network: who did what to whom, as a networkx graph built from the store.

A node is an actor (its IRI; attribute `label`). A directed edge source -> target
aggregates every event between the two: `count`, `goldstein` (sum), `first` and `last`
(ISO dates at the text's precision) and, with evidence, `events` (each with its code,
date, sentence and document). The same filters drive the whole network, one actor's
neighbourhood and the paths between two actors, so the HTTP API, the browser view and the
GraphML/GEXF exports all agree on what an edge is.

Anything with a `select(sparql) -> list[dict]` method can be the source: a `GraphStore`,
or the isolated query pool of the API server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx

from graph.sparql import check_iri, ntriples_literal

CAMEO = "https://evkg.org/cameo/"
ACTOR = "https://evkg.org/id/actor/"
DEFAULT_NODE_CAP = 200
MAX_HOPS = 3

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ROOT = re.compile(r"^\d{2}$")


class Selectable(Protocol):
    def select(self, sparql: str) -> list[dict]: ...


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

    def __post_init__(self) -> None:
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


def event_patterns(filters: Filters, source: str = "?s", target: str = "?t") -> str:
    """The SPARQL group that binds ?e, ?s, ?t, ?type, ?date, ?gold, ?quad, ?doc."""
    parts = [
        f"?e a sem:Event ; evkg:source {source} ; evkg:target {target} ; sem:eventType ?type .",
        "OPTIONAL { ?e sem:hasTimeStamp ?date }",
        "OPTIONAL { ?type evkg:goldstein ?gold }",
        "OPTIONAL { ?type evkg:quadClass ?quad }",
    ]
    if filters.document:
        parts.append(f"?e prov:wasDerivedFrom {_iri(filters.document)} .")
        parts.append(f"BIND({_iri(filters.document)} AS ?doc)")
    else:
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


def events_query(
    filters: Filters, actors: Iterable[str] | None = None, evidence: bool = False
) -> str:
    """Dyadic events (both a source and a target), optionally touching `actors`."""
    values = ""
    if actors is not None:
        listed = " ".join(_iri(a) for a in sorted(set(actors)))
        values = f"VALUES ?x {{ {listed} }} ?e sem:hasActor ?x ."
    sentence = ""
    if evidence:
        sentence = "OPTIONAL { ?e evkg:sentence ?m . ?m nif:anchorOf ?sentence }"
    return (
        "SELECT DISTINCT ?e ?s ?t ?type ?date ?gold ?quad ?doc"
        + (" ?sentence" if evidence else "")
        + f" WHERE {{\n  {values}\n  {event_patterns(filters)}\n  {sentence}\n}}"
    )


def labels_query(actors: Iterable[str]) -> str:
    listed = " ".join(_iri(a) for a in sorted(set(actors)))
    return (
        f"SELECT ?a (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?a {{ {listed} }} "
        "OPTIONAL { ?a skos:prefLabel ?l } } GROUP BY ?a"
    )


def _add_events(graph: nx.DiGraph, rows: list[dict], evidence: bool) -> None:
    seen: set[str] = graph.graph.setdefault("events_seen", set())
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
            data = {"count": 0, "goldstein": 0.0, "first": None, "last": None, "events": []}
            graph.add_edge(source, target, **data)
            data = graph.edges[source, target]
        data["count"] += 1
        data["goldstein"] = round(data["goldstein"] + gold, 3)
        if row.get("quad") is not None:  # events per quad class, for colouring by class
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
                }
            )


def _prune(graph: nx.DiGraph, min_events: int, keep: str | None = None) -> None:
    if min_events > 1:
        weak = [(u, v) for u, v, d in graph.edges(data=True) if d["count"] < min_events]
        graph.remove_edges_from(weak)
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0 and n != keep])


def label_nodes(source: Selectable, graph: nx.DiGraph) -> None:
    """Fill in each node's `label` (its skos:prefLabel, else the IRI's last segment)."""
    if graph.number_of_nodes() == 0:
        return
    labels = {r["a"]: r.get("label") for r in source.select(labels_query(graph.nodes))}
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
    label_nodes(source, graph)
    return graph


def neighbourhood(
    source: Selectable,
    actor: str,
    hops: int = 1,
    filters: Filters | None = None,
    node_cap: int = DEFAULT_NODE_CAP,
    evidence: bool = True,
) -> Neighbourhood:
    """Actors within `hops` events of `actor` (either direction) and the edges among them.

    Expands one ring at a time, so a 1-hop request never reads the whole network. When
    the next ring would pass `node_cap`, the strongest-connected actors of that ring are
    kept and `capped` says so.
    """
    if not 1 <= hops <= MAX_HOPS:
        raise ValueError(f"hops must be between 1 and {MAX_HOPS}")
    if node_cap < 1:
        raise ValueError("node_cap must be at least 1")
    check_iri(actor)
    filters = filters or Filters()
    full = nx.DiGraph()
    hop_of = {actor: 0}
    frontier = {actor}
    queried: set[str] = set()
    capped = False
    for hop in range(1, hops + 1):
        todo = frontier - queried
        if not todo:
            break
        queried |= todo
        _add_events(full, source.select(events_query(filters, todo, evidence)), evidence)
        _prune(full, filters.min_events, keep=actor)
        ring: dict[str, int] = {}
        for node in todo:
            if node not in full:
                continue
            for other in set(full.successors(node)) | set(full.predecessors(node)):
                if other not in hop_of:
                    weight = _weight(full, node, other)
                    ring[other] = ring.get(other, 0) + weight
        room = node_cap - len(hop_of)
        if len(ring) > room:
            capped = True
            ring = dict(sorted(ring.items(), key=lambda kv: (-kv[1], kv[0]))[: max(room, 0)])
        for node in ring:
            hop_of[node] = hop
        frontier = set(ring)
        if capped:
            break
    if actor not in full:
        full.add_node(actor, label=None)
    graph = full.subgraph(hop_of).copy()
    graph.graph.pop("events_seen", None)
    label_nodes(source, graph)
    for node, hop in hop_of.items():
        if node in graph:
            graph.nodes[node]["hop"] = hop
    return Neighbourhood(graph, actor, hops, node_cap, capped, hop_of)


def _weight(graph: nx.DiGraph, a: str, b: str) -> int:
    total = 0
    if graph.has_edge(a, b):
        total += graph.edges[a, b]["count"]
    if graph.has_edge(b, a):
        total += graph.edges[b, a]["count"]
    return total


def paths(
    graph: nx.DiGraph, start: str, end: str, max_hops: int = 3, limit: int = 20
) -> list[list[str]]:
    """Simple paths from `start` to `end` of at most `max_hops` edges, in either direction
    of each event, shortest first."""
    if start not in graph or end not in graph:
        return []
    undirected = graph.to_undirected(as_view=True)
    found: list[list[str]] = []
    for path in nx.all_simple_paths(undirected, start, end, cutoff=max_hops):
        found.append(path)
        if len(found) >= limit * 10:
            break
    found.sort(key=lambda p: (len(p), p))
    return found[:limit]


def edge_json(graph: nx.DiGraph, source: str, target: str) -> dict[str, Any]:
    data = graph.edges[source, target]
    out = {"source": source, "target": target}
    out.update({k: data[k] for k in ("count", "goldstein", "first", "last")})
    if data.get("events"):
        out["events"] = sorted(data["events"], key=lambda e: (e["date"] or "", e["iri"]))
    return out


def to_json(graph: nx.DiGraph) -> dict[str, Any]:
    """Nodes and edges as plain JSON (the shape the API and the browser view use)."""
    nodes = [
        {"id": n, "label": d.get("label") or n.rsplit("/", 1)[-1], **_node_extra(graph, n, d)}
        for n, d in sorted(graph.nodes(data=True))
    ]
    edges = [edge_json(graph, u, v) for u, v in sorted(graph.edges)]
    return {"nodes": nodes, "edges": edges}


def _node_extra(graph: nx.DiGraph, node: str, data: dict) -> dict[str, Any]:
    events = sum(d["count"] for *_, d in graph.in_edges(node, data=True))
    events += sum(d["count"] for *_, d in graph.out_edges(node, data=True))
    extra: dict[str, Any] = {"events": events}
    if "hop" in data:
        extra["hop"] = data["hop"]
    return extra
