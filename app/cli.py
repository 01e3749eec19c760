"""The `evkg` command line: one sub-command per module in `app.commands`."""

from __future__ import annotations

import argparse
import importlib
import sys

from ingest.resources import VocabularyError
from ingest.settings import SettingError

# Each module defines `register(subparsers)`, which adds its parser and sets `func`.
COMMANDS = [
    "extract",
    "evaluate",
    "ingest",
    "load",
    "remove",
    "export",
    "serve",
    "network",
    "cluster",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evkg", description="Event knowledge graphs from conflict news."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"app.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (VocabularyError, SettingError) as exc:  # a data file or a setting evkg cannot use
        print(f"evkg {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
