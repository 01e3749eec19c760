"""Node positions computed on the server, so the browser draws at once instead of running a
force simulation on thousands of nodes. Positions are cached per filter set and store
version: the same view asked twice is laid out once."""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable

import networkx as nx
import numpy as np

from graph.lru import Lru

Positions = dict[str, tuple[float, float]]

SMALL = 300  # up to here networkx's own spring layout; above, the vectorised one below
GRAVITY = 0.05
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
    if n <= SMALL:
        pos = nx.spring_layout(undirected, seed=seed, scale=spread, iterations=50)
        return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in pos.items()}
    nodes = list(undirected)
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in undirected.edges()], dtype=np.int64)
    weights = np.array([d["weight"] for *_, d in undirected.edges(data=True)], dtype=float)
    xy = fruchterman_reingold(n, edges.reshape(-1, 2), weights, seed=seed).astype(float)
    xy -= xy.mean(axis=0)
    xy *= spread / max(float(np.abs(xy).max()), 1e-9)
    pairs = zip(nodes, xy, strict=True)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in pairs}


def fruchterman_reingold(
    n: int, edges: np.ndarray, weights: np.ndarray, seed: int = 7, iterations: int = 40
) -> np.ndarray:
    """Vectorised force-directed layout for large views: all-pairs repulsion in row blocks
    (bounded memory), attraction along edges, a little gravity so components stay near."""
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)).astype(np.float32)
    k2 = np.float32(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    block = max(1, 4_000_000 // n)
    w = weights.astype(np.float32) / np.float32(k2**0.5)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        x, y = pos[:, 0], pos[:, 1]
        for start in range(0, n, block):
            dx = x[start:start + block, None] - x[None, :]
            dy = y[start:start + block, None] - y[None, :]
            inv = k2 / np.maximum(dx * dx + dy * dy, np.float32(1e-6))
            disp[start:start + block, 0] = (dx * inv).sum(axis=1)
            disp[start:start + block, 1] = (dy * inv).sum(axis=1)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.sqrt((delta**2).sum(axis=1))
            pull = delta * (dist * w)[:, None]
            np.add.at(disp, edges[:, 0], -pull)
            np.add.at(disp, edges[:, 1], pull)
        disp -= (pos - 0.5) * np.float32(GRAVITY * n**0.5)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), np.float32(1e-9))
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return pos


class LayoutCache:
    """A small thread-safe LRU of positions keyed by (store version, filter key)."""

    def __init__(self, size: int = 64) -> None:
        self._items: Lru[Positions] = Lru(size)
        self._lock = threading.Lock()  # for the counters
        self.hits = 0
        self.misses = 0

    def positions(self, key: Hashable, graph: nx.Graph) -> Positions:
        """The cached positions for `key`, computing them from `graph` on a miss."""
        cached = self._items.get(key)
        if cached is not None:
            with self._lock:
                self.hits += 1
            return cached
        pos = compute_layout(graph)
        with self._lock:
            self.misses += 1
        self._items.put(key, pos)
        return pos
