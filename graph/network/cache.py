"""What is kept of the actor network per store version: the networks themselves (one per
filter set), and what the page and the API make of them (views, their layouts and encoded
bodies, the page's neighbourhoods), so a repeated request reads memory instead of the store.

A network (`build_network`: every dyad with its counts and event refs, no sentences)
costs one aggregated query over all events; a view, a neighbourhood or a path search on it
costs nothing more from the store. Requests that arrive together for the same network wait
for the one build instead of each starting their own. Kept networks are never changed
(readers build their answers as new graphs) except for their memos of event sentences and
actor facts, shared by the networks of one store version and bounded by the events and
actors in the store: the sentences and facts an answer shows are read once per version.

The store version (`NetworkCache.version`) is the one every cache of the service keys by:
an embedded store changes only through this process, so the count of its writes
(`written`) is its version; a remote one may be written by others, so it is asked for its
own (one small query: `SparqlStore.version`), at most once per `version_ttl` seconds (a
round trip of a few milliseconds on every request was most of a warm route's time), and
read again ahead of that in a thread while requests come. Another writer's change shows
up to `version_ttl` later; this process's own writes at once, as each
forgets the version kept (`written`). Networks are carried across a write of known
documents (`advance`) when nothing else can have changed the store meanwhile: always for
an embedded store, and for a remote one when the count of writes its stamp keeps grew by
exactly the writes this process stamped (`successor`).
"""

from __future__ import annotations

import dataclasses
import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

import networkx as nx

from graph.layout import LayoutCache
from graph.lru import Lru
from graph.network.build import (
    Selectable,
    build_network,
    described_actors,
    updated_network,
)
from graph.network.filters import FilterKey, Filters
from graph.store.embedded import OxigraphStore
from graph.store.remote import SparqlStore, Stamp

if TYPE_CHECKING:  # the view module reads the cache: its types only, not at run time
    from graph.network.view import ActorFacts

DEFAULT_SIZE = 8  # networks kept (filter sets), least recently used dropped first
VIEWS = 32  # views (filter set, cap) kept, and as many of each encoded shape
NEIGHBOURHOOD_BYTES = 128 * 2**20  # the most the encoded neighbourhoods kept may take
# a network as it is kept: (store version, `Filters.key()`)
NetworkKey = tuple[Hashable, FilterKey]


class Mark(NamedTuple):
    """Where a write starts from: the store version (a remote store's: ("store", the stamp
    read)), how many writes the store object had stamped (a remote store's `stamped`; 0
    for an embedded store), and the actors the graphs about to be written described
    (`described_actors`; None when not read)."""

    version: Hashable
    stamped: int
    described: frozenset[str] | None = None


class Memos(TypedDict):
    """What the networks of one store version remember of it, each in `network.graph[name]`:
    (document, event IRI) -> sentence (`add_evidence`), actor IRI -> facts
    (`actor_facts`). A write of known graphs carries them (`advance`)."""

    sentences: dict[tuple[str | None, str], str | None]
    facts: dict[str, ActorFacts]


class NetworkCache:
    """A thread-safe LRU of `build_network`s keyed by (store version, filters), and LRUs of
    what is made of them: finished views' graphs, their node-link JSON and the page's
    encoded bodies (a 2,000-actor view is ~20 ms of JSON, paid once, and only by the shape
    that is asked for), layouts, and the page's neighbourhoods (encoded: the page expands
    the same actors again, and a 2-hop neighbourhood is thousands of edges to gather and
    decorate). Every key starts with the store version."""

    def __init__(
        self, size: int = DEFAULT_SIZE, views: int = VIEWS, version_ttl: float = 0
    ) -> None:
        self.size = size
        self.writes = 0  # writes this process made (an embedded store's `version`)
        self.version_ttl = version_ttl  # seconds a remote store's version is taken as read
        # a remote store's version as last read: (when asked, `writes` then, the version)
        self._stamp: tuple[float, int, tuple[str, Stamp]] | None = None
        self._refreshing = False  # a thread is reading it again ahead of the TTL
        self.views: Lru[nx.DiGraph] = Lru(views)
        self.view_bodies: Lru[dict[str, Any]] = Lru(views)  # `view_json`, made only when asked for
        self.bodies: Lru[bytes] = Lru(views)
        # encoded neighbourhoods, either shape: ~100 KB compact at 2 hops, with evidence MBs
        self.neighbourhoods: Lru[bytes] = Lru(views * 8, NEIGHBOURHOOD_BYTES, len)
        self.layouts = LayoutCache(views * 2)
        self._lock = threading.Lock()
        self._networks: OrderedDict[NetworkKey, nx.DiGraph] = OrderedDict()
        self._building: dict[NetworkKey, threading.Lock] = {}
        # the memos the networks of one version share, as (version, memos)
        self._memos: tuple[Hashable, Memos] = (None, Memos(sentences={}, facts={}))
        self.builds = 0  # how many networks were built (for tests and benchmarks)

    def version(self, store: Any, fresh: bool = False) -> Hashable:
        """The version of `store` (the store itself, not a reader of it) that whatever is
        kept of it is keyed by: the writes counted by `written` for an embedded store, the
        store's own stamp for a remote one, read again when older than `version_ttl` (or
        when `fresh`) and after this process's every write."""
        if isinstance(store, OxigraphStore):
            return ("writes", self.writes)
        return self._remote(store, fresh)

    def _remote(self, store: Any, fresh: bool) -> tuple[str, Stamp]:
        """The kept version while younger than `version_ttl`; past half of it, read again in
        a thread meanwhile, so a service in steady use never waits for the round trip (a
        few milliseconds a request, where a kept answer takes two or three)."""
        with self._lock:
            kept, writes = self._stamp, self.writes
            age = time.monotonic() - kept[0] if kept is not None else self.version_ttl
            if fresh or age >= self.version_ttl:
                kept = None
            elif age >= self.version_ttl / 2 and not self._refreshing:
                self._refreshing = True
                threading.Thread(target=self._refresh, args=(store, writes), daemon=True).start()
        return kept[2] if kept is not None else self._read_remote(store, writes)

    def _refresh(self, store: Any, writes: int) -> None:
        try:
            self._read_remote(store, writes)
        except Exception:  # the next request past the TTL reads it, and reports the failure
            pass
        finally:
            with self._lock:
                self._refreshing = False

    def _read_remote(self, store: Any, writes: int) -> tuple[str, Stamp]:
        now = time.monotonic()
        version = ("store", store.version())
        with self._lock:  # not if a write came while reading: its stamp may be the older
            if self.writes == writes:
                self._stamp = (now, writes, version)
        return version

    def mark(self, store: Any, graphs: Iterable[str] = ()) -> Mark:
        """Taken before a write (of `graphs`, when known), for `successor` to compare with
        after it, and for what is carried across it to know whose facts it can change."""
        described = described_actors(store, graphs) if graphs else None
        if isinstance(store, SparqlStore):
            version = self._remote(store, fresh=True)
            return Mark(version, store.stamped, described)
        return Mark(self.version(store), 0, described)

    def successor(self, store: Any, before: Mark) -> Hashable | None:
        """The version after this process's writes since `before` (and `written`), if no
        other writer's came between, so what is kept can be carried (`advance`); else None.
        An embedded store has no other writer. A remote one has when its count of stamped
        writes grew by more than this process stamped, or keeps no count."""
        if not isinstance(store, SparqlStore):
            return self.version(store)
        after = self._remote(store, fresh=True)
        now, was = after[1], _stamp_of(before.version)
        if now.writes is None or was is None or was.writes is None:
            return None
        return after if now.writes - was.writes == store.stamped - before.stamped else None

    def written(self) -> None:
        """The store was written (call once readers see the write): an embedded store's
        version moves on, a remote one's is read again."""
        with self._lock:
            self.writes += 1
            self._stamp = None

    def get(self, source: Selectable, version: Hashable, filters: Filters) -> nx.DiGraph:
        """The network under `filters` at `version`, built from `source` if not kept.
        `min_events` is left to the reader (pruning is cheap), so it does not split keys."""
        filters = dataclasses.replace(filters, min_events=1)
        key = (version, filters.key())
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
                network = build_network(source, filters)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self.builds += 1
                self._keep(key, network)
        return network

    def _keep(self, key: NetworkKey, network: nx.DiGraph) -> None:
        """Keep `network` under `key`, dropping networks of other versions (call locked)."""
        version = key[0]
        if self._memos[0] != version:
            self._memos = (version, Memos(sentences={}, facts={}))
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
        self,
        source: Selectable,
        before: Hashable,
        after: Hashable,
        documents: Iterable[str],
        stale: frozenset[str] | None = None,
    ) -> int:
        """Carry the networks kept at version `before` to `after`, the store after a write
        that added, replaced or removed the graphs of `documents` (each a document's graph:
        its events, derived from it, and no others'). Each costs one small query per
        document (`source` reads the store at `after`) and a copy of the network, where
        building it again is one query over every event: seconds at a million quads.
        Requests for `after` wait for it rather than build. The memos go along, less the
        sentences of `documents` and the facts of the actors in `stale` (those the written
        graphs described before or after the write; None: no facts carried). Returns how
        many networks were carried."""
        documents = set(documents)
        with self._lock:  # taken now: keeping the first carried drops the others
            kept = [(k, n) for k, n in self._networks.items() if k[0] == before]
            version, memos = self._memos
            if kept and version == before:
                self._memos = (after, _carried(memos, documents, stale))
        carried = 0
        for key, network in kept:
            new_key = (after, key[1])
            with self._lock:
                building = self._building.setdefault(new_key, threading.Lock())
            with building:
                try:
                    if new_key not in self._networks:
                        updated = updated_network(
                            source, network, Filters(*key[1]), documents, stale or frozenset()
                        )
                        with self._lock:
                            self._keep(new_key, updated)
                        carried += 1
                finally:
                    with self._lock:
                        self._building.pop(new_key, None)
        return carried


def _stamp_of(version: Hashable) -> Stamp | None:
    """The stamp a remote store's version holds (None for an embedded store's)."""
    if isinstance(version, tuple) and version[0] == "store" and isinstance(version[1], Stamp):
        return version[1]
    return None


def _carried(memos: Memos, documents: set[str], stale: frozenset[str] | None) -> Memos:
    """`memos` less what a write of `documents` may have changed: their events' sentences,
    and the facts of the actors in `stale` (every actor's for None). Each is copied first
    (one step under the interpreter's lock): requests at the old version may still be
    adding to them."""
    sentences = {k: v for k, v in dict(memos["sentences"]).items() if k[0] not in documents}
    facts = (
        {} if stale is None else {a: f for a, f in dict(memos["facts"]).items() if a not in stale}
    )
    return Memos(sentences=sentences, facts=facts)


def _keep_from_collector(dropped: bool) -> None:
    """Move what is alive now (the kept networks among it) out of the cyclic collector's
    sight. A network is tens of thousands of long-lived objects that every full collection
    would walk again; on a 1M-triple store that was a large share of a neighbourhood
    request's time. When networks were dropped, the frozen objects go back first, so
    their cycles can be freed."""
    if dropped:
        gc.unfreeze()
    gc.freeze()
