#!/usr/bin/env bash
# Set up, ingest the seed documents into the embedded store, show what was extracted, serve.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
.venv/bin/evkg ingest seeds
.venv/bin/evkg extract seeds
# Serve the graph: SPARQL at http://127.0.0.1:8000/sparql, REST docs at /docs.
# (EVKG_HOST and EVKG_PORT, read by evkg, choose where; see the README's Settings table).
exec .venv/bin/evkg serve
