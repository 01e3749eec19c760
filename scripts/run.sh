#!/usr/bin/env bash
# Set up, ingest the seed documents into the embedded store, and show what was extracted.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
.venv/bin/evkg ingest seeds
.venv/bin/evkg extract seeds
