"""schemathesis over every operation of `evkg serve` (a copy of the seeded store), with the
write token, all checks and N examples per operation; prints the server errors, the
undocumented statuses, the valid-by-schema requests refused and every other failure, per
operation, from schemathesis's JSON report.

    python bench/bench_schema.py --examples 50
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.api_server import TOKEN, seed_store, start_api  # noqa: E402

GROUPS = {  # schemathesis's failure codes, for the three kinds the issue counts
    "ST101": "server errors",
    "ST103": "undocumented statuses",
    "ST202": "valid-by-schema requests rejected",
}


def summary(report: dict) -> list[str]:
    """One line per kind of failure (the three the issue counts first), with its count and
    the operations it happened on; then schemathesis's own errors."""
    groups = {g["code"]: g for g in report.get("failures") or []}
    lines = []
    for code in [*GROUPS, *sorted(set(groups) - set(GROUPS))]:
        group = groups.get(code, {"count": 0, "operations": []})
        lines.append(
            f"{code} {GROUPS.get(code) or group['title']}: {group['count']}"
            + (f" on {len(group['operations'])} operations" if group["operations"] else "")
        )
        lines += [f"  {operation}" for operation in group["operations"]]
    lines += [f"error: {e['title']} ({e['count']})" for e in report.get("errors") or []]
    cases = report.get("test_cases") or {}
    lines.append(
        f"test cases: {cases.get('generated')} generated, "
        f"{cases.get('with_failures')} with failures, "
        f"{cases.get('unique_failures')} unique failures"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report", type=Path, help="keep schemathesis's JSON report here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="evkg-schema-") as tmp:
        work = Path(tmp)
        seed_store(work / "seeded")
        for server in start_api(work, work / "seeded", EVKG_QUERY_TIMEOUT="10"):
            report = args.report or work / "report.json"
            env = {
                **os.environ,
                "SCHEMATHESIS_HOOKS": "bench.schemathesis_hooks",
                "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
            }
            started = time.monotonic()
            run = subprocess.run(
                [
                    str(Path(sys.executable).with_name("schemathesis")),
                    "run",
                    f"{server.base}/openapi.json",
                    "--checks",
                    "all",
                    "--max-examples",
                    str(args.examples),
                    "--seed",
                    str(args.seed),
                    "--workers",
                    str(args.workers),
                    "--request-timeout",
                    "60",
                    "--header",
                    f"Authorization: Bearer {TOKEN}",
                    "--continue-on-failure",
                    "--report",
                    "json",
                    "--report-json-path",
                    str(report),
                    "--suppress-health-check",
                    "all",
                    "--output-truncate",
                    "false",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            took = time.monotonic() - started
            print(run.stdout)
            if run.stderr.strip():
                print(run.stderr[-3000:], file=sys.stderr)
            try:
                data = json.loads(report.read_text())
            except (OSError, ValueError):
                print(f"no JSON report (exit {run.returncode})")
                return 1
            print(
                f"\nschemathesis, {args.examples} examples an operation, all checks, "
                f"with the token: {took:.0f} s, exit {run.returncode}"
            )
            print("\n".join(summary(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
