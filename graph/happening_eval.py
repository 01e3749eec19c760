"""B-cubed precision and recall of the happenings against hand-made clusters.

The gold (format in tests/data/happenings-gold.md) lists happenings, each with the
reports of it: a document, a phrase of the sentence and the CAMEO roots that may code
it. Each gold report is matched to one stored document event (its document, its sentence
holding the phrase, its root among those listed); gold reports the extractor missed are
counted and left out, as are stored events no gold report names. Over what is matched,
B-cubed precision is the mean, per report, of the share of its happening that the gold
puts with it; recall the mean share of its gold cluster that its happening holds.

`python -m graph.happening_eval GOLD` ingests the gold's documents into a new store and
prints the scores.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.network import Selectable, happening_pattern


class GoldError(ValueError):
    """The gold file is malformed; the message says where."""


@dataclass(frozen=True)
class GoldReport:
    happening: str
    file: str  # the document's file name
    evidence: str
    roots: tuple[str, ...]


@dataclass(frozen=True)
class Gold:
    folders: dict[str, Path]
    reports: list[GoldReport]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def load_gold(path: Path) -> Gold:
    """The gold file, checked: every report names a folder of `folders`, a phrase and
    roots; every happening id is unique."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("format") != 1:
            raise GoldError(f"{path}: format must be 1")
        folders = {str(k): (path.parent / v).resolve() for k, v in data["folders"].items()}
        reports: list[GoldReport] = []
        seen: set[str] = set()
        for happening in data["happenings"]:
            hid = str(happening["id"])
            if hid in seen:
                raise GoldError(f"{path}: happening {hid} listed twice")
            seen.add(hid)
            for report in happening["reports"]:
                folder, _, name = str(report["file"]).partition("/")
                if folder not in folders or not name:
                    raise GoldError(f"{path}: {hid}: {report['file']} is in no listed folder")
                roots = tuple(str(r) for r in report["root"])
                reports.append(GoldReport(hid, name, str(report["evidence"]), roots))
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise GoldError(f"{path}: {type(exc).__name__}: {exc}") from exc
    return Gold(folders, reports)


def _system_reports(source: Selectable) -> list[dict[str, Any]]:
    return source.select(f"""SELECT ?e ?file ?type ?sentence ?h WHERE {{
  ?e a sem:Event ; sem:eventType ?type ; prov:wasDerivedFrom ?doc ;
     evkg:sentence/nif:anchorOf ?sentence .
  ?doc evkg:fileName ?file .
  {happening_pattern()}
}} ORDER BY ?e""")


def bcubed(gold: dict[str, str], system: dict[str, str]) -> tuple[float, float]:
    """B-cubed precision and recall of `system` (item -> cluster) against `gold`, over
    the items both have."""
    items = sorted(set(gold) & set(system))
    if not items:
        return 0.0, 0.0
    precision = recall = 0.0
    for item in items:
        mine = {i for i in items if system[i] == system[item]}
        theirs = {i for i in items if gold[i] == gold[item]}
        precision += len(mine & theirs) / len(mine)
        recall += len(mine & theirs) / len(theirs)
    return precision / len(items), recall / len(items)


def score(source: Selectable, gold: Gold) -> dict[str, Any]:
    """Match each gold report to a stored event (one to one, in gold order), then B-cubed."""
    by_file: dict[str, list[dict[str, Any]]] = {}
    for row in _system_reports(source):
        by_file.setdefault(str(row["file"]), []).append(row)
    used: set[str] = set()
    gold_of: dict[str, str] = {}
    system_of: dict[str, str] = {}
    missed: list[str] = []
    for number, report in enumerate(gold.reports):
        phrase = _fold(report.evidence)
        for row in by_file.get(report.file, []):
            root = str(row["type"]).rsplit("/", 1)[-1][:2]
            if row["e"] in used or root not in report.roots:
                continue
            if phrase in _fold(str(row["sentence"])):
                used.add(row["e"])
                item = f"{number}:{row['e']}"
                gold_of[item] = report.happening
                system_of[item] = str(row.get("h") or row["e"])
                break
        else:
            missed.append(f"{report.happening}: {report.file}: {report.evidence}")
    precision, recall = bcubed(gold_of, system_of)
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "matched": len(gold_of),
        "gold_reports": len(gold.reports),
        "gold_happenings": len(set(gold_of.values())),
        "system_happenings": len(set(system_of.values())),
        "missed": missed,
    }


def evaluate(gold_path: Path, store_path: Path) -> dict[str, Any]:
    """Ingest the gold's documents into a new embedded store at `store_path` and score."""
    from graph.store import open_store
    from graph.store.vocab import load_vocabularies
    from ingest.pipeline import ingest
    from ingest.readers import read_paths

    gold = load_gold(gold_path)
    store = open_store(f"oxigraph:{store_path}")
    try:
        load_vocabularies(store)
        ingest(store, read_paths([str(p) for p in gold.folders.values()]), jobs=1)
        return score(store, gold)
    finally:
        store.close()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m graph.happening_eval GOLD.yaml", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        try:
            result = evaluate(Path(argv[0]), Path(folder) / "store")
        except GoldError as exc:
            print(f"happening_eval: {exc}", file=sys.stderr)
            return 2
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
