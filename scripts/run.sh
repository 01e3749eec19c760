#!/usr/bin/env bash
# Set up, ingest the seed documents into the embedded store, show what was extracted, serve.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
.venv/bin/evkg ingest seeds
.venv/bin/evkg extract seeds
# Serve the graph: SPARQL at http://127.0.0.1:8000/sparql, REST docs at /docs.
exec .venv/bin/evkg serve --host "${EVKG_HOST:-127.0.0.1}" --port "${EVKG_PORT:-8000}"
