"""REST resources against the real server: documents, actors, network, events, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from tests.api_server import ApiServer, seed_store, start_api


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    seeded = tmp_path_factory.mktemp("seeded-rest") / "store"
    seed_store(seeded)
    yield from start_api(tmp_path_factory.mktemp("api-rest"), seeded)


def test_actor_search_and_detail(api: ApiServer) -> None:
    items = httpx.get(f"{api.base}/actors", params={"q": "iran"}).json()["items"]
    assert items[0]["id"] == "iran" and items[0]["events"] > 0
    iran = httpx.get(f"{api.base}/actors/iran").json()
    assert iran["label"] == "Iran" and "Tehran" in iran["aliases"]
    assert httpx.get(f"{api.base}/actors/no-such-actor").status_code == 404


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_neighbourhood_edges_aggregate_events(api: ApiServer) -> None:
    net = httpx.get(f"{api.base}/actors/united-states/neighbourhood", params={"hops": 2}).json()
    assert net["nodes"] and net["edges"] and net["events_per_edge"] == 50
    for edge in net["edges"]:
        assert edge["reports"] == len(edge["events"]) >= 1 and not edge["events_truncated"]
        # a happening counts once, whatever number of its reports the edge lists
        counted: dict[str, dict] = {}
        for event in sorted(edge["events"], key=lambda e: (e["date"] or "", e["iri"])):
            counted.setdefault(event["happening"], event)
        assert edge["count"] == len(counted) >= 1
        assert edge["goldstein"] == pytest.approx(sum(e["goldstein"] for e in counted.values()))
        dates = sorted(e["date"] for e in edge["events"] if e["date"])
        assert (edge["first"], edge["last"]) == ((dates[0], dates[-1]) if dates else (None, None))
        assert all(e["sentence"] and e["document"] for e in edge["events"])
    busiest = max(net["edges"], key=lambda e: e["count"])
    listed = httpx.get(
        f"{api.base}/events",
        params={
            "source": _slug(busiest["source"]),
            "target": _slug(busiest["target"]),
            "limit": 1000,
        },
    ).json()["items"]
    assert {e["iri"] for e in listed} == {e["iri"] for e in busiest["events"]}
    assert busiest["count"] > 1, "the seeds have a dyad with several events"
    one = httpx.get(
        f"{api.base}/actors/united-states/neighbourhood", params={"hops": 2, "events_per_edge": 1}
    ).json()
    cut = {(e["source"], e["target"]): e for e in one["edges"]}[
        busiest["source"], busiest["target"]
    ]
    assert cut["count"] == busiest["count"] and cut["events_truncated"] is True
    assert cut["events"] == busiest["events"][-1:]  # the latest one is kept
    bare = httpx.get(
        f"{api.base}/actors/united-states/neighbourhood", params={"hops": 2, "events_per_edge": 0}
    ).json()
    assert [(e["source"], e["target"], e["count"]) for e in bare["edges"]] == [
        (e["source"], e["target"], e["count"]) for e in net["edges"]
    ]
    assert all(e["events"] == [] and e["events_truncated"] for e in bare["edges"])
    capped = httpx.get(
        f"{api.base}/actors/united-states/neighbourhood", params={"hops": 2, "node_cap": 2}
    ).json()
    assert capped["capped"] is True and len(capped["nodes"]) <= 2
    bad = httpx.get(f"{api.base}/actors/united-states/neighbourhood", params={"hops": 9})
    assert bad.status_code == 422 and bad.json()["status"] == 422


def _hood(api: ApiServer, **params: object) -> dict:
    response = httpx.get(
        f"{api.base}/actors/united-states/neighbourhood", params={"hops": 2, **params}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _events(net: dict) -> dict[str, dict]:
    return {e["iri"]: e for edge in net["edges"] for e in edge["events"]}


def test_neighbourhood_document_filter(api: ApiServer) -> None:
    everything = _events(_hood(api))
    near = _events(_hood(api, hops=1))  # the actor's own events, from every document
    documents = httpx.get(f"{api.base}/network/facets").json()["documents"]
    assert len(documents) >= 2
    for doc in documents:
        by_id = _hood(api, document=_slug(doc["iri"]))
        assert by_id == _hood(api, document=doc["iri"])  # an id or the minted IRI
        events = _events(by_id)
        assert events and {e["document"] for e in events.values()} == {doc["iri"]}
        assert set(events) < set(everything)  # narrowed to that document's events
        for edge in by_id["edges"]:
            listed = httpx.get(
                f"{api.base}/events",
                params={
                    "source": _slug(edge["source"]),
                    "target": _slug(edge["target"]),
                    "document": _slug(doc["iri"]),
                    "limit": 1000,
                },
            ).json()["items"]
            assert edge["reports"] == len(listed)
        assert set(_events(_hood(api, hops=1, document=_slug(doc["iri"])))) == {
            iri for iri, e in near.items() if e["document"] == doc["iri"]
        }
    none = _hood(api, document="no-such-document")
    assert none["edges"] == [] and [n["id"] for n in none["nodes"]] == [none["root"]]


def test_neighbourhood_repeated_root_and_quad(api: ApiServer) -> None:
    for name, values in [("root", ["18", "19"]), ("quad", [3, 4])]:
        one, two = (set(_events(_hood(api, **{name: v}))) for v in values)
        assert one and two and not one & two
        both = _hood(api, **{name: values})
        assert set(_events(both)) == one | two  # an event of any of them counts
        assert both == _hood(api, **{name: values[::-1]})
    fights = _events(_hood(api, root="19"))  # a single value still works
    assert fights and all(e["code"].startswith("19") for e in fights.values())
    assert all(e["quad_class"] in (3, 4) for e in _events(_hood(api, quad=[3, 4])).values())


def test_neighbourhood_in_the_page_shape(api: ApiServer) -> None:
    full = _hood(api, root=["18", "19"])
    response = httpx.get(
        f"{api.base}/actors/united-states/neighbourhood",
        params={"hops": 2, "root": ["18", "19"], "compact": "true"},
    )
    assert response.status_code == 200 and "sentence" not in response.text
    page = response.json()
    assert page["edge_fields"] == ["source", "target", "count", "goldstein", "quad"]
    assert page["meta"]["actor"] == full["root"] and page["meta"]["capped"] is False
    ids = [n["id"] for n in page["nodes"]]
    assert ids == [n["id"] for n in full["nodes"]]
    rows = {(ids[s], ids[t]): (count, mean) for s, t, count, mean, _ in page["edges"]}
    assert rows == {
        (e["source"], e["target"]): (e["count"], round(e["goldstein"] / e["count"], 2))
        for e in full["edges"]
    }
    nodes = {n["id"]: n for n in page["nodes"]}
    us = nodes[full["root"]]
    assert (us["label"], us["kind"], us["country"]) == ("United States", "state", "USA")
    assert us["weight"] == sum(c for (s, t), (c, _) in rows.items() if us["id"] in (s, t))
    assert all(n["kind"] for n in page["nodes"]) and "America" in us["aliases"]


@pytest.mark.parametrize(
    "params,status,words",
    [
        ({"root": "7"}, 422, "root"),
        ({"root": ["19", "x"]}, 422, "root"),
        ({"quad": [4, 9]}, 422, "quad"),
        ({"quad": "x"}, 422, "quad"),
        ({"document": "not a document!"}, 400, "document"),
        ({"compact": "maybe"}, 422, "compact"),
        ({"since": "last-week"}, 422, "since"),
    ],
)
def test_neighbourhood_bad_filters_are_problems(
    api: ApiServer, params: dict, status: int, words: str
) -> None:
    response = httpx.get(f"{api.base}/actors/united-states/neighbourhood", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == status and words in response.json()["detail"]


def test_events_relations_paths(api: ApiServer) -> None:
    events = httpx.get(f"{api.base}/events", params={"actor": "iran"}).json()["items"]
    assert events and all(e["sentence"] for e in events)
    rel = httpx.get(f"{api.base}/relations/united-states/iran").json()
    assert rel["a_to_b"] or rel["b_to_a"]
    paths = httpx.get(f"{api.base}/paths", params={"from": "united-states", "to": "iran"}).json()
    assert ["https://evkg.org/id/actor/united-states", "https://evkg.org/id/actor/iran"] in paths[
        "paths"
    ]
    found = paths["paths"]
    assert found == sorted(found, key=lambda p: (len(p), p)), "shortest first, then by name"
    for path in found:
        assert path[0] == paths["source"] and path[-1] == paths["target"]
        assert len(set(path)) == len(path) and len(path) - 1 <= paths["max_hops"]
    first = httpx.get(
        f"{api.base}/paths", params={"from": "united-states", "to": "iran", "limit": 1}
    ).json()["paths"]
    assert first == found[:1]
    missing = httpx.get(f"{api.base}/paths", params={"from": "united-states", "to": "nobody"})
    assert missing.status_code == 404 and missing.json()["status"] == 404


def test_network_answers_follow_writes(api: ApiServer) -> None:
    """Neighbourhoods and paths come from a network kept per store version: a document
    posted or deleted must show in them at once."""
    body = {
        "text": "Hezbollah fired rockets at Israel on 3 March 2020.",
        "url": "https://example.org/network-follows-writes",
    }

    def edge(source: str, target: str) -> dict | None:
        net = httpx.get(f"{api.base}/actors/{_slug(source)}/neighbourhood").json()
        return {(e["source"], e["target"]): e for e in net["edges"]}.get((source, target))

    made = httpx.post(f"{api.base}/documents", json=body, headers=api.auth, timeout=120)
    assert made.status_code == 201, made.text
    event = made.json()["events"][0]
    source, target = event["source"]["iri"], event["target"]["iri"]
    after = edge(source, target)
    assert after is not None and event["iri"] in {e["iri"] for e in after["events"]}
    paths = httpx.get(
        f"{api.base}/paths", params={"from": _slug(source), "to": _slug(target)}
    ).json()["paths"]
    assert [source, target] in paths
    gone = httpx.delete(f"{api.base}/documents/{made.json()['id']}", headers=api.auth)
    assert gone.status_code == 204
    before = edge(source, target)
    assert before is None or event["iri"] not in {e["iri"] for e in before["events"]}
    assert (before["count"] if before else 0) == after["count"] - 1


def test_page_neighbourhoods_follow_writes(api: ApiServer) -> None:
    """The page's neighbourhoods are kept per store version: a document posted or deleted
    shows in them at once."""
    body = {
        "text": "Hezbollah fired rockets at Israel on 4 March 2020.",
        "url": "https://example.org/page-neighbourhood-follows-writes",
    }

    def page() -> dict:
        got = httpx.get(
            f"{api.base}/actors/israel/neighbourhood", params={"hops": 2, "compact": "true"}
        )
        assert got.status_code == 200, got.text
        shown = got.json()
        ids = [n["id"] for n in shown["nodes"]]
        return {(ids[s], ids[t]): count for s, t, count, *_ in shown["edges"]}

    first = page()
    assert page() == first  # asked again: the same
    made = httpx.post(f"{api.base}/documents", json=body, headers=api.auth, timeout=120)
    assert made.status_code == 201, made.text
    event = made.json()["events"][0]
    dyad = (event["source"]["iri"], event["target"]["iri"])
    assert dyad[1] == "https://evkg.org/id/actor/israel"
    assert page()[dyad] == first.get(dyad, 0) + 1
    gone = httpx.delete(f"{api.base}/documents/{made.json()['id']}", headers=api.auth)
    assert gone.status_code == 204
    assert page() == first


def test_event_listings_and_relations_follow_writes(api: ApiServer) -> None:
    """An actor's events are listed from IRIs kept per store version, and a dyad's
    relation is kept per version: a document posted or deleted shows in every page of them
    and in the relation at once."""
    body = {
        "text": "Iran fired missiles at Israel on 5 March 2020.",
        "url": "https://example.org/event-listings-follow-writes",
    }

    def listed(**params: int) -> list[str]:
        got = httpx.get(f"{api.base}/events", params={"actor": "iran", **params})
        assert got.status_code == 200, got.text
        return [e["iri"] for e in got.json()["items"]]

    def relation() -> dict:
        got = httpx.get(f"{api.base}/relations/iran/israel")
        assert got.status_code == 200, got.text
        return got.json()

    first, related = listed(limit=1000), relation()
    assert listed(limit=1000) == first and len(first) > 2 and relation() == related
    assert len(set(listed(limit=2, offset=1)) & set(first)) == 2
    made = httpx.post(f"{api.base}/documents", json=body, headers=api.auth, timeout=120)
    assert made.status_code == 201, made.text
    event = made.json()["events"][0]["iri"]
    after = listed(limit=1000)
    assert set(after) == {*first, event}
    pages = [e for start in range(0, len(after), 2) for e in listed(limit=2, offset=start)]
    assert sorted(pages) == sorted(after)  # each event on one page, in the new listing
    now = relation()
    assert {e["iri"] for e in now["a_to_b"]} == {e["iri"] for e in related["a_to_b"]} | {event}
    march = [p for p in now["timeline"] if p["month"] == "2020-03" and p["direction"] == "ab"]
    was = [p for p in related["timeline"] if p["month"] == "2020-03" and p["direction"] == "ab"]
    assert march[0]["reports"] == (was[0]["reports"] if was else 0) + 1
    gone = httpx.delete(f"{api.base}/documents/{made.json()['id']}", headers=api.auth)
    assert gone.status_code == 204
    assert listed(limit=1000) == first and relation() == related


def test_documents_round_trip(api: ApiServer) -> None:
    body = {
        "text": "Iran fired missiles at a US base in Iraq on 8 January 2020.",
        "url": "https://example.org/test-doc",
        "title": "Test",
    }
    denied = httpx.post(f"{api.base}/documents", json=body)
    assert denied.status_code == 401
    r = httpx.post(f"{api.base}/documents", json=body, headers=api.auth, timeout=120)
    assert r.status_code == 201 and r.json()["events"]
    doc_id = r.json()["id"]
    again = httpx.post(f"{api.base}/documents", json=body, headers=api.auth, timeout=120)
    assert again.json()["status"] == "unchanged"
    detail = httpx.get(f"{api.base}/documents/{doc_id}").json()
    assert "[[" in detail["marked"] and detail["event_list"]
    ttl = httpx.get(f"{api.base}/documents/{doc_id}", headers={"Accept": "text/turtle"})
    assert len(rdflib.Graph().parse(data=ttl.text, format="turtle")) > 10
    assert httpx.delete(f"{api.base}/documents/{doc_id}").status_code == 401
    assert httpx.delete(f"{api.base}/documents/{doc_id}", headers=api.auth).status_code == 204
    assert httpx.get(f"{api.base}/documents/{doc_id}").status_code == 404


@pytest.mark.parametrize(
    "body,media",
    [
        (b"", "text/plain"),
        (b"\x00\x01\xff", "text/plain"),
        (b"{", "application/json"),
        (b"[1]", "application/json"),
        (b"x", "image/png"),
    ],
)
def test_bad_documents_are_4xx(api: ApiServer, body: bytes, media: str) -> None:
    before = httpx.get(f"{api.base}/stats").json()
    r = httpx.post(
        f"{api.base}/documents", content=body, headers={"Content-Type": media, **api.auth}
    )
    assert 400 <= r.status_code < 500 and r.json()["status"] == r.status_code
    assert httpx.get(f"{api.base}/stats").json() == before


def test_export_linked_data_health(api: ApiServer, tmp_path: Path) -> None:
    with httpx.stream("GET", f"{api.base}/export", params={"format": "nquads"}) as r:
        lines = sum(chunk.count(b"\n") for chunk in r.iter_bytes())
    assert lines == httpx.get(f"{api.base}/stats").json()["triples"]
    ld = httpx.get(f"{api.base}/id/actor/iran", headers={"Accept": "text/turtle"})
    assert (rdflib.URIRef("https://evkg.org/id/actor/iran"), None, None) in rdflib.Graph().parse(
        data=ld.text, format="turtle"
    )
    assert httpx.get(f"{api.base}/health").json()["isolated"] is True


def test_errors_are_documented_problem_details(api: ApiServer) -> None:
    spec = httpx.get(f"{api.base}/openapi.json").json()
    assert set(spec["components"]["schemas"]["ProblemDetails"]["required"]) >= {
        "title",
        "status",
        "detail",
    }
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            errors = {
                int(code): r for code, r in operation["responses"].items() if int(code) >= 400
            }
            for code, answer in errors.items():
                assert list(answer["content"]) == ["application/problem+json"], (path, code)
                assert answer["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/ProblemDetails"
                }
            if operation.get("parameters") or operation.get("requestBody"):
                assert 422 in errors or 400 in errors, (method, path)
    answers = [
        (httpx.get(f"{api.base}/actors/no-such-actor"), "/actors/{actor_id}", "get", 404),
        (
            httpx.put(
                f"{api.base}/rdf-graphs",
                params={"graph": "https://example.org/g"},
                content=b"hello",
                headers={"Content-Type": "text/plain", **api.auth},
            ),
            "/rdf-graphs",
            "put",
            415,
        ),
        (
            httpx.get(
                f"{api.base}/sparql",
                params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                headers={"Accept": "image/png"},
            ),
            "/sparql",
            "get",
            406,
        ),
    ]
    for response, path, method, status in answers:
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == status
        assert str(status) in spec["paths"][path][method]["responses"]


def test_stats_and_events_count_happenings_and_reports(api: ApiServer) -> None:
    stats = httpx.get(f"{api.base}/stats").json()
    assert 0 < stats["happenings"] < stats["events"]  # the seeds repeat some events
    reports = httpx.get(f"{api.base}/events", params={"limit": 1000, "modality": "all"}).json()
    happenings = httpx.get(
        f"{api.base}/events", params={"limit": 1000, "modality": "all", "level": "happening"}
    ).json()
    assert (reports["level"], happenings["level"]) == ("report", "happening")
    assert sum(h["reports"] for h in happenings["items"]) == len(reports["items"])
    assert {h["iri"] for h in happenings["items"]} == {e["happening"] for e in reports["items"]}
    assert len(happenings["items"]) == stats["happenings"]
    bad = httpx.get(f"{api.base}/events", params={"level": "mentions"})
    assert bad.status_code == 422 and "level" in bad.text


def test_a_happening_shows_its_reports_side_by_side(api: ApiServer) -> None:
    items = httpx.get(
        f"{api.base}/events", params={"limit": 1000, "modality": "all", "level": "happening"}
    ).json()["items"]
    biggest = max(items, key=lambda h: (h["reports"], h["iri"]))
    assert biggest["reports"] > 1
    shown = httpx.get(f"{api.base}/happenings/{_slug(biggest['iri'])}").json()
    assert shown["iri"] == biggest["iri"] and shown["code"] == biggest["code"]
    assert len(shown["reports"]) == biggest["reports"]
    assert all(r["sentence"] and r["document"] and r["matched_on"] for r in shown["reports"])
    assert sum(r["matched_on"] == "first report" for r in shown["reports"]) == 1
    assert all(
        r["matched_on"].startswith("matches ") and "date" in r["matched_on"]
        for r in shown["reports"]
        if r["matched_on"] != "first report"
    )
    modalities = {r["modality"] for r in shown["reports"]}
    assert (len(modalities) > 1) == any(d.startswith("modality ") for d in shown["disagreements"])
    assert shown["alleged"] == (shown["modality"] == "claimed")
    assert httpx.get(f"{api.base}/happenings/0123456789abcdef").status_code == 404
    assert httpx.get(f"{api.base}/happenings/bad%20id").status_code == 400


def test_a_second_source_adds_reports_not_happenings(api: ApiServer) -> None:
    """The seed's drone strike told again, with the seed's own names for the actors."""
    body = {
        "text": "The United States killed Iranian General Qassem Soleimani in a drone strike "
        "at Baghdad International Airport on Friday.",
        "url": "https://example.org/second-source",
        "published": "2020-01-03",
    }
    us, soleimani = (
        f"https://evkg.org/id/actor/{a}" for a in ("united-states", "qassem-soleimani")
    )

    def edge() -> dict:
        net = httpx.get(f"{api.base}/actors/qassem-soleimani/neighbourhood").json()
        return {(e["source"], e["target"]): e for e in net["edges"]}[us, soleimani]

    def counts() -> tuple[dict, dict, dict]:
        """The actor as search and detail count it, and the histogram's January 2020."""
        found = httpx.get(f"{api.base}/actors", params={"q": "soleimani"}).json()["items"]
        detail = httpx.get(f"{api.base}/actors/qassem-soleimani").json()
        months = httpx.get(f"{api.base}/network/facets").json()["histogram"]
        return (
            next(a for a in found if a["iri"] == soleimani),
            {k: detail[k] for k in ("counts_by_root", "counts_by_quad", "reports_by_root")},
            next(m for m in months if m["month"] == "2020-01"),
        )

    stats, before, (actor, detail, month) = httpx.get(f"{api.base}/stats").json(), edge(), counts()
    made = httpx.post(f"{api.base}/documents", json=body, headers=api.auth, timeout=120)
    assert made.status_code == 201, made.text
    after, grown = edge(), httpx.get(f"{api.base}/stats").json()
    assert (after["count"], after["reports"]) == (before["count"], before["reports"] + 1)
    actor_now, detail_now, month_now = counts()
    assert (actor_now["events"], actor_now["reports"]) == (actor["events"], actor["reports"] + 1)
    assert detail_now["counts_by_root"] == detail["counts_by_root"]
    assert detail_now["counts_by_quad"] == detail["counts_by_quad"]
    reported = [sum(d["reports_by_root"]["target"].values()) for d in (detail, detail_now)]
    assert reported[1] == reported[0] + 1
    assert (month_now["count"], month_now["reports"]) == (month["count"], month["reports"] + 1)
    assert grown["happenings"] == stats["happenings"]
    assert grown["events"] == stats["events"] + len(made.json()["events"])
    new = next(e for e in after["events"] if e["document"] == made.json()["iri"])
    happening_of = {e["iri"]: e["happening"] for e in after["events"]}
    assert new["happening"] in {happening_of[e["iri"]] for e in before["events"]}
    timeline = httpx.get(f"{api.base}/relations/united-states/qassem-soleimani").json()
    point = next(p for p in timeline["timeline"] if p["month"] == "2020-01")
    assert point["reports"] > point["count"] >= 1
    gone = httpx.delete(f"{api.base}/documents/{made.json()['id']}", headers=api.auth)
    assert gone.status_code == 204
    assert edge() == before and httpx.get(f"{api.base}/stats").json() == stats
    assert counts() == (actor, detail, month)
