"""An actor's counts are of happenings: the reports of one real-world event count once, a
happening counts under a modality when any of its reports puts it so, and the happening
node itself (which names its actors too) is no report. Checked on a small hand-made store
for the actor search's counts, an actor's counts by root and the facets' histogram."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph import queries
from graph.actor_index import ActorIndex, Count, event_counts
from graph.network import Filters, facets, modality_pattern, parse_filters
from graph.store import OxigraphStore
from tests.recording import Recording

A = "https://evkg.org/id/actor/"
E = "https://evkg.org/id/event/"
H = "https://evkg.org/id/happening/"
EVKG = "https://evkg.org/ontology#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CAMEO = "https://evkg.org/cameo/"
HAPPENINGS = "https://evkg.org/graph/happenings"


def _event(n: str, source: str, target: str, date: str, modality: str | None) -> str:
    e = f"<{E}{n}>"
    lines = [
        f"{e} <{RDF_TYPE}> <{SEM}Event>",
        f"{e} <{EVKG}source> <{A}{source}>",
        f"{e} <{EVKG}target> <{A}{target}>",
        f"{e} <{SEM}hasActor> <{A}{source}>",
        f"{e} <{SEM}hasActor> <{A}{target}>",
        f"{e} <{SEM}eventType> <{CAMEO}190>",
        f'{e} <{SEM}hasTimeStamp> "{date}"^^<{XSD}date>',
    ]
    if modality:
        lines.append(f"{e} <{EVKG}modality> <{EVKG}{modality}>")
    return " .\n".join(lines) + " .\n"


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    """Three reports of one strike by x on y (two asserted in January and February, one
    claimed), a claimed strike of its own in March, and the happening of the three."""
    store = OxigraphStore(None)
    reports = {
        "d1-1": ("2020-02-02", None),
        "d2-1": ("2020-01-30", "Asserted"),
        "d3-1": ("2020-02-01", "Claimed"),
        "d4-1": ("2020-03-09", "Claimed"),
    }
    for n, (date, modality) in reports.items():
        store.load(_event(n, "x", "y", date, modality).encode(), f"{E}{n}-doc", "ntriples")
    h = f"<{H}one>"
    happenings = [
        f"{h} <{RDF_TYPE}> <{EVKG}Happening>",
        f"{h} <{EVKG}source> <{A}x>",
        f"{h} <{EVKG}target> <{A}y>",
        f"{h} <{SEM}hasActor> <{A}x>",
        f"{h} <{SEM}hasActor> <{A}y>",
        f"{h} <{SEM}eventType> <{CAMEO}190>",
        f"{h} <{EVKG}modality> <{EVKG}Asserted>",
        f'{h} <{SEM}hasTimeStamp> "2020-01-30"^^<{XSD}date>',
        *(f"<{E}{n}> <{EVKG}happening> {h}" for n in ("d1-1", "d2-1", "d3-1")),
        f"<{E}d4-1> <{EVKG}happening> <{E}d4-1>",
    ]
    store.load((" .\n".join(happenings) + " .\n").encode(), HAPPENINGS, "ntriples")
    yield store
    store.close()


def test_search_counts_happenings_and_reports(store: OxigraphStore) -> None:
    asserted = event_counts(store, Filters())
    assert asserted == {f"{A}x": Count(1, 2), f"{A}y": Count(1, 2)}
    everything = event_counts(store, parse_filters(modality="all"))
    assert everything[f"{A}x"] == Count(2, 4)
    claimed = event_counts(store, parse_filters(modality="claimed"))
    assert claimed[f"{A}y"] == Count(2, 2)


@pytest.mark.parametrize(
    "stated,counted",
    [
        (None, True),  # states none: asserted
        (f"<{EVKG}Asserted>", True),
        (f"<{EVKG}Negated>", False),
        ("<https://example.org/modality/rumoured>", False),  # not evkg's: not asserted
        ('"negated"', False),  # a literal, as a graph written by hand may state
    ],
)
def test_asserted_counts_leave_out_every_other_modality_stated(
    store: OxigraphStore, stated: str | None, counted: bool
) -> None:
    """Asserted counts are every report less those stating another modality, where the
    store is asked which modalities it states: one it does not know, or a literal, is
    left out as `modality_pattern` leaves it out, and with no other stated (the store's
    claimed reports taken away first) nothing is taken away."""
    for claimed in ("d3-1", "d4-1"):
        assert store.remove_graph(f"{E}{claimed}-doc")
    lines = _event("d6-1", "x", "z", "2020-05-01", None)
    if stated is not None:
        lines += f"<{E}d6-1> <{EVKG}modality> {stated} .\n"
    store.load(lines.encode(), f"{E}d6-doc", "ntriples")
    asked = Recording(store)
    counts = event_counts(asked, Filters())
    # only a literal sends it back to the filter over every stated modality
    literal = stated is not None and stated.startswith('"')
    assert any("NOT IN" in q for q in asked.queries) == literal
    assert counts[f"{A}x"] == (Count(2, 3) if counted else Count(1, 2))
    assert (f"{A}z" in counts) == counted
    rows = store.select(
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a sem:Event ; "
        f"sem:hasActor <{A}z> {modality_pattern(Filters())} }} }}"
    )
    assert int(rows[0]["n"]) == int(counted)  # as the pattern itself keeps it


def test_an_actors_counts_by_root_are_of_happenings(store: OxigraphStore) -> None:
    rows = store.select(queries.actor_counts(f"{A}y", parse_filters(modality="all")))
    assert [(r["role"], r["root"], int(r["n"]), int(r["reports"])) for r in rows] == [
        ("target", "19", 2, 4)
    ]


def test_the_histogram_puts_a_happening_in_its_earliest_month(store: OxigraphStore) -> None:
    months = facets(store, parse_filters(modality="all"))["histogram"]
    assert months == [
        {"month": "2020-01", "count": 1, "reports": 3},
        {"month": "2020-03", "count": 1, "reports": 1},
    ]
    assert facets(store)["histogram"] == [{"month": "2020-01", "count": 1, "reports": 2}]


@pytest.mark.parametrize("modality", ["asserted", "all", "claimed"])
def test_counts_carried_past_a_removed_report_equal_those_read_afresh(
    store: OxigraphStore, modality: str
) -> None:
    """With a document of two strikes not clustered yet (two happenings), taking the
    claimed report of the happening away leaves the happening (two reports still) and the
    lone claimed strike: the index carried over the write must count as one built from the
    store after it."""
    two = _event("d5-1", "x", "y", "2020-04-01", None) + _event(
        "d5-2", "x", "y", "2020-04-02", None
    )
    store.load(two.encode(), f"{E}d5-doc", "ntriples")
    filters = parse_filters(modality=modality)
    index = ActorIndex()
    before = index.search(store, 1, None, 10, 0, filters)
    assert store.remove_graph(f"{E}d3-1-doc")
    assert index.advance(store, 1, 2, [f"{E}d3-1-doc"])
    after = index.search(store, 2, None, 10, 0, filters)
    assert after == ActorIndex().search(store, 2, None, 10, 0, filters)
    counts = {row["a"]: (row["events"], row["reports"]) for row in after}
    assert counts[f"{A}x"] == {"asserted": (3, 4), "all": (4, 5), "claimed": (1, 1)}[modality]
    assert (after == before) == (modality == "asserted")
    assert index.builds == 1
