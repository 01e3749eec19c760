"""Actors of every state, the international bodies and the non-state armed groups: the
generated gazetteers (ontology/countries.ttl, ontology/international.ttl,
ontology/armed_groups.ttl), the spelling-folded name key the linker matches on, and the
vocabulary's loading."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from ingest.extract import extract
from ingest.model import SourceDocument
from ingest.vocab import name_key, vocabulary
from ontology import namespaces as ns
from tests.linking import mentions

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
ACTOR, EVKG, SEM = (Namespace(iri) for iri in (ns.ACTOR, ns.EVKG, ns.SEM))
SKOS_ALT = URIRef(f"{ns.SKOS}altLabel")


def codes(text: str) -> set[str | None]:
    return {actor.code for _, actor in mentions(text)}


def iris(text: str) -> set[str]:
    return {actor.iri for _, actor in mentions(text)}


# ---------------------------------------------------------------------------
# The name key
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        ("Kata'ib Hizballah", "Kataeb Hezbollah", "Kataib Hizbollah", "KATAIB HIZBULLAH"),
        ("Qassem", "Qasim", "Qasem"),
        ("al-Qaeda", "al Qaeda", "Al-Qaida", "al-Qa'ida"),
        ("ad-Din", "al-Din", "al Din"),
        ("Abdullah", "Abdallah", "Abdollah"),
        ("Hay'at Tahrir al-Sham", "Hayat Tahrir al-Sham", "Hay’at Tahrir al Sham"),
        ("Viktor Orbán", "Viktor Orban"),
        ("Shaykh", "Sheikh", "Shaikh"),
    ],
)
def test_spelling_variants_share_a_key(variants: tuple[str, ...]) -> None:
    assert len({name_key(v) for v in variants}) == 1, {v: name_key(v) for v in variants}


@pytest.mark.parametrize(
    ("one", "other"), [("Iran", "Iraq"), ("Mali", "Male"), ("Niger", "Nigeria")]
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


# ---------------------------------------------------------------------------
# Linking
# ---------------------------------------------------------------------------


def test_coordinated_demonyms_each_link_their_country() -> None:
    assert {"HUN", "ROU"} <= codes("Senior Hungarian and Romanian officials met on Monday.")
    assert {"POL", "CZE", "SVK"} <= codes("Polish, Czech and Slovak diplomats met in Vienna.")


def test_a_capital_names_its_state() -> None:
    found = mentions("Washington said it would not accept the proposal.")
    assert (found[0][0], found[0][1].code) == ("Washington", "USA")
    assert "HUN" in codes("Budapest rejected the request on Tuesday.")


@pytest.mark.parametrize(
    "spelling", ["Kata'ib Hizballah", "Kataeb Hezbollah", "Kataib Hizbullah", "Kata’ib Hezbollah"]
)
def test_transliterations_link_to_one_actor(spelling: str) -> None:
    assert iris(f"{spelling} fighters fired rockets at the base.") == {
        str(ACTOR["kataib-hezbollah"])
    }


def test_international_bodies_have_their_codes() -> None:
    found = {actor.label: actor.code for _, actor in mentions("NATO and the African Union met.")}
    assert found["NATO"] == "IGO"
    assert found["African Union"] == "IGO"
    assert "UNO" in codes("UNICEF said the children needed help.")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Viktor Orban met the envoy in the morning.", "HUN"),
        ("Angela Merkel spoke with reporters.", "DEU"),
        ("Nicolas Maduro addressed the crowd.", "VEN"),
    ],
)
def test_a_world_leader_by_full_name_gets_their_country(text: str, code: str) -> None:
    people = [actor for _, actor in mentions(text) if actor.kind == "person"]
    assert people and people[0].code == code


def test_a_capitalised_name_does_not_match_a_common_word() -> None:
    assert "TUR" not in codes("The family ate turkey and rice.")
    assert "TUR" in codes("Turkey shelled the villages.")
    assert "POL" not in codes("Soldiers polish their boots before the parade.")


def test_a_qualified_common_noun_is_not_the_body_it_names_alone() -> None:
    assert "COALITION" in codes("The coalition struck Islamic State targets.")
    assert "COALITION" in codes("The international coalition struck Islamic State targets.")
    for text in (
        "The opposition coalition agreed to postpone the protest.",
        "The ruling coalition in Peru collapsed on Monday.",
    ):
        assert "COALITION" not in codes(text), text


def test_serbs_and_croats_are_of_their_states() -> None:
    assert {"SRB", "HRV"} <= codes("Serb police fired on Croats near the border.")


def test_a_people_named_after_a_state_is_of_that_state() -> None:
    found = {s: a.code for s, a in mentions("Bosnian Serbs and Kosovo Albanians protested.")}
    assert found == {"Bosnian Serbs": "BIH", "Kosovo Albanians": "XKX"}, found
    found = {s: a.code for s, a in mentions("The Iranians and the Iraqis met.")}
    assert found == {"Iranians": "IRN", "Iraqis": "IRQ"}, found


def test_a_place_named_after_a_person_is_no_person() -> None:
    found = [a.label for _s, a in mentions("Iran fired missiles at Al Asad air base.")]
    assert found == ["Iran"], found
    found = [a.label for _s, a in mentions("Assad met Putin in Moscow.")]
    assert "Bashar al-Assad" in found, found


def test_an_adjective_is_no_agent() -> None:
    found = [s for s, _a in mentions("Peru threatens global trade and regional stability.")]
    assert found == ["Peru"], found


def test_a_body_named_by_demonym_keeps_the_demonym_written() -> None:
    labels = [a.label for _s, a in mentions("Swiss doctors and Polish troops arrived.")]
    assert labels == ["Swiss doctors", "Polish troops"], labels


def test_the_department_is_the_department_named_before() -> None:
    for first in ("The U.S. Treasury Department", "The United States Department of the Treasury"):
        found = mentions(f"{first} sanctioned Peruvian banks. The department also named 20 men.")
        assert [a.label for surface, a in found if surface == "The department"] == [
            "United States Department of the Treasury"
        ], found


def test_post_2014_armed_groups_are_known() -> None:
    text = (
        "The Taliban, al-Shabaab, the Rapid Support Forces, Hayat Tahrir al-Sham and the "
        "Houthis were named in the report."
    )
    found = {actor.iri for _, actor in mentions(text)}
    for slug in (
        "taliban",
        "al-shabaab",
        "rapid-support-forces",
        "hayat-tahrir-al-sham",
        "houthis",
    ):
        assert str(ACTOR[slug]) in found, slug


ARMED_GROUPS = Graph().parse(ONTOLOGY / "armed_groups.ttl", format="turtle")


def armed_group_iris() -> set[str]:
    """The actors armed_groups.ttl names (not those of actors.ttl it adds aliases to)."""
    pref = URIRef(f"{ns.SKOS}prefLabel")
    return {str(s) for s in ARMED_GROUPS.subjects(pref, None)}


@pytest.mark.parametrize(
    ("text", "slug", "code", "kind"),
    [
        ("FARC guerrillas ambushed Colombian soldiers near the border.",
         "revolutionary-armed-forces-of-colombia", "COL", "180"),
        ("The Tamil Tigers shelled a Sri Lankan navy base overnight.",
         "liberation-tigers-of-tamil-eelam", "LKA", "19"),
        ("Abu Sayyaf kidnapped three Malaysian fishermen.", "abu-sayyaf-group", "PHL", "181"),
        ("The Shining Path ambushed a Peruvian police patrol.", "shining-path", "PER", "180"),
        ("ETA bombed a Spanish police station.", "basque-fatherland-and-freedom", "ESP", "183"),
        ("The Lord's Resistance Army attacked Ugandan villages.",
         "lords-resistance-army", "IMG", "180"),
        ("The Moro Islamic Liberation Front attacked Philippine troops.",
         "moro-islamic-liberation-front", "PHL", "180"),
    ],
)  # fmt: skip
def test_an_armed_group_of_the_world_is_linked_and_acts(
    text: str, slug: str, code: str, kind: str
) -> None:
    iri = str(ACTOR[slug])
    assert iri in armed_group_iris()  # a group of the PETRARCH file, not of actors.ttl
    extraction = extract(
        SourceDocument(text=text, file="g.txt", published=date(2020, 1, 1)), coder="parse"
    )
    linked = {a.iri: a for a in extraction.actors}
    assert iri in linked, [(a.label, a.code) for a in extraction.actors]
    assert linked[iri].code == code and linked[iri].sector == "REB"
    sources = [e for e in extraction.events if e.source is not None and e.source.iri == iri]
    assert sources, [(e.code, e.source and e.source.label) for e in extraction.events]
    assert sources[0].code.startswith(kind)


def test_spellings_of_one_group_link_one_actor() -> None:
    found = iris("Lashkar-e-Toiba and Laskar-e-Tayyaba and Lashkar-e-Taiba were banned.")
    assert found == {str(ACTOR["lashkar-e-taiba"])}


def test_one_name_in_two_states_is_two_groups() -> None:
    pref = URIRef(f"{ns.SKOS}prefLabel")
    bolivian = ACTOR["national-liberation-army-bolivia"]
    assert str(ARMED_GROUPS.value(bolivian, pref)) == "National Liberation Army (Bolivia)"
    assert str(ARMED_GROUPS.value(bolivian, EVKG.countryCode)) == "BOL"
    colombian = ACTOR["national-liberation-army"]
    assert str(ARMED_GROUPS.value(colombian, EVKG.countryCode)) == "COL"


@pytest.mark.parametrize(
    "text",
    [
        "The army attacked the village.",
        "Army troops attacked the village.",
        "Tigers attacked the village.",
        "Youth threw stones at the police.",
        "Revolution is coming, the speaker said.",
    ],
)
def test_a_common_word_links_no_armed_group(text: str) -> None:
    assert iris(text).isdisjoint(armed_group_iris()), text


def test_armed_groups_have_no_common_word_or_leader_for_a_name() -> None:
    names = {str(o) for _, o in ARMED_GROUPS.subject_objects(SKOS_ALT)}
    names |= {str(o) for _, o in ARMED_GROUPS.subject_objects(URIRef(f"{ns.SKOS}prefLabel"))}
    assert {"Youth", "Tigers", "Army", "Lightning", "Foundation", "Paradise"}.isdisjoint(names)
    leaders = {"Joseph Kony", "Khaled Meshaal", "Sami Abu Zuhri", "Ernst Stavro Blofeld"}
    assert leaders.isdisjoint(names)
    assert all(len(name) >= 3 for name in names)


def test_extraction_links_states_of_the_world() -> None:
    text = "Senior Hungarian and Romanian officials agreed on a border deal on Monday."
    extraction = extract(SourceDocument(text=text, file="w.txt", published=date(2021, 3, 1)))
    assert {"HUN", "ROU"} <= {a.code for a in extraction.actors}


# ---------------------------------------------------------------------------
# The gazetteers
# ---------------------------------------------------------------------------


def test_the_generated_gazetteers_are_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_actors.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def world() -> Graph:
    graph = Graph()
    for name in ("countries.ttl", "international.ttl", "armed_groups.ttl"):
        graph.parse(ONTOLOGY / name, format="turtle")
    return graph


def test_every_state_has_a_code_a_label_and_no_province_alias(world: Graph) -> None:
    states = set(world.subjects(EVKG.actorKind, EVKG.State))
    assert len(states) >= 150  # and the states of actors.ttl, whose kind is said there
    hungary = ACTOR["hungary"]
    assert str(world.value(hungary, EVKG.countryCode)) == "HUN"
    assert Literal("Hungarian") in set(world.objects(hungary, EVKG.demonym))
    assert Literal("Budapest") in set(world.objects(hungary, SKOS_ALT))
    provinces = {"Helmand", "Kandahar", "Mosul", "Basra", "California", "Texas"}
    aliases = {str(o) for s in states for o in world.objects(s, SKOS_ALT)}
    assert provinces.isdisjoint(aliases)


def test_reused_actors_get_no_second_label(world: Graph) -> None:
    hand = Graph().parse(ONTOLOGY / "actors.ttl", format="turtle")
    pref = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    for actor in set(hand.subjects(RDF.type, SEM.Actor)):
        assert (actor, pref, None) not in world, actor
    # The United States keeps its hand-written IRI: nothing else is a state with its code.
    usa = [
        s
        for s in world.subjects(EVKG.countryCode, Literal("USA"))
        if (s, EVKG.actorKind, EVKG.State) in world
    ]
    assert usa == []


def test_office_holders_have_dated_roles(world: Graph) -> None:
    orban = ACTOR["viktor-orban"]
    roles = list(world.objects(orban, EVKG.role))
    assert roles
    codes_ = {str(world.value(r, EVKG.roleCode)) for r in roles}
    assert "HUNGOV" in codes_
    starts = [world.value(r, EVKG.start) for r in roles]
    assert all(
        s is None or s.datatype == URIRef("http://www.w3.org/2001/XMLSchema#date") for s in starts
    )


def test_no_generated_alias_names_two_actors(world: Graph) -> None:
    owners: dict[str, set] = {}
    for prop in (SKOS_ALT, EVKG.demonym):
        for actor, label in world.subject_objects(prop):
            owners.setdefault(name_key(str(label)), set()).add(actor)
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert shared == {}


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def test_vocabulary_loads_the_world() -> None:
    vocab = vocabulary()
    assert len(vocab.actors) > 15000
    hand = vocab.actors[str(ACTOR["united-states"])]
    assert not hand.generated and hand.actor.label == "United States"
    assert vocab.actors[str(ACTOR["hungary"])].generated


def vocabulary_error(folder: Path, error: str) -> subprocess.CompletedProcess[str]:
    """Load the vocabulary from the ontology files in `folder`, in a fresh interpreter, and
    print the `error` (an exception class's name) it raises."""
    code = (
        "from ingest import vocab\n"
        "try:\n"
        "    vocab.vocabulary()\n"
        f"except {error} as error:\n"
        "    print(error)\n"
    )
    env = {
        **os.environ,
        "EVKG_ONTOLOGY_DIR": str(folder),
        "EVKG_CACHE_DIR": str(folder / "cache"),
    }
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )


def test_a_missing_vocabulary_file_is_an_error_that_names_it(tmp_path: Path) -> None:
    for name in ("evkg.ttl", "agents.ttl", "places.ttl", "cameo.ttl", "countries.ttl"):
        (tmp_path / name).write_bytes((ONTOLOGY / name).read_bytes())
    (tmp_path / "armed_groups.ttl").write_bytes((ONTOLOGY / "armed_groups.ttl").read_bytes())
    (tmp_path / "international.ttl").write_text("@prefix x: <https://x/> .\nx:a x:b x:c .\n")
    result = vocabulary_error(tmp_path, "FileNotFoundError")
    assert "actors.ttl" in result.stdout, result.stdout + result.stderr


def test_an_unparsable_vocabulary_file_is_an_error_that_names_it(tmp_path: Path) -> None:
    for name in ("evkg.ttl", "agents.ttl", "places.ttl", "cameo.ttl", "international.ttl"):
        (tmp_path / name).write_bytes((ONTOLOGY / name).read_bytes())
    (tmp_path / "armed_groups.ttl").write_bytes((ONTOLOGY / "armed_groups.ttl").read_bytes())
    (tmp_path / "actors.ttl").write_bytes((ONTOLOGY / "actors.ttl").read_bytes())
    (tmp_path / "countries.ttl").write_text("this is not turtle\n")
    result = vocabulary_error(tmp_path, "ValueError")
    assert "countries.ttl" in result.stdout, result.stdout + result.stderr


def test_the_store_loads_the_new_gazetteers() -> None:
    from graph.store.vocab import VOCABULARIES

    assert VOCABULARIES["countries"] == "countries.ttl"
    assert VOCABULARIES["international"] == "international.ttl"
    assert VOCABULARIES["armed_groups"] == "armed_groups.ttl"
