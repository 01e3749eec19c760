"""`evkg evaluate GOLD.yaml CORPUS_DIR`: score the extractor against gold annotations.

It reports and does not judge: the exit code is 0 whatever the scores, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ingest.evaluate import LEVELS, SCORED_MODALITIES, EvaluationError, Report, evaluate
from ingest.model import MODALITIES


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score the extractor against hand-made gold annotations",
        description="Run the extractor on every document a gold file annotates and report "
        "precision, recall and F1 (dyad and entity level), date accuracy, actor recall, "
        "misses and false alarms.",
    )
    parser.add_argument("gold", help="gold annotations (YAML, format 1)")
    parser.add_argument("corpus", help="folder holding the annotated documents")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="also list hits, entity-level misses and false alarms, and every date scored",
    )
    parser.add_argument(
        "--modality",
        default=",".join(sorted(SCORED_MODALITIES)),
        help="comma-separated modalities of the events scored, or 'all' (default: %(default)s)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    chosen = {m.strip() for m in args.modality.split(",") if m.strip()}
    if chosen == {"all"}:
        chosen = set(MODALITIES)
    if not chosen or not chosen <= set(MODALITIES):
        print(
            f"evkg evaluate: error: --modality takes 'all' or some of {', '.join(MODALITIES)}",
            file=sys.stderr,
        )
        return 2
    try:
        report = evaluate(args.gold, args.corpus, modalities=frozenset(chosen))
    except EvaluationError as exc:
        print(f"evkg evaluate: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report, verbose=args.verbose))
    return 0


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _actor(actor: dict[str, Any] | None) -> str:
    return "-" if actor is None else f"{actor['label']} ({actor['code'] or '?'})"


def _gold_actor(actor: dict[str, Any] | None) -> str:
    if actor is None:
        return "*"
    return f"{actor['name'][0]} ({'/'.join(actor['code'])})"


def _system(event: dict[str, Any]) -> str:
    return (
        f"{event['code']} {_actor(event['source'])} -> {_actor(event['target'])}"
        f" [{event['trigger']}] date {event['date'] or '-'}"
    )


def _gold(gold: dict[str, Any]) -> str:
    return (
        f'"{gold["evidence"]}": root {"/".join(gold["root"])} '
        f"{_gold_actor(gold['source'])} -> {_gold_actor(gold['target'])}"
        + (f" when {gold['when']}" if gold["when"] else "")
    )


def summary_lines(report: Report) -> list[str]:
    """The headline numbers, one line each."""
    data = report.to_json()["summary"]
    lines = []
    for name in LEVELS:
        s = data[name]
        lines.append(
            f"{name}: precision {_num(s['precision'])} recall {_num(s['recall'])} "
            f"f1 {_num(s['f1'])} ({s['hits']} hits, {s['system']} system events, "
            f"{s['optional_matched']} on optional gold, {s['required']} required gold)"
        )
    d, a = data["dates"], data["actors"]
    lines.append(f"dates: {_num(d['accuracy'])} ({d['correct']}/{d['total']})")
    lines.append(
        f"actors: {_num(a['entity'])} ({a['found_entity']}/{a['total']}); "
        f"by code {_num(a['code'])} ({a['found_code']}/{a['total']})"
    )
    roots = data["roots"]
    lines.append(
        "dyad recall by root: "
        + ", ".join(
            f"{root} {r['hits']}/{r['required']}" for root, r in roots.items() if r["required"]
        )
    )
    lines.append(
        "false alarms by root: "
        + ", ".join(f"{root} {r['false_alarms']}" for root, r in roots.items() if r["false_alarms"])
    )
    return lines


def _why(near: dict[str, Any]) -> str:
    if not near["failed"]:
        return f'taken by "{near["matched_to"]}"'
    names = {"evidence": "sentence split (evidence not inside)"}
    return "wrong " + ", ".join(names.get(f, f) for f in near["failed"])


def _level_lines(level: str, res: dict[str, Any], verbose: bool) -> list[str]:
    lines = []
    if verbose and res["hits"]:
        lines.append(f"  hits ({level}):")
        lines += [f"    + {_gold(h['gold'])}\n      {_system(h['system'])}" for h in res["hits"]]
    if res["misses"]:
        lines.append(f"  misses ({level}):")
    for miss in res["misses"]:
        lines.append(f"    - {_gold(miss['gold'])}")
        if not miss["near"]:
            lines.append("      nothing extracted from that sentence")
        for near in miss["near"]:
            lines.append(f"      near: {_system(near)}  ({_why(near)})")
    if res["false_alarms"]:
        lines.append(f"  false alarms ({level}):")
    for fa in res["false_alarms"]:
        lines.append(f"    ! {_system(fa)}\n      in: {fa['sentence'].strip()}")
    return lines


def format_report(report: Report, verbose: bool = False) -> str:
    """The readable report: summary, then per document misses and false alarms."""
    lines = summary_lines(report)
    for doc in report.to_json()["documents"]:
        lines.append("")
        lines.append(f"== {doc['file']}")
        lines += [f"  warning: {w}" for w in doc["warnings"]]
        lines += _level_lines("dyad", doc["levels"]["dyad"], verbose)
        if verbose:
            lines += _level_lines("entity", doc["levels"]["entity"], verbose=False)
        for row in doc["dates"]:
            if verbose or not row["correct"]:
                mark = "ok" if row["correct"] else "wrong"
                lines.append(
                    f'  date {mark}: "{row["evidence"]}" gold {row["when"]}, '
                    f"extracted {row['extracted'] or '-'}"
                )
        missing = [row["name"][0] for row in doc["actors"] if not row["by_entity"]]
        if missing:
            lines.append(f"  actors not linked: {', '.join(missing)}")
    return "\n".join(lines)
