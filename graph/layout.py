"""Node positions computed on the server, so the browser draws at once instead of running a
force simulation on thousands of nodes. Positions are cached per filter set and store
version: the same view asked twice is laid out once."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Hashable

import networkx as nx

Positions = dict[str, tuple[float, float]]

SCALE = 1000.0  # positions fall in [-SCALE, SCALE]; Cytoscape draws them as pixels


def compute_layout(graph: nx.Graph, seed: int = 7, scale: float = SCALE) -> Positions:
    """Force-directed positions (Fruchterman-Reingold); busy dyads pull a little harder
    (log of the event count) without collapsing onto each other. Deterministic for a given
    graph and seed."""
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(graph))
    for u, v, data in graph.edges(data=True):
        weight = 1.0 + math.log(float(data.get("count", 1)))
        if undirected.has_edge(u, v):
            undirected.edges[u, v]["weight"] += weight
        else:
            undirected.add_edge(u, v, weight=weight)
    # Spread grows with the node count so labels of a large view do not pile up, while a
    # small view stays compact enough to be drawn at a readable zoom.
    spread = max(scale, 60.0 * n**0.5)
    iterations = 50 if n <= 3000 else 30
    pos = nx.spring_layout(undirected, seed=seed, scale=spread, iterations=iterations)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in pos.items()}


class LayoutCache:
    """A small thread-safe LRU of positions keyed by (store version, filter key)."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Positions] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def positions(self, key: Hashable, graph: nx.Graph) -> Positions:
        """The cached positions for `key`, computing them from `graph` on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        pos = compute_layout(graph)
        with self._lock:
            self.misses += 1
            self._items[key] = pos
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return pos
