"""The actor search's index follows a write of known graphs without reading the whole
store again, and answers as an index built from the written store would."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.actor_index import ActorIndex
from graph.network import Filters, parse_filters
from graph.store import DocumentGraph, OxigraphStore

DOC = "https://evkg.org/id/document/"
FILTER_SETS = [Filters(), parse_filters(modality="all"), parse_filters(modality="claimed")]


@pytest.fixture
def store(seeded_store: OxigraphStore) -> OxigraphStore:
    return seeded_store


def _everything(index: ActorIndex, store: OxigraphStore, version: int, filters: Filters) -> list:
    """Every actor the index lists, with its label and counts, then those matching 'ira'."""
    return [index.search(store, version, text, 10_000, 0, filters) for text in (None, "ira")]


def test_the_index_follows_a_removed_and_a_restored_document(store: OxigraphStore) -> None:
    index = ActorIndex()
    before = {f: _everything(index, store, 1, f) for f in FILTER_SETS}
    documents = sorted(g for g in store.graphs() if g.startswith(DOC))
    victim = documents[0]
    node = ox.NamedNode(victim)
    triples = [q.triple for q in store._store.quads_for_pattern(None, None, None, node)]

    assert store.remove_graph(victim)
    assert index.advance(store, 1, 2, [victim])
    for filters in FILTER_SETS:
        carried = _everything(index, store, 2, filters)
        assert carried == _everything(ActorIndex(), store, 2, filters)
        assert carried != before[filters] or filters.modalities == ("claimed",)
    assert index.builds == 1

    store.put_documents([DocumentGraph.from_triples(victim, "restored", triples)])
    assert index.advance(store, 2, 3, [victim])
    for filters in FILTER_SETS:
        assert _everything(index, store, 3, filters) == before[filters]
    assert index.builds == 1  # built once, carried twice
    assert not index.advance(store, 1, 4, [victim])  # not kept at 1: read at the next search
