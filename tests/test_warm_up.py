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
from graph.happening_store import HappeningIndex
from graph.network import Filters
from graph.store import OxigraphStore
from ingest.settings import Settings
from tests.api_server import start_api


def _state(store: OxigraphStore, token: str | None = None) -> State:
    return State(Settings(store="oxigraph:", token=token), store, None, anyio.Lock())


def test_warming_up_builds_what_the_first_requests_read(seeded_store: OxigraphStore) -> None:
    state = _state(seeded_store)
    state.warm_up()
    assert state.warm == "ready"
    assert (state.networks.builds, state.actors.builds) == (1, 1)
    assert state.network().number_of_edges() > 0
    assert state.search_actors("iran", 5, 0, Filters())
    assert (state.networks.builds, state.actors.builds) == (1, 1)  # read, not built again


def test_a_writable_service_reads_the_happening_index_for_its_first_write(
    seeded_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_only, writable = _state(seeded_store), _state(seeded_store, token="secret")
    read_only.warm_up()
    writable.warm_up()
    assert read_only.happenings is None and writable.happenings is not None
    victim = sorted(writable.happenings.by_document)[0]

    loads: list[object] = []
    load = HappeningIndex.load
    monkeypatch.setattr(HappeningIndex, "load", lambda store: loads.append(store) or load(store))
    assert seeded_store.remove_graph(victim)
    writable.after_write([victim])
    assert not loads  # the first write used the index read at start
    assert victim not in writable.happenings.by_document


def test_an_index_warmed_while_a_write_came_is_not_kept(
    seeded_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = _state(seeded_store, token="secret")
    load = HappeningIndex.load

    def meanwhile(store: OxigraphStore) -> HappeningIndex:
        index = load(store)
        state.networks.written()  # a write lands while the index is read
        return index

    monkeypatch.setattr(HappeningIndex, "load", meanwhile)
    state.warm_up()
    assert state.warm == "ready" and state.happenings is None


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
