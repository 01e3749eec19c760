"""The actor networks kept per store version follow a document write without being built
again, and come out as a fresh build of the written store would."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.network import Filters, NetworkCache, add_evidence, build_network, described_actors
from graph.network.view import actor_facts
from graph.store import DocumentGraph, OxigraphStore
from tests.recording import Recording

DOC = "https://evkg.org/id/document/"
FILTER_SETS = [Filters(), Filters(modality="all"), Filters(root="19")]


@pytest.fixture
def store(seeded_store: OxigraphStore) -> OxigraphStore:
    return seeded_store


def _shape(graph: nx.DiGraph) -> tuple:
    nodes = sorted(graph.nodes(data="label"))
    edges = sorted(
        (u, v, d["count"], d["goldstein"], d["first"], d["last"], tuple(d["refs"]))
        for u, v, d in graph.edges(data=True)
    )
    return nodes, edges


def test_networks_follow_a_removed_and_a_restored_document(store: OxigraphStore) -> None:
    cache = NetworkCache()
    kept = {f: cache.get(store, 1, f) for f in FILTER_SETS}
    # the document behind the most events of the default network
    counts: dict[str, int] = {}
    for *_, refs in kept[Filters()].edges(data="refs"):
        for ref in refs:
            counts[ref.document] = counts.get(ref.document, 0) + 1
    victim = max(counts, key=lambda d: (counts[d], d))
    assert victim.startswith(DOC) and counts[victim] > 1
    node = ox.NamedNode(victim)
    triples = [q.triple for q in store._store.quads_for_pattern(None, None, None, node)]
    before = {f: _shape(n) for f, n in kept.items()}

    assert store.remove_graph(victim)
    assert cache.advance(store, 1, 2, [victim]) == len(FILTER_SETS)
    for filters in FILTER_SETS:
        carried = cache.get(store, 2, filters)
        assert _shape(carried) == _shape(build_network(store, filters))
        assert _shape(kept[filters]) == before[filters]  # the old network is untouched
    assert all(r.document != victim for *_, refs in carried.edges(data="refs") for r in refs)

    store.put_documents([DocumentGraph.from_triples(victim, "restored", triples)])
    assert cache.advance(store, 2, 3, [victim]) == len(FILTER_SETS)
    for filters in FILTER_SETS:
        assert _shape(cache.get(store, 3, filters)) == before[filters]
    assert cache.builds == len(FILTER_SETS)  # built once, carried twice


def test_a_write_carries_what_was_read_of_actors_but_what_it_described(
    store: OxigraphStore,
) -> None:
    """Actor facts and event sentences read at one version go along with the networks
    across a write, less the facts of the actors the written graph described before or
    after it and the sentences of its events; what is carried is what reading it again
    gives."""
    cache = NetworkCache()
    network = cache.get(store, cache.version(store), Filters())
    actors = sorted(network.nodes)
    actor_facts(store, actors, network.graph["facts"])
    add_evidence(store, network.copy(), network)
    victim = max(r.document for *_, refs in network.edges(data="refs") for r in refs)
    mark = cache.mark(store, [victim])
    assert mark.described & set(actors)  # some of the network's actors, not all
    assert not set(actors) <= mark.described

    assert store.remove_graph(victim)
    cache.written()
    after = cache.successor(store, mark)
    assert not described_actors(store, [victim])  # the graph is gone: only `before` tells
    assert cache.advance(store, mark.version, after, [victim], mark.described) == 1
    carried = cache.get(store, after, Filters())
    memo = carried.graph["facts"]
    assert memo.keys() == set(actors) - mark.described
    asked = Recording(store)
    left = sorted(carried.nodes)
    assert actor_facts(asked, left, memo) == actor_facts(store, left)
    assert len(asked.queries) == (1 if mark.described & set(left) else 0)
    sentences = carried.graph["sentences"]
    assert sentences and all(document != victim for document, _ in sentences)
    assert sentences.keys() == {
        (r.document, r.iri)
        for *_, refs in network.edges(data="refs")
        for r in refs
        if r.document != victim
    }
