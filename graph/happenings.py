"""Happenings: the real-world events that several document events (reports) describe.

Two reports are the same happening when a pairwise decision says so (`compare`), and a
happening is a connected component of those decisions. Components are a function of the
set of reports alone, so the same documents give the same happenings in any order, and
they can be kept incrementally: a new report merges the happenings it matches; a removed
one leaves its happening's other reports to be clustered again among themselves (which
may split it). Only reports that share a blocking key (`block_key`: CAMEO root, the
states of source and target, the year) are ever compared.

Storing happenings is `graph.happening_store`'s; this module reads and writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ontology.namespaces import HAPPENING

# how strongly a reading says the event happened, strongest first: a happening takes the
# strongest of its reports' (so one reported only as alleged is `claimed`)
MODALITY_ORDER = ("asserted", "claimed", "intended", "hypothetical", "denied", "negated")


@lru_cache(maxsize=1)
def root_families() -> dict[str, str]:
    """CAMEO root -> the first root of its family of compatible roots."""
    text = resources.files("graph").joinpath("happenings.yaml").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for family in yaml.safe_load(text)["compatible_roots"]:
        for root in family:
            out[str(root)] = str(min(family))
    return out


@dataclass(frozen=True)
class Report:
    """One document event, with what matching reads of it."""

    iri: str
    document: str
    code: str  # CAMEO code, e.g. "195"
    source: str | None = None
    target: str | None = None
    date: str | None = None  # ISO at the text's precision
    place: str | None = None
    modality: str = "asserted"
    label: str | None = None
    mentions: tuple[str, ...] = ()

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def family(self) -> str:
        """Its root's family of compatible roots (`happenings.yaml`), named by its first."""
        return root_families().get(self.root, self.root)


@dataclass
class Gazetteer:
    """What matching knows of actors: the actors each is part of (transitively), its state's
    country code, its sector, and which actors are states."""

    part_of: dict[str, set[str]] = field(default_factory=dict)
    code: dict[str, str] = field(default_factory=dict)
    sector: dict[str, str] = field(default_factory=dict)
    states: set[str] = field(default_factory=set)
    _keys: dict[str | None, str] = field(default_factory=dict, repr=False, compare=False)

    def learn(self, actor: str, kind: str, value: str) -> None:
        """Add a fact: "p" part of `value`, "c" country code, "s" sector, "k" a state."""
        if kind == "p":
            known = value in self.part_of.get(actor, ())
            self.part_of.setdefault(actor, set()).add(value)
        elif kind in ("c", "s"):
            facts = self.code if kind == "c" else self.sector
            known = actor in facts
            facts.setdefault(actor, value)
        else:
            known = actor in self.states
            self.states.add(actor)
        if not known:
            self._keys.clear()  # a key may depend on what was just learnt

    def ancestors(self, actor: str) -> set[str]:
        seen: set[str] = set()
        todo = list(self.part_of.get(actor, ()))
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(self.part_of.get(node, ()))
        return seen

    def key(self, actor: str | None) -> str:
        """The actor's blocking key: its state's code, else its topmost whole, else itself."""
        found = self._keys.get(actor)
        if found is None:
            if actor is None:
                found = "-"
            elif actor in self.code:
                found = self.code[actor]
            else:
                tops = sorted(a for a in self.ancestors(actor) if not self.part_of.get(a))
                found = tops[0] if tops else actor
            self._keys[actor] = found
        return found

    def relation(self, a: str | None, b: str | None) -> str | None:
        """How two actors of two reports agree ("same", "part of"...), None if they do not."""
        if a == b:
            return "same" if a else "both unnamed"
        if a is None or b is None:
            return None
        if a in self.ancestors(b) or b in self.ancestors(a):
            return "part of"
        code = self.code.get(a)
        if code is None or code != self.code.get(b):
            return None
        if a in self.states or b in self.states:
            return "state of"
        if self.sector.get(a) and self.sector.get(a) == self.sector.get(b):
            return "same state and sector"
        return None

    def depth(self, actor: str) -> int:
        """How specific an actor is: a state 0, its parts deeper."""
        return 0 if actor in self.states else 1 + len(self.ancestors(actor))


@dataclass(frozen=True)
class Decision:
    """Whether two reports are one happening, and which features said so."""

    same: bool
    features: tuple[str, ...]

    def explain(self) -> str:
        return "; ".join(self.features)


def block_key(report: Report, gazetteer: Gazetteer) -> tuple[str, str, str, str]:
    """Reports are compared only within a key: CAMEO root family, the source's and
    target's state (or whole), the year. Every pair `compare` can accept shares a key."""
    year = report.date[:4] if report.date else "-"
    return (report.family, gazetteer.key(report.source), gazetteer.key(report.target), year)


def _general(code: str) -> str:
    """A code without its "not specified" zero: "190" is root 19 itself, "1720" is 172."""
    while len(code) > 2 and code.endswith("0"):
        code = code[:-1]
    return code


def _codes(a: str, b: str) -> str | None:
    x, y = _general(a), _general(b)
    if x == y:
        return f"code {a}={b}"
    if x.startswith(y) or y.startswith(x):
        return f"code {a}~{b} (one refines the other)"
    families = root_families()
    if x[:2] in families and families[x[:2]] == families.get(y[:2]):
        return f"code {a}~{b} (roots of one family)"
    return None


def _dates(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return "no date" if a == b else None
    if len(a) == len(b) == 10:
        gap = abs((Date.fromisoformat(a) - Date.fromisoformat(b)).days)
        if gap > 1:
            return None
        return f"date {a}={b}" if gap == 0 else f"date {a}~{b} (a day apart)"
    short, long = sorted((a, b), key=len)
    return f"date {a}~{b} (one refines the other)" if long.startswith(short) else None


def _two_days_of_one_text(a: Report, b: Report) -> bool:
    """One document dating two events to two days: a day's tolerance is for sources that
    disagree, not for one text that tells two events apart."""
    days = a.date is not None and b.date is not None and len(a.date) == len(b.date) == 10
    return days and a.document == b.document and a.date != b.date


def compare(a: Report, b: Report, gazetteer: Gazetteer) -> Decision:
    """One happening when the codes agree (equal or one refining the other), both actors
    agree (`Gazetteer.relation`), the dates agree at the coarser one's precision (a day
    apart allowed between two days of two documents; one document giving two dates tells
    two events apart), and the places agree when both have one. Modality is
    not compared: a denial of an event is a report of it."""
    features: list[str] = []
    checks = (
        ("code", _codes(a.code, b.code)),
        ("source", gazetteer.relation(a.source, b.source)),
        ("target", gazetteer.relation(a.target, b.target)),
        ("date", None if _two_days_of_one_text(a, b) else _dates(a.date, b.date)),
    )
    for name, agreed in checks:
        if agreed is None:
            return Decision(False, (*features, f"{name} differs"))
        features.append(agreed if name in ("code", "date") else f"{name} {agreed}")
    if a.place and b.place and a.place != b.place:
        return Decision(False, (*features, "place differs"))
    features.append("place same" if a.place and a.place == b.place else "place unknown")
    return Decision(True, tuple(features))


class Candidates:
    """Reports by blocking key and date, to find those a report may match without
    comparing it with its whole block: a day's report looks at the day before, the day and
    the day after, its month's and its year's undated-to-the-day reports; a month's at the
    whole month and its year's; a year's (or an undated one) at its whole block."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.by_key: dict[tuple[Any, ...], dict[str, dict[str, Report]]] = {}
        self.keys: dict[str, tuple[Any, ...]] = {}

    def _slots(self, report: Report) -> list[str]:
        """ "*" the whole block; "Y" its year-precision reports; a month the month's reports
        of any precision and "M" + month its month-precision ones; a day its own."""
        when = report.date
        if not when:
            return ["*"]
        if len(when) == 4:
            return ["*", "Y"]
        if len(when) == 7:
            return ["*", when, "M" + when]
        return ["*", when[:7], when]

    def add(self, report: Report) -> None:
        key = self.keys[report.iri] = block_key(report, self.gazetteer)
        slots = self.by_key.setdefault(key, {})
        for slot in self._slots(report):
            slots.setdefault(slot, {})[report.iri] = report

    def discard(self, report: Report) -> None:
        """Take a report out, under the key it was added with (the gazetteer may have
        learnt of its actors since)."""
        slots = self.by_key.get(self.keys.pop(report.iri, ("",)), {})
        for slot in self._slots(report):
            slots.get(slot, {}).pop(report.iri, None)

    def of(self, report: Report) -> list[Report]:
        key = self.keys.get(report.iri) or block_key(report, self.gazetteer)
        slots = self.by_key.get(key)
        if not slots:
            return []
        when = report.date
        if not when or len(when) == 4:
            return list(slots.get("*", {}).values())
        # each report sits in one of these slots (a day, a month, a year): no repeats
        found = list(slots.get("Y", {}).values())
        if len(when) == 7:
            found.extend(slots.get(when, {}).values())
        else:
            for near in _days_around(when):
                found.extend(slots.get(near, {}).values())
            found.extend(slots.get("M" + when[:7], {}).values())
        return found


@lru_cache(maxsize=4096)
def _days_around(day: str) -> tuple[str, str, str]:
    """The day before, the day and the day after, ISO."""
    ordinal = Date.fromisoformat(day).toordinal()
    before, same, after = (Date.fromordinal(n).isoformat() for n in range(ordinal - 1, ordinal + 2))
    return before, same, after


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def components(
    reports: Iterable[Report], gazetteer: Gazetteer, index: Candidates | None = None
) -> list[list[Report]]:
    """The happenings of `reports`, each a list sorted by IRI, sorted by first IRI. With
    `index` (which holds `reports` and the reports already clustered), those it holds are
    compared too, and join the components of the reports they match: merging their own
    happenings is the caller's part."""
    chosen = sorted(set(reports), key=lambda r: r.iri)
    if index is None:
        index = Candidates(gazetteer)
        for report in chosen:
            index.add(report)
    union = _Union()
    by_iri = {r.iri: r for r in chosen}
    for a in chosen:
        union.find(a.iri)
        for b in index.of(a):
            if b.iri != a.iri and compare(a, b, gazetteer).same:
                by_iri.setdefault(b.iri, b)
                union.join(a.iri, b.iri)
    groups: dict[str, list[Report]] = {}
    for iri, report in by_iri.items():
        groups.setdefault(union.find(iri), []).append(report)
    return sorted((sorted(g, key=lambda r: r.iri) for g in groups.values()), key=lambda g: g[0].iri)


def happening_iri(members: list[Report]) -> str:
    """Named after its first report (by IRI): the same reports, the same happening. A
    report alone is its own happening."""
    if len(members) == 1:
        return members[0].iri
    first = min(r.iri for r in members)
    return f"{HAPPENING}{hashlib.sha256(first.encode()).hexdigest()[:16]}"


def explanations(members: list[Report], gazetteer: Gazetteer) -> dict[str, str]:
    """Why each report is in its happening: the features it agreed on with the first
    report (by IRI) it matches directly; the happening's first report is its anchor."""
    ordered = sorted(members, key=lambda r: r.iri)
    out = {ordered[0].iri: "first report"}
    for i, report in enumerate(ordered[1:], start=1):
        for earlier in [*ordered[:i], *ordered[i + 1 :]]:
            decision = compare(report, earlier, gazetteer)
            if decision.same:
                out[report.iri] = f"matches {earlier.iri}: {decision.explain()}"
                break
    return out


def most_specific(
    values: list[str], refines: Callable[[str, str], bool], depth: Callable[[str], int] = len
) -> tuple[str | None, bool]:
    """The value every other refines into (the most specific all agree on), and True; or,
    when they disagree, the most reported (then first) value and False."""
    distinct = sorted(set(values))
    if not distinct:
        return None, True
    for value in sorted(distinct, key=lambda v: (-depth(v), v)):
        if all(refines(other, value) for other in distinct):
            return value, True
    return min(distinct, key=lambda v: (-values.count(v), v)), False


@dataclass(frozen=True)
class Derived:
    """A happening's own description, from its reports."""

    iri: str
    code: str
    source: str | None
    target: str | None
    date: str | None
    place: str | None
    modality: str
    disagreements: dict[str, tuple[str, ...]]  # feature -> every value reported, when they differ


def derive(members: list[Report], gazetteer: Gazetteer) -> Derived:
    """Code, actors, date and place most specific among those the reports agree on; where
    they disagree the most reported is taken and all are kept (`disagreements`)."""

    def code_refines(general: str, specific: str) -> bool:
        return _general(specific).startswith(_general(general))

    def date_refines(general: str, specific: str) -> bool:
        return specific.startswith(general)

    def actor_refines(general: str, specific: str) -> bool:
        return (
            general == specific
            or general in gazetteer.ancestors(specific)
            or (
                general in gazetteer.states
                and gazetteer.code.get(general) == gazetteer.code.get(specific)
            )
        )

    disagreements: dict[str, tuple[str, ...]] = {}
    found: dict[str, str | None] = {}
    rules: dict[str, tuple[Callable[[str, str], bool], Callable[[str], int]]] = {
        "code": (code_refines, lambda c: len(_general(c))),
        "source": (actor_refines, gazetteer.depth),
        "target": (actor_refines, gazetteer.depth),
        "date": (date_refines, len),
        "place": (str.__eq__, len),
    }
    for name, (refines, depth) in rules.items():
        values = [v for r in members if (v := getattr(r, name)) is not None]
        value, agreed = most_specific(values, refines, depth)
        found[name] = value
        if not agreed:
            disagreements[name] = tuple(sorted(set(values)))
    modalities = {r.modality for r in members}
    modality = min(
        modalities,
        key=lambda m: MODALITY_ORDER.index(m) if m in MODALITY_ORDER else len(MODALITY_ORDER),
    )
    if len(modalities) > 1:
        disagreements["modality"] = tuple(sorted(modalities))
    return Derived(
        happening_iri(members),
        found["code"] or members[0].code,
        found["source"],
        found["target"],
        found["date"],
        found["place"],
        modality,
        disagreements,
    )
