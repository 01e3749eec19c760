"""One act with several parties ("X, Y and Z delivered aid to W") is one event, and every
party is on the network, in the actor's counts and in the dyad's timeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from graph import queries
from graph.network import Filters, build_network
from graph.store import DocumentGraph, GraphStore, open_store
from ingest.extract import extract
from ingest.model import SourceDocument
from ingest.rdf import to_ntriples

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
ACTOR = "https://evkg.org/id/actor/"
TEXT = (
    "Aircraft from Chile, Argentina and Brazil delivered humanitarian aid to Peru on Monday.\n\n"
    "Bolivia and Ecuador condemned Peru on Tuesday."
)


@pytest.fixture(scope="module")
def store() -> Iterator[GraphStore]:
    opened = open_store("oxigraph:")
    opened.load(ONTOLOGY / "cameo.ttl", "https://evkg.org/graph/cameo")
    made = extract(SourceDocument(text=TEXT, file="aid.txt", published=date(2021, 3, 2)))
    assert len(made.events) == 2, made.events  # one aid, one condemnation
    doc = made.document
    opened.put_documents([DocumentGraph(doc.iri, doc.content_hash, to_ntriples(made, True))])
    yield opened
    opened.close()


def _slug(iri: str) -> str:
    return iri.removeprefix(ACTOR)


def test_every_party_of_one_act_is_an_edge(store: GraphStore) -> None:
    edges = {(_slug(u), _slug(v)): d["count"] for u, v, d in build_network(store).edges(data=True)}
    assert edges == {
        ("chile", "peru"): 1,
        ("argentina", "peru"): 1,
        ("brazil", "peru"): 1,
        ("bolivia", "peru"): 1,
        ("ecuador", "peru"): 1,
    }, edges


def test_a_co_party_counts_the_act_as_its_own(store: GraphStore) -> None:
    rows = store.select(queries.actor_counts(f"{ACTOR}argentina"))
    assert [(r["role"], r["root"], int(r["n"])) for r in rows] == [("source", "07", 1)], rows
    listed = store.select(queries.event_ids(Filters(), source=f"{ACTOR}brazil"))
    assert len(listed) == 1, listed
