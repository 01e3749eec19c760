"""The browser pages besides the network view: YASGUI at /sparql, Swagger UI at /docs and
ReDoc at /redoc, driven in headless Chromium against the real server on loopback with the
seed documents, offline. Every request a page makes is recorded; one to anything but this
machine is aborted, and a test whose page tried one fails (the pages' Content-Security-
Policy refuses ReDoc's credit logo before it is asked for; that refusal is recorded too)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from app.sparql_page import EXAMPLES, with_prefixes
from tests.api_server import ApiServer, seed_store, start_api
from tests.browser import CHROMIUM, chromium

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["@zazuko/yasgui", "swagger-ui-dist", "redoc", "cytoscape"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Asked for by a library and refused by the page's policy before any request is made.
REFUSED_BY_POLICY = {"https://cdn.redoc.ly/redoc/logo-mini.svg"}
PAGES = ["/", "/sparql", "/docs", "/redoc"]
TEST_GRAPH = "https://example.org/graph/frontends-test"

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module", autouse=True)
def browser_and_packages() -> None:
    """Skip without Chromium or the npm packages, except under CI, where it fails."""
    missing = [p for p in PACKAGES if not (ROOT / "node_modules" / p).is_dir()]
    if not Path(CHROMIUM).exists():
        missing.append(CHROMIUM)
    if missing:
        why = f"missing {', '.join(missing)} (scripts/setup-system.sh, scripts/setup.sh)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    seeded = tmp_path_factory.mktemp("frontends-seeded") / "store"
    seed_store(seeded)
    yield from start_api(tmp_path_factory.mktemp("frontends"), seeded)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS


@dataclass
class Offline:
    """A page whose every request is recorded and whose non-local requests are aborted."""

    page: Any
    requests: list[str] = field(default_factory=list)  # every request the page made
    external: list[str] = field(default_factory=list)  # non-local, reached the network
    refused: dict[str, str] = field(default_factory=dict)  # failed request -> why
    errors: list[str] = field(default_factory=list)

    def non_local(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]

    def check(self) -> None:
        """Nothing left the machine: no non-local request reached the network, and each
        one a library tried was refused by the page's policy and is a known one."""
        assert self.external == [], f"requests that would have left: {self.external}"
        for url in self.non_local():
            assert self.refused.get(url) == "csp", f"{url} was not refused: {self.refused}"
            assert url in REFUSED_BY_POLICY, f"a new attempt to leave the machine: {url}"
        assert not self.errors, self.errors


@pytest.fixture
def offline(browser: Any, api: ApiServer) -> Iterator[Offline]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})

    def route(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            held.external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    held = Offline(page)
    page.on("request", lambda r: held.requests.append(r.url))
    page.on("requestfailed", lambda r: held.refused.__setitem__(r.url, r.failure or ""))
    page.on("pageerror", lambda exc: held.errors.append(str(exc)))
    yield held
    context.close()
    held.check()


def open_page(offline: Offline, api: ApiServer, path: str, state: str = "ready") -> Any:
    page = offline.page
    page.goto(api.base + path)
    page.wait_for_selector(f"body[data-state={state}]", timeout=30000)
    return page


def operations(api: ApiServer) -> list[tuple[str, str]]:
    spec = httpx.get(f"{api.base}/openapi.json").json()
    methods = {"get", "put", "post", "delete", "patch", "head", "options"}
    return [(path, m) for path, item in spec["paths"].items() for m in item if m in methods]


# -- no request leaves the machine ---------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_no_request_leaves_the_machine(offline: Offline, api: ApiServer, path: str) -> None:
    page = open_page(offline, api, path)
    page.wait_for_load_state("networkidle")
    assert offline.requests, "nothing was recorded"
    assert all(
        url.startswith(api.base)
        for url in offline.requests
        if is_local(url) and not url.startswith(("data:", "blob:"))
    )
    offline.check()
    # ReDoc's credit logo is the one thing a page asks for elsewhere; the policy refuses it
    expected = REFUSED_BY_POLICY if path == "/redoc" else set()
    assert set(offline.non_local()) == expected


# -- every page names the store and links to the others ------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_each_page_names_the_store_and_links_to_the_others(
    offline: Offline, api: ApiServer, path: str
) -> None:
    page = open_page(offline, api, path)
    health = httpx.get(f"{api.base}/health").json()
    stats = httpx.get(f"{api.base}/stats").json()
    assert stats["documents"] == 2 and stats["events"] > 20
    served = page.locator(".evkg-served")
    served.filter(has_text="events").wait_for(timeout=10000)
    assert served.text_content() == (
        f"{health['store']} · {stats['documents']} documents · {stats['events']} events"
    )
    links = page.eval_on_selector_all(".evkg-nav a", "as => as.map(a => a.getAttribute('href'))")
    assert links == ["/", "/sparql", "/docs", "/redoc"]
    current = page.eval_on_selector(".evkg-nav a[aria-current=page]", "a => a.getAttribute('href')")
    assert current == path


# -- YASGUI --------------------------------------------------------------------------------


def table(page: Any) -> tuple[list[str], list[list[str]]]:
    """The active tab's result table: column names, and each row's cells as shown."""
    return page.evaluate("""() => {
        const table = document.querySelector('.tabPanel.active .yasr table.dataTable');
        const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
        const rows = [...table.querySelectorAll('tbody tr')].map(tr =>
            [...tr.querySelectorAll('td')].map(td => td.textContent.trim()));
        return [heads, rows];
    }""")


def run_active_tab(page: Any) -> None:
    with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST"):
        page.locator(".tabPanel.active .yasqe_queryButton").click()


def test_examples_open_as_named_tabs_with_their_prefixes(offline: Offline, api: ApiServer) -> None:
    page = open_page(offline, api, "/sparql")
    tabs = page.evaluate("""Object.values(evkg.yasgui._tabs).map(t =>
        [t.getName(), t.getYasqe().getValue(), t.getYasqe().queryValid, t.getEndpoint()])""")
    assert [name for name, *_ in tabs] == list(EXAMPLES)
    for (name, text, valid, endpoint), query in zip(tabs, EXAMPLES.values(), strict=True):
        assert text == with_prefixes(query) and text.startswith("PREFIX "), name
        assert valid, f"the editor finds {name!r} invalid"
        assert endpoint == f"{api.base}/sparql"
    # a button opens its example's tab again after it was closed
    page.evaluate("evkg.yasgui.getTab().close()")
    page.click("button[data-example='0']")
    assert page.evaluate("evkg.yasgui.getTab().getName()") == "Events by CAMEO root"


def test_example_query_shows_its_rows_linked_to_linked_data(
    offline: Offline, api: ApiServer
) -> None:
    page = open_page(offline, api, "/sparql")
    name = "Who attacked whom"
    page.click(f"text={name}")
    assert page.evaluate("evkg.yasgui.getTab().getName()") == name
    run_active_tab(page)
    page.wait_for_selector(".tabPanel.active .yasr table.dataTable tbody tr", timeout=20000)
    heads, rows = table(page)
    expected = httpx.post(
        f"{api.base}/sparql",
        data={"query": with_prefixes(EXAMPLES[name])},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    assert len(expected) >= 8
    assert heads[1:] == ["source", "sourceLabel", "target", "targetLabel", "date", "event"]
    assert len(rows) == len(expected)
    shown = [(row[2], row[4]) for row in rows]
    assert shown == [(b["sourceLabel"]["value"], b["targetLabel"]["value"]) for b in expected]
    assert ("United States", "Qassem Soleimani") in shown
    # minted IRIs show by their prefix and link to this service's Linked Data pages
    assert rows[0][1].startswith("actor:") and rows[0][6].startswith("event:")
    hrefs = page.eval_on_selector_all(
        ".tabPanel.active .yasr a.iri", "as => as.map(a => [a.dataset.iri, a.href])"
    )
    minted = [(iri, href) for iri, href in hrefs if iri]
    assert len(minted) == 3 * len(rows)
    for iri, href in minted:
        assert href == api.base + "/id/" + iri.removeprefix("https://evkg.org/id/")
    actor = next(href for iri, href in minted if "/actor/" in iri)
    event = next(href for iri, href in minted if "/event/" in iri)
    assert httpx.get(actor, follow_redirects=True).status_code == 200
    described = httpx.get(event, headers={"Accept": "text/turtle"})
    assert described.status_code == 200 and "sem:Event" in described.text


def test_every_example_runs_in_the_page(offline: Offline, api: ApiServer) -> None:
    page = open_page(offline, api, "/sparql")
    for n, name in enumerate(EXAMPLES):
        page.click(f"button[data-example='{n}']")
        run_active_tab(page)
        page.wait_for_selector(".tabPanel.active .yasr table.dataTable tbody tr", timeout=20000)
        _, rows = table(page)
        assert rows and rows[0][1], name


def test_completion_offers_evkg_terms_and_declares_prefixes(
    offline: Offline, api: ApiServer
) -> None:
    page = open_page(offline, api, "/sparql")
    page.evaluate("() => { evkg.yasgui.addTab(true, {name: 'typing', yasqe: {value: ''}}); }")
    page.evaluate("() => { const y = evkg.yasgui.getTab().getYasqe(); y.focus(); }")
    page.keyboard.type("SELECT * WHERE { ?e a sem:Ev")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hint")
    hints.first.wait_for(timeout=5000)
    assert hints.all_text_contents() == ["sem:Event"]
    page.keyboard.press("Enter")
    page.keyboard.type(" ; evkg:sou")
    page.keyboard.press("Control+Space")
    page.locator(".CodeMirror-hint", has_text="evkg:source").wait_for(timeout=5000)
    page.keyboard.press("Enter")
    text = page.evaluate("evkg.yasgui.getTab().getYasqe().getValue()")
    # typing a known prefix declared it
    assert "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>" in text
    assert "PREFIX evkg: <https://evkg.org/ontology#>" in text
    assert text.rstrip().endswith("?e a sem:Event ; evkg:source")


def test_updates_run_from_the_page_with_the_token(offline: Offline, api: ApiServer) -> None:
    page = open_page(offline, api, "/sparql")
    update = f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:x:a> <urn:x:b> 1 }} }}"
    page.evaluate(
        "(text) => { evkg.yasgui.addTab(true, {name: 'update', yasqe: {value: text}}); }", update
    )
    ask = {"query": f"ASK {{ GRAPH <{TEST_GRAPH}> {{ <urn:x:a> <urn:x:b> 1 }} }}"}
    accept = {"Accept": "application/sparql-results+json"}
    try:
        with page.expect_response(lambda r: r.url.endswith("/sparql")) as without:
            page.locator(".tabPanel.active .yasqe_queryButton").click()
        assert without.value.status == 401
        assert "authorization" not in without.value.request.all_headers()
        assert httpx.post(f"{api.base}/sparql", data=ask, headers=accept).json()["boolean"] is False

        page.fill("#token", api.token)
        with page.expect_response(lambda r: r.url.endswith("/sparql")) as with_token:
            page.locator(".tabPanel.active .yasqe_queryButton").click()
        assert with_token.value.status == 204
        assert with_token.value.request.all_headers()["authorization"] == f"Bearer {api.token}"
        assert httpx.post(f"{api.base}/sparql", data=ask, headers=accept).json()["boolean"] is True
    finally:
        httpx.delete(f"{api.base}/rdf-graphs", params={"graph": TEST_GRAPH}, headers=api.auth)


# -- Swagger UI and ReDoc --------------------------------------------------------------


def test_swagger_ui_lists_every_operation(offline: Offline, api: ApiServer) -> None:
    page = open_page(offline, api, "/docs")
    page.wait_for_selector(".opblock", timeout=20000)
    shown = page.eval_on_selector_all(
        ".opblock",
        """blocks => blocks.map(b => [
        b.querySelector('.opblock-summary-path').textContent.replace(/\\u200b/g, ''),
        b.querySelector('.opblock-summary-method').textContent.toLowerCase()])""",
    )
    assert sorted(map(tuple, shown)) == sorted(operations(api))
    assert page.locator(".opblock-tag").count() == len(
        {
            t
            for item in httpx.get(f"{api.base}/openapi.json").json()["paths"].values()
            for op in item.values()
            for t in op.get("tags", [])
        }
    )
    assert page.locator(".info .title").text_content().startswith("evkg")


def test_redoc_renders_a_section_per_tag_and_operation(offline: Offline, api: ApiServer) -> None:
    page = open_page(offline, api, "/redoc")
    ids = page.eval_on_selector_all("[data-section-id]", "es => es.map(e => e.dataset.sectionId)")
    spec = httpx.get(f"{api.base}/openapi.json").json()
    tags = {t for item in spec["paths"].values() for op in item.values() for t in op["tags"]}
    sections = {i.removeprefix("tag/") for i in ids if i.startswith("tag/") and "/" not in i[4:]}
    assert sections == {tag.replace(" ", "-") for tag in tags}  # ReDoc's anchors
    assert len([i for i in ids if i.startswith("operation/")]) == len(operations(api))
    assert "evkg" in page.locator(".api-content h1").first.text_content()


# -- a missing package ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,library",
    [
        ("/sparql", "**/static/vendor/yasgui/yasgui.min.js"),
        ("/docs", "**/static/vendor/swagger-ui/swagger-ui-bundle.js"),
        ("/redoc", "**/static/vendor/redoc/redoc.standalone.js"),
    ],
)
def test_page_explains_a_missing_library(
    offline: Offline, api: ApiServer, path: str, library: str
) -> None:
    offline.page.route(library, lambda route: route.fulfill(status=404, body="missing"))
    page = open_page(offline, api, path, state="no-library")
    notice = page.locator("#notice")
    assert notice.is_visible()
    assert "npm ci" in notice.text_content() and "scripts/setup.sh" in notice.text_content()
    assert httpx.get(f"{api.base}/health").status_code == 200  # the API works regardless


def test_missing_library_file_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import pages
    from app.routers import frontends

    monkeypatch.setattr(pages, "NODE_MODULES", tmp_path)
    for library, name in [
        ("yasgui", "yasgui.min.js"),
        ("swagger-ui", "swagger-ui.css"),
        ("redoc", "redoc.standalone.js"),
    ]:
        response = frontends.vendor_file(library, name)
        assert response.status_code == 404
        assert b"npm ci" in response.body, library
        assert not pages.LIBRARIES[library].installed()


def test_only_the_libraries_files_are_served(api: ApiServer) -> None:
    for url in [
        "/static/vendor/yasgui/package.json",
        "/static/vendor/redoc/../x.js",
        "/static/vendor/left-pad/index.js",
        "/static/pages/../../main.py",
    ]:
        assert httpx.get(api.base + url).status_code == 404, url
    js = httpx.get(f"{api.base}/static/vendor/yasgui/yasgui.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")


def test_clients_still_get_the_protocols_answers(api: ApiServer) -> None:
    sparql = f"{api.base}/sparql"
    page = httpx.get(sparql, headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "yasgui" in page.text
    config = page.text.split('id="sparql-config">')[1].split("</script>")[0]
    assert json.loads(config)["endpoint"] == sparql
    description = httpx.get(sparql, headers={"Accept": "text/turtle"})
    assert description.headers["content-type"].startswith("text/turtle")
    rows = httpx.get(
        sparql,
        params={"query": "SELECT * WHERE { ?s a evkg:Document }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert len(rows.json()["results"]["bindings"]) == 2
