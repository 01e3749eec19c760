"""Score an event extractor against hand-made gold annotations (gold format 1).

The rules are those of the gold README: events are matched one to one within a document,
at two levels (dyad: actor codes; entity: actor names). Matching is a maximum bipartite
matching rather than greedy, so one system event cannot starve two gold events that both
could have used it. Nothing here prints; `app.commands.evaluate` renders the report.

Gold format 1 (YAML)::

    format: 1
    documents:
      - file: NAME.txt              # relative to the corpus folder
        published: 2020-05-13       # passed to the extractor (resolves relative dates)
        actors:                     # actors the text names (actor recall)
          - {name: [Iran, Tehran], code: IRN}
        events:
          - evidence: "words of the sentence"      # must lie inside the system's sentence
            source: {name: [United States, U.S.], code: USA}   # absent: not scored
            root: ["19", "18"]                      # CAMEO roots; any of them counts
            target: {name: [Iran], code: [IRN]}     # absent: not scored
            when: 2020-01                           # absent: date not scored
            optional: true                          # matched: no hit, no false alarm

`name` is compared case-insensitively with the label or any alias of the system's actor,
`code` (one or a list) with its code. Unknown keys are errors, so typos cannot hide.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from ingest.model import Actor, Event, Extraction, SourceDocument

Extractor = Callable[[SourceDocument], Extraction]
LEVELS = ("dyad", "entity")

_DOC_KEYS = {"file", "published", "actors", "events"}
_EVENT_KEYS = {"evidence", "source", "root", "target", "when", "optional"}
_ACTOR_KEYS = {"name", "code"}
_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
)


class EvaluationError(Exception):
    """Bad input to the scorer: a malformed gold file, a missing document, a failing extractor."""


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldActor:
    names: tuple[str, ...]
    codes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"name": list(self.names), "code": list(self.codes)}


@dataclass(frozen=True)
class GoldEvent:
    evidence: str
    roots: tuple[str, ...]
    source: GoldActor | None = None
    target: GoldActor | None = None
    when: str | None = None
    optional: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "evidence": self.evidence,
            "root": list(self.roots),
            "source": self.source.to_json() if self.source else None,
            "target": self.target.to_json() if self.target else None,
            "when": self.when,
            "optional": self.optional,
        }


@dataclass(frozen=True)
class GoldDocument:
    file: str
    published: date | None
    actors: tuple[GoldActor, ...]
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True)
class Gold:
    path: str
    documents: tuple[GoldDocument, ...]


def fold(text: str) -> str:
    """Case, white space and curly quotes folded, so annotators need not copy them exactly."""
    return " ".join(text.translate(_QUOTES).casefold().split())


class _Reader:
    """Validates one gold file, naming the file and the offending entry in every error."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> EvaluationError:
        return EvaluationError(f"{self.path}: {where}: {problem}")

    def mapping(
        self, value: Any, where: str, allowed: set[str], required: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """`value` as a mapping of `allowed` keys only, each of `required` among them."""
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            raise self.fail(
                where,
                f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})",
            )
        for key in required:
            if key not in value:
                raise self.fail(where, f"missing '{key}'")
        return value

    def texts(self, value: Any, where: str) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if not isinstance(item, str) or not item.strip():
                raise self.fail(where, f"expected non-empty text, got {item!r} (quote it)")
            out.append(item.strip())
        if not out:
            raise self.fail(where, "expected at least one value")
        return tuple(out)

    def actor(self, value: Any, where: str) -> GoldActor:
        data = self.mapping(value, where, _ACTOR_KEYS, ("name", "code"))
        names = self.texts(data["name"], f"{where}.name")
        codes = tuple(c.upper() for c in self.texts(data["code"], f"{where}.code"))
        return GoldActor(names, codes)

    def roots(self, value: Any, where: str) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            text = f"{item:02d}" if isinstance(item, int) and not isinstance(item, bool) else item
            if (
                not isinstance(text, str)
                or not re.fullmatch(r"\d{2}", text)
                or not (1 <= int(text) <= 20)
            ):
                raise self.fail(where, f'{item!r} is not a CAMEO root code ("01" to "20")')
            out.append(text)
        if not out:
            raise self.fail(where, "expected at least one root code")
        return tuple(out)

    def period(self, value: Any, where: str) -> str:
        if isinstance(value, datetime):
            raise self.fail(where, f"{value!r} has a time of day; give a date or a period")
        if isinstance(value, date):
            return value.isoformat()
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(text, str) or not _PERIOD.match(text):
            raise self.fail(where, f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        try:
            date.fromisoformat(text + "-01" * (2 - text.count("-")))
        except ValueError as exc:
            raise self.fail(where, f"{value!r} is not a valid date ({exc})") from None
        return text

    def event(self, value: Any, where: str) -> GoldEvent:
        data = self.mapping(value, where, _EVENT_KEYS, ("evidence", "root"))
        evidence = self.texts(data["evidence"], f"{where}.evidence")
        if len(evidence) != 1:
            raise self.fail(f"{where}.evidence", "expected one phrase, got a list")
        optional = data.get("optional", False)
        if not isinstance(optional, bool):
            raise self.fail(f"{where}.optional", f"expected true or false, got {optional!r}")
        return GoldEvent(
            evidence=evidence[0],
            roots=self.roots(data["root"], f"{where}.root"),
            source=self.actor(data["source"], f"{where}.source") if "source" in data else None,
            target=self.actor(data["target"], f"{where}.target") if "target" in data else None,
            when=self.period(data["when"], f"{where}.when") if "when" in data else None,
            optional=optional,
        )

    def items(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, got {type(value).__name__}")
        return value

    def document(self, value: Any, where: str) -> GoldDocument:
        data = self.mapping(value, where, _DOC_KEYS, ("file",))
        file = self.texts(data["file"], f"{where}.file")
        if len(file) != 1 or Path(file[0]).is_absolute() or ".." in Path(file[0]).parts:
            raise self.fail(f"{where}.file", f"{data['file']!r} is not a path inside the corpus")
        published = None
        if data.get("published") is not None:
            period = self.period(data["published"], f"{where}.published")
            if period.count("-") != 2:
                raise self.fail(f"{where}.published", f"{period!r} is not a full date")
            published = date.fromisoformat(period)
        actors = [
            self.actor(a, f"{where}.actors[{i}]")
            for i, a in enumerate(self.items(data.get("actors"), f"{where}.actors"))
        ]
        events = [
            self.event(e, f"{where}.events[{i}]")
            for i, e in enumerate(self.items(data.get("events"), f"{where}.events"))
        ]
        return GoldDocument(file[0], published, tuple(actors), tuple(events))

    def gold(self, data: Any) -> Gold:
        if not isinstance(data, dict):
            raise self.fail("top level", "expected a mapping with 'format' and 'documents'")
        if "format" not in data:
            raise self.fail("top level", "missing 'format' (this scorer reads format 1)")
        if data["format"] != 1:
            raise self.fail("format", f"unknown format {data['format']!r} (this scorer reads 1)")
        self.mapping(data, "top level", {"format", "documents"})
        docs = [
            self.document(d, f"documents[{i}]")
            for i, d in enumerate(self.items(data.get("documents"), "documents"))
        ]
        seen: set[str] = set()
        for i, doc in enumerate(docs):
            if doc.file in seen:
                raise self.fail(f"documents[{i}].file", f"{doc.file!r} is annotated twice")
            seen.add(doc.file)
        return Gold(self.path, tuple(docs))


def load_gold(path: str | Path) -> Gold:
    """Read and validate a gold file; every problem is an EvaluationError naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read gold file: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise EvaluationError(f"{path}: not valid YAML: {exc}") from None
    return _Reader(str(path)).gold(data)


# --------------------------------------------------------------------------- matching


def _actor_names(actor: Actor) -> set[str]:
    return {fold(n) for n in (actor.label, *actor.aliases) if n}


def actor_agrees(gold: GoldActor, actor: Actor | None, level: str) -> bool:
    """Dyad level: the code is one of the gold codes; entity level: a label/alias is a name."""
    if actor is None:
        return False
    if level == "dyad":
        return bool(actor.code and actor.code.upper() in gold.codes)
    return bool(_actor_names(actor) & {fold(n) for n in gold.names})


def failures(gold: GoldEvent, event: Event, level: str) -> list[str]:
    """What keeps `event` from matching `gold` (empty: it matches)."""
    failed = []
    if fold(gold.evidence) not in fold(event.sentence.text):
        failed.append("evidence")
    if event.root not in gold.roots:
        failed.append("root")
    # an actor that took part with the source or target is a party too (the gold names
    # coordinated actors as one event's, with their several names and codes)
    if gold.source is not None and not any(
        actor_agrees(gold.source, a, level) for a in event.sources
    ):
        failed.append("source")
    if gold.target is not None and not any(
        actor_agrees(gold.target, a, level) for a in event.targets
    ):
        failed.append("target")
    return failed


def find_evidence(text: str, evidence: str) -> list[tuple[int, int]]:
    """Where the evidence phrase occurs in the raw text, folding as `fold` does.

    Quote folding maps one character to one, so offsets in the folded text are the raw ones.
    """
    pattern = re.compile(r"\s+".join(map(re.escape, fold(evidence).split())), re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text.translate(_QUOTES))]


def date_within(period: str, extracted: str | None) -> bool:
    """An extracted date counts when it lies in the gold period at least as precisely."""
    return bool(extracted and (extracted == period or extracted.startswith(period + "-")))


def _match(
    gold: list[GoldEvent],
    gold_ids: Iterable[int],
    events: list[Event],
    event_ids: Iterable[int],
    level: str,
) -> dict[int, int]:
    """Maximum matching gold -> system; among those, prefer pairs whose date is right."""
    graph = nx.Graph()
    for g in gold_ids:
        for s in event_ids:
            if not failures(gold[g], events[s], level):
                when = gold[g].when
                weight = 2 if when and date_within(when, events[s].date) else 1
                graph.add_edge(("g", g), ("s", s), weight=weight)
    pairs = nx.max_weight_matching(graph, maxcardinality=True)
    out = {}
    for a, b in pairs:
        g, s = (a, b) if a[0] == "g" else (b, a)
        out[g[1]] = s[1]
    return dict(sorted(out.items()))


def _actor_json(actor: Actor | None) -> dict[str, Any] | None:
    return {"label": actor.label, "code": actor.code} if actor else None


def event_json(event: Event) -> dict[str, Any]:
    """The parts of a system event a reader needs to judge it."""
    return {
        "sentence": event.sentence.text,
        "trigger": event.trigger.text,
        "code": event.code,
        "root": event.root,
        "source": _actor_json(event.source),
        "target": _actor_json(event.target),
        "date": event.date,
    }


# --------------------------------------------------------------------------- report


@dataclass
class LevelResult:
    """The outcome of one document at one level."""

    hits: list[dict[str, Any]] = field(default_factory=list)
    optional_matched: list[dict[str, Any]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    system: int = 0
    required: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "required": self.required,
            "hits": self.hits,
            "optional_matched": self.optional_matched,
            "misses": self.misses,
            "false_alarms": self.false_alarms,
        }


@dataclass
class DocumentResult:
    file: str
    levels: dict[str, LevelResult]
    dates: list[dict[str, Any]]
    actors: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "warnings": self.warnings,
            "levels": {k: v.to_json() for k, v in self.levels.items()},
            "dates": self.dates,
            "actors": self.actors,
        }


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    """Zero when either side is zero, even if the other is undefined (no system events)."""
    if p == 0 or r == 0:
        return 0.0
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    gold: str
    corpus: str
    documents: list[DocumentResult]

    def level(self, name: str) -> dict[str, Any]:
        """Micro-averaged precision, recall and F1 over all documents."""
        res = [d.levels[name] for d in self.documents]
        hits = sum(len(r.hits) for r in res)
        system = sum(r.system for r in res)
        optional = sum(len(r.optional_matched) for r in res)
        required = sum(r.required for r in res)
        p, r = _ratio(hits, system - optional), _ratio(hits, required)
        return {
            "precision": p,
            "recall": r,
            "f1": _f1(p, r),
            "hits": hits,
            "system": system,
            "optional_matched": optional,
            "required": required,
        }

    def dates(self) -> dict[str, Any]:
        rows = [row for d in self.documents for row in d.dates]
        correct = sum(row["correct"] for row in rows)
        return {"accuracy": _ratio(correct, len(rows)), "correct": correct, "total": len(rows)}

    def actors(self) -> dict[str, Any]:
        rows = [row for d in self.documents for row in d.actors]
        entity = sum(row["by_entity"] for row in rows)
        code = sum(row["by_code"] for row in rows)
        return {
            "entity": _ratio(entity, len(rows)),
            "code": _ratio(code, len(rows)),
            "found_entity": entity,
            "found_code": code,
            "total": len(rows),
        }

    def roots(self, level: str = "dyad") -> dict[str, dict[str, Any]]:
        """Recall per CAMEO root (a gold event counts under the first root it lists) and
        the false alarms per root of the system's events."""
        table: dict[str, dict[str, Any]] = {}

        def row(root: str) -> dict[str, Any]:
            return table.setdefault(root, {"required": 0, "hits": 0, "false_alarms": 0})

        for document in self.documents:
            res = document.levels[level]
            for hit in res.hits:
                row(hit["gold"]["root"][0])["hits"] += 1
                row(hit["gold"]["root"][0])["required"] += 1
            for miss in res.misses:
                row(miss["gold"]["root"][0])["required"] += 1
            for alarm in res.false_alarms:
                row(alarm["root"])["false_alarms"] += 1
        for values in table.values():
            values["recall"] = _ratio(values["hits"], values["required"])
        return dict(sorted(table.items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "corpus": self.corpus,
            "summary": {
                **{name: self.level(name) for name in LEVELS},
                "dates": self.dates(),
                "actors": self.actors(),
                "roots": self.roots(),
            },
            "documents": [d.to_json() for d in self.documents],
        }


def _near(
    gold: GoldEvent, spans: list[tuple[int, int]], event: Event, level: str
) -> list[str] | None:
    """Why a system event in the evidence's sentence failed; None if it is elsewhere."""
    failed = failures(gold, event, level)
    overlaps = any(
        event.sentence.start < end and start < event.sentence.end for start, end in spans
    )
    return failed if "evidence" not in failed or overlaps else None


def _score_level(gold: GoldDocument, text: str, events: list[Event], level: str) -> LevelResult:
    golds = list(gold.events)
    required = [i for i, g in enumerate(golds) if not g.optional]
    optional = [i for i, g in enumerate(golds) if g.optional]
    matched = _match(golds, required, events, range(len(events)), level)
    taken = set(matched.values())
    matched.update(
        _match(golds, optional, events, [s for s in range(len(events)) if s not in taken], level)
    )
    owner = {s: g for g, s in matched.items()}
    result = LevelResult(system=len(events), required=len(required))
    for g, s in matched.items():
        row = {"gold": golds[g].to_json(), "system": event_json(events[s])}
        (result.optional_matched if golds[g].optional else result.hits).append(row)
    for g in required:
        if g in matched:
            continue
        near = []
        spans = find_evidence(text, golds[g].evidence)
        for s, event in enumerate(events):
            failed = _near(golds[g], spans, event, level)
            if failed is None:
                continue
            other = golds[owner[s]].evidence if s in owner else None
            near.append({**event_json(event), "failed": failed, "matched_to": other})
        result.misses.append({"gold": golds[g].to_json(), "near": near})
    result.false_alarms = [event_json(e) for s, e in enumerate(events) if s not in owner]
    return result


def _score_dates(gold: GoldDocument, hits: LevelResult) -> list[dict[str, Any]]:
    rows = []
    for hit in hits.hits:
        when = hit["gold"]["when"]
        if when:
            extracted = hit["system"]["date"]
            rows.append(
                {
                    "evidence": hit["gold"]["evidence"],
                    "when": when,
                    "extracted": extracted,
                    "correct": date_within(when, extracted),
                }
            )
    return rows


def _score_actors(gold: GoldDocument, extraction: Extraction) -> list[dict[str, Any]]:
    """Actors the document is linked to: its actor list plus any actor of its events."""
    linked = list(extraction.actors)
    linked += [a for e in extraction.events for a in e.sources + e.targets]
    return [
        {
            "name": list(ga.names),
            "code": list(ga.codes),
            "by_entity": any(actor_agrees(ga, a, "entity") for a in linked),
            "by_code": any(actor_agrees(ga, a, "dyad") for a in linked),
        }
        for ga in gold.actors
    ]


# What a reader counts as reported: done, planned or alleged; not what the text says did not
# happen, would happen only if, or is denied.
SCORED_MODALITIES = frozenset({"asserted", "intended", "claimed"})


def score_document(
    gold: GoldDocument, extraction: Extraction, modalities: frozenset[str] = SCORED_MODALITIES
) -> DocumentResult:
    """Score one extraction against the gold of its document."""
    text = extraction.document.text
    events = [e for e in extraction.events if e.modality in modalities]
    levels = {name: _score_level(gold, text, events, name) for name in LEVELS}
    warnings = [
        f'evidence not found in the document: "{g.evidence}"'
        for g in gold.events
        if not find_evidence(text, g.evidence)
    ]
    return DocumentResult(
        file=gold.file,
        levels=levels,
        warnings=warnings,
        dates=_score_dates(gold, levels["dyad"]),
        actors=_score_actors(gold, extraction),
    )


def default_extractor() -> Extractor:
    """The project's extractor, imported only when needed (it loads spaCy)."""
    try:
        module = importlib.import_module("ingest.extract")
    except ImportError as exc:
        raise EvaluationError(f"the extractor (ingest.extract) cannot be imported: {exc}") from exc
    extract: Extractor = module.extract
    return extract


def load_documents(gold: Gold, corpus: str | Path) -> list[SourceDocument]:
    """The gold's documents as the extractor will see them; all missing files in one error."""
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise EvaluationError(f"{corpus}: corpus folder not found")
    missing = [d.file for d in gold.documents if not (corpus / d.file).is_file()]
    if missing:
        raise EvaluationError(
            f"{gold.path}: {len(missing)} annotated file(s) not in corpus "
            f"{corpus}: {', '.join(missing)}"
        )
    docs = []
    for d in gold.documents:
        try:
            text = (corpus / d.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EvaluationError(f"{corpus / d.file}: cannot read: {exc}") from None
        docs.append(SourceDocument(text=text, file=d.file, published=d.published))
    return docs


def evaluate(
    gold: Gold | str | Path,
    corpus: str | Path,
    extractor: Extractor | None = None,
    modalities: frozenset[str] = SCORED_MODALITIES,
) -> Report:
    """Run `extractor` on every gold document found in `corpus` and score its events of
    the given modalities."""
    if not isinstance(gold, Gold):
        gold = load_gold(gold)
    docs = load_documents(gold, corpus)
    extract = extractor or default_extractor()
    results = []
    for gd, doc in zip(gold.documents, docs, strict=True):
        try:
            extraction = extract(doc)
        except Exception as exc:
            raise EvaluationError(
                f"{doc.file}: the extractor failed: {type(exc).__name__}: {exc}"
            ) from exc
        if not isinstance(extraction, Extraction):
            raise EvaluationError(
                f"{doc.file}: the extractor returned {type(extraction).__name__}, not an Extraction"
            )
        results.append(score_document(gd, extraction, modalities))
    return Report(gold=gold.path, corpus=str(corpus), documents=results)
