"""Actor networks kept per store version and filter set, so neighbourhoods and paths read
memory instead of the store.

A network (`graph.network.dyad_network`: every dyad with its counts and event refs, no
sentences) costs one aggregated query over all events; a neighbourhood or a path search
on it costs nothing more. Requests that arrive together for the same network wait for the
one build instead of each starting their own. Cached networks are never changed (readers
build their answers as new graphs) except for their memo of event sentences, shared by the
networks of one store version and bounded by the events in the store: the sentences an
answer shows are read from the store once per version.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections import OrderedDict
from collections.abc import Hashable

import networkx as nx

from graph.network import Filters, Selectable, dyad_network

DEFAULT_SIZE = 8  # networks kept (filter sets), least recently used dropped first


class NetworkCache:
    """A thread-safe LRU of `dyad_network`s keyed by (store version, filters)."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._networks: OrderedDict[Hashable, nx.DiGraph] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}
        self._sentences: tuple[Hashable, dict[str, str | None]] = (None, {})
        self.builds = 0  # how many networks were built (for tests and benchmarks)

    def get(self, source: Selectable, version: Hashable, filters: Filters) -> nx.DiGraph:
        """The network under `filters` at `version`, built from `source` if not kept.
        `min_events` is left to the reader (pruning is cheap), so it does not split keys."""
        filters = dataclasses.replace(filters, min_events=1)
        key = (version, dataclasses.astuple(filters))
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
                if self._sentences[0] != version:
                    self._sentences = (version, {})
                network.graph["sentences"] = self._sentences[1]
                stale = [k for k in self._networks if k[0] != version]  # the store changed
                for old in stale:
                    del self._networks[old]
                self._networks[key] = network
                dropped = bool(stale) or len(self._networks) > self.size
                while len(self._networks) > self.size:
                    self._networks.popitem(last=False)
                _keep_from_collector(dropped)
        return network


def _keep_from_collector(dropped: bool) -> None:
    """Move what is alive now (the kept networks among it) out of the cyclic collector's
    sight. A network is tens of thousands of long-lived objects that every full collection
    would walk again; on a 1M-triple store that was a large share of a neighbourhood
    request's time. When networks were dropped, the frozen objects go back first, so
    their cycles can be freed."""
    if dropped:
        gc.unfreeze()
    gc.freeze()
