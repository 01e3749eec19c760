"""The network view and its exports on a small hand-made graph: positions and caching, the
central-actor cap, GraphML/GEXF/JSON that parse back with networkx, the offline HTML file
opened from disk in Chromium, and `evkg network`."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import pytest

from graph.network import (
    EDGE_FIELDS,
    Filters,
    NetworkCache,
    build_network,
    compact_json,
    dyad_events,
    encode,
    facets,
    neighbourhood,
    neighbourhood_page,
    network_view,
    page_view,
    parse_filters,
)
from graph.network.export import full_date, render, to_gexf
from graph.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
A = "https://evkg.org/id/actor/"
DOC = "https://evkg.org/id/document/"
CHROMIUM = "/usr/bin/chromium"

PREFIXES = """
@prefix evkg: <https://evkg.org/ontology#> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix cameo: <https://evkg.org/cameo/> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix gaf: <http://groundedannotationframework.org/gaf#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
VOCAB = PREFIXES + """
cameo:scheme a skos:ConceptScheme .
cameo:19 skos:topConceptOf cameo:scheme ; skos:notation "19" ; skos:prefLabel "FIGHT" .
cameo:07 skos:topConceptOf cameo:scheme ; skos:notation "07" ; skos:prefLabel "PROVIDE AID" .
cameo:190 skos:notation "190" ; evkg:goldstein -10.0 ; evkg:quadClass 4 ; skos:broader cameo:19 .
cameo:070 skos:notation "070" ; evkg:goldstein 7.0 ; evkg:quadClass 2 ; skos:broader cameo:07 .
evkg:State skos:notation "state" . evkg:Militia skos:notation "militia" .
<https://evkg.org/id/actor/us> skos:prefLabel "United States" ; skos:altLabel "U.S.", "America" ;
  evkg:actorKind evkg:State ; evkg:countryCode "USA" .
<https://evkg.org/id/actor/iran> skos:prefLabel "Iran" ; skos:altLabel "Tehran" ;
  evkg:actorKind evkg:State ; evkg:countryCode "IRN" .
<https://evkg.org/id/actor/kh> skos:prefLabel "Kata'ib Hezbollah" ; evkg:actorKind evkg:Militia ;
  evkg:countryCode "IRQ" .
<https://evkg.org/id/actor/isis> skos:prefLabel "Islamic State" .
"""
TEXT = "Tehran sent aid to Kata'ib Hezbollah. The U.S. struck Kata'ib Hezbollah in Iraq."


def event(doc: str, n: int, source: str, target: str, code: str, date: str, dtype: str,
          trigger: tuple[int, int], sentence: tuple[int, int]) -> str:
    e = f"<https://evkg.org/id/event/{doc}-{n}>"
    d = f"<{DOC}{doc}>"
    return f"""{e} a sem:Event ; evkg:source <{A}{source}> ; evkg:target <{A}{target}> ;
  sem:hasActor <{A}{source}>, <{A}{target}> ; sem:eventType cameo:{code} ;
  rdfs:label "{source} {code} {target}" ;
  sem:hasTimeStamp "{date}"^^xsd:{dtype} ; prov:wasDerivedFrom {d} ;
  gaf:denotedBy <{DOC}{doc}#char={trigger[0]},{trigger[1]}> ;
  evkg:sentence <{DOC}{doc}#char={sentence[0]},{sentence[1]}> .
<{DOC}{doc}#char={trigger[0]},{trigger[1]}> nif:beginIndex {trigger[0]} ;
  nif:endIndex {trigger[1]} ; nif:anchorOf "{TEXT[trigger[0]:trigger[1]]}" .
<{DOC}{doc}#char={sentence[0]},{sentence[1]}> nif:beginIndex {sentence[0]} ;
  nif:endIndex {sentence[1]} ; nif:anchorOf "{TEXT[sentence[0]:sentence[1]]}" .
"""


def document(doc: str, title: str, events: list[str]) -> str:
    return PREFIXES + f"""<{DOC}{doc}> a evkg:Document ; dcterms:title "{title}" ;
  evkg:contentHash "{doc}-hash" ; dcterms:issued "2020-01-05"^^xsd:date .
""" + "".join(events)


S1, S2 = (0, 37), (38, 81)
DOC_A = document("a", "Aid and strikes", [
    event("a", 1, "iran", "kh", "070", "2019-12", "gYearMonth", (7, 15), S1),
    event("a", 2, "iran", "kh", "070", "2020-01-03", "date", (7, 15), S1),
    event("a", 3, "us", "kh", "190", "2020-01-05", "date", (46, 52), S2),
])
DOC_B = document("b", "Strike on Iran", [
    event("b", 1, "us", "iran", "190", "2020-01-03", "date", (46, 52), S2),
])


def fill(store: OxigraphStore) -> None:
    store.load(VOCAB.encode(), "https://evkg.org/graph/test-vocab", "turtle")
    store.load(DOC_A.encode(), f"{DOC}a", "turtle")
    store.load(DOC_B.encode(), f"{DOC}b", "turtle")


@pytest.fixture
def store() -> OxigraphStore:
    store = OxigraphStore(None)
    fill(store)
    yield store
    store.close()


def test_view_has_facts_weights_positions_and_mean_tone(store):
    graph, body = network_view(store)
    assert {n["label"] for n in body["nodes"]} == {"United States", "Iran", "Kata'ib Hezbollah"}
    iran = next(n for n in body["nodes"] if n["label"] == "Iran")
    assert (iran["kind"], iran["country"], iran["aliases"]) == ("state", "IRN", ["Tehran"])
    assert iran["weight"] == 3  # two aid events out, one strike in
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in body["nodes"])
    aid = next(e for e in body["edges"] if e["id"] == f"{A}iran|{A}kh")
    assert (aid["count"], aid["goldstein"], aid["first"]) == (2, 7.0, "2019-12")
    assert body["meta"]["truncated"] is False and body["meta"]["edges"] == 3


def test_large_views_keep_the_most_central_actors(store):
    _, body = network_view(store, max_nodes=2)
    labels = {n["label"] for n in body["nodes"]}
    assert labels == {"Iran", "Kata'ib Hezbollah"}  # weighted degree 3 and 3, US has 2
    assert body["meta"]["truncated"] is True and body["meta"]["total_nodes"] == 3


def test_positions_are_cached_per_filters_and_store_version(store):
    cache = NetworkCache()
    first, _ = network_view(store, cache=cache)
    again, _ = network_view(store, cache=cache)
    assert again is first  # served from the cache: no query for the network, no layout
    network_view(store, Filters(quad=4), cache=cache)
    assert cache.layouts.misses == 2
    store.remove_graph(f"{DOC}b")  # the store changed: the view is rebuilt
    cache.written()
    changed, body = network_view(store, cache=cache)
    assert changed is not first and cache.layouts.misses == 3
    assert {e["id"] for e in body["edges"]} == {f"{A}iran|{A}kh", f"{A}us|{A}kh"}


def test_filters_narrow_the_view(store):
    def labels(**kw):
        return {n["label"] for n in network_view(store, Filters(**kw))[1]["nodes"]}

    assert labels(quad=4) == {"United States", "Iran", "Kata'ib Hezbollah"}
    assert labels(root="07") == {"Iran", "Kata'ib Hezbollah"}
    assert labels(min_events=2) == {"Iran", "Kata'ib Hezbollah"}
    assert labels(document=f"{DOC}b") == {"United States", "Iran"}
    assert labels(until="2019-12-31") == {"Iran", "Kata'ib Hezbollah"}


def test_several_roots_or_quad_classes_match_any_of_them(store):
    def labels(**kw):
        return {n["label"] for n in network_view(store, Filters(**kw))[1]["nodes"]}

    assert labels(root=("07", "19")) == {"United States", "Iran", "Kata'ib Hezbollah"}
    assert labels(root=("07", "19")) != labels(root="07")
    assert labels(quad=(2,)) == labels(quad=2) == {"Iran", "Kata'ib Hezbollah"}
    assert labels(quad=(1, 3)) == set()
    for bad in ({"quad": (2, 9)}, {"root": ("07", "7")}, {"root": ("07", 19)}):
        with pytest.raises(ValueError):
            Filters(**bad)


def test_one_parser_reads_filters_as_a_query_string_or_command_line_gives_them():
    """Empty values are no filter, repeated roots and quads in any order are one filter
    set (so they share what is kept), and a bad value says what is accepted."""
    assert parse_filters("", "", [""], None, 1, "", None) == Filters()
    assert parse_filters(root=["19", "18", "19"]) == parse_filters(root=("18", "19"))
    assert parse_filters(root=["19", "18"]).key() == Filters(root=("18", "19")).key()
    assert parse_filters(quad=[4]) == Filters(quad=4)
    assert parse_filters(modality=["Claimed, negated"]).modality == ("claimed", "negated")
    for bad, says in (({"since": "May"}, "since"), ({"quad": [5]}, "quad"),
                      ({"modality": "rumoured"}, "modality"), ({"min_events": 0}, "min_events")):
        with pytest.raises(ValueError, match=says):
            parse_filters(**bad)


def test_each_edge_has_the_quad_class_of_most_of_its_events(store):
    graph, body = network_view(store)
    quads = {e["id"]: e["quad"] for e in body["edges"]}
    assert quads == {f"{A}iran|{A}kh": 2, f"{A}us|{A}kh": 4, f"{A}us|{A}iran": 4}
    parsed = nx.read_graphml(_bytes_file(render(graph, "graphml")))
    assert parsed.edges[f"{A}iran", f"{A}kh"]["quad"] == 2


@pytest.mark.parametrize("cached", [True, False])
def test_an_expanded_neighbourhood_has_the_quad_classes_of_the_view(store, cached):
    """The page draws an expansion (`neighbourhood_page`) with the view's colours."""
    _, body = network_view(store)
    view = {(e["source"], e["target"]): e["quad"] for e in body["edges"]}
    network = build_network(store) if cached else None
    hood = neighbourhood(store, f"{A}us", hops=2, evidence=False, network=network)
    page = neighbourhood_page(store, hood)
    ids = [n["id"] for n in page["nodes"]]
    field = page["edge_fields"].index("quad")
    expanded = {(ids[row[0]], ids[row[1]]): row[field] for row in page["edges"]}
    assert expanded == view and set(expanded.values()) == {2, 4}


def test_compact_shape_holds_the_view_in_fewer_bytes(store):
    graph, body = network_view(store)
    compact = compact_json(graph)
    assert compact["edge_fields"] == EDGE_FIELDS
    ids = [n["id"] for n in compact["nodes"]]
    assert ids == [n["id"] for n in body["nodes"]]
    rows = [dict(zip(EDGE_FIELDS, row, strict=True)) for row in compact["edges"]]
    rebuilt = [{**r, "source": ids[r["source"]], "target": ids[r["target"]]} for r in rows]
    assert rebuilt == [{k: e[k] for k in EDGE_FIELDS} for e in body["edges"]]
    us = next(n for n in compact["nodes"] if n["label"] == "United States")
    assert (us["country"], us["aliases"], us["weight"]) == ("USA", ["America", "U.S."], 2)
    assert "sector" not in us  # empty facts are left out
    assert compact["meta"] == body["meta"]
    assert len(encode(compact)) < len(encode(body))


def test_the_view_and_neighbourhoods_read_one_kept_network(store):
    """One builder, one cache: the view, its page shape and a neighbourhood under the same
    filters share one network build; a write carries it forward instead of a new build."""
    cache = NetworkCache()
    version = cache.version(store)
    network_view(store, cache=cache)
    page_view(store, Filters(min_events=2), cache=cache)  # min_events is pruned, not built
    network = cache.get(store, version, Filters())
    hood = neighbourhood(store, f"{A}us", hops=1, evidence=False, network=network)
    assert set(hood.graph) == {f"{A}us", f"{A}iran", f"{A}kh"}
    assert cache.builds == 1
    store.remove_graph(f"{DOC}b")
    cache.written()
    assert cache.version(store) != version
    assert cache.advance(store, version, cache.version(store), [f"{DOC}b"]) == 1
    _, body = network_view(store, cache=cache)
    assert {e["id"] for e in body["edges"]} == {f"{A}iran|{A}kh", f"{A}us|{A}kh"}
    assert cache.builds == 1


def test_page_view_is_cached_encoded_until_the_store_changes(store):
    cache = NetworkCache()
    first = page_view(store, cache=cache)
    assert len(cache.views) == 1 and len(cache.view_bodies) == 0  # no node-link JSON made
    assert page_view(store, cache=cache) is first
    view = network_view(store, cache=cache)[0]
    assert json.loads(first) == json.loads(encode(compact_json(view)))  # version: a list
    assert network_view(store, cache=cache)[1] is network_view(store, cache=cache)[1]
    store.remove_graph(f"{DOC}b")
    cache.written()
    changed = json.loads(page_view(store, cache=cache))
    assert changed["meta"]["edges"] == 2 and changed != json.loads(first)


def test_facets_offer_documents_roots_and_a_monthly_histogram(store):
    f = facets(store)
    assert f["histogram"] == [
        {"month": "2019-12", "count": 1, "reports": 1},
        {"month": "2020-01", "count": 3, "reports": 3},
    ]
    assert [d["title"] for d in f["documents"]] == ["Aid and strikes", "Strike on Iran"]
    assert {r["code"] for r in f["roots"]} == {"07", "19"}


def test_edge_events_mark_trigger_and_actors_in_the_sentence(store):
    events = dyad_events(store, f"{A}iran", f"{A}kh")
    assert [e["date"] for e in events] == ["2019-12", "2020-01-03"]
    text = events[0]["sentence"]
    marked = {m["kind"]: text[m["start"]:m["end"]] for m in events[0]["marks"]}
    assert marked == {"source": "Tehran", "trigger": "sent aid", "target": "Kata'ib Hezbollah"}
    assert events[0]["document_title"] == "Aid and strikes"


def test_graphml_parses_back(store):
    graph, body = network_view(store)
    parsed = nx.read_graphml(_bytes_file(render(graph, "graphml")))
    assert parsed.is_directed()
    assert set(parsed.nodes) == {n["id"] for n in body["nodes"]}
    assert parsed.nodes[f"{A}iran"]["label"] == "Iran"
    assert parsed.nodes[f"{A}us"]["aliases"] == "America; U.S."
    assert parsed.edges[f"{A}iran", f"{A}kh"]["weight"] == 2.0


def test_gexf_carries_dates_for_gephis_timeline(store):
    graph, _ = network_view(store)
    raw = to_gexf(graph)
    assert b'mode="dynamic"' in raw and b'timeformat="date"' in raw
    parsed = nx.read_gexf(_bytes_file(raw))
    assert parsed.nodes[f"{A}kh"]["start"] == "2019-12-01"  # a month is its first day
    assert parsed.nodes[f"{A}us"]["start"] == "2020-01-03"
    aid = parsed.edges[f"{A}iran", f"{A}kh"]
    assert aid["start"] == "2019-12-01"
    steps = [(value, start) for value, start, _ in aid["events"]]
    assert steps == [(1, "2019-12-01"), (2, "2020-01-03")]  # the count grows over time


def test_json_parses_back_to_the_view(store):
    graph, body = network_view(store)
    assert json.loads(render(graph, "json")) == body


def test_full_dates():
    assert [full_date(d) for d in ("2020", "2020-05", "2020-05-13", None)] == [
        "2020-01-01", "2020-05-01", "2020-05-13", None]


def test_unknown_format_is_refused(store):
    graph, _ = network_view(store)
    with pytest.raises(ValueError, match="unknown network format"):
        render(graph, "dot")


@pytest.fixture
def disk_store(tmp_path: Path) -> str:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    fill(store)
    store.close()
    return f"oxigraph:{path}"


@pytest.fixture
def evkg(capsys):
    """Run the `evkg` command line in this process; returns (exit code, stderr)."""
    from app.cli import main

    def run(*args: str) -> SimpleNamespace:
        code = main(list(args))
        return SimpleNamespace(returncode=code, stderr=capsys.readouterr().err)

    return run


def test_cli_writes_every_format(disk_store, tmp_path, evkg):
    for suffix in ("graphml", "gexf", "json", "html"):
        out = tmp_path / f"net.{suffix}"
        done = evkg("network", "--store", disk_store, "--quad", "4", "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert "3 actors, 2 dyads" in done.stderr
    assert nx.read_graphml(tmp_path / "net.graphml").number_of_edges() == 2
    assert nx.read_gexf(tmp_path / "net.gexf").number_of_nodes() == 3
    assert len(json.loads((tmp_path / "net.json").read_text())["edges"]) == 2


def test_cli_refuses_bad_input(disk_store, tmp_path, evkg):
    bad_suffix = evkg("network", "--store", disk_store, "--out", str(tmp_path / "net.txt"))
    assert bad_suffix.returncode == 2 and ".graphml" in bad_suffix.stderr
    bad_date = evkg("network", "--store", disk_store, "--since", "May",
                    "--out", str(tmp_path / "n.json"))
    assert bad_date.returncode == 2 and "since" in bad_date.stderr
    no_folder = evkg("network", "--store", disk_store, "--out", str(tmp_path / "x" / "n.json"))
    assert no_folder.returncode == 2 and "no folder" in no_folder.stderr
    bad_modality = evkg("network", "--store", disk_store, "--modality", "rumoured",
                        "--out", str(tmp_path / "n.json"))
    assert bad_modality.returncode == 2 and "modality" in bad_modality.stderr


def test_cli_modality_picks_the_readings(disk_store, tmp_path, evkg):
    out = tmp_path / "net.json"
    for modality, dyads in (("all", 3), ("asserted", 3), ("negated,denied", 0)):
        done = evkg("network", "--store", disk_store, "--modality", modality, "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert len(json.loads(out.read_text())["edges"]) == dyads, modality


@pytest.mark.skipif(not Path(CHROMIUM).exists() or
                    not (ROOT / "node_modules/cytoscape").is_dir(),
                    reason="needs Debian's chromium and `npm ci`")
def test_offline_html_draws_from_disk_without_network(disk_store, tmp_path, evkg):
    playwright = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "net.html"
    assert evkg("network", "--store", disk_store, "--out", str(out)).returncode == 0
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page()
        asked: list[str] = []

        def only_the_file(route):
            asked.append(route.request.url)
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", only_the_file)
        page.goto(out.as_uri())
        page.wait_for_function("window.evkgReady === true", timeout=20000)
        labels = page.evaluate("cy.nodes().map(n => n.data('label')).sort()")
        edges = page.evaluate("cy.edges().length")
        # the page's own controls, those that need the service hidden
        assert page.is_visible("#legend") and page.is_visible("#dl-png")
        assert not page.is_visible("#time-from") and not page.is_visible("#dl-graphml")
        page.evaluate(f"window.evkg.focusActor('{A}iran')")  # its neighbours, from the file
        page.wait_for_selector("#actor-title")
        panel = page.inner_text("#panel")
        browser.close()
    assert labels == ["Iran", "Kata'ib Hezbollah", "United States"]
    assert edges == 3
    assert "Kata'ib Hezbollah: 2 events" in panel and "United States: 1 event" in panel
    assert all(url.startswith("file://") for url in asked)


def _bytes_file(data: bytes):
    import io

    return io.BytesIO(data)
