"""The actor network as the browser view and the exports draw it: `graph.network`'s graph
plus what drawing needs (actor kind and country, aliases for search, weighted degree,
server-side positions), capped at the most central actors when the network is large.

The finished view is cached per (store version, filters, cap), so a repeated request, or
the page reloaded, costs one small query (the version) and no layout.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import astuple
from decimal import Decimal
from typing import Any

import networkx as nx
import orjson

from graph.layout import LayoutCache
from graph.lru import Lru
from graph.network import (
    Filters,
    Neighbourhood,
    Selectable,
    build_network,
    event_patterns,
    happening_pattern,
    modality_name,
    modality_pattern,
)
from graph.sparql import check_iri, values_limit
from graph.store.base import content_version
from ontology.namespaces import CAMEO

DEFAULT_MAX_NODES = 2000
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

DOCUMENTS_QUERY = """SELECT ?doc (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?issued) WHERE {
  ?doc a evkg:Document . OPTIONAL { ?doc dcterms:title ?t } OPTIONAL { ?doc dcterms:issued ?d }
} GROUP BY ?doc"""
DATES_QUERY = """SELECT ?date (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a sem:Event ; evkg:source ?s ; evkg:target ?t ; sem:hasTimeStamp ?date .
  %s
} GROUP BY ?date"""  # with the filters' modality_pattern
ROOTS_QUERY = """SELECT ?root ?label WHERE {
  ?root skos:topConceptOf cameo:scheme ; skos:notation ?code ; skos:prefLabel ?label .
} ORDER BY ?code"""


def store_version(source: Selectable) -> str:
    """The version cached views are kept under (`graph.store.base.content_version`)."""
    return content_version(source)


def _iris(values: Iterable[str]) -> str:
    return " ".join(f"<{check_iri(v)}>" for v in sorted(set(values)))


FACTS = {"skos:prefLabel": "label", "evkg:countryCode": "country", "evkg:sector": "sector",
         "skos:altLabel": "aliases", "evkg:actorKind": "kind"}


def actor_facts(
    source: Selectable, actors: Iterable[str], memo: dict[str, dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """Label, kind, country, sector and aliases of each actor (the gazetteer's facts), in
    as many queries as the store's VALUES lists need. One row a fact, put together here:
    one row an actor, its facts as OPTIONALs and aggregates, took Oxigraph minutes for 200
    actors at a million quads. `memo` (the facts already read at this store version, as
    a kept network holds them: `graph.network_cache.MEMOS`) is asked first and given what
    is read; the facts are shared with it, never to be changed."""
    wanted = sorted(set(actors))
    known = memo if memo is not None else {}
    todo = [a for a in wanted if a not in known]
    step = values_limit(source)
    found: dict[str, dict[str, set[str]]] = {a: {} for a in todo}
    for start in range(0, len(todo), step):
        for row in source.select(_facts_query(todo[start : start + step])):
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


def _facts_query(actors: list[str]) -> str:
    """One row (?a ?p ?v) a fact of the listed actors, ?p the key of FACTS it fills."""
    named = " ".join(f'({prop} "{key}")' for prop, key in FACTS.items() if key != "kind")
    return f"""SELECT ?a ?p ?v WHERE {{ VALUES ?a {{ {_iris(actors)} }}
  {{ VALUES (?prop ?p) {{ {named} }} ?a ?prop ?v }}
  UNION {{ ?a evkg:actorKind ?kc . ?kc skos:notation ?v . BIND("kind" AS ?p) }}
}}"""


def most_central(graph: nx.DiGraph, max_nodes: int) -> nx.DiGraph:
    """The `max_nodes` actors with the highest weighted degree and the edges among them."""
    if graph.number_of_nodes() <= max_nodes:
        return graph
    degree = dict(graph.degree(weight="count"))
    keep = sorted(graph, key=lambda n: (-degree[n], n))[:max_nodes]
    return graph.subgraph(keep).copy()


def decorate(
    source: Selectable, graph: nx.DiGraph, memo: dict[str, dict[str, Any]] | None = None
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
        data["weight"] = int(sum(d["count"] for d in succ[node].values())
                             + sum(d["count"] for d in pred[node].values()))
    for adjacent in succ.values():
        for data in adjacent.values():
            count = data["count"]
            data["mean_goldstein"] = round(data["goldstein"] / count, 2) if count else 0.0
            data["quad"] = dominant_quad(data.get("quads"))
    return graph


def filters_key(filters: Filters) -> tuple[Any, ...]:
    return astuple(filters)


def dominant_quad(quads: dict[int, int] | None) -> int | None:
    """The quad class most of an edge's events have (ties: the more conflictual class)."""
    if not quads:
        return None
    return max(quads, key=lambda q: (quads[q], q))


class ViewCache:
    """Thread-safe LRUs of finished views' graphs, their node-link JSON and the page's
    encoded bodies (a 2,000-actor view is ~20 ms of JSON, paid once, and only by the shape
    that is asked for), and of the page's neighbourhoods (`neighbourhood_page`, encoded):
    the page expands the same actors again, and a 2-hop neighbourhood is thousands of
    edges to gather and decorate."""

    def __init__(self, size: int = 32) -> None:
        self.views: Lru[nx.DiGraph] = Lru(size)
        self.view_bodies: Lru[dict[str, Any]] = Lru(size)  # `view_json`, made only when asked for
        self.bodies: Lru[bytes] = Lru(size)
        self.neighbourhoods: Lru[bytes] = Lru(size * 8)  # ~100 KB each at 2 hops
        self.layouts = LayoutCache(size * 2)


def network_view(
    source: Selectable,
    filters: Filters | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    cache: ViewCache | None = None,
    evidence: bool = False,
    version: Hashable | None = None,
) -> tuple[nx.DiGraph, dict[str, Any]]:
    """The filtered network (decorated, positioned, capped) and its node-link JSON.
    `evidence` keeps each edge's events (dates, sentences): the GEXF timeline needs them.
    `version` is the store's, if the caller knows it (else read: `store_version`)."""
    filters = filters or Filters()
    if max_nodes < 1:
        raise ValueError("max_nodes must be at least 1")
    version = store_version(source) if version is None else version
    graph = _view(source, filters, max_nodes, cache, evidence, version)
    key = (version, filters_key(filters), max_nodes, evidence)
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
    cache: ViewCache | None = None,
    version: Hashable | None = None,
) -> bytes:
    """The view in the page's compact shape (`compact_json`), encoded; cached as bytes, so a
    repeated request costs the version query and nothing else."""
    filters = filters or Filters()
    if max_nodes < 1:
        raise ValueError("max_nodes must be at least 1")
    version = store_version(source) if version is None else version
    key = (version, filters_key(filters), max_nodes)
    if cache is not None and (hit := cache.bodies.get(key)) is not None:
        return hit
    graph = _view(source, filters, max_nodes, cache, False, version)
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
    cache: ViewCache | None,
    evidence: bool,
    version: Hashable,
) -> nx.DiGraph:
    """The decorated, positioned view's graph, cached per store version and filters."""
    key = (version, filters_key(filters), max_nodes, evidence)
    if cache is not None and (hit := cache.views.get(key)) is not None:
        return hit
    full = build_network(source, filters, evidence=evidence)
    graph = decorate(source, most_central(full, max_nodes))
    if cache is not None:
        positions = cache.layouts.positions(key[:3], graph)
    else:
        from graph.layout import compute_layout

        positions = compute_layout(graph)
    for node, (x, y) in positions.items():
        graph.nodes[node]["x"], graph.nodes[node]["y"] = x, y
    graph.graph.update(
        {
            "version": version,
            "total_nodes": full.number_of_nodes(),
            "total_edges": full.number_of_edges(),
            "truncated": full.number_of_nodes() > graph.number_of_nodes(),
            "filters": {k: v for k, v in zip(_FILTER_NAMES, filters_key(filters), strict=True)},
        }
    )
    if cache is not None:
        cache.views.put(key, graph)
    return graph


_FILTER_NAMES = [f for f in Filters.__dataclass_fields__]


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
    return {"directed": True, "meta": _meta(graph, len(nodes), len(edges)), "nodes": nodes,
            "edges": edges}


def _meta(graph: nx.DiGraph, nodes: int, edges: int) -> dict[str, Any]:
    meta = {k: graph.graph[k] for k in ("version", "total_nodes", "total_edges", "truncated")
            if k in graph.graph}
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
        item = {"id": node, "label": d.get("label") or node.rsplit("/", 1)[-1],
                "kind": d.get("kind", "other"), "weight": d.get("weight", 0),
                "x": d.get("x", 0.0), "y": d.get("y", 0.0)}
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
    return {"directed": True, "meta": _meta(graph, len(nodes), len(edges)), "nodes": nodes,
            "edge_fields": EDGE_FIELDS, "edges": edges}


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
    if network is not None and memo == {} and network.number_of_nodes() <= FACTS_AT_ONCE:
        actor_facts(source, network.nodes, memo)
    body = compact_json(decorate(source, hood.graph, memo))
    body["meta"].update(actor=hood.root, capped=hood.capped)
    return body


def facets(source: Selectable, filters: Filters | None = None) -> dict[str, Any]:
    """What the filter controls offer: documents, CAMEO roots, quad classes and a monthly
    histogram of event dates (for the time slider), of the events of `filters.modality`
    (asserted by default, as the network's)."""
    months: dict[str, int] = {}
    for row in source.select(DATES_QUERY % modality_pattern(filters or Filters())):
        month = str(row["date"])[:7]
        months[month] = months.get(month, 0) + int(row["n"])
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
        "histogram": [{"month": m, "count": months[m]} for m in sorted(months)],
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
    filters = filters or Filters()
    s, t = f"<{check_iri(actor_from)}>", f"<{check_iri(actor_to)}>"
    sparql = f"""SELECT ?e ?type ?date ?gold ?quad ?doc ?label ?title ?sentence ?sb ?tb ?te ?code
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


def _name_marks(sentence: str, fact: dict[str, Any] | None, role: str) -> list[dict[str, Any]]:
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
