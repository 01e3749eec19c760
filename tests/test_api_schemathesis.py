"""Property-based checks of the HTTP API from its own OpenAPI document: schemathesis generates
requests for every operation against a real server on a copy of the seeded store and
checks that none gives a 5xx and that each response's status, media type and body are the
ones its operation documents.

The operations are collected from the application's OpenAPI document (schemathesis's lazy
fixture loader does not work with this pytest); the first test checks that the live server's
/openapi.json has the same operations."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from tests.api_server import ApiServer, seed_store, start_api

# every status a route answers with, and every media type, must be documented in its spec;
# a request valid by the spec must be taken, one that is not refused (the counts)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, positive_data_acceptance, negative_data_rejection]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    seeded = tmp_path_factory.mktemp("schemathesis-seed") / "store"
    seed_store(seeded)
    yield from start_api(tmp_path_factory.mktemp("schemathesis"), seeded)


# text bodies, and strategies for the grammars the document names as string formats
import bench.schemathesis_hooks  # noqa: E402, F401

OPENAPI = create_app().openapi()
# writes are sent without the token, so the store is never changed: what is checked for
# them is that the refusal (401, or 422 for an invalid parameter) is documented as it is
schema = schemathesis.openapi.from_dict(OPENAPI)


def test_the_served_schema_is_the_one_tested(api: ApiServer) -> None:
    served = httpx.get(f"{api.base}/openapi.json").json()["paths"]
    assert {p: sorted(ops) for p, ops in served.items()} == {
        p: sorted(ops) for p, ops in OPENAPI["paths"].items()}


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, api: ApiServer) -> None:
    case.call_and_validate(base_url=api.base, checks=CHECKS, timeout=30)
