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
    Filters,
    Selectable,
    happening_key,
    modality_complement,
    modality_pattern,
)
from graph.sparql import check_iri, pages_itself, values_limit
from graph.store.vocab import HAPPENINGS_GRAPH

# The actors each graph's documents name or events involve, not every gazetteer entry: the
# gazetteers hold tens of thousands of states' organs and office holders no document has
# mentioned. The happenings graph is left out: its happenings name their reports' actors.
USES = "{ ?d evkg:mentions ?a } UNION { ?x sem:hasActor ?a }"

Key = tuple[str, str]  # (actor, happening key)


def _scope(graphs: list[str] | None) -> str:
    """What limits ?g to `graphs` (for None, every graph but the happenings graph)."""
    if graphs is None:
        return f"FILTER(?g != <{HAPPENINGS_GRAPH}>)"
    return f"VALUES ?g {{ {' '.join(f'<{check_iri(g)}>' for g in graphs)} }}"


def uses_query(graphs: list[str] | None = None) -> str:
    """The actors (?a) each graph (?g) uses, of `graphs` (all but the happenings graph
    for None)."""
    return f"SELECT DISTINCT ?g ?a WHERE {{ {_scope(graphs)} GRAPH ?g {{ {USES} }} }}"


def names_query(actors: list[str]) -> str:
    """The labels (?pref 1) and aliases (?pref 0) of the listed actors: asking for the
    actors in use reads a fifth of the names a scan of every label would."""
    listed = " ".join(f"<{check_iri(a)}>" for a in actors)
    return f"""SELECT ?a ?name ?pref WHERE {{ VALUES ?a {{ {listed} }}
  {{ ?a skos:prefLabel ?name . BIND(1 AS ?pref) }}
  UNION {{ ?a skos:altLabel ?name . BIND(0 AS ?pref) }}
}}"""


def counts_query(pattern: str, graphs: list[str] | None = None) -> str:
    """Reports (?n) per graph holding them, actor taking part in them and happening (?k; a
    report not clustered yet is its own), of the events `pattern` keeps (about ?e), in
    `graphs` (all for None). A happening of several reports names its actors too, and is
    not a report (its type tells)."""
    scope = "" if graphs is None else _scope(graphs)
    return f"""SELECT ?g ?a ?k (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {scope}
  GRAPH ?g {{ ?e sem:hasActor ?a ; a sem:Event }} {pattern}
  {happening_key("?k")}
}} GROUP BY ?g ?a ?k"""


@dataclass(frozen=True)
class Count:
    """An actor's happenings and the reports of them (document events)."""

    happenings: int = 0
    reports: int = 0


# A store that pages its answers gives each page by running the whole query again: the
# index reads it this many graphs a query, each answer within a page.
PAGED_GRAPHS = 100
ALL_GRAPHS = (
    f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{HAPPENINGS_GRAPH}>) }}"
)


def _chunks(source: Selectable, graphs: list[str] | None) -> list[list[str] | None]:
    """`graphs` in lists a VALUES may hold at `source`. For every graph ([None]: one
    query), or on a store that pages (Virtuoso under its row cap, where an aggregate's
    rows past the cap cost the aggregate again a page), every graph in lists of
    PAGED_GRAPHS."""
    if graphs is None:
        if not pages_itself(source):
            return [None]
        graphs = sorted(r["g"] for r in source.select(ALL_GRAPHS) if "g" in r)
    step = PAGED_GRAPHS if pages_itself(source) else values_limit(source)
    return [graphs[start : start + step] for start in range(0, len(graphs), step)]


def _tallied(
    source: Selectable, filters: Filters, graphs: list[str] | None = None
) -> dict[str, dict[Key, int]]:
    """Reports (of the filters' modality) per graph and (actor, happening), of `graphs`
    (all for None). With asserted among the modalities chosen, all events less those
    stating another (`modality_complement`): two quick queries where one with
    `modality_pattern` took seconds at a million quads."""
    complement = modality_complement(filters)
    pattern = modality_pattern(filters) if filters.modalities and complement is None else ""
    out: dict[str, dict[Key, int]] = defaultdict(lambda: defaultdict(int))
    for chunk in _chunks(source, graphs):
        for row in source.select(counts_query(pattern, chunk)):
            out[row["g"]][row["a"], row["k"]] += int(row["n"])
        if complement is not None:
            for row in source.select(counts_query(complement, chunk)):
                out[row["g"]][row["a"], row["k"]] -= int(row["n"])
    return out


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
        for (actor, _), n in totals.items():
            if n > 0:
                happenings[actor] += 1
                reports[actor] += n
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
                count.happenings + (now > 0) - (was > 0),
                count.reports + max(now, 0) - was,
            )
            if count.happenings > 0:
                counts[actor] = count
        return Tally(by_graph, totals, counts)


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
        self, source: Selectable, before: Hashable, after: Hashable, graphs: Iterable[str]
    ) -> bool:
        """Carry the index kept at version `before` to `after`, the store after a write
        that added, replaced or removed `graphs` (documents, and those whose happenings
        changed with them): only they are read again. False when nothing was kept at
        `before` (the next search reads the store)."""
        graphs = sorted(set(graphs) - {HAPPENINGS_GRAPH})
        with self._lock:
            old = self._snapshot
            if old is None or self._version != before:
                return False
            fresh: dict[str, set[str]] = {g: set() for g in graphs}
            for chunk in _chunks(source, graphs):
                for row in source.select(uses_query(chunk)):
                    fresh[row["g"]].add(row["a"])
            uses = {g: a for g, a in old.uses.items() if g not in fresh}
            uses.update({g: a for g, a in fresh.items() if a})
            snapshot = _named(source, uses, old)
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
                for chunk in _chunks(source, None):
                    for row in source.select(uses_query(chunk)):
                        uses[row["g"]].add(row["a"])
                self._snapshot = _named(source, dict(uses))
                self._version = version
                self.builds += 1
            snapshot = self._snapshot
            if key not in snapshot.tallies:
                snapshot.tallies[key] = Tally.of(_tallied(source, filters))
            return snapshot, snapshot.tallies[key].counts


def _named(
    source: Selectable, uses: dict[str, set[str]], known: Snapshot | None = None
) -> Snapshot:
    """The snapshot of the actors `uses` names, their names read from the store but for
    those `known` holds already."""
    actors = sorted({a for used in uses.values() for a in used if not a.startswith("_:")})
    label: dict[str, str] = {}
    names: set[tuple[str, str]] = set()
    if known is not None:
        keep = set(actors)
        label = {a: n for a, n in known.label.items() if a in keep}
        names = {(n, a) for n, a in known.names if a in keep}
        unread = sorted(keep - set(known.actors))
    else:
        unread = actors
    step = values_limit(source)
    for row in (
        r
        for start in range(0, len(unread), step)
        for r in source.select(names_query(unread[start : start + step]))
    ):
        actor, name = row["a"], row.get("name")
        if not isinstance(name, str):
            continue
        names.add((name.lower(), actor))
        if row.get("pref") == 1 and (actor not in label or name < label[actor]):
            label[actor] = name
    return Snapshot(actors, label, sorted(names), uses)
