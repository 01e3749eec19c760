"""What the service remembers of actors across writes (their facts for the network's
nodes, their names for the search) follows a write that changes them: a graph that gives
an actor a new alias, and its removal, on the embedded store and on a remote one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api_server import ApiServer, start_api
from tests.servers import start_oxigraph

TEXT = "Iran fired missiles at Israel on 2 March 2020."
ALIAS = "Persian Quartet"
GRAPH = "https://example.org/graphs/more-names"


@pytest.fixture(scope="module", params=["embedded", "oxigraph-server"])
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    workdir = Path(tmp_path_factory.mktemp(f"facts-{request.param}"))
    if request.param == "embedded":
        yield from start_api(workdir)
        return
    (workdir / "oxigraph").mkdir()
    for server in start_oxigraph(workdir / "oxigraph"):
        yield from start_api(workdir, EVKG_STORE=server.spec)


def _aliases(api: ApiServer, actor: str) -> list[str]:
    """The aliases the actor's own node has in its neighbourhood (as the page draws it)."""
    hood = httpx.get(
        f"{api.base}/actors/{actor.rsplit('/', 1)[-1]}/neighbourhood", params={"compact": "true"}
    ).json()
    [node] = [n for n in hood["nodes"] if n["id"] == actor]
    return node["aliases"]


def _found(api: ApiServer, text: str) -> list[str]:
    return [a["iri"] for a in httpx.get(f"{api.base}/actors", params={"q": text}).json()["items"]]


def test_an_alias_written_and_removed_shows_and_goes(api: ApiServer) -> None:
    posted = httpx.post(
        f"{api.base}/documents",
        headers=api.auth,
        timeout=120,
        json={"text": TEXT, "url": "https://example.org/facts-1"},
    )
    assert posted.status_code == 201, posted.text
    actor = posted.json()["events"][0]["source"]["iri"]
    assert ALIAS not in _aliases(api, actor) and _found(api, ALIAS.lower()) == []

    turtle = f'<{actor}> <http://www.w3.org/2004/02/skos/core#altLabel> "{ALIAS}" .'
    put = api.put_graph(GRAPH, turtle)
    assert put.status_code == 201, put.text
    assert ALIAS in _aliases(api, actor)
    assert _found(api, ALIAS.lower()) == [actor]

    gone = httpx.delete(f"{api.base}/rdf-graphs", params={"graph": GRAPH}, headers=api.auth)
    assert gone.status_code == 204, gone.text
    assert ALIAS not in _aliases(api, actor)
    assert _found(api, ALIAS.lower()) == []
    assert _aliases(api, actor) == _aliases(api, actor)  # and stays so
