"""Actor search from an index of labels and aliases kept in memory per store version.

Asking the store on every keystroke meant matching a text against every label in the
store (tens of thousands, gazetteer entries no document names among them) and joining
actors typed in every document graph: seconds at a million quads. The index reads the
store once (the actors that documents name or events involve, their labels and aliases,
and their happening and report counts per modality choice, tallied per graph) and answers
a search by scanning a few thousand lowercased names in memory. A write of known graphs
carries it to the new store version by reading those graphs alone (`ActorIndex.advance`).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.network import (
    STATED_MODALITIES,
    Filters,
    Selectable,
    modality_complement,
    modality_pattern,
)
from graph.sparql import in_named_graphs, iris, named_graph_lists, select_listed
from graph.store.vocab import HAPPENINGS_GRAPH

# The actors each graph's documents name or events involve, not every gazetteer entry: the
# gazetteers hold tens of thousands of states' organs and office holders no document has
# mentioned. The happenings graph is left out: its happenings name their reports' actors.
USES = "{ ?d evkg:mentions ?a } UNION { ?x sem:hasActor ?a }"

Key = tuple[str, str]  # (actor, happening), or (actor, ALONE) for its reports alone


def _in(graphs: list[str] | None, pattern: str) -> str:
    """`pattern` matched in each of `graphs` with ?g bound to it, or in every graph but the
    happenings graph for None."""
    if graphs is None:
        return f"GRAPH ?g {{ {pattern} }} FILTER(?g != <{HAPPENINGS_GRAPH}>)"
    return in_named_graphs(graphs, pattern)


def uses_query(graphs: list[str] | None = None) -> str:
    """The actors (?a) each graph (?g) uses, of `graphs` (all but the happenings graph
    for None)."""
    return f"SELECT DISTINCT ?g ?a WHERE {{ {_in(graphs, USES)} }}"


def names_query(actors: Iterable[str]) -> str:
    """The labels (?pref 1) and aliases (?pref 0) of the listed actors: asking for the
    actors in use reads a fifth of the names a scan of every label would."""
    return f"""SELECT DISTINCT ?a ?name ?pref WHERE {{ VALUES ?a {{ {iris(actors)} }}
  {{ ?a skos:prefLabel ?name . BIND(1 AS ?pref) }}
  UNION {{ ?a skos:altLabel ?name . BIND(0 AS ?pref) }}
}}"""


# The happening key (`Key`'s second part) under which a graph's reports that are each their
# own happening (not clustered with another) are counted together: each is one happening.
ALONE = ""
# Where a report clustered with others names its happening (a report alone names itself,
# or nothing while not clustered yet: see `happening_pattern`).
CLUSTERED = f"GRAPH <{HAPPENINGS_GRAPH}> {{ ?e evkg:happening ?k FILTER(?k != ?e) }}"


def counts_query(pattern: str, graphs: list[str] | None = None, clustered: bool = False) -> str:
    """Reports (?n) per graph holding them and actor taking part in them, of the events
    `pattern` keeps (about ?e, in its graph), in `graphs` (all for None): all of them, or
    with `clustered` those in a happening of several, per happening (?k). Most reports are
    alone: counting them per graph and actor (their count less the clustered ones) reads a
    tenth of the rows one per happening would, and joins no happening to most. A happening
    node names its actors too, and is not a report (its type tells)."""
    reports = _in(graphs, f"{pattern} ?e a sem:Event ; sem:hasActor ?a")
    if clustered:  # Oxigraph joins in the order written: from the few links, or graphs
        joined = f"{CLUSTERED} {reports}" if graphs is None else f"{reports} {CLUSTERED}"
        return f"SELECT ?g ?a ?k (COUNT(?e) AS ?n) WHERE {{ {joined} }} GROUP BY ?g ?a ?k"
    return f"SELECT ?g ?a (COUNT(?e) AS ?n) WHERE {{ {reports} }} GROUP BY ?g ?a"


@dataclass(frozen=True)
class Count:
    """An actor's happenings and the reports of them (document events)."""

    happenings: int = 0
    reports: int = 0


def _chunks(graphs: list[str] | None) -> list[list[str] | None]:
    """`graphs` in lists a query names (`named_graph_lists`); every graph ([None]) in one
    query, which a store that pages (Virtuoso under its row cap) answers a page at a time,
    each page the query again: better than a query per few graphs, each of which it
    answered by reading them all."""
    if graphs is None:
        return [None]
    return [*named_graph_lists(graphs)]


def _tallied(
    source: Selectable, filters: Filters, graphs: list[str] | None = None
) -> dict[str, dict[Key, int]]:
    """Reports (of the filters' modality) per graph and (actor, happening), of `graphs`
    (all for None). With asserted among the modalities chosen, all events less those
    stating another (`modality_complement`): two quick queries where one with
    `modality_pattern` took seconds at a million quads; over every graph, only the other
    modalities the store states are looked up, and none when it states none."""
    complement = modality_complement(filters)
    pattern = modality_pattern(filters) if filters.modalities and complement is None else ""
    if complement is not None and graphs is None:
        stated = source.select(STATED_MODALITIES)
        if all(row.get("kind") == "iri" for row in stated):  # else the filter finds the rest
            complement = modality_complement(filters, stated=[str(r["m"]) for r in stated])
    out: dict[str, dict[Key, int]] = defaultdict(lambda: defaultdict(int))
    for chunk in _chunks(graphs):
        _count(source, pattern, chunk, out, 1)
        if complement is not None:
            _count(source, complement, chunk, out, -1)
    return {g: {k: n for k, n in rows.items() if n} for g, rows in out.items()}


def _count(
    source: Selectable,
    pattern: str,
    graphs: list[str] | None,
    out: dict[str, dict[Key, int]],
    sign: int,
) -> None:
    """Add (`sign` 1) or take away (-1) the reports `pattern` keeps in `graphs`, those
    alone under `ALONE`."""
    for row in source.select(counts_query(pattern, graphs)):
        out[row["g"]][row["a"], ALONE] += sign * int(row["n"])
    for row in source.select(counts_query(pattern, graphs, clustered=True)):
        n = sign * int(row["n"])
        out[row["g"]][row["a"], row["k"]] += n
        out[row["g"]][row["a"], ALONE] -= n


@dataclass(frozen=True)
class Tally:
    """Reports of one modality choice per graph and (actor, happening), their sums over
    graphs, and each actor's `Count`: a happening counts when any of its reports is kept.
    Kept per graph so that a write reads again only the graphs it changed (`replaced`)."""

    by_graph: dict[str, dict[Key, int]]
    totals: dict[Key, int]  # only those above 0 (a graph's count is never below)
    counts: dict[str, Count]  # only actors with a happening

    @classmethod
    def of(cls, by_graph: dict[str, dict[Key, int]]) -> Tally:
        totals: dict[Key, int] = defaultdict(int)
        for rows in by_graph.values():
            for key, n in rows.items():
                totals[key] += n
        happenings: dict[str, int] = defaultdict(int)
        reports: dict[str, int] = defaultdict(int)
        for key, n in totals.items():
            if n > 0:
                happenings[key[0]] += _happenings(key, n)
                reports[key[0]] += n
        counts = {a: Count(happenings[a], reports[a]) for a in happenings}
        return cls(by_graph, {k: n for k, n in totals.items() if n > 0}, counts)

    def replaced(self, fresh: dict[str, dict[Key, int]], graphs: set[str]) -> Tally:
        """A new tally (this one is left as it is, for searches reading it) with the rows of
        `graphs` replaced by `fresh`'s: only the (actor, happening) pairs they hold change."""
        by_graph = {g: rows for g, rows in self.by_graph.items() if g not in graphs}
        by_graph.update({g: rows for g, rows in fresh.items() if g in graphs and rows})
        delta: dict[Key, int] = defaultdict(int)
        for graph in graphs:
            for key, n in self.by_graph.get(graph, {}).items():
                delta[key] -= n
            for key, n in fresh.get(graph, {}).items():
                delta[key] += n
        totals, counts = dict(self.totals), dict(self.counts)
        for key, change in delta.items():
            if not change:
                continue
            was = totals.pop(key, 0)
            now = was + change
            if now > 0:
                totals[key] = now
            actor = key[0]
            count = counts.pop(actor, Count())
            count = Count(
                count.happenings + _happenings(key, now) - _happenings(key, was),
                count.reports + max(now, 0) - was,
            )
            if count.happenings > 0:
                counts[actor] = count
        return Tally(by_graph, totals, counts)


def _happenings(key: Key, reports: int) -> int:
    """How many happenings `reports` reports under `key` make: each its own when alone,
    else one if any."""
    if reports <= 0:
        return 0
    return reports if key[1] == ALONE else 1


def event_counts(source: Selectable, filters: Filters) -> dict[str, Count]:
    """Happenings and reports (of the filters' modality) per actor."""
    return Tally.of(_tallied(source, filters)).counts


@dataclass
class Snapshot:
    """The index at one store version: the actors in IRI order, each one's label (its
    smallest skos:prefLabel), every name it goes by (lowercased, for matching), the actors
    each graph uses, and a `Tally` per modality choice asked for."""

    actors: list[str]
    label: dict[str, str]
    names: list[tuple[str, str]]  # (lowercased name, actor), labels and aliases alike
    uses: dict[str, set[str]]
    tallies: dict[str | tuple[str, ...], Tally] = field(default_factory=dict)


class ActorIndex:
    """Labels, aliases and event counts of the actors in use, kept per store version:
    carried across a write of known graphs (`advance`), else read again when the version
    changes; thread-safe, one build at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: Hashable = None
        self._snapshot: Snapshot | None = None
        self.builds = 0  # how many times the store was read (for tests and benchmarks)

    def search(
        self,
        source: Selectable,
        version: Hashable,
        text: str | None,
        limit: int,
        offset: int,
        filters: Filters | None = None,
    ) -> list[dict[str, Any]]:
        """Actors whose label or alias holds `text` (any case; all of them without one),
        most happenings first then by IRI, as rows of `a`, `label` (if any), `events`
        (happenings) and `reports`."""
        filters = filters or Filters()
        snapshot, counts = self._at(source, version, filters)
        if text:
            needle = text.lower()
            found = {actor for name, actor in snapshot.names if needle in name}
            actors = [a for a in snapshot.actors if a in found]
        else:
            actors = snapshot.actors
        none = Count()
        ranked = sorted(actors, key=lambda a: (-counts.get(a, none).happenings, a))
        page = ranked[offset : offset + limit]
        out = []
        for actor in page:
            count = counts.get(actor, none)
            row: dict[str, Any] = {"a": actor, "events": count.happenings, "reports": count.reports}
            if actor in snapshot.label:
                row["label"] = snapshot.label[actor]
            out.append(row)
        return out

    def advance(
        self,
        source: Selectable,
        before: Hashable,
        after: Hashable,
        graphs: Iterable[str],
        stale: frozenset[str] | None = None,
    ) -> bool:
        """Carry the index kept at version `before` to `after`, the store after a write
        that added, replaced or removed `graphs` (documents, and those whose happenings
        changed with them): only they are read again, and the names of the actors in
        `stale` (those the written graphs described before or after it; None: only new
        actors' names are read). False when nothing was kept at `before` (the next search
        reads the store)."""
        graphs = sorted(set(graphs) - {HAPPENINGS_GRAPH})
        # the lock is held while reading: a search asked meanwhile (at the version after
        # the write) waits milliseconds for the carried index instead of reading the store
        with self._lock:
            old = self._snapshot
            if old is None or self._version != before:
                return False
            fresh: dict[str, set[str]] = {g: set() for g in graphs}
            for chunk in _chunks(graphs):
                for row in source.select(uses_query(chunk)):
                    fresh[row["g"]].add(row["a"])
            uses = {g: a for g, a in old.uses.items() if g not in fresh}
            uses.update({g: a for g, a in fresh.items() if a})
            snapshot = _named(source, uses, old, stale or frozenset())
            for key, tally in old.tallies.items():
                changed = _tallied(source, Filters(modality=key), graphs)
                snapshot.tallies[key] = tally.replaced(changed, set(graphs))
            self._snapshot, self._version = snapshot, after
        return True

    def _at(
        self, source: Selectable, version: Hashable, filters: Filters
    ) -> tuple[Snapshot, dict[str, Count]]:
        key = filters.modality
        with self._lock:
            if self._snapshot is None or self._version != version:
                uses: dict[str, set[str]] = defaultdict(set)
                for row in source.select(uses_query()):
                    uses[row["g"]].add(row["a"])
                self._snapshot = _named(source, dict(uses))
                self._version = version
                self.builds += 1
            snapshot = self._snapshot
            if key not in snapshot.tallies:
                snapshot.tallies[key] = Tally.of(_tallied(source, filters))
            return snapshot, snapshot.tallies[key].counts


def _named(
    source: Selectable,
    uses: dict[str, set[str]],
    known: Snapshot | None = None,
    stale: frozenset[str] = frozenset(),
) -> Snapshot:
    """The snapshot of the actors `uses` names, their names read from the store but for
    those `known` holds already and not `stale`."""
    actors = sorted({a for used in uses.values() for a in used if not a.startswith("_:")})
    label: dict[str, str] = {}
    names: set[tuple[str, str]] = set()
    if known is not None:
        keep = set(actors) - stale
        label = {a: n for a, n in known.label.items() if a in keep}
        names = {(n, a) for n, a in known.names if a in keep}
        unread = sorted(set(actors) - (keep & set(known.actors)))
    else:
        unread = actors
    for row in select_listed(source, names_query, unread):
        actor, name = row["a"], row.get("name")
        if not isinstance(name, str):
            continue
        names.add((name.lower(), actor))
        if row.get("pref") == 1 and (actor not in label or name < label[actor]):
            label[actor] = name
    return Snapshot(actors, label, sorted(names), uses)
