"""The REST resources' SPARQL (graph.queries) on a real store holding the seeds."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.routers.params import dedupe
from graph import queries
from graph.network import Filters
from graph.store import OxigraphStore

ACTOR = "https://evkg.org/id/actor/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seeded: Path) -> Iterator[OxigraphStore]:
    path = tmp_path_factory.mktemp("queries") / "store"
    shutil.copytree(seeded, path)
    opened = OxigraphStore(path)
    yield opened
    opened.close()


CASES = [
    (Filters(), {}, 7, 0),
    (Filters(), {}, 7, 7),
    (Filters(), {"actor": f"{ACTOR}iran"}, 100, 0),
    (Filters(), {"actor": f"{ACTOR}iran"}, 3, 2),
    (Filters(since="2020-01", modality="all"), {"actor": f"{ACTOR}united-states"}, 50, 0),
    (Filters(root="19"), {}, 100, 0),
    (Filters(modality="negated,claimed"), {}, 100, 0),
    (Filters(), {"source": f"{ACTOR}united-states", "target": f"{ACTOR}iran"}, 100, 0),
]


@pytest.mark.parametrize(("filters", "chosen", "limit", "offset"), CASES)
def test_a_page_ordered_here_is_the_page_the_store_cuts(
    store: OxigraphStore, filters: Filters, chosen: dict, limit: int, offset: int
) -> None:
    """`event_ids` ordered and cut here, then `listed_events`, answer as `events` does
    (ORDER BY and LIMIT in the store): the embedded store takes the first way, remote
    stores the second."""
    cut = store.select(queries.events(filters, **chosen, limit=limit, offset=offset))
    found = sorted({r["e"] for r in store.select(queries.event_ids(filters, **chosen))})
    page = found[offset : offset + limit]
    listed = store.select(queries.listed_events(page)) if page else []
    assert [e.iri for e in dedupe(listed)] == [e.iri for e in dedupe(cut)]
    assert dedupe(listed) == dedupe(cut)
    assert {e.iri for e in dedupe(cut)} == set(page)


def test_the_cases_hold_events(store: OxigraphStore) -> None:
    """The comparisons above are of pages with events in them, several pages deep."""
    everything = store.select(queries.event_ids(Filters()))
    assert len(everything) > 14
    iran = store.select(queries.event_ids(Filters(), actor=f"{ACTOR}iran"))
    assert len(iran) > 5
    fights = store.select(queries.event_ids(Filters(root="19")))
    assert 0 < len(fights) < len(everything)
