"""The network page, driven in headless Chromium against the real server on loopback, with
the seed documents ingested into a fresh embedded store."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest

from tests.api_server import serve_api
from tests.browser import CHROMIUM, chromium
from tests.servers import _stop, free_port

ROOT = Path(__file__).resolve().parent.parent
ACTOR = "https://evkg.org/id/actor/"
EXPECTED = {
    "United States",
    "Iran",
    "Hashd al-Shaabi",
    "Donald Trump",
    "Iraqi Security Forces",
    "Iran-backed militias",
    "Qassem Soleimani",
    "CBS News",
}

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or not (ROOT / "node_modules/cytoscape").is_dir(),
    reason="needs Debian's chromium and `npm ci` (scripts/setup-system.sh, scripts/setup.sh)",
)


def serve(store: Path, log_path: Path) -> Iterator[str]:
    """The real app over the store at `store` (read-only), until the caller is done."""
    env = {**os.environ, "EVKG_STORE": f"oxigraph:{store}"}
    env.pop("EVKG_TOKEN", None)
    port = free_port()
    proc = serve_api(port, env, log_path)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`evkg ingest seeds` into a new store, then the real app."""
    folder = tmp_path_factory.mktemp("page")
    env = {**os.environ, "EVKG_STORE": f"oxigraph:{folder / 'store'}"}
    env.pop("EVKG_TOKEN", None)
    subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", str(ROOT / "seeds")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    yield from serve(folder / "store", folder / "server.log")


def large_turtle(nodes: int, edges: int) -> bytes:
    """A generated network above the page's "large" threshold: a ring (so every actor has a
    dyad) plus random chords, skewed towards low-numbered actors so degrees differ."""
    rng = random.Random(3)
    dyads = {(i, (i + 1) % nodes) for i in range(nodes)}
    while len(dyads) < edges:
        s, t = int(rng.random() ** 2 * nodes), rng.randrange(nodes)
        if s != t:
            dyads.add((s, t))
    lines = [
        "@prefix evkg: <https://evkg.org/ontology#> .",
        "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        '<https://evkg.org/id/document/large> a evkg:Document ; evkg:contentHash "l" .',
    ]
    lines += [f'<{ACTOR}g{i}> skos:prefLabel "Generated {i}" .' for i in range(nodes)]
    codes = ["042", "057", "111", "190"]
    for n, (s, t) in enumerate(sorted(dyads)):
        lines.append(
            f"<https://evkg.org/id/event/large-{n}> a sem:Event ; evkg:source <{ACTOR}g{s}> ; "
            f"evkg:target <{ACTOR}g{t}> ; sem:hasActor <{ACTOR}g{s}>, <{ACTOR}g{t}> ; "
            f"sem:eventType <https://evkg.org/cameo/{codes[n % 4]}> ; "
            "prov:wasDerivedFrom <https://evkg.org/id/document/large> ."
        )
    return "\n".join(lines).encode()


@pytest.fixture(scope="module")
def large_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a generated 600-actor, 1,200-dyad network (a "large" view)."""
    from graph.store import OxigraphStore
    from graph.store.vocab import load_vocabularies

    folder = tmp_path_factory.mktemp("large")
    store = OxigraphStore(folder / "store")
    load_vocabularies(store)
    store.load(large_turtle(600, 1200), "https://evkg.org/id/document/large", "turtle")
    store.close()
    yield from serve(folder / "store", folder / "server.log")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def open_page(page, server: str, query: str = "") -> None:
    page.goto(f"{server}/{query}")
    page.wait_for_selector("body[data-state=ready]", timeout=20000)


def drawn_labels(page) -> set[str]:
    return set(page.evaluate("evkg.cy.nodes().map(n => n.data('label'))"))


def loads(page) -> int:
    return int(page.get_attribute("body", "data-loads") or 0)


def change_and_wait(page, action) -> set[str]:
    """Do `action`, wait for the view to be redrawn, return the labels drawn."""
    before = loads(page)
    action()
    page.wait_for_function(
        f"Number(document.body.dataset.loads) > {before} && "
        "document.body.dataset.state === 'ready'",
        timeout=20000,
    )
    return drawn_labels(page)


def click_element(page, selector_js: str) -> None:
    """A real mouse click on a node's position or an edge's midpoint, after fitting the
    viewport to it so nothing else sits under the pointer."""
    box = page.locator("#cy").bounding_box()
    point = page.evaluate(f"""() => {{
        const el = {selector_js};
        evkg.cy.fit(el, 160);
        const p = el.isNode() ? el.renderedPosition() : el.renderedMidpoint();
        return {{x: p.x, y: p.y}};
    }}""")
    page.wait_for_timeout(300)  # let the renderer catch up with the new viewport
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_seeds_network_renders_with_expected_actors(page, server):
    open_page(page, server)
    labels = drawn_labels(page)
    assert labels >= EXPECTED
    assert page.evaluate("evkg.cy.edges().length") >= 15
    # positions come from the server, not from a layout run in the browser
    view = httpx.get(f"{server}/network").json()
    us = next(n for n in view["nodes"] if n["label"] == "United States")
    drawn = page.evaluate(f"evkg.cy.getElementById('{us['id']}').position()")
    assert drawn == pytest.approx({"x": us["x"], "y": us["y"]})
    assert "actors" in page.text_content("#status")
    assert page.locator("#legend .gradient").is_visible()


def neighbourhood_requests(page) -> list[httpx.URL]:
    """The URLs of every neighbourhood the page asks for, as it asks."""
    seen: list[httpx.URL] = []
    page.on(
        "request", lambda r: seen.append(httpx.URL(r.url)) if "neighbourhood" in r.url else None
    )
    return seen


def expand_actor(page, slug: str) -> None:
    click_element(page, f"evkg.cy.getElementById('{ACTOR}{slug}')")
    page.wait_for_selector(f"body[data-expanded='{ACTOR}{slug}']", timeout=20000)


def test_click_on_actor_expands_its_neighbourhood(page, server):
    asked = neighbourhood_requests(page)
    open_page(page, server, "?max_nodes=3")  # start from the three most central actors
    assert len(drawn_labels(page)) == 3
    expand_actor(page, "united-states")
    assert [u.path for u in asked] == ["/actors/united-states/neighbourhood"]
    assert asked[0].params.get("compact") == "true" and "actor" not in asked[0].params
    labels = drawn_labels(page)
    assert {"Iranian operatives", "Qassem Soleimani", "Hashd al-Shaabi"} <= labels
    assert page.text_content("#actor-title") == "United States"
    assert "USA" in page.text_content("#panel")
    faded = set(page.evaluate("evkg.cy.nodes('.faded').map(n => n.data('label'))"))
    shown = labels - faded
    assert "Qassem Soleimani" in shown and "United States" in shown


def shown_ids(page) -> tuple[set[str], set[str]]:
    """The actors and edges the expansion left unfaded."""
    return (
        set(page.evaluate("evkg.cy.nodes().not('.faded').map(n => n.id())")),
        set(page.evaluate("evkg.cy.edges().not('.faded').map(e => e.id())")),
    )


def api_hood(server: str, slug: str, **params: object) -> tuple[set[str], set[str]]:
    """Actors and edge ids of the REST neighbourhood in the page's shape."""
    body = httpx.get(
        f"{server}/actors/{slug}/neighbourhood", params={"compact": "true", **params}
    ).json()
    at = {f: i for i, f in enumerate(body["edge_fields"])}
    ids = [n["id"] for n in body["nodes"]]
    return set(ids), {f"{ids[e[at['source']]]}|{ids[e[at['target']]]}" for e in body["edges"]}


def test_expansion_applies_the_document_and_several_roots(page, server):
    asked = neighbourhood_requests(page)
    open_page(page, server)
    doc = page.eval_on_selector(
        "#document", "s => [...s.options].find(o => o.text.includes('Watchdog')).value"
    )
    change_and_wait(page, lambda: page.select_option("#document", doc))
    change_and_wait(page, lambda: page.select_option("#root", ["07", "19"]))
    both = {"document": doc, "root": ["07", "19"]}
    # each click tells a filter apart: the Iraqi forces' neighbourhood needs both roots (the
    # coalition's aid to them, 07; Iran's strike on them, 19), the Islamic State's the
    # document (the other seed has the Pentagon fighting it)
    for slug, others in [
        (
            "iraqi-security-forces",
            [{"document": doc, "root": "07"}, {"document": doc, "root": "19"}],
        ),
        ("islamic-state", [{"root": ["07", "19"]}, {}]),
    ]:
        expand_actor(page, slug)
        url = asked[-1]
        assert url.path == f"/actors/{slug}/neighbourhood"
        assert url.params["document"] == doc and url.params.get_list("root") == ["07", "19"]
        nodes, edges = shown_ids(page)
        want_nodes, want_edges = api_hood(server, slug, **both)
        assert nodes == want_nodes and want_edges <= edges
        # the panel lists the expansion's own edges (the view may hold others among them)
        listed = page.locator("#panel .neighbours li").all_text_contents()
        assert len([t for t in listed if t != "no one"]) == len(want_edges)
        assert all(api_hood(server, slug, **p) != (want_nodes, want_edges) for p in others)
    assert page.text_content("#actor-title") == "Islamic State"


def test_click_on_edge_shows_its_sentence(page, server):
    open_page(page, server)
    source, target = f"{ACTOR}iran", f"{ACTOR}hashd-al-shaabi"
    click_element(page, f"evkg.cy.getElementById('{source}|{target}')")
    page.wait_for_selector("#edge-title", timeout=20000)
    assert page.text_content("#edge-title") == "Iran → Hashd al-Shaabi"
    events = httpx.get(f"{server}/network/edge", params={"source": source, "target": target})
    events = events.json()["events"]
    assert events
    sentences = page.locator(".event blockquote.sentence").all_text_contents()
    assert sentences == [e["sentence"] for e in events]
    assert all(len(s) > 20 for s in sentences)
    triggers = page.locator(".event mark.trigger").all_text_contents()
    assert len(triggers) == len(events)
    for trigger, event in zip(triggers, events, strict=True):
        mark = next(m for m in event["marks"] if m["kind"] == "trigger")
        assert trigger == event["sentence"][mark["start"] : mark["end"]]
    # the target is marked where the sentence names it (not where a pronoun stands for it)
    named = sum(m["kind"] == "target" for e in events for m in e["marks"])
    assert page.locator(".event mark.target").count() == named
    assert page.locator(".event time").first.text_content() == events[0]["date"]
    assert "Iran" in page.locator(".event a").first.text_content()
    # the reports of one happening are shown together, under one heading
    groups: dict[str, int] = {}
    for event in events:
        groups[event["happening"]] = groups.get(event["happening"], 0) + 1
    assert page.locator("#panel .happening").count() == sum(n > 1 for n in groups.values())
    assert f"{len(groups)} happening" in page.text_content("#panel")


def api_labels(server: str, **params: object) -> set[str]:
    return {n["label"] for n in httpx.get(f"{server}/network", params=params).json()["nodes"]}


def test_each_filter_changes_what_is_drawn(page, server):
    open_page(page, server)
    everyone = drawn_labels(page)
    assert everyone == api_labels(server)

    conflict = change_and_wait(page, lambda: page.select_option("#quad", "4"))
    assert conflict == api_labels(server, quad=4) != everyone
    assert "CBS News" not in conflict and "Iran" in conflict
    change_and_wait(page, lambda: page.select_option("#quad", []))

    fight = change_and_wait(page, lambda: page.select_option("#root", "19"))
    assert fight == api_labels(server, root="19") != everyone
    assert "Donald Trump" not in fight and "Qassem Soleimani" in fight
    change_and_wait(page, lambda: page.select_option("#root", []))

    def min_events(n: int):
        page.fill("#min-events", str(n))
        page.dispatch_event("#min-events", "change")

    strong = change_and_wait(page, lambda: min_events(2))
    assert strong == api_labels(server, min_events=2) != everyone
    assert {"United States", "Iran"} <= strong and "CBS News" not in strong
    change_and_wait(page, lambda: min_events(1))

    doc = page.eval_on_selector(
        "#document", "s => [...s.options].find(o => o.text.includes('Watchdog')).value"
    )
    second = change_and_wait(page, lambda: page.select_option("#document", doc))
    assert second == api_labels(server, document=doc) != everyone
    assert "Donald Trump" not in second and "Qassem Soleimani" in second
    change_and_wait(page, lambda: page.select_option("#document", ""))

    def from_2020():
        months = page.evaluate("evkg.state.months")
        page.eval_on_selector(
            "#time-from",
            "(el, i) => { el.value = i; el.dispatchEvent(new Event('input')); }",
            months.index("2020-01"),
        )

    recent = change_and_wait(page, from_2020)
    assert recent == api_labels(server, since="2020-01") != everyone
    assert "Donald Trump" not in recent and "Qassem Soleimani" in recent
    assert page.text_content("#time-label").startswith("2020-01")
    assert "2020-01" in page.get_attribute("#dl-graphml", "href")


def test_several_roots_and_quad_classes_draw_events_of_any(page, server):
    open_page(page, server)
    everyone = drawn_labels(page)
    both = change_and_wait(page, lambda: page.select_option("#root", ["18", "01"]))
    assert both == api_labels(server, root=["18", "01"])
    assert both == api_labels(server, root="18") | api_labels(server, root="01")
    assert both not in (api_labels(server, root="18"), api_labels(server, root="01"), everyone)
    href = page.get_attribute("#dl-gexf", "href")
    assert "root=18" in href and "root=01" in href
    change_and_wait(page, lambda: page.select_option("#root", []))

    cooperation = change_and_wait(page, lambda: page.select_option("#quad", ["1", "2"]))
    assert cooperation == api_labels(server, quad=[1, 2])
    assert cooperation == api_labels(server, quad=1) | api_labels(server, quad=2) != everyone
    body = httpx.get(f"{server}/network.json", params={"quad": [2, 1]}).json()
    assert body["meta"]["filters"]["quad"] == [1, 2]
    change_and_wait(page, lambda: page.click("#reset"))
    assert page.eval_on_selector("#quad", "s => s.selectedOptions.length") == 0
    assert drawn_labels(page) == everyone


QUAD_RGB = {1: "rgb(127,179,213)", 2: "rgb(31,97,141)", 3: "rgb(229,152,102)", 4: "rgb(192,57,43)"}


def test_edges_coloured_by_quad_class_with_the_legend_following(page, server):
    open_page(page, server)
    colours = "Object.fromEntries(evkg.cy.edges().map(e => [e.id(), e.style('line-color')]))"
    by_tone = page.evaluate(colours)
    assert page.locator("#legend .gradient").is_visible()
    assert not page.locator("#legend-quads").is_visible()
    before = loads(page)

    page.select_option("#edge-colour", "quad")
    by_quad = page.evaluate(colours)
    expected = {
        e["id"]: QUAD_RGB[e["quad"]] for e in httpx.get(f"{server}/network").json()["edges"]
    }
    assert by_quad == expected
    assert by_quad != by_tone
    assert page.locator("#legend-quads").is_visible()
    assert not page.locator("#legend .gradient").is_visible()
    assert "material conflict" in page.text_content("#legend-quads")
    assert loads(page) == before  # recoloured in place, not fetched again

    page.select_option("#edge-colour", "goldstein")
    assert page.evaluate(colours) == by_tone
    assert page.locator("#legend .gradient").is_visible()


def test_first_draw_does_not_wait_for_the_filter_facets(page, server):
    held = []  # the facets request is held unanswered until the network is drawn
    page.route("**/network/facets", lambda route: held.append(route))
    page.goto(f"{server}/")
    page.wait_for_function("window.evkg && evkg.drawnAt > 0", timeout=20000)
    assert held and drawn_labels(page) == api_labels(server)
    assert page.eval_on_selector("#root", "s => s.options.length") == 0
    assert page.get_attribute("body", "data-state") == "loading"  # filters not usable yet
    held[0].continue_()
    page.wait_for_selector("body[data-state=ready]", timeout=20000)
    assert page.eval_on_selector("#root", "s => s.options.length") > 5


def inside_viewport(page) -> bool:
    return page.evaluate("""() => { const e = evkg.cy.extent();
        return evkg.cy.nodes().every(n => { const b = n.boundingBox({includeLabels: false});
          return b.x1 >= e.x1 && b.x2 <= e.x2 && b.y1 >= e.y1 && b.y2 <= e.y2; }); }""")


def test_view_opens_fitted_to_every_actor(page, server):
    open_page(page, server)
    assert inside_viewport(page)
    assert page.evaluate("evkg.cy.zoom()") > 0.3  # fitted, not a dot in the middle


def test_large_view_labels_its_central_actors_until_zoomed_in(page, large_server):
    open_page(page, large_server)
    view = httpx.get(f"{large_server}/network").json()
    assert page.evaluate("evkg.cy.nodes().length") == len(view["nodes"]) == 600
    assert inside_viewport(page)
    top = set(page.evaluate("evkg.cy.nodes('.top').map(n => n.id())"))
    assert len(top) == 40
    weight = {n["id"]: n["weight"] for n in view["nodes"]}
    assert min(weight[n] for n in top) >= max(w for n, w in weight.items() if n not in top)
    label = "id => evkg.cy.getElementById(id).style('label')"
    some_top = sorted(top)[0]
    other = next(n for n in sorted(weight) if n not in top)
    assert page.evaluate(label, some_top) == page.evaluate(
        "id => evkg.cy.getElementById(id).data('label')", some_top
    )
    assert page.evaluate(label, other) == ""
    edge = "evkg.cy.edges()[0]"
    assert page.evaluate(f"{edge}.style('curve-style')") == "haystack"

    page.evaluate("() => { evkg.cy.zoom({level: 1, renderedPosition: {x: 300, y: 300}}); }")
    assert page.evaluate("evkg.cy.nodes('.named').length") == 600
    assert page.evaluate(label, other).startswith("Generated ")
    page.evaluate("() => { evkg.cy.fit(); }")  # (returning cy would serialise all of it)
    assert page.evaluate("evkg.cy.nodes('.named').length") == 0
    assert page.evaluate(label, other) == ""

    click_element(page, f"evkg.cy.getElementById('{other}')")  # expansion still works
    page.wait_for_selector(f"body[data-expanded='{other}']", timeout=20000)
    assert page.text_content("#actor-title") == page.evaluate(
        "id => evkg.cy.getElementById(id).data('label')", other
    )


def test_search_marks_actors_by_label_and_alias(page, server):
    open_page(page, server)
    page.fill("#search", "persia")  # an alias of Iran
    matched = page.evaluate("evkg.cy.nodes('.match').map(n => n.data('label'))")
    assert matched == ["Iran"]
    page.fill("#search", "")
    assert page.evaluate("evkg.cy.nodes('.match').length") == 0


def download(page, selector: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_downloads_parse_back(page, server, tmp_path):
    open_page(page, server)
    change_and_wait(page, lambda: page.select_option("#quad", "4"))
    drawn = drawn_labels(page)

    graphml = nx.read_graphml(download(page, "#dl-graphml", tmp_path))
    assert {d["label"] for _, d in graphml.nodes(data=True)} == drawn
    assert graphml.is_directed()

    gexf_path = download(page, "#dl-gexf", tmp_path)
    gexf = nx.read_gexf(gexf_path)
    assert {d["label"] for _, d in gexf.nodes(data=True)} == drawn
    assert all(d.get("start") for _, _, d in gexf.edges(data=True))
    text = gexf_path.read_text()
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text

    body = json.loads(download(page, "#dl-json", tmp_path).read_text())
    assert {n["label"] for n in body["nodes"]} == drawn
    assert body["meta"]["filters"]["quad"] == 4

    png = download(page, "#dl-png", tmp_path).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_page_explains_a_missing_network_library(page, server):
    page.route(
        "**/static/vendor/cytoscape.min.js", lambda route: route.fulfill(status=404, body="missing")
    )
    page.goto(server + "/")
    page.wait_for_selector("body[data-state=no-library]", timeout=20000)
    assert "npm ci" in page.text_content("#notice")
    assert httpx.get(f"{server}/network").status_code == 200  # the API works regardless


def test_bad_input_is_a_clear_400(server):
    for query, words in [
        ("?quad=9", "quad"),
        ("?quad=4&quad=9", "quad"),
        ("?root=19&root=x", "root"),
        ("?since=last-week", "since"),
        ("?min_events=0", "min_events"),
        ("?root=7", "root"),
    ]:
        response = httpx.get(f"{server}/network{query}")
        assert response.status_code == 400, query
        assert words in response.text
    response = httpx.get(f"{server}/network/edge", params={"source": "not an iri", "target": "x"})
    assert response.status_code == 400
    assert httpx.get(f"{server}/static/../main.py").status_code == 404


def test_missing_library_route_says_how_to_install(tmp_path, monkeypatch):
    """Without node_modules the library URL answers with the install hint, not a crash."""
    from app.routers import network as router

    monkeypatch.setattr(router, "CYTOSCAPE_JS", tmp_path / "absent.js")
    response = router.cytoscape_library()
    assert response.status_code == 404
    assert b"npm ci" in response.body


def test_screenshot_for_the_readme(page, server):
    """Keep docs/screenshot.png a real picture of the page (written only on request)."""
    if not os.environ.get("EVKG_SCREENSHOT"):
        pytest.skip("set EVKG_SCREENSHOT=1 to refresh docs/screenshot.png")
    open_page(page, server)
    click_element(page, f"evkg.cy.getElementById('{ACTOR}iran|{ACTOR}hashd-al-shaabi')")
    page.wait_for_selector("#edge-title")
    page.evaluate("() => { evkg.cy.fit(undefined, 30); }")
    page.wait_for_timeout(300)
    target = ROOT / "docs" / "screenshot.png"
    page.screenshot(path=str(target))
