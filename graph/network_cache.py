"""Actor networks kept per store version and filter set, so neighbourhoods and paths read
memory instead of the store.

A network (`graph.network.dyad_network`: every dyad with its counts and event refs, no
sentences) costs one aggregated query over all events; a neighbourhood or a path search
on it costs nothing more. Requests that arrive together for the same network wait for the
one build instead of each starting their own. Cached networks are never changed (readers
build their answers as new graphs) except for their memos of event sentences and actor
facts, shared by the networks of one store version and bounded by the events and actors in
the store: the sentences and facts an answer shows are read from the store once per
version.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

from graph.network import (
    Filters,
    Selectable,
    add_dyads,
    dyad_network,
    dyads_query,
    edge_attributes,
    label_nodes,
    quad_counts,
)

DEFAULT_SIZE = 8  # networks kept (filter sets), least recently used dropped first
# What the networks of one store version remember of it, each in `network.graph[name]`:
# event IRI -> sentence (`graph.network.add_evidence`), actor IRI -> facts
# (`graph.network_view.actor_facts`)
MEMOS = ("sentences", "facts")

# (store version, the filters' fields as `dataclasses.astuple` gives them)
Key = tuple[Hashable, tuple[Any, ...]]


class NetworkCache:
    """A thread-safe LRU of `dyad_network`s keyed by (store version, filters)."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._networks: OrderedDict[Key, nx.DiGraph] = OrderedDict()
        self._building: dict[Key, threading.Lock] = {}
        # the memos the networks of one version share (MEMOS), as (version, {name: memo})
        self._memos: tuple[Hashable, dict[str, dict[str, Any]]] = (None, {})
        self.builds = 0  # how many networks were built (for tests and benchmarks)

    def get(self, source: Selectable, version: Hashable, filters: Filters) -> nx.DiGraph:
        """The network under `filters` at `version`, built from `source` if not kept.
        `min_events` is left to the reader (pruning is cheap), so it does not split keys."""
        filters = dataclasses.replace(filters, min_events=1)
        key: Key = (version, dataclasses.astuple(filters))
        with self._lock:
            if key in self._networks:
                self._networks.move_to_end(key)
                return self._networks[key]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._networks:  # built while this request waited
                    self._networks.move_to_end(key)
                    return self._networks[key]
            try:
                network = dyad_network(source, filters)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self.builds += 1
                self._keep(key, network)
        return network

    def _keep(self, key: Key, network: nx.DiGraph) -> None:
        """Keep `network` under `key`, dropping networks of other versions (call locked)."""
        version = key[0]
        if self._memos[0] != version:
            self._memos = (version, {name: {} for name in MEMOS})
        network.graph.update(self._memos[1])
        stale = [k for k in self._networks if k[0] != version]  # the store changed
        for old in stale:
            del self._networks[old]
        self._networks[key] = network
        dropped = bool(stale) or len(self._networks) > self.size
        while len(self._networks) > self.size:
            self._networks.popitem(last=False)
        _keep_from_collector(dropped)

    def advance(
        self, source: Selectable, before: Hashable, after: Hashable, documents: Iterable[str]
    ) -> int:
        """Carry the networks kept at version `before` to `after`, the store after a write
        that added, replaced or removed the graphs of `documents` (each a document's graph:
        its events, derived from it, and no others'). Each costs one small query per
        document (`source` reads the store at `after`) and a copy of the network, where
        building it again is one query over every event: seconds at a million quads.
        Requests for `after` wait for it rather than build. Returns how many were carried."""
        documents = set(documents)
        with self._lock:  # taken now: keeping the first carried drops the others
            kept = [(k, n) for k, n in self._networks.items() if k[0] == before]
        carried = 0
        for key, network in kept:
            new_key: Key = (after, key[1])
            with self._lock:
                building = self._building.setdefault(new_key, threading.Lock())
            with building:
                try:
                    if new_key not in self._networks:
                        updated = updated_network(source, network, Filters(*key[1]), documents)
                        with self._lock:
                            self._keep(new_key, updated)
                        carried += 1
                finally:
                    with self._lock:
                        self._building.pop(new_key, None)
        return carried


def updated_network(
    source: Selectable, network: nx.DiGraph, filters: Filters, documents: set[str]
) -> nx.DiGraph:
    """A copy of `network` (never changed itself) with the events of `documents` as the
    store holds them now: their old refs dropped, their dyads read again."""
    fresh: dict[tuple[str, str], list[Any]] = {}  # each document's refs, per edge
    for document in sorted(documents):
        if filters.document in (None, document):
            scoped = dataclasses.replace(filters, document=document)
            read = nx.DiGraph()  # one document's dyads (add_dyads keeps an edge it has)
            add_dyads(read, source.select(dyads_query(scoped)))
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
    unlabelled.add_nodes_from(n for n, label in graph.nodes(data="label") if label is None)
    label_nodes(source, unlabelled)
    for node, label in unlabelled.nodes(data="label"):
        graph.nodes[node]["label"] = label
    return graph


def _keep_from_collector(dropped: bool) -> None:
    """Move what is alive now (the kept networks among it) out of the cyclic collector's
    sight. A network is tens of thousands of long-lived objects that every full collection
    would walk again; on a 1M-triple store that was a large share of a neighbourhood
    request's time. When networks were dropped, the frozen objects go back first, so
    their cycles can be freed."""
    if dropped:
        gc.unfreeze()
    gc.freeze()
