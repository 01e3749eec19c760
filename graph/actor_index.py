"""Actor search from an index of labels and aliases kept in memory per store version.

Asking the store on every keystroke meant matching a text against every label in the
store (tens of thousands, gazetteer entries no document names among them) and joining
actors typed in every document graph: seconds at a million quads. The index reads the
store once per version (the actors that documents name or events involve, their labels
and aliases, and their happening and report counts per modality choice) and answers a search by
scanning a few thousand lowercased names in memory.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from graph.network import (
    Filters,
    Selectable,
    happening_key,
    modality_complement,
    modality_pattern,
)
from graph.sparql import check_iri, values_limit

# The actors documents name or events involve, not every gazetteer entry: the gazetteers
# hold tens of thousands of states' organs and office holders no document has mentioned.
ACTORS_QUERY = "SELECT DISTINCT ?a WHERE { { ?d evkg:mentions ?a } UNION { ?x sem:hasActor ?a } }"


def names_query(actors: list[str]) -> str:
    """The labels (?pref 1) and aliases (?pref 0) of the listed actors: asking for the
    actors in use reads a fifth of the names a scan of every label would."""
    listed = " ".join(f"<{check_iri(a)}>" for a in actors)
    return f"""SELECT ?a ?name ?pref WHERE {{ VALUES ?a {{ {listed} }}
  {{ ?a skos:prefLabel ?name . BIND(1 AS ?pref) }}
  UNION {{ ?a skos:altLabel ?name . BIND(0 AS ?pref) }}
}}"""


def counts_query(pattern: str) -> str:
    """Reports (?n) per actor taking part in them and happening (?k; a report not clustered
    yet is its own), of the events `pattern` keeps (about ?e). A happening of several
    reports names its actors too, and is not a report (its type tells)."""
    return f"""SELECT ?a ?k (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  ?e sem:hasActor ?a ; a sem:Event . {pattern}
  {happening_key("?k")}
}} GROUP BY ?a ?k"""


@dataclass(frozen=True)
class Count:
    """An actor's happenings and the reports of them (document events)."""

    happenings: int = 0
    reports: int = 0


def event_counts(source: Selectable, filters: Filters) -> dict[str, Count]:
    """Happenings and reports (of the filters' modality) per actor. With asserted among the
    modalities chosen, all events less those stating another (`modality_complement`),
    happening by happening: two quick queries where one with `modality_pattern` took
    seconds at a million quads. A happening counts when any of its reports is kept."""
    complement = modality_complement(filters)
    pattern = modality_pattern(filters) if filters.modalities and complement is None else ""
    per_happening = {(r["a"], r["k"]): int(r["n"]) for r in source.select(counts_query(pattern))}
    if complement is not None:
        for row in source.select(counts_query(complement)):
            per_happening[row["a"], row["k"]] -= int(row["n"])
    happenings: dict[str, int] = defaultdict(int)
    reports: dict[str, int] = defaultdict(int)
    for (actor, _), n in per_happening.items():
        if n > 0:
            happenings[actor] += 1
            reports[actor] += n
    return {a: Count(happenings[a], reports[a]) for a in happenings}


@dataclass
class Snapshot:
    """The index at one store version: the actors in IRI order, each one's label (its
    smallest skos:prefLabel) and every name it goes by, lowercased for matching."""

    actors: list[str]
    label: dict[str, str]
    names: list[tuple[str, str]]  # (lowercased name, actor), labels and aliases alike
    counts: dict[Hashable, dict[str, Count]] = field(default_factory=dict)


class ActorIndex:
    """Labels, aliases and event counts of the actors in use, rebuilt when the version
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

    def _at(
        self, source: Selectable, version: Hashable, filters: Filters
    ) -> tuple[Snapshot, dict[str, Count]]:
        key = filters.modality
        with self._lock:
            if self._snapshot is None or self._version != version:
                self._snapshot = _read(source)
                self._version = version
                self.builds += 1
            snapshot = self._snapshot
            if key not in snapshot.counts:
                snapshot.counts[key] = event_counts(source, filters)
            return snapshot, snapshot.counts[key]


def _read(source: Selectable) -> Snapshot:
    found = {r["a"] for r in source.select(ACTORS_QUERY) if "a" in r}
    actors = sorted(a for a in found if not a.startswith("_:"))  # labels are of IRIs
    step = values_limit(source)
    label: dict[str, str] = {}
    names: set[tuple[str, str]] = set()
    for row in (
        r
        for start in range(0, len(actors), step)
        for r in source.select(names_query(actors[start : start + step]))
    ):
        actor, name = row["a"], row.get("name")
        if not isinstance(name, str):
            continue
        names.add((name.lower(), actor))
        if row.get("pref") == 1 and (actor not in label or name < label[actor]):
            label[actor] = name
    return Snapshot(actors, label, sorted(names))
