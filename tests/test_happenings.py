"""Matching reports into happenings (graph.happenings): the pairwise decision, blocking,
components and what a happening takes from its reports. Reports are built here by hand;
tests/test_happening_store.py runs the same code on extracted documents in a real store."""

from __future__ import annotations

import random

from graph.happening_eval import bcubed
from graph.happenings import (
    Candidates,
    Gazetteer,
    Report,
    block_key,
    compare,
    components,
    derive,
    explanations,
    happening_iri,
)

A = "https://evkg.org/id/actor/"
USA, US_FORCES, US_CONGRESS = A + "united-states", A + "us-armed-forces", A + "us-congress"
IRAN, SOLEIMANI, HOUTHIS = A + "iran", A + "qassem-soleimani", A + "houthis"
ZARIF = A + "javad-zarif"


def gazetteer() -> Gazetteer:
    return Gazetteer(
        part_of={US_FORCES: {USA}, US_CONGRESS: {USA}},
        code={
            USA: "USA",
            US_FORCES: "USA",
            US_CONGRESS: "USA",
            IRAN: "IRN",
            SOLEIMANI: "IRN",
            ZARIF: "IRN",
            HOUTHIS: "YEM",
        },
        sector={US_FORCES: "MIL", US_CONGRESS: "LEG"},
        states={USA, IRAN},
    )


def report(
    n: int,
    code: str = "195",
    source: str | None = USA,
    target: str | None = SOLEIMANI,
    date: str | None = "2020-01-03",
    place: str | None = None,
    modality: str = "asserted",
    document: str | None = None,
) -> Report:
    return Report(
        f"https://evkg.org/id/event/{n:04d}",
        document or f"doc{n}",
        code,
        source,
        target,
        date,
        place,
        modality,
    )


def test_the_same_strike_in_other_words_is_one_happening() -> None:
    g = gazetteer()
    decision = compare(report(1), report(2, code="1823", source=US_FORCES, date="2020-01"), g)
    assert decision.same
    assert "source part of" in decision.features
    assert any("roots of one family" in f for f in decision.features)
    assert any("one refines the other" in f for f in decision.features)


def test_the_same_kind_of_event_on_other_days_stays_apart() -> None:
    g = gazetteer()
    feb3 = report(1, source=USA, target=HOUTHIS, date="2024-02-03")
    feb24 = report(2, source=USA, target=HOUTHIS, date="2024-02-24")
    assert not compare(feb3, feb24, g).same
    assert compare(feb3, feb24, g).features[-1] == "date differs"
    may, june = report(3, code="043", date="2022-05"), report(4, code="043", date="2022-06-15")
    assert not compare(may, june, g).same
    # a day apart is one happening (time zones, "yesterday"); two days is not
    assert compare(feb3, report(5, source=USA, target=HOUTHIS, date="2024-02-04"), g).same
    assert not compare(feb3, report(6, source=USA, target=HOUTHIS, date="2024-02-05"), g).same
    # but one text that dates two events a day apart tells them apart
    again = report(7, source=USA, target=HOUTHIS, date="2024-02-04", document=feb3.document)
    assert not compare(feb3, again, g).same


def test_what_else_keeps_reports_apart() -> None:
    g = gazetteer()
    base = report(1)
    assert not compare(base, report(2, code="043"), g).same  # another root family
    assert not compare(base, report(3, target=HOUTHIS), g).same
    assert not compare(base, report(13, target=ZARIF), g).same  # two persons of one state
    assert compare(base, report(14, target=IRAN), g).same  # the state stands for its people
    assert not compare(base, report(4, target=None), g).same  # one names no target
    assert not compare(base, report(5, date=None), g).same
    assert not compare(report(6, place="p:a"), report(7, place="p:b"), g).same
    # two parts of one state are not the same actor; the state stands for any of its parts
    assert not compare(report(8, source=US_FORCES), report(9, source=US_CONGRESS), g).same
    assert compare(report(10, source=USA), report(11, source=US_CONGRESS), g).same
    # a denial of the event is a report of it
    assert compare(base, report(12, modality="denied"), g).same


def test_every_pair_that_matches_shares_a_block_and_is_found() -> None:
    g = gazetteer()
    rng = random.Random(7)
    days = ["2020-01-01", "2020-01-02", "2020-01-31", "2020-02-01", "2020-01", "2020", None]
    reports = [
        report(
            i,
            code=rng.choice(["190", "195", "1823", "043"]),
            source=rng.choice([USA, US_FORCES, US_CONGRESS, IRAN]),
            target=rng.choice([SOLEIMANI, IRAN, None]),
            date=rng.choice(days),
        )
        for i in range(300)
    ]
    index = Candidates(g)
    for r in reports:
        index.add(r)
    for a in reports:
        near = {r.iri for r in index.of(a)}
        for b in reports:
            if compare(a, b, g).same:
                assert block_key(a, g) == block_key(b, g)
                assert b.iri in near, (a, b)


def test_components_do_not_depend_on_order() -> None:
    g = gazetteer()
    reports = [report(i, date=f"2020-01-{1 + i % 9:02d}") for i in range(30)]
    reports += [report(100 + i, source=IRAN, target=USA, date="2020-01") for i in range(5)]
    first = components(reports, g)
    for seed in range(5):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert components(shuffled, g) == first
    # days 1..9, each a day from the next: one chain; Iran's five reports another
    assert sorted(len(c) for c in first) == [5, 30]


def test_a_bridging_report_removed_splits_its_happening() -> None:
    g = gazetteer()
    jan2, jan3, jan4 = (report(i, date=f"2020-01-0{i}") for i in (2, 3, 4))
    assert len(components([jan2, jan3, jan4], g)) == 1
    assert [len(c) for c in components([jan2, jan4], g)] == [1, 1]


def test_a_happening_takes_the_most_specific_its_reports_agree_on() -> None:
    g = gazetteer()
    members = [
        report(1, code="190", source=USA, date="2020-01"),
        report(2, code="195", source=US_FORCES, date="2020-01-03"),
        report(3, code="195", source=USA, date="2020-01-03", modality="claimed"),
    ]
    derived = derive(members, g)
    assert (derived.code, derived.source, derived.date) == ("195", US_FORCES, "2020-01-03")
    assert derived.modality == "asserted"
    assert derived.disagreements == {"modality": ("asserted", "claimed")}
    assert derived.iri == happening_iri(members) == happening_iri(members[::-1])
    why = explanations(members, g)
    assert why[members[0].iri] == "first report"
    assert why[members[1].iri].startswith(f"matches {members[0].iri}: code 195~190")


def test_disagreements_are_kept_and_an_alleged_happening_is_marked() -> None:
    g = gazetteer()
    members = [
        report(1, code="193", date="2020-01-03", modality="claimed"),
        report(2, code="195", date="2020-01-04", modality="claimed"),
        report(3, code="195", date="2020-01-04", modality="denied"),
    ]
    derived = derive(members, g)
    assert derived.code == "195" and derived.date == "2020-01-04"  # the most reported
    assert derived.disagreements["code"] == ("193", "195")
    assert derived.disagreements["date"] == ("2020-01-03", "2020-01-04")
    assert derived.modality == "claimed"


def test_bcubed() -> None:
    gold = {"a": "1", "b": "1", "c": "2", "d": "3"}
    assert bcubed(gold, {"a": "x", "b": "x", "c": "y", "d": "z"}) == (1.0, 1.0)
    precision, recall = bcubed(gold, {"a": "x", "b": "y", "c": "y", "d": "z"})
    assert (round(precision, 3), round(recall, 3)) == (0.75, 0.75)
    assert bcubed(gold, {k: "all" for k in gold})[1] == 1.0
    assert bcubed(gold, {k: "all" for k in gold})[0] < 0.5
