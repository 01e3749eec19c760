"""The service builds the actor network and the search index in the background at start
(`EVKG_WARM_NETWORK`, on under `evkg serve`), says so on /health, and the first requests
read what it built."""

from __future__ import annotations

import time
from pathlib import Path

import anyio
import httpx
import pytest

from app.deps import State
from graph.network import Filters
from graph.store import OxigraphStore
from ingest.settings import Settings
from tests.api_server import start_api


def _state(store: OxigraphStore) -> State:
    return State(Settings(store="oxigraph:"), store, None, anyio.Lock())


def test_warming_up_builds_what_the_first_requests_read(seeded_store: OxigraphStore) -> None:
    state = _state(seeded_store)
    state.warm_up()
    assert state.warm == "ready"
    assert (state.networks.builds, state.actors.builds) == (1, 1)
    assert state.network().number_of_edges() > 0
    assert state.search_actors("iran", 5, 0, Filters())
    assert (state.networks.builds, state.actors.builds) == (1, 1)  # read, not built again


def test_a_failed_warm_up_is_said_and_left_to_the_first_request(
    seeded_store: OxigraphStore,
) -> None:
    state = _state(seeded_store)
    seeded_store.close()  # every read fails
    state.warm_up()
    assert state.warm == "failed"
    assert state.networks.builds == 0


@pytest.mark.parametrize("setting", ["1", "0"])
def test_health_says_when_the_network_is_ready(seeded: Path, tmp_path: Path, setting: str) -> None:
    for api in start_api(tmp_path, seeded, EVKG_WARM_NETWORK=setting):
        deadline = time.monotonic() + 120
        warm = httpx.get(f"{api.base}/health").json()["warm"]
        while warm == "warming" and time.monotonic() < deadline:
            time.sleep(0.2)
            warm = httpx.get(f"{api.base}/health").json()["warm"]
        assert warm == ("ready" if setting == "1" else "off")
        hood = httpx.get(f"{api.base}/actors/iran/neighbourhood", params={"hops": 1})
        assert hood.status_code == 200 and hood.json()["edges"]
