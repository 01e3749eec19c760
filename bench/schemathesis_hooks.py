"""Loaded by schemathesis (SCHEMATHESIS_HOOKS) in bench/bench_schema.py: SPARQL query and
update bodies are plain UTF-8 text."""

import schemathesis

schemathesis.serializer.alias(
    ["application/sparql-query", "application/sparql-update"], "text/plain"
)
