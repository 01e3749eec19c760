"""The actor network as the page and the exports draw it: the kept network (`cache`)
pruned to the filters' `min_events` and capped at the most central actors, with what
drawing needs (actor kind and country, aliases for search, weighted degree, mean tone,
dominant quad class, server-side positions); one actor's neighbourhood decorated the same
way; the facets the filter controls offer; the events behind one edge.

A finished view is kept per (store version, filters, cap), so a repeated request, or the
page reloaded, costs no query and no layout.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from decimal import Decimal
from typing import Any, TypedDict

import networkx as nx
import orjson

from graph.layout import compute_layout
from graph.network.build import Neighbourhood, Selectable, build_network, prune
from graph.network.cache import NetworkCache
from graph.network.filters import FilterKey, Filters, modality_name
from graph.network.sparql import (
    DOCUMENTS_QUERY,
    ROOTS_QUERY,
    dyad_events_query,
    facts_query,
    months_query,
)
from graph.sparql import select_listed
from ontology.namespaces import CAMEO

DEFAULT_MAX_NODES = 2000
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
# a view as it is kept: (store version, `Filters.key()`, max_nodes)
ViewKey = tuple[Hashable, FilterKey, int]


class ActorFacts(TypedDict):
    """What the gazetteer says of an actor (`actor_facts`), as a view's nodes carry it."""

    label: str
    kind: str
    country: str
    sector: str
    aliases: list[str]


def actor_facts(
    source: Selectable, actors: Iterable[str], memo: dict[str, ActorFacts] | None = None
) -> dict[str, ActorFacts]:
    """Label, kind, country, sector and aliases of each actor (the gazetteer's facts), in
    as many queries as the store's VALUES lists need (`facts_query`). `memo` (the facts
    already read at this store version, as a kept network holds them: `cache.Memos`) is
    asked first and given what is read; the facts are shared with it, never to be
    changed."""
    wanted = sorted(set(actors))
    known = memo if memo is not None else {}
    todo = [a for a in wanted if a not in known]
    found: dict[str, dict[str, set[str]]] = {a: {} for a in todo}
    for row in select_listed(source, facts_query, todo):
        if "v" in row:
            found[row["a"]].setdefault(row["p"], set()).add(str(row["v"]))
    for actor, values in found.items():
        first = {key: min(values[key]) for key in values if key != "aliases"}
        known[actor] = {
            "label": first.get("label") or actor.rsplit("/", 1)[-1],
            "kind": first.get("kind") or "other",
            "country": first.get("country") or "",
            "sector": first.get("sector") or "",
            "aliases": sorted(values.get("aliases", ())),
        }
    return {actor: known[actor] for actor in wanted}


def most_central(graph: nx.DiGraph, max_nodes: int) -> nx.DiGraph:
    """The `max_nodes` actors with the highest weighted degree and the edges among them, as
    a new graph (`graph`, maybe a kept network, is never changed)."""
    if graph.number_of_nodes() <= max_nodes:
        return graph.copy()
    degree = dict(graph.degree(weight="count"))
    keep = sorted(graph, key=lambda n: (-degree[n], n))[:max_nodes]
    return graph.subgraph(keep).copy()


def decorate(
    source: Selectable, graph: nx.DiGraph, memo: dict[str, ActorFacts] | None = None
) -> nx.DiGraph:
    """Add actor facts to nodes and drawing attributes to nodes and edges, in place (the
    facts through `memo`, as `actor_facts` takes it)."""
    facts = actor_facts(source, graph.nodes, memo)
    for node, data in graph.nodes(data=True):
        fact = facts.get(node) or {
            "label": data.get("label") or node.rsplit("/", 1)[-1],
            "kind": "other",
            "country": "",
            "sector": "",
            "aliases": [],
        }
        data.update(fact)
    # the adjacency dicts read directly (a 2-hop neighbourhood is thousands of edges, each
    # a few lookups through networkx's views otherwise); the weight is the weighted degree
    succ, pred = graph._succ, graph._pred
    for node, data in graph.nodes(data=True):
        data["weight"] = int(
            sum(d["count"] for d in succ[node].values())
            + sum(d["count"] for d in pred[node].values())
        )
    for adjacent in succ.values():
        for data in adjacent.values():
            count = data["count"]
            data["mean_goldstein"] = round(data["goldstein"] / count, 2) if count else 0.0
            data["quad"] = dominant_quad(data.get("quads"))
    return graph


def dominant_quad(quads: dict[int, int] | None) -> int | None:
    """The quad class most of an edge's events have (ties: the more conflictual class)."""
    if not quads:
        return None
    return max(quads, key=lambda q: (quads[q], q))


def network_view(
    source: Selectable,
    filters: Filters | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    cache: NetworkCache | None = None,
    version: Hashable | None = None,
) -> tuple[nx.DiGraph, dict[str, Any]]:
    """The filtered network (decorated, positioned, capped) and its node-link JSON. Each
    edge keeps its `refs` (dates for the GEXF timeline). With a `cache`, everything is
    kept under `version` (the store's, as the cache counts it: `NetworkCache.version` of
    `source` when not given)."""
    filters = filters or Filters()
    graph, key = _view(source, filters, max_nodes, cache, version)
    if cache is not None and (hit := cache.view_bodies.get(key)) is not None:
        return graph, hit
    body = view_json(graph)
    if cache is not None:
        cache.view_bodies.put(key, body)
    return graph, body


def page_view(
    source: Selectable,
    filters: Filters | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    cache: NetworkCache | None = None,
    version: Hashable | None = None,
) -> bytes:
    """The view in the page's compact shape (`compact_json`), encoded; kept as bytes, so a
    repeated request costs nothing more."""
    filters = filters or Filters()
    if cache is not None:
        version = cache.version(source) if version is None else version
        key = (version, filters.key(), max_nodes)
        if (hit := cache.bodies.get(key)) is not None:
            return hit
    graph, key = _view(source, filters, max_nodes, cache, version)
    body = encode(compact_json(graph))
    if cache is not None:
        cache.bodies.put(key, body)
    return body


def encode(body: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON by orjson: a 2-hop neighbourhood at a million quads is megabytes,
    which the standard encoder took ~100 ms to write. Integer keys (quad classes) become
    strings, as the standard encoder makes them."""
    return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS, default=_plain)


def _plain(value: Any) -> Any:
    """What orjson does not encode itself: xsd:decimal values, as JSON numbers."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _view(
    source: Selectable,
    filters: Filters,
    max_nodes: int,
    cache: NetworkCache | None,
    version: Hashable | None,
) -> tuple[nx.DiGraph, ViewKey]:
    """The decorated, positioned view's graph and the key it is kept under."""
    if max_nodes < 1:
        raise ValueError("max_nodes must be at least 1")
    if cache is not None and version is None:
        version = cache.version(source)
    key = (version, filters.key(), max_nodes)
    if cache is not None and (hit := cache.views.get(key)) is not None:
        return hit, key
    network = (
        build_network(source, filters) if cache is None else cache.get(source, version, filters)
    )
    full = prune(network, filters.min_events)
    graph = decorate(source, most_central(full, max_nodes), network.graph.get("facts"))
    positions = compute_layout(graph) if cache is None else cache.layouts.positions(key, graph)
    for node, (x, y) in positions.items():
        graph.nodes[node]["x"], graph.nodes[node]["y"] = x, y
    graph.graph.update(
        {
            "version": version,
            "total_nodes": full.number_of_nodes(),
            "total_edges": full.number_of_edges(),
            "truncated": full.number_of_nodes() > graph.number_of_nodes(),
            "filters": filters.named(),
        }
    )
    if cache is not None:
        cache.views.put(key, graph)
    return graph, key


def view_json(graph: nx.DiGraph) -> dict[str, Any]:
    """Node-link JSON in the shape the page draws (and the .json download holds)."""
    nodes = []
    for node, d in sorted(graph.nodes(data=True)):
        nodes.append(
            {
                "id": node,
                "label": d.get("label") or node.rsplit("/", 1)[-1],
                "kind": d.get("kind", "other"),
                "country": d.get("country", ""),
                "sector": d.get("sector", ""),
                "aliases": d.get("aliases", []),
                "weight": d.get("weight", 0),
                "x": d.get("x", 0.0),
                "y": d.get("y", 0.0),
            }
        )
    edges = []
    for u, v, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        edges.append(
            {
                "id": f"{u}|{v}",
                "source": u,
                "target": v,
                "count": d["count"],
                "reports": d.get("reports", d["count"]),
                "goldstein": d.get("mean_goldstein", 0.0),
                "quad": d.get("quad"),
                "first": d.get("first"),
                "last": d.get("last"),
            }
        )
    return {
        "directed": True,
        "meta": _meta(graph, len(nodes), len(edges)),
        "nodes": nodes,
        "edges": edges,
    }


def _meta(graph: nx.DiGraph, nodes: int, edges: int) -> dict[str, Any]:
    meta = {
        k: graph.graph[k]
        for k in ("version", "total_nodes", "total_edges", "truncated")
        if k in graph.graph
    }
    meta["filters"] = graph.graph.get("filters", {})
    meta["nodes"] = nodes
    meta["edges"] = edges
    return meta


EDGE_FIELDS = ["source", "target", "count", "goldstein", "quad"]


def compact_json(graph: nx.DiGraph) -> dict[str, Any]:
    """What the page draws, about a quarter of `view_json`'s size for a large view: nodes as
    there, without empty facts; each edge a row of `EDGE_FIELDS` whose source and target are
    indexes into `nodes` (its id is "source IRI|target IRI", rebuilt by the page)."""
    nodes = []
    index = {}
    for i, (node, d) in enumerate(sorted(graph.nodes(data=True))):
        index[node] = i
        item = {
            "id": node,
            "label": d.get("label") or node.rsplit("/", 1)[-1],
            "kind": d.get("kind", "other"),
            "weight": d.get("weight", 0),
            "x": d.get("x", 0.0),
            "y": d.get("y", 0.0),
        }
        for key in ("country", "sector", "aliases"):
            if d.get(key):
                item[key] = d[key]
        nodes.append(item)
    succ = graph._succ  # in (source, target) order, as sorting the edges would give
    edges = [
        [index[u], index[v], d["count"], d.get("mean_goldstein", 0.0), d.get("quad")]
        for u in sorted(succ)
        for v, d in sorted(succ[u].items())
    ]
    return {
        "directed": True,
        "meta": _meta(graph, len(nodes), len(edges)),
        "nodes": nodes,
        "edge_fields": EDGE_FIELDS,
        "edges": edges,
    }


FACTS_AT_ONCE = 2000  # actors whose facts a neighbourhood reads for the whole network


def neighbourhood_page(
    source: Selectable, hood: Neighbourhood, network: nx.DiGraph | None = None
) -> dict[str, Any]:
    """One actor's neighbourhood in the page's compact shape, its actors decorated as the
    view's are (kind, country, weight...) so that an expansion is drawn like the view; no
    sentences. `meta` names the actor and whether the node cap was hit. `network`, the
    kept network the rings came from, lends its memo of actor facts: the first
    neighbourhood at a store version reads the facts of every actor in the network when
    it has at most FACTS_AT_ONCE (at 1.5M quads 508 actors, 0.13 s), so the next
    expansions read none."""
    memo = network.graph.get("facts") if network is not None else None
    if (
        network is not None
        and memo is not None
        and (len(memo) < network.number_of_nodes() <= FACTS_AT_ONCE)
    ):
        actor_facts(source, network.nodes, memo)  # reads only the facts not read yet
    body = compact_json(decorate(source, hood.graph, memo))
    body["meta"].update(actor=hood.root, capped=hood.capped)
    return body


def facets(source: Selectable, filters: Filters | None = None) -> dict[str, Any]:
    """What the filter controls offer: documents, CAMEO roots, quad classes and a monthly
    histogram (for the time slider) of the happenings of `filters.modality` (asserted by
    default, as the network's), each in the month of its earliest report, with the reports
    beside."""
    months = {
        str(row["month"]): (int(row["n"]), int(row["reports"]))
        for row in source.select(months_query(filters or Filters()))
    }
    docs = [
        {
            "iri": r["doc"],
            "title": r.get("title") or r["doc"].rsplit("/", 1)[-1],
            "issued": str(r["issued"]) if r.get("issued") is not None else None,
        }
        for r in source.select(DOCUMENTS_QUERY)
    ]
    docs.sort(key=lambda d: (d["issued"] or "", d["title"]))
    roots = [
        {"code": r["root"].removeprefix(CAMEO), "label": r["label"]}
        for r in source.select(ROOTS_QUERY)
    ]
    return {
        "histogram": [
            {"month": m, "count": months[m][0], "reports": months[m][1]} for m in sorted(months)
        ],
        "documents": docs,
        "roots": roots,
        "quads": [{"code": k, "label": v} for k, v in QUAD_NAMES.items()],
    }


def dyad_events(
    source: Selectable, actor_from: str, actor_to: str, filters: Filters | None = None
) -> list[dict[str, Any]]:
    """The events behind one edge, each with its happening, its sentence and where in it
    the trigger and the two actors' names sit (offsets within the sentence), for
    highlighting."""
    sparql = dyad_events_query(actor_from, actor_to, filters or Filters())
    names = actor_facts(source, [actor_from, actor_to])
    events: dict[str, dict[str, Any]] = {}
    for row in source.select(sparql):
        if row["e"] in events:
            continue
        sentence = row.get("sentence") or ""
        marks = []
        if sentence and row.get("sb") is not None and row.get("tb") is not None:
            start = int(row["tb"]) - int(row["sb"])
            end = int(row["te"]) - int(row["sb"])
            if 0 <= start < end <= len(sentence):
                marks.append({"start": start, "end": end, "kind": "trigger"})
        for role, actor in (("source", actor_from), ("target", actor_to)):
            marks.extend(_name_marks(sentence, names.get(actor), role))
        events[row["e"]] = {
            "iri": row["e"],
            "code": row.get("code") or str(row["type"]).removeprefix(CAMEO),
            "label": row.get("label"),
            "date": str(row["date"]) if row.get("date") is not None else None,
            "goldstein": float(row["gold"]) if row.get("gold") is not None else None,
            "quad_class": row.get("quad"),
            "document": row.get("doc"),
            "document_title": row.get("title"),
            "modality": modality_name(row.get("modality")),
            "happening": row.get("h") or row["e"],
            "sentence": sentence,
            "marks": _without_overlaps(marks),
        }
    return sorted(events.values(), key=lambda e: (e["date"] or "", e["iri"]))


def _name_marks(sentence: str, fact: ActorFacts | None, role: str) -> list[dict[str, Any]]:
    """Where the actor's label or an alias appears in the sentence (longest names first)."""
    if not fact or not sentence:
        return []
    lower = sentence.lower()
    marks = []
    for name in sorted({fact["label"], *fact["aliases"]}, key=len, reverse=True):
        if len(name) < 2:
            continue
        at = lower.find(name.lower())
        while at != -1:
            before = lower[at - 1] if at else " "
            after = lower[at + len(name)] if at + len(name) < len(lower) else " "
            if not before.isalnum() and not after.isalnum():
                marks.append({"start": at, "end": at + len(name), "kind": role})
            at = lower.find(name.lower(), at + 1)
    return marks


def _without_overlaps(marks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the first of overlapping marks (trigger first, then longer names)."""
    kept: list[dict[str, Any]] = []
    for mark in marks:
        if all(mark["end"] <= k["start"] or mark["start"] >= k["end"] for k in kept):
            kept.append(mark)
    return sorted(kept, key=lambda m: m["start"])
