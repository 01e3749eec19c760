"""The network page, driven in headless Chromium against the real server on loopback, with
the seed documents ingested into a fresh embedded store."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ACTOR = "https://evkg.org/id/actor/"
EXPECTED = {"United States", "Iran", "Hashd al-Shaabi", "Donald Trump", "Iraqi Security Forces",
            "Iran-backed militias", "Qassem Soleimani", "CBS News"}

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or not (ROOT / "node_modules/cytoscape").is_dir(),
    reason="needs Debian's chromium and `npm ci` (scripts/setup-system.sh, scripts/setup.sh)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`evkg ingest seeds` into a new store, then the real app on uvicorn."""
    folder = tmp_path_factory.mktemp("page")
    env = {**os.environ, "EVKG_STORE": f"oxigraph:{folder / 'store'}"}
    env.pop("EVKG_TOKEN", None)
    evkg = [sys.executable, "-m", "app.cli"]
    subprocess.run([*evkg, "ingest", str(ROOT / "seeds")], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    port = free_port()
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text())
            try:
                if httpx.get(f"{base}/network", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
    page.wait_for_function(f"Number(document.body.dataset.loads) > {before} && "
                           "document.body.dataset.state === 'ready'", timeout=20000)
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


def test_click_on_actor_expands_its_neighbourhood(page, server):
    open_page(page, server, "?max_nodes=3")  # start from the three most central actors
    assert len(drawn_labels(page)) == 3
    click_element(page, f"evkg.cy.getElementById('{ACTOR}united-states')")
    page.wait_for_selector(f"body[data-expanded='{ACTOR}united-states']", timeout=20000)
    labels = drawn_labels(page)
    assert {"Iranian operatives", "Qassem Soleimani", "Hashd al-Shaabi"} <= labels
    assert page.text_content("#actor-title") == "United States"
    assert "USA" in page.text_content("#panel")
    faded = set(page.evaluate("evkg.cy.nodes('.faded').map(n => n.data('label'))"))
    shown = labels - faded
    assert "Qassem Soleimani" in shown and "United States" in shown


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
        assert trigger == event["sentence"][mark["start"]:mark["end"]]
    assert page.locator(".event mark.target").count() >= 1
    assert page.locator(".event time").first.text_content() == events[0]["date"]
    assert "Iran" in page.locator(".event a").first.text_content()


def api_labels(server: str, **params: object) -> set[str]:
    return {n["label"] for n in httpx.get(f"{server}/network", params=params).json()["nodes"]}


def test_each_filter_changes_what_is_drawn(page, server):
    open_page(page, server)
    everyone = drawn_labels(page)
    assert everyone == api_labels(server)

    conflict = change_and_wait(page, lambda: page.select_option("#quad", "4"))
    assert conflict == api_labels(server, quad=4) != everyone
    assert "CBS News" not in conflict and "Iran" in conflict
    change_and_wait(page, lambda: page.select_option("#quad", ""))

    fight = change_and_wait(page, lambda: page.select_option("#root", "19"))
    assert fight == api_labels(server, root="19") != everyone
    assert "Donald Trump" not in fight and "Qassem Soleimani" in fight
    change_and_wait(page, lambda: page.select_option("#root", ""))

    def min_events(n: int):
        page.fill("#min-events", str(n))
        page.dispatch_event("#min-events", "change")

    strong = change_and_wait(page, lambda: min_events(2))
    assert strong == api_labels(server, min_events=2) != everyone
    assert {"United States", "Iran"} <= strong and "CBS News" not in strong
    change_and_wait(page, lambda: min_events(1))

    doc = page.eval_on_selector("#document", "s => [...s.options].find(o => "
                                "o.text.includes('Watchdog')).value")
    second = change_and_wait(page, lambda: page.select_option("#document", doc))
    assert second == api_labels(server, document=doc) != everyone
    assert "Donald Trump" not in second and "Qassem Soleimani" in second
    change_and_wait(page, lambda: page.select_option("#document", ""))

    def from_2020():
        months = page.evaluate("evkg.state.months")
        page.eval_on_selector("#time-from", "(el, i) => { el.value = i; "
                              "el.dispatchEvent(new Event('input')); }", months.index("2020-01"))
    recent = change_and_wait(page, from_2020)
    assert recent == api_labels(server, since="2020-01") != everyone
    assert "Donald Trump" not in recent and "Qassem Soleimani" in recent
    assert page.text_content("#time-label").startswith("2020-01")
    assert "2020-01" in page.get_attribute("#dl-graphml", "href")


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
    page.route("**/static/vendor/cytoscape.min.js", lambda route: route.fulfill(
        status=404, body="missing"))
    page.goto(server + "/")
    page.wait_for_selector("body[data-state=no-library]", timeout=20000)
    assert "npm ci" in page.text_content("#notice")
    assert httpx.get(f"{server}/network").status_code == 200  # the API works regardless


def test_bad_input_is_a_clear_400(server):
    for query, words in [("?quad=9", "quad"), ("?since=last-week", "since"),
                         ("?min_events=0", "min_events"), ("?root=7", "root")]:
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
    page.evaluate("evkg.cy.fit(undefined, 30)")
    page.wait_for_timeout(300)
    target = ROOT / "docs" / "screenshot.png"
    page.screenshot(path=str(target))
