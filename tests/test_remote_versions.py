"""A remote store's version: the stamp and count each write through evkg leaves. A service
carries its actor networks across its own writes (as on the embedded store), and builds
them again when another service's write came between, on each kind of server."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph import happening_store
from graph.happening_store import HappeningIndex
from graph.happenings import Gazetteer
from graph.network import Filters, NetworkCache, build, build_network
from graph.network.sparql import facts_query
from graph.store import DocumentGraph, OxigraphStore, open_store
from graph.store.remote import SparqlStore
from tests.servers import Server, need_virtuoso, start_oxigraph, start_virtuoso

DOC = "https://evkg.org/id/document/"


def _virtuoso(workdir: Path) -> Iterator[Server]:
    need_virtuoso()
    yield from start_virtuoso(workdir, max_rows=10)


SERVERS: dict[str, Callable[[Path], Iterator[Server]]] = {
    "oxigraph-server": start_oxigraph,
    "virtuoso": _virtuoso,
}


@pytest.fixture(params=list(SERVERS))
def stores(
    request: pytest.FixtureRequest, tmp_path: Path, seeded: Path
) -> Iterator[tuple[SparqlStore, SparqlStore, list[DocumentGraph]]]:
    """Two services' stores over one server holding the seeds, and the seeds' graphs."""
    shutil.copytree(seeded, tmp_path / "seeded")
    embedded = OxigraphStore(tmp_path / "seeded")
    docs = list(embedded.document_graphs())
    embedded.close()
    for server in SERVERS[request.param](tmp_path):
        ours, theirs = open_store(server.spec), open_store(server.spec)
        assert isinstance(ours, SparqlStore) and isinstance(theirs, SparqlStore)
        ours.put_documents(docs)
        yield ours, theirs, docs
        ours.close()
        theirs.close()


def _shape(graph: nx.DiGraph) -> tuple:
    edges = sorted((u, v, d["count"], tuple(d["refs"])) for u, v, d in graph.edges(data=True))
    return sorted(graph.nodes(data="label")), edges


def test_each_write_counts_once_in_the_stamp(
    stores: tuple[SparqlStore, SparqlStore, list[DocumentGraph]],
) -> None:
    ours, theirs, _ = stores
    first = ours.version()
    assert first.writes is not None and ours.stamped == 1
    theirs.update(f"INSERT DATA {{ GRAPH <{DOC}other> {{ <{DOC}x> <{DOC}p> 1 }} }}")
    ours.remove_graph(f"{DOC}other")
    now = ours.version()
    assert now.writes == first.writes + 2 and now.mark != first.mark
    assert theirs.version() == now


def test_networks_are_carried_across_own_writes_only(
    stores: tuple[SparqlStore, SparqlStore, list[DocumentGraph]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Carried, a network reads the events of the documents written, each query starting
    from the document (not from every doer in the store, which cost seconds at 10M)."""
    ours, theirs, docs = stores
    cache = NetworkCache()
    kept = cache.get(ours, cache.version(ours), Filters())
    victim = next(
        d
        for d in docs
        if d.iri.startswith(DOC)
        and d.iri in {r.document for *_, refs in kept.edges(data="refs") for r in refs}
    )

    mark = cache.mark(ours)
    assert ours.remove_graph(victim.iri)
    cache.written()
    after = cache.successor(ours, mark)
    assert after == cache.version(ours) and after != mark.version
    asked: list[str] = []
    select = ours.select
    monkeypatch.setattr(ours, "select", lambda q: asked.append(q) or select(q))
    assert cache.advance(ours, mark.version, after, [victim.iri]) == 1
    monkeypatch.undo()
    events = [q for q in asked if "sem:Event" in q]
    assert events and all(victim.iri in q for q in events)
    carried = cache.get(ours, after, Filters())
    assert _shape(carried) == _shape(build_network(ours, Filters())) != _shape(kept)
    assert cache.builds == 1  # carried, not built again

    mark = cache.mark(ours)
    theirs.put_documents([victim])  # another service writes between
    ours.update(f"INSERT DATA {{ GRAPH <{DOC}other> {{ <{DOC}x> <{DOC}p> 1 }} }}")
    cache.written()
    assert cache.successor(ours, mark) is None


def test_the_version_is_kept_a_while_but_not_past_a_write_of_ours(
    stores: tuple[SparqlStore, SparqlStore, list[DocumentGraph]],
) -> None:
    """A service asks a remote store for its version at most once per `version_ttl`: another
    service's write shows when the version is read again, this service's own at once."""
    ours, theirs, _ = stores
    kept, exact = NetworkCache(version_ttl=3600), NetworkCache(version_ttl=0)
    first = kept.version(ours)
    assert exact.version(ours) == first

    theirs.update(f"INSERT DATA {{ GRAPH <{DOC}theirs> {{ <{DOC}x> <{DOC}p> 1 }} }}")
    assert kept.version(ours) == first  # taken as read
    assert exact.version(ours) != first
    assert kept.version(ours, fresh=True) == exact.version(ours)

    mark = kept.mark(ours)
    ours.update(f"INSERT DATA {{ GRAPH <{DOC}ours> {{ <{DOC}x> <{DOC}p> 1 }} }}")
    kept.written()
    now = kept.version(ours)
    assert now != mark.version and now == exact.version(ours)
    assert kept.successor(ours, mark) == now


def test_the_version_is_read_again_ahead_while_requests_come(
    stores: tuple[SparqlStore, SparqlStore, list[DocumentGraph]],
) -> None:
    """Past half its TTL a kept version is still answered at once, and read again in the
    background: another service's write shows before the TTL is out, with no request
    waiting for the store."""
    ours, theirs, _ = stores
    ttl = 6.0
    cache = NetworkCache(version_ttl=ttl)
    first, started = cache.version(ours), time.monotonic()
    theirs.update(f"INSERT DATA {{ GRAPH <{DOC}theirs> {{ <{DOC}x> <{DOC}p> 1 }} }}")
    time.sleep(ttl / 2 + 0.2)
    assert cache.version(ours) == first  # answered from memory, a reading started
    seen = first
    while seen == first and time.monotonic() - started < ttl - 0.5:
        time.sleep(0.05)
        seen = cache.version(ours)
    assert seen != first and time.monotonic() - started < ttl
    assert seen == NetworkCache().version(ours)


def test_actor_facts_come_once_however_many_documents_state_them(
    stores: tuple[SparqlStore, SparqlStore, list[DocumentGraph]],
) -> None:
    """An actor the dictionaries lack is described in every document naming it; its facts
    are read once each (Virtuoso's union of graphs gave each once a graph)."""
    ours, _, _ = stores
    actor, label = f"{DOC}actor", "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    said = " ".join(f'GRAPH <{DOC}d{i}> {{ <{actor}> {label} "A" }}' for i in range(3))
    ours.update(f"INSERT DATA {{ {said} }}")
    rows = ours.select(facts_query([actor]))
    assert [(r["p"], str(r["v"])) for r in rows] == [("label", "A")]


def test_a_network_read_by_doers_is_the_network_read_whole(
    stores: tuple[SparqlStore, SparqlStore, list[DocumentGraph]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A store that pages reads the network a few doers a query (on Virtuoso, each past its
    row cap of 10 here): the same network as one query over every event gives."""
    ours, _, _ = stores
    whole = _shape(build_network(ours, Filters()))
    asked: list[str] = []
    select = ours.select
    monkeypatch.setattr(ours, "select", lambda q: asked.append(q) or select(q))
    monkeypatch.setattr(build, "EVENTS_PER_QUERY", 3)
    assert _shape(build_network(ours, Filters())) == whole
    assert sum("VALUES ?s" in q for q in asked) > 3
    assert whole[1]  # the seeds make edges


def _index(store: object) -> tuple:
    index = HappeningIndex.load(store)  # type: ignore[arg-type]
    return index.reports, index.happening_of, index.members, index.stale, index.pending


def test_the_happening_index_read_by_documents_is_the_one_read_whole(
    stores: tuple[SparqlStore, SparqlStore, list[DocumentGraph]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A store that pages reads its reports a few documents a query, with their links, and
    the links of reports gone in one more query: the same index as the embedded store reads
    whole, before and after a document is removed without clustering again (its
    happenings stale). (The gazetteer is left out: under a cap of 10 rows its tens of
    thousands of facts are thousands of pages.)"""
    ours, _, _ = stores
    monkeypatch.setattr(happening_store, "read_gazetteer", lambda *_, **__: Gazetteer())
    embedded = OxigraphStore(tmp_path / "seeded")
    try:
        assert _index(ours) == _index(embedded)
        victim = sorted(HappeningIndex.load(embedded).by_document)[0]
        assert ours.remove_graph(victim) and embedded.remove_graph(victim)
        removed = _index(embedded)
        assert removed[3]  # stale happenings, found on both
        assert _index(ours) == removed
    finally:
        embedded.close()
