"""Happenings kept in a real embedded store by real ingestions: the same documents in any
order give the same happenings graph, removing and replacing documents gives what
clustering the remaining documents from scratch gives, a run killed between a batch and
its happenings leaves the API's counts consistent and the next run repairs the graph, and
the network counts happenings. The re-reports are tests/data/happenings/rereports."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.happening_eval import evaluate
from graph.happening_store import HappeningIndex, inconsistencies, read_gazetteer, read_reports
from graph.happenings import Gazetteer
from graph.network import build_network
from graph.store import open_store
from graph.store.base import GraphStore
from graph.store.vocab import HAPPENINGS_GRAPH, load_vocabularies
from ingest.extract import extract
from ingest.model import SourceDocument
from ingest.pipeline import ingest, reports_of
from ingest.readers import read_paths

DATA = Path(__file__).parent / "data"
REREPORTS = DATA / "happenings" / "rereports"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
STRIKE = "U.S. forces carried out airstrikes against Kataib Hezbollah in Iraq on {} January 2020."


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding only the vocabularies; each test works on a copy."""
    path = tmp_path_factory.mktemp("vocab") / "store"
    store = open_store(f"oxigraph:{path}")
    load_vocabularies(store)
    store.close()
    return path


@pytest.fixture
def stores(empty: Path, tmp_path: Path) -> Iterator[list[GraphStore]]:
    """Fresh stores (copies of `empty`) made on demand; closed at the end."""
    made: list[GraphStore] = []

    def make() -> GraphStore:
        path = tmp_path / f"store{len(made)}"
        shutil.copytree(empty, path)
        made.append(open_store(f"oxigraph:{path}"))
        return made[-1]

    yield make  # type: ignore[misc]
    for store in made:
        store.close()


def happenings_graph(store: GraphStore) -> set[tuple[str, str, str]]:
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{HAPPENINGS_GRAPH}> {{ ?s ?p ?o }} }}")
    return {(r["s"], r["p"], str(r["o"])) for r in rows}


def happenings_of(store: GraphStore) -> list[list[str]]:
    """Each happening's reports' files, sorted."""
    rows = store.select(f"""SELECT ?h ?file WHERE {{
  GRAPH <{HAPPENINGS_GRAPH}> {{ ?e evkg:happening ?h }} ?e prov:wasDerivedFrom ?d .
  ?d evkg:fileName ?file }}""")
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(row["h"], []).append(row["file"])
    return sorted(sorted(files) for files in groups.values())


def documents(folder: Path) -> list[SourceDocument]:
    return [d for d in read_paths([folder]) if isinstance(d, SourceDocument)]


def strikes(days: dict[str, int]) -> list[SourceDocument]:
    """Short reports of one kind of strike, dated by `days` (file name -> day of month)."""
    return [
        SourceDocument(text=STRIKE.format(day), file=name, published=None)
        for name, day in days.items()
    ]


def test_shuffled_ingestions_give_identical_happening_graphs(stores) -> None:
    docs = documents(REREPORTS)
    first = stores()
    ingest(first, docs, jobs=1)
    expected = happenings_graph(first)
    assert len(happenings_of(first)) < len(docs)  # re-reports were put together
    for seed in (1, 2):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        store = stores()
        ingest(store, shuffled, jobs=1, batch_size=1 + seed)  # incremental, other batches
        assert happenings_graph(store) == expected
        assert inconsistencies(store) == []


def test_removing_and_replacing_documents_is_clustering_what_is_left(stores) -> None:
    store = stores()
    ingest(store, strikes({"jan2.txt": 2, "jan3.txt": 3, "jan4.txt": 4}), jobs=1, batch_size=1)
    assert happenings_of(store) == [["jan2.txt", "jan3.txt", "jan4.txt"]]
    # the 3rd bridged the 2nd and the 4th (a day apart each, two days from each other)
    bridge = strikes({"jan3.txt": 3})[0].iri
    assert store.remove_graph(bridge)
    HappeningIndex.load(store).refresh(store, [bridge])
    assert happenings_of(store) == [["jan2.txt"], ["jan4.txt"]]
    assert inconsistencies(store) == []
    # the 4th rewritten to the 2nd's day: replaced, and one happening again
    summary = ingest(store, strikes({"jan4.txt": 2}), jobs=1)
    assert summary.replaced == 1
    assert happenings_of(store) == [["jan2.txt", "jan4.txt"]]
    scratch = stores()
    ingest(scratch, strikes({"jan2.txt": 2, "jan4.txt": 2}), jobs=1)
    assert happenings_graph(store) == happenings_graph(scratch)
    # a happening whose last report goes disappears
    for name in ("jan2.txt", "jan4.txt"):
        iri = strikes({name: 1})[0].iri
        store.remove_graph(iri)
        HappeningIndex.load(store).refresh(store, [iri])
    assert happenings_graph(store) == set()


class DiesAtHappenings:
    """A store whose process dies after a batch of documents is written and before their
    happenings are: what a killed ingestion leaves."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __getattr__(self, name: str):
        return getattr(self.store, name)

    def update(self, sparql: str) -> None:
        raise KeyboardInterrupt("killed")


def test_a_killed_ingestion_is_consistent_and_repaired_by_the_next_run(stores) -> None:
    docs = documents(REREPORTS)
    store = stores()
    ingest(store, docs[:4], jobs=1)
    with pytest.raises(KeyboardInterrupt):
        ingest(DiesAtHappenings(store), docs, jobs=1)  # type: ignore[arg-type]
    # every document is in; the new ones' reports are not clustered yet and count as
    # happenings of their own: no report without a happening in what is counted
    stored = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?d a evkg:Document }")[0]["n"]
    assert stored == len(docs)
    problems = inconsistencies(store)
    assert problems and all(p.startswith("report without a happening") for p in problems)
    network = build_network(store)
    assert sum(d["count"] for *_, d in network.edges(data=True)) >= len(happenings_of(store))
    # a document removed by a process that died before its happenings were updated
    gone = docs[0].iri
    store.remove_graph(gone)
    # the next run changes no document, and repairs both
    summary = ingest(store, docs[1:], jobs=1)
    assert summary.unchanged == len(docs) - 1
    assert inconsistencies(store) == []
    scratch = stores()
    ingest(scratch, docs[1:], jobs=1)
    assert happenings_graph(store) == happenings_graph(scratch)


def test_a_second_source_adds_reports_not_edges(stores) -> None:
    """The seeds, then the same story from other outlets naming the same actors: every
    edge keeps its count of happenings; its reports grow."""
    store = stores()
    ingest(store, read_paths([SEEDS]), jobs=1)
    before = {(u, v): (d["count"], d["reports"]) for u, v, d in build_network(store).edges.data()}
    same_names = ("a1_wire.txt", "a3_weekly.txt", "b1_wire.txt")
    again = [d for d in documents(REREPORTS) if d.file in same_names]
    ingest(store, again, jobs=1)
    after = {(u, v): (d["count"], d["reports"]) for u, v, d in build_network(store).edges.data()}
    assert after.keys() == before.keys()
    assert {edge: count for edge, (count, _) in after.items()} == {
        edge: count for edge, (count, _) in before.items()
    }
    grown = sum(r for _, r in after.values()) - sum(r for _, r in before.values())
    assert grown == 3


def test_bcubed_on_the_gold_clusters(tmp_path: Path) -> None:
    result = evaluate(DATA / "happenings-gold.yaml", tmp_path / "store")
    assert result["precision"] >= 0.85, result
    assert result["recall"] >= 0.85, result
    assert result["matched"] >= 30  # the gold's reports the extractor finds
    assert result["gold_happenings"] < result["matched"]  # and some are re-reports


def test_the_writer_reads_a_graph_in_hand_as_the_store_would(stores) -> None:
    docs = documents(REREPORTS) + [
        SourceDocument(
            text='Iran\'s "Quds Force" chief, said Tehran, attacked Kataib '
            "Hezbollah\u2019s rivals in Baghdad on 3 January 2020.",
            file="q.txt",
        )
    ]
    store = stores()
    ingest(store, docs, jobs=1)
    for doc in docs:
        in_hand = reports_of(extract(doc))
        assert in_hand.reports and list(in_hand.reports) == read_reports(store, [doc.iri])
        learnt, stored = Gazetteer(), read_gazetteer(store, [doc.iri])
        for fact in in_hand.facts:
            learnt.learn(*fact)
        actors = {r.source for r in in_hand.reports} | {r.target for r in in_hand.reports}
        for actor in actors - {None}:
            assert learnt.code.get(actor) == stored.code.get(actor)
            assert learnt.sector.get(actor) == stored.sector.get(actor)
            assert (actor in learnt.states) == (actor in stored.states)
