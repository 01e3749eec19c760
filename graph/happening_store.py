"""Happenings kept in the store, in a named graph of their own (`HAPPENINGS_GRAPH`).

Each happening of several reports is an `evkg:Happening` (a `sem:Event`) with the code,
actors, date, place and modality derived from its reports (`graph.happenings.derive`),
`evkg:report` each document event, `evkg:reportedIn` each document, `gaf:denotedBy` every
report's mention, `evkg:reports` how many; each report has `evkg:happening` and
`evkg:matchedOn` (why it joined). A report that matches no other is its own happening,
linked to itself (`?e evkg:happening ?e`), its description its own.

Every read of the store joins reports to their happening with OPTIONAL, so a
report not yet clustered counts as its own happening and a link to a removed report is
never read: a write killed between a document's graph and its happenings leaves what the
API answers consistent, and the next `refresh` repairs the graph.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from graph.happenings import (
    Candidates,
    Gazetteer,
    Report,
    components,
    derive,
    explanations,
    happening_iri,
)
from graph.network import MODALITIES, Selectable, modality_name
from graph.network import happening_pattern as happening_pattern
from graph.sparql import (
    batches,
    check_iri,
    iris,
    named_graph_lists,
    ntriples_literal,
    pages_itself,
)
from graph.store.vocab import HAPPENINGS_GRAPH
from ontology.namespaces import CAMEO, EVKG, GAF, RDFS, SEM, XSD

RDFS_LABEL = f"{RDFS}label"
DELETE_CHUNK = 2000  # happenings per DELETE operation (a VALUES block)


class Updatable(Selectable, Protocol):
    def update(self, sparql: str) -> None: ...


def _reports_query(documents: Iterable[str] | None, linked: bool = False) -> str:
    """Every document's events, each read inside its own graph (named by the document's
    IRI); or those of `documents`, found from each document (`prov:wasDerivedFrom`, which
    only a document's own graph says of its events): Virtuoso answered that in half the
    time of the graphs named one by one, Oxigraph in the same, and a VALUES list of graphs
    (`GRAPH ?doc`) took Oxigraph twenty times longer. `linked` reads each one's happening
    (?h) too."""
    body = """?e a sem:Event ; sem:eventType ?type ; prov:wasDerivedFrom ?doc .
    OPTIONAL { ?e evkg:source ?s } OPTIONAL { ?e evkg:target ?t }
    OPTIONAL { ?e sem:hasTimeStamp ?date } OPTIONAL { ?e sem:hasPlace ?place }
    OPTIONAL { ?e evkg:modality ?modality } OPTIONAL { ?e rdfs:label ?label }
    OPTIONAL { ?e gaf:denotedBy ?m }"""
    if documents is None:
        where = f"GRAPH ?doc {{ {body} }}"
    else:
        where = f"VALUES ?doc {{ {iris(documents)} }} ?e prov:wasDerivedFrom ?doc . {body}"
    if linked:
        where += f" {happening_pattern()}"
    return f"SELECT ?e ?doc ?type ?s ?t ?date ?place ?modality ?label ?m ?h WHERE {{ {where} }}"


# Reports linked to a happening whose document is gone (a removal not followed by a refresh)
UNREPORTED = f"""SELECT ?r ?h WHERE {{ GRAPH <{HAPPENINGS_GRAPH}> {{ ?r evkg:happening ?h }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?r a sem:Event }} }} }}"""
DOCUMENTS = "SELECT DISTINCT ?doc WHERE { GRAPH ?doc { ?doc a evkg:Document } }"


def read_reports(source: Selectable, documents: Iterable[str] | None = None) -> list[Report]:
    """The document events of `documents` (all when None) as matching reads them."""
    if documents is not None:
        documents = sorted(set(documents))
    reports, _ = _read(source, documents)
    return reports


def _read(
    source: Selectable, documents: list[str] | None, linked: bool = False
) -> tuple[list[Report], set[tuple[str, str]]]:
    """The reports of `documents` (every one's in one query for None, else a query's worth
    of documents at a time: `named_graph_lists`) in IRI order and, `linked`, their links to
    happenings."""
    if documents is None:
        return _reports(source.select(_reports_query(None, linked)))
    reports: list[Report] = []
    links: set[tuple[str, str]] = set()
    for chunk in named_graph_lists(documents):
        some, found = _reports(source.select(_reports_query(chunk, linked)))
        reports += some
        links |= found
    return sorted(reports, key=lambda r: r.iri), links


def _reports(rows: Iterable[dict[str, Any]]) -> tuple[list[Report], set[tuple[str, str]]]:
    """The reports of `_reports_query` rows, and (report, happening) for those linked."""
    first: dict[str, dict[str, Any]] = {}
    mentions: dict[str, set[str]] = {}
    links: set[tuple[str, str]] = set()
    for row in rows:
        first.setdefault(row["e"], row)
        if row.get("m"):
            mentions.setdefault(row["e"], set()).add(str(row["m"]))
        if row.get("h"):
            links.add((str(row["e"]), str(row["h"])))
    reports = [_report(iri, row, mentions.get(iri, ())) for iri, row in sorted(first.items())]
    return reports, links


def _everything(source: Selectable) -> tuple[list[Report], set[tuple[str, str]]]:
    """Every report and every (report, happening) link, a report's gone or not. A store that
    pages (Virtuoso under its row cap) reads them a few documents a query (`_read`), with
    their links, and the links of reports gone in one more: one query over every report
    ran again for each page of its answer (half a million rows at ten million quads)."""
    if not pages_itself(source):
        rows = source.select(
            f"SELECT ?r ?h WHERE {{ GRAPH <{HAPPENINGS_GRAPH}> {{ ?r evkg:happening ?h }} }}"
        )
        return read_reports(source), {(str(row["r"]), str(row["h"])) for row in rows}
    documents = sorted(str(row["doc"]) for row in source.select(DOCUMENTS))
    reports, links = _read(source, documents, linked=True)
    links |= {(str(row["r"]), str(row["h"])) for row in source.select(UNREPORTED)}
    return reports, links


@dataclass(frozen=True)
class InHand:
    """A document's reports and the facts it gives of its actors ((actor, kind, value) as
    `Gazetteer.learn` takes them), as the ingestion writer gets them from the extraction:
    what `read_reports` and `read_gazetteer` would read of the stored graph, without
    reading it back (which cost the writer more than all the matching)."""

    reports: tuple[Report, ...]
    facts: tuple[tuple[str, str, str], ...] = ()


def _report(iri: str, row: dict[str, Any], mentions: Iterable[str]) -> Report:
    return Report(iri=iri, **report_fields(row), mentions=tuple(sorted(mentions)))


def optional_text(value: object) -> str | None:
    """A row's value as text; None where the variable is unbound."""
    return None if value is None else str(value)


def report_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """What a row about a report (?doc ?type ?s ?t ?date ?place ?modality ?label) says of
    it, by the names `Report` (and the API's view of a report) give those fields."""
    return {
        "document": str(row["doc"]),
        "code": str(row["type"]).removeprefix(CAMEO),
        "source": optional_text(row.get("s")),
        "target": optional_text(row.get("t")),
        "date": optional_text(row.get("date")),
        "place": optional_text(row.get("place")),
        "modality": modality_name(row.get("modality")),
        "label": optional_text(row.get("label")),
    }


def read_gazetteer(
    source: Selectable, documents: Iterable[str] | None = None, into: Gazetteer | None = None
) -> Gazetteer:
    """Actors' wholes, states' codes, sectors and which are states, from the store: of
    every actor, or (`documents`) of the actors those documents' events name, which the
    text alone may have introduced; added to `into` when given."""
    gazetteer = into if into is not None else Gazetteer()
    scope = ""
    if documents is not None:
        listed = iris(documents)
        if not listed:
            return gazetteer
        scope = f"{{ SELECT DISTINCT ?a WHERE {{ VALUES ?doc {{ {listed} }} "
        scope += "?e prov:wasDerivedFrom ?doc ; sem:hasActor ?a } }"
    rows = source.select(
        f"""SELECT DISTINCT ?a ?k ?o WHERE {{ {scope}
  {{ ?a evkg:partOf ?o BIND("p" AS ?k) }} UNION {{ ?a evkg:countryCode ?o BIND("c" AS ?k) }}
  UNION {{ ?a evkg:sector ?o BIND("s" AS ?k) }}
  UNION {{ ?a evkg:actorKind evkg:State BIND("k" AS ?k) BIND("" AS ?o) }} }}"""
    )
    for row in sorted(rows, key=lambda r: (str(r["a"]), r["k"], str(r.get("o") or ""))):
        gazetteer.learn(str(row["a"]), row["k"], str(row.get("o") or ""))
    return gazetteer


@dataclass
class Change:
    """What one refresh did."""

    removed: int = 0  # happenings taken out (merged, split, changed or left without reports)
    written: int = 0  # happenings written
    documents: frozenset[str] = frozenset()  # the documents whose reports were clustered


class HappeningIndex:
    """Every report and its happening, in memory, kept in step with the store by
    `refresh`: the single writer holds one across an ingestion's batches."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.reports: dict[str, Report] = {}
        self.happening_of: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.candidates = Candidates(gazetteer)
        self.by_document: dict[str, set[str]] = {}
        self.stale: set[str] = set()  # happenings the store holds that must be rewritten
        self.pending: set[str] = set()  # reports not in a happening yet

    @classmethod
    def load(cls, source: Selectable) -> HappeningIndex:
        index = cls(read_gazetteer(source))
        reports, links = _everything(source)
        for report in reports:
            index._add(report)
        for iri, happening in sorted(links):
            index.members.setdefault(happening, set()).add(iri)
            if iri in index.reports:
                index.happening_of[iri] = happening
                index.pending.discard(iri)
            else:  # a report whose document is gone (a removal not followed by a refresh)
                index.stale.add(happening)
        return index

    def _add(self, report: Report) -> None:
        self.reports[report.iri] = report
        self.pending.add(report.iri)
        self.candidates.add(report)
        self.by_document.setdefault(report.document, set()).add(report.iri)

    def _drop(self, iri: str) -> None:
        report = self.reports.pop(iri)
        self.pending.discard(iri)
        self.candidates.discard(report)
        self.by_document.get(report.document, set()).discard(iri)

    def refresh(
        self,
        store: Updatable,
        documents: Iterable[str] = (),
        in_hand: Mapping[str, InHand] | None = None,
    ) -> Change:
        """Bring the happenings in line with the store after `documents` were added,
        replaced or removed (and repair any report left unclustered or link left dangling,
        e.g. by a killed run): their old reports leave their happenings, which are
        clustered again; their new reports are matched against every stored report.
        `in_hand` (document -> its reports and facts, for the documents just written)
        saves reading them back."""
        with _no_collection():
            return self._refresh(store, set(documents), in_hand)

    def _refresh(
        self, store: Updatable, documents: set[str], in_hand: Mapping[str, InHand] | None
    ) -> Change:
        touched: set[str] = set(self.stale)
        for document in documents:
            for iri in list(self.by_document.get(document, ())):
                if iri in self.happening_of:
                    touched.add(self.happening_of.pop(iri))
                self._drop(iri)
            self.by_document.pop(document, None)
        if in_hand is None:
            read_gazetteer(store, documents, into=self.gazetteer)  # actors texts introduced
            fresh = read_reports(store, documents)
        else:
            fresh = []
            for document in sorted(documents & set(in_hand)):
                for fact in in_hand[document].facts:
                    self.gazetteer.learn(*fact)
                fresh.extend(in_hand[document].reports)
        for report in fresh:
            self._add(report)
        loose = {i for h in touched for i in self.members.get(h, ()) if i in self.reports}
        loose |= self.pending
        for iri in loose:
            self.happening_of.pop(iri, None)
        groups = components((self.reports[i] for i in loose), self.gazetteer, self.candidates)
        alone: list[list[Report]] = []  # of loose reports only (most groups: one new report)
        merged: list[list[Report]] = []  # taking in stored happenings, which two may share
        for group in groups:
            stored = [r.iri for r in group if r.iri not in loose]
            if not stored:
                alone.append(group)
                continue
            reports = {r.iri: r for r in group}
            for iri in stored:
                old = self.happening_of[iri]
                touched.add(old)
                for member in self.members.get(old, ()):
                    if member in self.reports:
                        reports[member] = self.reports[member]
            merged.append(sorted(reports.values(), key=lambda r: r.iri))
        # only a group that shares a report with another needs joining to it: a group of
        # loose reports alone shares none unless the store linked a report twice
        taken = {r.iri for group in merged for r in group}
        shared = [group for group in alone if any(r.iri in taken for r in group)]
        apart = [group for group in alone if not any(r.iri in taken for r in group)]
        merged = apart + _disjoint(merged + shared)
        written = [(happening_iri(group), group) for group in merged]
        for happening in touched:
            self.members.pop(happening, None)
        for iri, group in written:
            self.members[iri] = {r.iri for r in group}
            for report in group:
                self.happening_of[report.iri] = iri
        self.pending.clear()
        _write(store, sorted(touched), written, self.gazetteer)
        self.stale = set()
        moved = frozenset(r.document for _iri, group in written for r in group if r.document)
        return Change(len(touched), len(written), moved)


@contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused: a refresh makes a few containers for each
    report it clusters, which live to its end, so collections during it find nothing to free
    but move them into the oldest generation, whose growth sets off full collections, each
    walking every object the writer holds (the index of every report among them): half the
    time of matching went to those. What a refresh leaves behind refcounting frees."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _disjoint(groups: list[list[Report]]) -> list[list[Report]]:
    """Groups that share a report (two loose components merged into one old happening)
    made one."""
    owner: dict[str, int] = {}
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, group in enumerate(groups):
        for report in group:
            if report.iri in owner:
                a, b = find(owner[report.iri]), find(i)
                parent[max(a, b)] = min(a, b)
            else:
                owner[report.iri] = i
    out: dict[int, dict[str, Report]] = {}
    for i, group in enumerate(groups):
        out.setdefault(find(i), {}).update({r.iri: r for r in group})
    return [sorted(g.values(), key=lambda r: r.iri) for g in out.values()]


def _iri(value: str) -> str:
    return f"<{check_iri(value)}>"


def _date(value: str) -> str:
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(value), "date")
    return f"{ntriples_literal(value)}^^<{XSD}{kind}>"


def happening_triples(group: list[Report], gazetteer: Gazetteer) -> list[str]:
    """The happening's triples, as N-Triples lines without the final dot. A report that
    matches no other is its own happening, linked to itself and nothing more (its
    description is its own; most reports are alone, and every triple written for each cost
    the writer more than matching them)."""
    if len(group) == 1:
        r = _iri(group[0].iri)
        return [f"{r} <{EVKG}happening> {r}"]
    derived = derive(group, gazetteer)
    h = _iri(derived.iri)
    out = [f"{h} a <{EVKG}Happening>", f"{h} <{SEM}eventType> <{CAMEO}{derived.code}>"]
    out.append(f"{h} <{EVKG}modality> <{MODALITIES[derived.modality]}>")
    out.append(f'{h} <{EVKG}reports> "{len(group)}"^^<{XSD}integer>')
    for role, actor in (("source", derived.source), ("target", derived.target)):
        if actor:
            out += [f"{h} <{EVKG}{role}> {_iri(actor)}", f"{h} <{SEM}hasActor> {_iri(actor)}"]
    if derived.date:
        out.append(f"{h} <{SEM}hasTimeStamp> {_date(derived.date)}")
    if derived.place:
        out.append(f"{h} <{SEM}hasPlace> {_iri(derived.place)}")
    label = next(
        (
            r.label
            for r in group
            if r.label
            and (r.code, r.source, r.target) == (derived.code, derived.source, derived.target)
        ),
        None,
    )
    label = label or next((r.label for r in group if r.label), None)
    if label:
        out.append(f"{h} <{RDFS_LABEL}> {ntriples_literal(label)}")
    for feature, values in sorted(derived.disagreements.items()):
        for value in values:
            out.append(f"{h} <{EVKG}disagreesOn> {ntriples_literal(f'{feature} {value}')}")
    why = explanations(group, gazetteer)
    for report in group:
        r = _iri(report.iri)
        out += [
            f"{h} <{EVKG}report> {r}",
            f"{r} <{EVKG}happening> {h}",
            f"{r} <{EVKG}matchedOn> {ntriples_literal(why.get(report.iri, ''))}",
        ]
        out += [f"{h} <{GAF}denotedBy> {_iri(m)}" for m in report.mentions]
    out += [f"{h} <{EVKG}reportedIn> {_iri(d)}" for d in sorted({r.document for r in group})]
    return out


def _write(
    store: Updatable,
    removed: list[str],
    written: list[tuple[str, list[Report]]],
    gazetteer: Gazetteer,
) -> None:
    """Take out the `removed` happenings (and their reports' links), then put in
    `written`, in one update request (atomic in the store): a happening that keeps its IRI
    is deleted before it is written again."""
    graph = f"<{HAPPENINGS_GRAPH}>"
    parts = []
    for part in batches(removed, DELETE_CHUNK):
        listed = " ".join(_iri(h) for h in part)
        parts.append(
            f"DELETE {{ GRAPH {graph} {{ ?x ?p ?o }} }} WHERE {{ VALUES ?h {{ {listed} }} "
            f"GRAPH {graph} {{ {{ ?h ?p ?o BIND(?h AS ?x) }} UNION "
            f"{{ ?x <{EVKG}happening> ?h . ?x ?p ?o }} }} }}"
        )
    if written:
        lines = [line for _, g in written for line in happening_triples(g, gazetteer)]
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{ {' . '.join(lines)} . }} }}")
    if parts:
        store.update(" ;\n".join(parts))


def inconsistencies(source: Selectable) -> list[str]:
    """What breaks the happenings' promise, one line each: a stored document event with no
    happening or several, a happening with no stored report, a link to a report that is
    gone. Empty when the happenings graph is in step with the documents."""
    graph = f"<{HAPPENINGS_GRAPH}>"
    checks = {
        "report without a happening": f"""SELECT ?x WHERE {{ ?x a sem:Event .
  FILTER NOT EXISTS {{ GRAPH {graph} {{ ?x evkg:happening ?h }} }} }}""",
        "report with several happenings": f"""SELECT ?x WHERE {{
  GRAPH {graph} {{ ?x evkg:happening ?a, ?b FILTER(?a != ?b) }} }}""",
        "happening without a stored report": f"""SELECT ?x WHERE {{
  GRAPH {graph} {{ ?x a evkg:Happening }}
  FILTER NOT EXISTS {{ GRAPH {graph} {{ ?x evkg:report ?r }} ?r a sem:Event }} }}""",
        "link to a report that is gone": f"""SELECT ?x WHERE {{
  GRAPH {graph} {{ ?x evkg:happening ?h }} FILTER NOT EXISTS {{ ?x a sem:Event }} }}""",
    }
    out = []
    for what, sparql in checks.items():
        out += [f"{what}: {row['x']}" for row in source.select(sparql)]
    return sorted(set(out))
