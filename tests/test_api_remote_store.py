"""The API on a remote SPARQL store (Oxigraph's server): the actor network it keeps for
neighbourhoods and paths must follow writes, here versioned by the store's content hashes
(another service may write the same store, so no write counter of its own would do)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.model import SourceDocument
from tests.api_server import ApiServer, start_api
from tests.servers import start_oxigraph

TEXTS = ["Hezbollah fired rockets at Israel on 3 March 2020.",
         "Hezbollah attacked Israel with drones on 9 April 2020."]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    for server in start_oxigraph(tmp_path_factory.mktemp("remote-oxigraph")):
        yield from start_api(tmp_path_factory.mktemp("api-remote"), EVKG_STORE=server.spec)


def _edges(api: ApiServer, actor: str) -> dict[tuple[str, str], dict]:
    net = httpx.get(f"{api.base}/actors/{actor.rsplit('/', 1)[-1]}/neighbourhood").json()
    return {(e["source"], e["target"]): e for e in net["edges"]}


def test_neighbourhood_follows_writes_on_a_remote_store(api: ApiServer) -> None:
    assert httpx.get(f"{api.base}/health").json()["isolated"] is False
    posted = []
    for n, text in enumerate(TEXTS):
        r = httpx.post(f"{api.base}/documents", headers=api.auth, timeout=120,
                       json={"text": text, "url": f"https://example.org/remote-{n}"})
        assert r.status_code == 201, r.text
        posted.append(r.json())
        event = r.json()["events"][0]
        dyad = (event["source"]["iri"], event["target"]["iri"])
        edge = _edges(api, dyad[0]).get(dyad)
        assert edge is not None and event["iri"] in {e["iri"] for e in edge["events"]}
        assert edge["count"] == n + 1
        # The service loaded the vocabularies into the store it may write to: the actors
        # have their gazetteer labels, the events their CAMEO Goldstein scores.
        assert edge["goldstein"] < 0
        actor = httpx.get(f"{api.base}/actors/{dyad[0].rsplit('/', 1)[-1]}").json()
        assert actor["label"] == "Hezbollah"
    paths = httpx.get(f"{api.base}/paths", params={"from": dyad[0].rsplit("/", 1)[-1],
                                                   "to": dyad[1].rsplit("/", 1)[-1]})
    assert list(dyad) in paths.json()["paths"]
    gone = httpx.delete(f"{api.base}/documents/{posted[0]['id']}", headers=api.auth)
    assert gone.status_code == 204
    edge = _edges(api, dyad[0])[dyad]
    assert edge["count"] == 1 and edge["events"][0]["iri"] == posted[1]["events"][0]["iri"]


def test_a_read_only_service_says_when_the_store_lacks_the_vocabularies(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """It may not load them itself; the operator learns why labels are missing."""
    for server in start_oxigraph(tmp_path_factory.mktemp("bare-oxigraph")):
        workdir = tmp_path_factory.mktemp("api-read-only")
        for api in start_api(workdir, EVKG_STORE=server.spec, EVKG_TOKEN=""):
            assert httpx.get(f"{api.base}/health").json()["writable"] is False
        log = (Path(workdir) / "server.log").read_text()
        missing = "ontology, cameo, actors, agents, countries, international, armed_groups"
        assert f"holds no {missing} vocabulary graph" in log, log


def test_a_service_sees_the_reports_another_wrote_between_its_writes(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Three sources of one strike, the second posted through another service sharing the
    store: the first service keeps its happening index across its own writes only, so its
    next write matches the third report with both earlier ones, not the first alone. (A
    happening is named after its first report by IRI: the other service's report comes
    first, so the first service, had it not seen it, would name a happening of its own.)"""
    texts = [
        "Hezbollah fired rockets at Israel on 3 March 2020.",
        "Hezbollah launched rockets at Israel on 3 March 2020.",
        "Hezbollah fired rockets into Israel on 3 March 2020.",
    ]
    by_key = sorted((f"https://example.org/shared-{n}" for n in range(3)),
                    key=lambda url: SourceDocument(text="", url=url).key)
    urls = [by_key[1], by_key[0], by_key[2]]  # the other service's report first by IRI
    for server in start_oxigraph(tmp_path_factory.mktemp("shared-oxigraph")):
        for one in start_api(tmp_path_factory.mktemp("api-one"), EVKG_STORE=server.spec):
            for other in start_api(tmp_path_factory.mktemp("api-other"), EVKG_STORE=server.spec):
                events = []
                for api, text, url in zip((one, other, one), texts, urls, strict=True):
                    posted = httpx.post(f"{api.base}/documents", headers=api.auth, timeout=120,
                                        json={"text": text, "url": url})
                    assert posted.status_code == 201, posted.text
                    events += [e["iri"] for e in posted.json()["events"]]
                assert len(events) == 3
                for api in (one, other):
                    listed = httpx.get(f"{api.base}/events", params={
                        "actor": "hezbollah", "level": "happening"}).json()["items"]
                    assert [h["reports"] for h in listed] == [3]
