"""The union of an embedded store's graphs as a stream of triples, for triple formats."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

import pyoxigraph as ox


def union_triples(store: ox.Store) -> Iterator[ox.Triple]:
    """Every triple of the union of all graphs once, grouped by subject, in flat memory.

    A CONSTRUCT over the union would hold every triple in a set to drop the duplicates (an
    actor is described in each document that names it): 700 MB at a million triples, and
    growing. Instead each subject is written out whole by the first graph met in its
    subject-ordered index (its "owner"), where copies of a triple from different graphs sit
    side by side and a one-triple memory drops them.
    """
    graphs: list[ox.DefaultGraph | ox.NamedNode | ox.BlankNode] = [
        ox.DefaultGraph(),
        *store.named_graphs(),
    ]
    for graph in graphs:
        previous = None
        for quad in store.quads_for_pattern(None, None, None, graph):
            subject = quad.subject
            if subject == previous:
                continue  # the subject's triples are contiguous within a graph
            previous = subject
            described = iter(store.quads_for_pattern(subject, None, None, None))
            first = next(described)
            if first.graph_name != graph:
                continue  # another graph owns this subject
            yield from _without_copies(chain([first], described))


def _without_copies(quads: Iterator[ox.Quad]) -> Iterator[ox.Triple]:
    """One subject's quads (default graph first, then the named graphs in index order) as
    triples, each once: copies in named graphs are adjacent; the default graph's few
    triples of the subject are remembered."""
    in_default: set[ox.Triple] = set()
    last = None
    for quad in quads:
        triple = quad.triple
        if isinstance(quad.graph_name, ox.DefaultGraph):
            in_default.add(triple)
            yield triple
        elif triple != last and triple not in in_default:
            yield triple
        last = triple
