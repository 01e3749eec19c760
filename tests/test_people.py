"""People as a story names them after the first time (ingest/people.py, used by the
linker): family names alone, courtesy titles, initials and generational suffixes; the
country of a titled person the gazetteer lacks; and each actor carrying the names the
story gave it."""

from __future__ import annotations

from datetime import date

from ingest.extract import extract
from ingest.model import SourceDocument
from ingest.people import family_keys
from ingest.text import nlp
from tests.linking import mentions


def test_family_keys_are_the_tails_of_a_name() -> None:
    assert family_keys("Tayeb Abdel Rahim") == [("abdel", "rahim"), ("rahim",)]
    assert family_keys("Haider al-Abadi") == [("al", "abadi"), ("abadi",)]
    assert family_keys("Lloyd J. Austin III") == [("austin",)]
    assert family_keys("Madonna") == []  # a first name alone is no family name


def test_a_family_name_alone_names_the_person_introduced_before() -> None:
    found = mentions(
        "President Mahmoud Abbas met envoys in Ramallah on Sunday. "
        "Mr. Abbas later spoke to reporters. Abbas said talks would go on."
    )
    people = [(surface, actor.label) for surface, actor in found if actor.kind == "person"]
    assert people == [
        ("President Mahmoud Abbas", "Mahmoud Abbas"),
        ("Mr. Abbas", "Mahmoud Abbas"),
        ("Abbas", "Mahmoud Abbas"),
    ]


def test_a_family_name_needs_the_person_named_first() -> None:
    assert not [a for _, a in mentions("Abbas said talks would go on.") if a.kind == "person"]


def test_a_family_name_inside_a_longer_name_is_someone_else() -> None:
    found = mentions("Foreign Minister Jane Roe arrived. Roe Smith, a local trader, greeted Roe.")
    people = [(surface, actor.label) for surface, actor in found if actor.kind == "person"]
    assert ("Roe", "Jane Roe") in people
    assert not any(surface.startswith("Roe Smith") or surface == "Smith" for surface, _ in people)


def test_initials_and_suffixes_are_part_of_a_gazetteer_name() -> None:
    found = mentions("Gen. Mark A. Milley met Lloyd J. Austin III at the Pentagon.")
    people = {surface: actor for surface, actor in found if actor.kind == "person"}
    assert people["Gen. Mark A. Milley"].label == "Mark Milley"
    assert people["Lloyd J. Austin III"].label == "Lloyd Austin"
    # The text's form of the name becomes one of the actor's names in this story.
    assert "Mark A. Milley" in people["Gen. Mark A. Milley"].aliases
    assert "Lloyd J. Austin III" in people["Lloyd J. Austin III"].aliases


def test_a_titled_person_takes_the_country_of_the_body_before_the_title() -> None:
    found = dict(
        (surface, actor)
        for surface, actor in mentions("Treasury Secretary Jane Q. Roe announced new measures.")
        if actor.kind == "person"
    )
    (actor,) = found.values()
    assert actor.code == "USA"
    assert actor.label.endswith("Roe")


def test_a_titled_person_with_no_country_cue_is_of_the_story_country() -> None:
    found = mentions(
        "Protests spread across Georgia on Monday. "
        "Presidential Secretary John Roe read out a statement."
    )
    (person,) = [a for _, a in found if a.kind == "person"]
    assert person.code == "GEO"


def test_the_people_of_a_country_by_their_plural_demonym() -> None:
    found = {
        surface: actor.code
        for surface, actor in mentions("Envoys met the Turks, the Poles and the Danes in Geneva.")
    }
    assert found["Turks"] == "TUR"
    assert found["Poles"] == "POL"
    assert found["Danes"] == "DNK"


def test_a_country_s_officials_are_not_a_generated_body_of_another_kind() -> None:
    # The dictionaries file a party under some states' GOV organs: "X officials" or "the X
    # president" is the country's, composed, not that party.
    (surface, actor) = mentions("The Sudanese President rejected the plan.")[0]
    assert actor.code == "SDN"
    assert "movement" not in actor.label.lower()


def test_an_event_actor_carries_the_names_the_story_used() -> None:
    text = (
        "President Mahmoud Abbas dismissed the cabinet on Thursday. "
        "Abbas condemned Hamas for the attack."
    )
    extraction = extract(SourceDocument(text=text, published=date(2021, 6, 18)))
    abbas = [
        actor
        for event in extraction.events
        for actor in (event.source, event.target)
        if actor is not None and actor.label == "Mahmoud Abbas"
    ]
    assert abbas and "Abbas" in abbas[-1].aliases


def test_a_composed_label_uses_the_demonym_the_country_s_names_use() -> None:
    # The dictionaries list misspelt and foreign adjectives too; the one the gazetteer's
    # own names of the country's bodies open with is the label's.
    found = mentions("Rockets hit Ankara on Monday. The men fled north.")
    (men,) = [actor for surface, actor in found if surface == "men"]
    assert men.label == "Turkish men"


def test_a_definite_noun_takes_up_the_body_whose_name_it_ends() -> None:
    found = mentions(
        "Ministers met at the Baltic Mining Council in Riga. "
        "This council later condemned the strike, and the council members left."
    )
    council = [(surface, actor.label) for surface, actor in found if "ouncil" in surface]
    assert council == [
        ("Baltic Mining Council", "Baltic Mining Council"),
        ("This council", "Baltic Mining Council"),
        ("the council", "Baltic Mining Council"),
    ]


def test_a_state_s_name_may_open_an_organisation_s_name() -> None:
    found = mentions("Envoys briefed the Ukraine Reconstruction Working Group in Kyiv.")
    labels = {surface: (actor.label, actor.code) for surface, actor in found}
    assert labels["Ukraine Reconstruction Working Group"] == (
        "Ukraine Reconstruction Working Group",
        "UKR",
    )
    # A state before a possessive or before words that are no organisation's name is the
    # state.
    for text in ("Ukraine's Working Group replied.", "Envoys flew to Ukraine Sunday Morning."):
        assert ("Ukraine", "Ukraine") in [(s, a.label) for s, a in mentions(text)]


def test_an_international_noun_takes_up_the_international_body_not_the_country() -> None:
    found = mentions(
        "Ships of the U.S.-led coalition sailed near Yemen on Monday. "
        "The international group struck radar sites in Yemen."
    )
    (group,) = [actor for surface, actor in found if surface == "international group"]
    assert group.code == "COALITION"
    (alone,) = [
        actor
        for surface, actor in mentions("Rockets hit Yemen. The multinational force arrived.")
        if "force" in surface
    ]
    assert alone.code is None  # no international body named: no country either


def test_a_noun_of_a_state_is_that_state_s() -> None:
    found = mentions("The navies of Chile and Peru held drills. The people of Iraq voted.")
    labels = {surface: (actor.code, actor.aliases) for surface, actor in found}
    assert labels["navies"][0] == "CHL"
    assert "navies of Chile" in labels["navies"][1]
    assert labels["people"][0] == "IRQ"


def test_a_generic_gazetteer_word_ending_a_body_s_name_is_that_body_s() -> None:
    found = mentions("Officials said the Save Tigris Coalition opposed the dam.")
    assert ("Save Tigris Coalition", "Save Tigris Coalition") in [(s, a.label) for s, a in found]
    assert all(a.code != "COALITION" for _, a in found)


def test_an_abbreviated_rank_neither_ends_the_sentence_nor_loses_the_name() -> None:
    doc = nlp()("The strikes hit the depot, Army Col. Jane Roe told reporters in Washington.")
    assert len(list(doc.sents)) == 1
    found = mentions("The strikes hit the depot, Army Col. Jane Roe told reporters in Washington.")
    (person,) = [(surface, actor) for surface, actor in found if actor.kind == "person"]
    assert person[0] == "Col. Jane Roe"
    assert person[1].code == "USA"  # the story's country: Washington, in the same sentence


def test_a_short_title_takes_up_the_full_one() -> None:
    found = mentions(
        "Defense Secretary Jane Roe visited Riga. The secretary met Lt. Gen. John Doe there. "
        "The general said little."
    )
    taken = {surface: actor.label for surface, actor in found if surface.startswith("The ")}
    assert taken == {"The secretary": "Jane Roe", "The general": "John Doe"}


def test_a_quoted_we_is_the_speaker_not_an_actor_named_inside_the_quotation() -> None:
    found = mentions(
        'Defense Secretary Jane Roe spoke. "The raids hurt our partners," the secretary said. '
        '"They also help ISIS. We have told the Turks so."'
    )
    (we,) = [actor for surface, actor in found if surface == "We"]
    assert we.label == "Jane Roe"


def test_coordinated_demonyms_each_name_their_country() -> None:
    found = mentions("He demanded an end to Iranian and Syrian support for the militia.")
    assert {"IRN", "SYR"} <= {actor.code for _, actor in found}


def test_a_peacekeeping_force_is_the_international_body_s_unless_a_country_s() -> None:
    found = mentions(
        "The United Nations met on Friday. The peacekeeping force lacks helicopters, and "
        "Kenyan peacekeeping troops left."
    )
    codes = {surface: actor.code for surface, actor in found}
    assert codes["peacekeeping force"] == "UNO"
    assert codes["Kenyan peacekeeping troops"] == "KEN"


def test_a_country_named_as_a_place_is_among_the_document_s_actors() -> None:
    extraction = extract(
        SourceDocument(
            text="Militants fired rockets at a base in Iraq on Monday, officials said.",
            published=date(2021, 6, 18),
        )
    )
    assert "Iraq" in {actor.label for actor in extraction.actors}


def test_both_men_are_the_pair_just_named() -> None:
    found = mentions(
        "Defense Secretary Jane Roe and Gen. John Doe landed in Ankara on Monday. "
        "Both men told their Turkish hosts to stop."
    )
    (both,) = [actor for surface, actor in found if surface == "Both men"]
    assert both.label == "Jane Roe"
    # With one person named, "both men" are no pair of them.
    found = mentions("Gen. John Doe landed in Ankara. Both men left.")
    assert all(actor.label != "John Doe" for surface, actor in found if "men" in surface)


def test_a_people_named_by_faith_and_name_is_one_group_of_the_story_s_country() -> None:
    found = mentions(
        "Shelling hit Lebanon on Monday. Aid reached Shia Kurds near the border. "
        "The Sunnis stayed away."
    )
    labels = {surface: (actor.label, actor.code) for surface, actor in found}
    assert labels["Shia Kurds"] == ("Shia Kurds", "LBN")
    # Another faith is another community, not the one named before.
    assert labels["Sunnis"][0] != "Shia Kurds"


def test_chained_titles_all_belong_to_the_name() -> None:
    found = mentions(
        'Defense Secretary Dr. Jane Q. Roe condemned the raid. "It hurts our partners," '
        'the secretary said. "We have told the Turks."'
    )
    surfaces = {surface: actor.label for surface, actor in found}
    assert surfaces["Defense Secretary Dr. Jane Q. Roe"] == "Jane Q. Roe"
    assert surfaces["the secretary"] == "Jane Q. Roe"
    assert surfaces["We"] == "Jane Q. Roe"


def test_a_country_s_titled_noun_is_one_person_of_it_not_its_body() -> None:
    found = mentions("A drone killed a senior Iranian general near the airport.")
    (general,) = [actor for surface, actor in found if surface.endswith("general")]
    assert (general.label, general.code, general.kind) == ("Iranian general", "IRN", "person")


def test_the_police_take_up_no_army() -> None:
    found = mentions("Shelling hit Iraq. The Iraqi army and the federal police retook the town.")
    (police,) = [actor for surface, actor in found if "police" in surface]
    assert police.sector == "COP" and police.code == "IRQ"
    assert "army" not in police.label.lower()


def test_the_country_is_the_state_named_last() -> None:
    found = mentions(
        "Rockets hit Lebanon on Monday. The country's leaders vowed to respond, "
        "and the nation mourned."
    )
    states = [(surface, actor.label) for surface, actor in found if actor.kind == "state"]
    assert ("The country", "Lebanon") in states
    assert ("the nation", "Lebanon") in states


def test_a_demonym_an_editor_inserted_in_brackets_names_its_country() -> None:
    found = mentions('"This [Greek] decision hurts our [fishing] partners," he said.')
    assert ("Greek", "GRC") in [(surface, actor.code) for surface, actor in found]
