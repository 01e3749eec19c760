"""Checks of the vocabularies in ontology/: they parse, are complete and consistent, the
generated ones are reproducible, and the SHACL shapes accept and reject what they should."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from ontology import namespaces as ns

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"

EVKG, SEM, GAF, NIF, PROV, DCTERMS, CAMEO, PLOVER, ACTOR, PLACE = (
    Namespace(iri)
    for iri in (
        ns.EVKG,
        ns.SEM,
        ns.GAF,
        ns.NIF,
        ns.PROV,
        ns.DCTERMS,
        ns.CAMEO,
        ns.PLOVER,
        ns.ACTOR,
        ns.PLACE,
    )
)
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
AGENT = Namespace("https://evkg.org/agents/")

COUNTRY_CODE = re.compile(r"^[A-Z]{3}$|^ISIS$|^COALITION$")

# Aliases deliberately shared by two actors (lower case -> the actors). None so far:
# an ambiguous name is left off both rather than guessed.
SHARED_ALIASES: dict[str, set[str]] = {}


def load(name: str) -> Graph:
    """Parse one vocabulary file."""
    return Graph().parse(ONTOLOGY / name, format="turtle")


@pytest.fixture(scope="module")
def evkg() -> Graph:
    return load("evkg.ttl")


@pytest.fixture(scope="module")
def cameo() -> Graph:
    return load("cameo.ttl")


@pytest.fixture(scope="module")
def actors() -> Graph:
    return load("actors.ttl")


@pytest.fixture(scope="module")
def places() -> Graph:
    return load("places.ttl")


@pytest.fixture(scope="module")
def agents() -> Graph:
    return load("agents.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load("shapes.ttl")


@pytest.fixture(scope="module")
def plover_sectors() -> set[str]:
    with (ONTOLOGY / "sources" / "plover_sector_codes.tsv").open(encoding="utf-8") as fh:
        return {row["code"] for row in csv.DictReader(fh, delimiter="\t")}


def scheme_members(graph: Graph, scheme: URIRef) -> set[URIRef]:
    return set(graph.subjects(SKOS.inScheme, scheme))


# ---------------------------------------------------------------------------
# Every file parses
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ONTOLOGY.glob("*.ttl")), ids=lambda p: p.name)
def test_every_turtle_file_parses(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 10


def test_ontology_declares_the_properties_of_the_architecture(evkg: Graph) -> None:
    for name in [
        "source",
        "target",
        "sentence",
        "fileName",
        "contentHash",
        "mentions",
        "actorKind",
        "countryCode",
        "sector",
        "partOf",
        "backedBy",
        "demonym",
        "cameoCode",
        "goldstein",
        "quadClass",
        "ploverCategory",
        "placeKind",
    ]:
        assert (EVKG[name], RDF.type, None) in evkg, name
    assert (EVKG.source, RDFS.subPropertyOf, SEM.hasActor) in evkg
    assert (EVKG.target, RDFS.subPropertyOf, SEM.hasActor) in evkg
    assert (EVKG.demonym, RDFS.subPropertyOf, SKOS.altLabel) in evkg
    assert (EVKG.Document, RDFS.subClassOf, NIF.Context) in evkg


def test_actor_kind_scheme_has_the_ten_notations(evkg: Graph) -> None:
    kinds = scheme_members(evkg, EVKG.ActorKindScheme)
    notations = {str(evkg.value(k, SKOS.notation)) for k in kinds}
    assert notations == {
        "state",
        "government-body",
        "armed-force",
        "militia",
        "person",
        "legislature",
        "international-organisation",
        "media",
        "armed-group",
        "other",
    }
    assert all(evkg.value(k, SKOS.prefLabel) for k in kinds)
    place_notations = {
        str(evkg.value(k, SKOS.notation)) for k in scheme_members(evkg, EVKG.PlaceKindScheme)
    }
    assert {"country", "province", "city", "base", "airport", "other"} <= place_notations


# ---------------------------------------------------------------------------
# CAMEO
# ---------------------------------------------------------------------------


def cameo_codes(cameo: Graph) -> dict[str, URIRef]:
    return {str(cameo.value(c, EVKG.cameoCode)): c for c in scheme_members(cameo, CAMEO.scheme)}


def test_cameo_has_312_codes_and_20_roots(cameo: Graph) -> None:
    codes = cameo_codes(cameo)
    assert len(codes) == 312
    tops = set(cameo.objects(CAMEO.scheme, SKOS.hasTopConcept))
    assert len(tops) == 20
    assert tops == set(cameo.subjects(SKOS.topConceptOf, CAMEO.scheme))
    assert {str(cameo.value(t, SKOS.notation)) for t in tops} == {f"{i:02d}" for i in range(1, 21)}


def test_cameo_hierarchy_is_complete(cameo: Graph) -> None:
    codes = cameo_codes(cameo)
    for code, concept in codes.items():
        assert concept == CAMEO[code]
        assert str(cameo.value(concept, SKOS.notation)) == code
        assert cameo.value(concept, SKOS.prefLabel)
        broader = list(cameo.objects(concept, SKOS.broader))
        if len(code) == 2:
            assert broader == []
        else:
            assert broader == [CAMEO[code[:-1]]], code
            assert code[:-1] in codes


def test_cameo_quad_classes_follow_gdelt(cameo: Graph) -> None:
    expected = {1: range(1, 6), 2: range(6, 10), 3: range(10, 15), 4: range(15, 21)}
    for code, concept in cameo_codes(cameo).items():
        quad = cameo.value(concept, EVKG.quadClass)
        assert quad.datatype == XSD.integer
        assert int(code[:2]) in expected[quad.toPython()], code
    assert "01-05" in str(cameo.value(CAMEO.scheme, RDFS.comment))


def test_cameo_goldstein_scores_in_range(cameo: Graph) -> None:
    for code, concept in cameo_codes(cameo).items():
        score = cameo.value(concept, EVKG.goldstein)
        assert score.datatype == XSD.decimal, code
        assert -10 <= score.toPython() <= 10, code
    assert cameo.value(CAMEO["190"], EVKG.goldstein).toPython() == -10
    assert cameo.value(CAMEO["20"], EVKG.goldstein).toPython() == -10


def test_cameo_plover_categories(cameo: Graph) -> None:
    categories = scheme_members(cameo, PLOVER.scheme)
    assert len(categories) == 16
    assert all(cameo.value(c, SKOS.prefLabel) for c in categories)
    for concept in scheme_members(cameo, CAMEO.scheme):
        for category in cameo.objects(concept, EVKG.ploverCategory):
            assert category in categories
    assert set(cameo.objects(CAMEO["190"], EVKG.ploverCategory)) == {PLOVER.ASSAULT}
    assert set(cameo.objects(CAMEO["08"], EVKG.ploverCategory)) == {PLOVER.CONCEDE, PLOVER.RETREAT}
    assert set(cameo.objects(CAMEO["0874"], EVKG.ploverCategory)) == {PLOVER.RETREAT}
    assert list(cameo.objects(CAMEO["010"], EVKG.ploverCategory)) == []


# ---------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------


def actor_set(actors: Graph) -> set[URIRef]:
    return set(actors.subjects(RDF.type, SEM.Actor))


def test_gazetteer_is_large_enough(actors: Graph) -> None:
    assert len(actor_set(actors)) >= 250


def test_every_actor_is_well_formed(actors: Graph, evkg: Graph, plover_sectors: set[str]) -> None:
    kinds = scheme_members(evkg, EVKG.ActorKindScheme)
    problems = []
    for actor in actor_set(actors):
        name = actor.removeprefix(str(ACTOR))
        prefs = list(actors.objects(actor, SKOS.prefLabel))
        if len(prefs) != 1:
            problems.append(f"{name}: {len(prefs)} prefLabels")
            continue
        if list(actors.objects(actor, RDFS.label)) != prefs:
            problems.append(f"{name}: rdfs:label differs from prefLabel")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
            problems.append(f"{name}: slug is not lower-case-hyphenated")
        found = list(actors.objects(actor, EVKG.actorKind))
        if len(found) != 1 or found[0] not in kinds:
            problems.append(f"{name}: kind {found}")
        codes = [str(c) for c in actors.objects(actor, EVKG.countryCode)]
        if len(codes) != 1 or not COUNTRY_CODE.match(codes[0]):
            problems.append(f"{name}: country code {codes}")
        sectors = [str(s) for s in actors.objects(actor, EVKG.sector)]
        secondary = [str(s) for s in actors.objects(actor, EVKG.secondarySector)]
        if len(sectors) != 1 or not set(sectors + secondary) <= plover_sectors:
            problems.append(f"{name}: sector {sectors} {secondary}")
    assert problems == []


def test_part_of_and_backed_by_targets_exist(actors: Graph) -> None:
    known = actor_set(actors)
    dangling = [
        (s, p, o)
        for p in (EVKG.partOf, EVKG.backedBy)
        for s, o in actors.subject_objects(p)
        if o not in known or s not in known
    ]
    assert dangling == []


def test_part_of_has_no_cycles(actors: Graph) -> None:
    parents = defaultdict(set)
    for s, o in actors.subject_objects(EVKG.partOf):
        parents[s].add(o)

    def ancestors(node: URIRef, seen: frozenset) -> None:
        for parent in parents[node]:
            assert parent not in seen, f"cycle through {parent}"
            ancestors(parent, seen | {parent})

    for actor in list(parents):
        ancestors(actor, frozenset({actor}))


def test_no_alias_names_two_actors(actors: Graph) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for prop in (SKOS.prefLabel, SKOS.altLabel, EVKG.demonym):
        for actor, label in actors.subject_objects(prop):
            owners[str(label).lower()].add(actor.removeprefix(str(ACTOR)))
    duplicates = {
        label: sorted(who)
        for label, who in owners.items()
        if len(who) > 1 and SHARED_ALIASES.get(label) != who
    }
    assert duplicates == {}, f"aliases naming several actors: {duplicates}"


def resolve(actors: Graph, name: str) -> set[str]:
    """Actors a label names, case-insensitively (as the linker matches)."""
    wanted = name.lower()
    return {
        actor.removeprefix(str(ACTOR))
        for prop in (SKOS.prefLabel, SKOS.altLabel, EVKG.demonym)
        for actor, label in actors.subject_objects(prop)
        if str(label).lower() == wanted
    }


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Qasem Soleimani", "qassem-soleimani"),
        ("Ghasem Soleimani", "qassem-soleimani"),
        ("Kata'ib Hizballah", "kataib-hezbollah"),
        ("al-Sadr", "muqtada-al-sadr"),
        ("PMF", "hashd-al-shaabi"),
        ("Popular Mobilisation Units", "hashd-al-shaabi"),
        ("Daesh", "islamic-state"),
        ("ISIL", "islamic-state"),
        ("CJTF-OIR", "us-led-coalition"),
        ("Pentagon", "us-department-of-defense"),
        ("CENTCOM", "centcom"),
        ("inspectors general", "lead-inspector-general"),
        ("Iraq's parliament", "iraq-council-of-representatives"),
        ("ISF", "iraqi-security-forces"),
        ("Iranian", "iran"),
        ("Emirati", "united-arab-emirates"),
        ("Kurdish", "kurdistan-regional-government"),
        ("Ansar Allah", "houthis"),
        ("Tehran-backed militias", "iran-backed-militias"),
        ("Iranian proxies", "iran-backed-militias"),
        ("Iran-aligned factions", "iran-backed-militias"),
        ("CBS", "cbs-news"),
    ],
)
def test_names_resolve_to_the_right_actor(actors: Graph, name: str, slug: str) -> None:
    assert resolve(actors, name) == {slug}


def test_militia_structure(actors: Graph) -> None:
    hashd = ACTOR["hashd-al-shaabi"]
    iran = ACTOR["iran"]
    for faction in (
        "kataib-hezbollah",
        "asaib-ahl-al-haq",
        "badr-organization",
        "harakat-al-nujaba",
        "kataib-sayyid-al-shuhada",
    ):
        assert (ACTOR[faction], EVKG.partOf, hashd) in actors, faction
        assert (ACTOR[faction], EVKG.backedBy, iran) in actors, faction
    generic = ACTOR["iran-backed-militias"]
    assert actors.value(generic, EVKG.actorKind) == EVKG.Militia
    assert str(actors.value(generic, EVKG.countryCode)) == "IRQ"
    assert (generic, EVKG.backedBy, iran) in actors
    assert str(actors.value(ACTOR["us-led-coalition"], EVKG.countryCode)) == "COALITION"
    assert str(actors.value(ACTOR["islamic-state"], EVKG.countryCode)) == "ISIS"


# ---------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------


def test_every_place_is_well_formed(places: Graph, evkg: Graph) -> None:
    kinds = scheme_members(evkg, EVKG.PlaceKindScheme)
    all_places = set(places.subjects(RDF.type, SEM.Place))
    assert len(all_places) >= 100
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for place in all_places:
        assert len(list(places.objects(place, SKOS.prefLabel))) == 1, place
        assert places.value(place, EVKG.placeKind) in kinds, place
        for code in places.objects(place, EVKG.countryCode):
            assert re.fullmatch(r"[A-Z]{3}", str(code)), place
        lat, long = places.value(place, GEO.lat), places.value(place, GEO.long)
        assert (lat is None) == (long is None), place
        if lat is not None:
            assert -90 <= lat.toPython() <= 90 and -180 <= long.toPython() <= 180
        for parent in places.objects(place, EVKG.partOf):
            assert parent in all_places, parent
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in places.objects(place, prop):
                owners[str(label).lower()].add(place)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    baghdad = PLACE["baghdad"]
    assert abs(float(places.value(baghdad, GEO.lat)) - 33.3) < 0.2
    assert places.value(PLACE["ain-al-asad"], EVKG.placeKind) == EVKG.Base


# ---------------------------------------------------------------------------
# Agent nouns
# ---------------------------------------------------------------------------


def test_agent_nouns(agents: Graph, plover_sectors: set[str]) -> None:
    concepts = scheme_members(agents, AGENT.scheme)
    assert len(concepts) > 1000
    owner: dict[str, URIRef] = {}
    for concept in concepts:
        assert len(list(agents.objects(concept, SKOS.prefLabel))) == 1
        assert str(agents.value(concept, EVKG.sector)) in plover_sectors, concept
        for sector in agents.objects(concept, EVKG.secondarySector):
            assert str(sector) in plover_sectors
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in agents.objects(concept, prop):
                assert str(label) == str(label).lower()
                assert str(label) not in owner, f"{label} on {owner.get(str(label))} and {concept}"
                owner[str(label)] = concept

    def sector(noun: str) -> str:
        return str(agents.value(owner[noun], EVKG.sector))

    expected = {
        "officials": "GOV",
        "troops": "MIL",
        "forces": "MIL",
        "military": "MIL",
        "militia": "PRM",
        "militias": "PRM",
        "parliament": "LEG",
        "lawmakers": "LEG",
        "government": "GOV",
        "police": "COP",
        "rebels": "REB",
        "protesters": "CVL",
        "contractor": "BUS",
        "operatives": "SPY",
        "journalist": "JRN",
        "foreign ministry": "GOV",
        "spokesman": "GOV",
        "security forces": "MIL",
    }
    assert {noun: sector(noun) for noun in expected} == expected


# ---------------------------------------------------------------------------
# Generated files are reproducible
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "committed"),
    [("build_cameo.py", "cameo.ttl"), ("build_agents.py", "agents.ttl")],
)
def test_build_scripts_reproduce_committed_files(
    tmp_path: Path, script: str, committed: str
) -> None:
    out = tmp_path / committed
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / script), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == (ONTOLOGY / committed).read_bytes()


# ---------------------------------------------------------------------------
# SHACL shapes
# ---------------------------------------------------------------------------

DOC = URIRef("https://evkg.org/id/document/0123456789abcdef")
TEXT = "U.S. forces struck Kataib Hezbollah sites in Iraq on Sunday. Iraq protested."
EVENT = URIRef("https://evkg.org/id/event/0123456789abcdef-1")


def span(start: int, end: int) -> URIRef:
    return URIRef(f"{DOC}#char={start},{end}")


def valid_document() -> Graph:
    """A small hand-made document graph following docs/ARCHITECTURE.md."""
    g = Graph()
    g.add((DOC, RDF.type, EVKG.Document))
    g.add((DOC, RDF.type, NIF.Context))
    g.add((DOC, DCTERMS.title, Literal("Strikes in Iraq")))
    g.add((DOC, DCTERMS.issued, Literal("2019-12-30", datatype=XSD.date)))
    g.add((DOC, EVKG.fileName, Literal("001_test.txt")))
    g.add((DOC, EVKG.contentHash, Literal(hashlib.sha256(TEXT.encode()).hexdigest())))
    g.add((DOC, NIF.isString, Literal(TEXT)))
    trigger = TEXT.index("struck")
    sentence_end = TEXT.index(".") + 1
    for start, end in ((trigger, trigger + 6), (0, sentence_end)):
        m = span(start, end)
        g.add((m, RDF.type, NIF.String))
        g.add((m, RDF.type, EVKG.Mention))
        g.add((m, NIF.beginIndex, Literal(start)))
        g.add((m, NIF.endIndex, Literal(end)))
        g.add((m, NIF.anchorOf, Literal(TEXT[start:end])))
        g.add((m, NIF.referenceContext, DOC))
    us, kh = ACTOR["united-states"], ACTOR["kataib-hezbollah"]
    for actor, label, code in ((us, "United States", "USA"), (kh, "Kataib Hezbollah", "IRQ")):
        g.add((actor, RDF.type, SEM.Actor))
        g.add((actor, SKOS.prefLabel, Literal(label)))
        g.add((actor, EVKG.countryCode, Literal(code)))
        g.add((actor, EVKG.actorKind, EVKG.State if actor == us else EVKG.Militia))
        g.add((DOC, EVKG.mentions, actor))
    g.add((PLACE["iraq"], RDF.type, SEM.Place))
    g.add((PLACE["iraq"], SKOS.prefLabel, Literal("Iraq")))
    g.add((EVENT, RDF.type, SEM.Event))
    g.add((EVENT, RDFS.label, Literal("United States fight Kataib Hezbollah")))
    g.add((EVENT, SEM.eventType, CAMEO["190"]))
    g.add((EVENT, EVKG.source, us))
    g.add((EVENT, EVKG.target, kh))
    g.add((EVENT, SEM.hasActor, us))
    g.add((EVENT, SEM.hasActor, kh))
    g.add((EVENT, SEM.hasPlace, PLACE["iraq"]))
    g.add((EVENT, SEM.hasTimeStamp, Literal("2019-12-29", datatype=XSD.date)))
    g.add((EVENT, GAF.denotedBy, span(trigger, trigger + 6)))
    g.add((EVENT, EVKG.sentence, span(0, sentence_end)))
    g.add((EVENT, PROV.wasDerivedFrom, DOC))
    g.add((EVENT, PROV.wasGeneratedBy, URIRef("https://evkg.org/id/run/0123456789abcdef-1")))
    return g


def conforms(data: Graph, shapes: Graph) -> tuple[bool, str]:
    ok, _, text = validate(data, shacl_graph=shapes, inference="none")
    return ok, text


def test_valid_document_conforms(shapes: Graph) -> None:
    data = valid_document()
    for m in data.subjects(RDF.type, EVKG.Mention):
        begin = data.value(m, NIF.beginIndex).toPython()
        end = data.value(m, NIF.endIndex).toPython()
        assert TEXT[begin:end] == str(data.value(m, NIF.anchorOf))
    ok, report = conforms(data, shapes)
    assert ok, report


def _set(g: Graph, s: URIRef, p: URIRef, o) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


TRIGGER = span(TEXT.index("struck"), TEXT.index("struck") + 6)

BREAKAGES = {
    "two event types": lambda g: g.add((EVENT, SEM.eventType, CAMEO["173"])),
    "event type not CAMEO": lambda g: _set(g, EVENT, SEM.eventType, PLOVER.ASSAULT),
    "no event type": lambda g: g.remove((EVENT, SEM.eventType, None)),
    "two sources": lambda g: g.add((EVENT, EVKG.source, ACTOR["iran"])),
    "two targets": lambda g: g.add((EVENT, EVKG.target, ACTOR["iran"])),
    "time stamp as string": lambda g: _set(g, EVENT, SEM.hasTimeStamp, Literal("2019-12-29")),
    "time stamp as dateTime": lambda g: _set(
        g, EVENT, SEM.hasTimeStamp, Literal("2019-12-29T10:00:00", datatype=XSD.dateTime)
    ),
    "two time stamps": lambda g: g.add(
        (EVENT, SEM.hasTimeStamp, Literal("2019", datatype=XSD.gYear))
    ),
    "no trigger mention": lambda g: g.remove((EVENT, GAF.denotedBy, None)),
    "no sentence": lambda g: g.remove((EVENT, EVKG.sentence, None)),
    "derived from a non-document": lambda g: _set(
        g, EVENT, PROV.wasDerivedFrom, URIRef("https://example.org/x")
    ),
    "document without title": lambda g: g.remove((DOC, DCTERMS.title, None)),
    "issued as string": lambda g: _set(g, DOC, DCTERMS.issued, Literal("2019-12-30")),
    "bad content hash": lambda g: _set(g, DOC, EVKG.contentHash, Literal("abc")),
    "no text": lambda g: g.remove((DOC, NIF.isString, None)),
    "negative begin index": lambda g: _set(g, TRIGGER, NIF.beginIndex, Literal(-1)),
    "begin after end": lambda g: _set(g, TRIGGER, NIF.beginIndex, Literal(500)),
    "index as string": lambda g: _set(g, TRIGGER, NIF.endIndex, Literal("17")),
    "mention without anchor": lambda g: g.remove((TRIGGER, NIF.anchorOf, None)),
    "mention without context": lambda g: g.remove((TRIGGER, NIF.referenceContext, None)),
    "actor without label": lambda g: g.remove((ACTOR["united-states"], SKOS.prefLabel, None)),
    "bad country code": lambda g: _set(g, ACTOR["united-states"], EVKG.countryCode, Literal("US")),
    "place without label": lambda g: g.remove((PLACE["iraq"], SKOS.prefLabel, None)),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_invalid_document_does_not_conform(shapes: Graph, breakage: str) -> None:
    data = valid_document()
    BREAKAGES[breakage](data)
    ok, report = conforms(data, shapes)
    assert not ok, f"{breakage} was accepted"


def test_invalid_document_reports_each_problem(shapes: Graph) -> None:
    data = valid_document()
    for name in ("two event types", "no sentence", "bad content hash", "negative begin index"):
        BREAKAGES[name](data)
    ok, report = conforms(data, shapes)
    assert not ok
    for message in ("sem:eventType", "evkg:sentence", "contentHash", "nif:beginIndex"):
        assert message in report


def test_gazetteers_conform_to_the_shapes(shapes: Graph, actors: Graph, places: Graph) -> None:
    ok, report = conforms(actors + places, shapes)
    assert ok, report
