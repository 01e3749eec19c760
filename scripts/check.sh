#!/usr/bin/env bash
# Static checks: lint, formatting and types (the configuration of each is in pyproject.toml).
# Run after scripts/setup.sh; scripts/test.sh runs it before the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/ruff check .
.venv/bin/ruff format --check "$@"
.venv/bin/mypy
