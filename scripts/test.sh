#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: system packages, the environment, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = "0" ]; then
  bash scripts/setup-system.sh
fi
bash scripts/setup.sh
bash scripts/check.sh
.venv/bin/python -m pytest -q "$@"
