"""The parse coder (EVKG_CODER=parse) on sentences written for the patterns they show: one
or more per CAMEO root, voice, nominal events, coordination, modality, and bad input.

Each case names (root, source country, target country or None, modality) of one event the
sentence must yield; actors are compared by code so the gazetteer's labels may change.
"""

from __future__ import annotations

import sys
import time
from datetime import date

import pytest
from rdflib import Namespace

from ingest.extract import MAX_CHARS, DocumentTooLarge, extract
from ingest.model import SourceDocument
from ingest.rdf import to_graph
from ontology.namespaces import EVKG as EVKG_IRI

PUBLISHED = date(2020, 1, 10)
EVKG = Namespace(EVKG_IRI)


def events(text: str, full_code: bool = False) -> set[tuple[str, str | None, str | None, str]]:
    """(root, or the full CAMEO code, source code, target code, modality) of each event, for
    each of its sources and targets (coordinated parties to one act are one event's)."""
    doc = SourceDocument(text=text, file="case.txt", published=PUBLISHED)
    return {
        (e.code if full_code else e.root, s.code if s else None, t.code if t else None, e.modality)
        for e in extract(doc, coder="parse").events
        for s in e.sources or (None,)
        for t in e.targets or (None,)
    }


CASES = [
    # 01 make public statement (a nominal event with a light verb)
    ("Iran issued a statement on Iraq's elections on Monday.", ("01", "IRN", "IRQ", "asserted")),
    # 02 appeal
    (
        "Iraq appealed to Saudi Arabia for financial aid on Monday.",
        ("02", "IRQ", "SAU", "asserted"),
    ),
    # ... and coordinated subjects who will appeal to someone else each appeal on their own
    (
        "Chile and Peru will ask Asian banks to fund a new railway.",
        ("02", "PER", None, "intended"),
    ),
    # an agreement to act is an intent (03), whatever the act
    (
        "Chile and Peru agreed to a ceasefire after two days of clashes.",
        ("03", "PER", "CHL", "asserted"),
    ),
    ("Chile and Peru have agreed upon a new trade pact.", ("03", "CHL", "PER", "asserted")),
    (
        "Chile and Peru have agreed to hold joint military exercises.",
        ("03", "CHL", "PER", "intended"),
    ),
    # 04 consult: coordinated subjects meet each other, both ways
    ("Iran and Iraq held talks in Baghdad on Tuesday.", ("04", "IRN", "IRQ", "asserted")),
    ("Iran and Iraq held talks in Baghdad on Tuesday.", ("04", "IRQ", "IRN", "asserted")),
    # 05 diplomatic cooperation
    ("Syria praised Iran for its support on Friday.", ("05", "SYR", "IRN", "asserted")),
    # 07 provide aid: the object is the aid, the target the "to" phrase
    (
        "The United States sent humanitarian aid to Iraq last month.",
        ("07", "USA", "IRQ", "asserted"),
    ),
    # 09 investigate, under "agreed to": intended
    (
        "Iraq agreed to investigate the deaths of Iranian pilgrims.",
        ("09", "IRQ", "IRN", "intended"),
    ),
    # 10 demand: the target is the subject of the demanded clause
    (
        "Iran demanded on Sunday that the United States withdraw its troops.",
        ("10", "IRN", "USA", "asserted"),
    ),
    # 11 disapprove, with coordinated objects: one event each
    (
        "Syria condemned the United States and Turkey for the strikes.",
        ("11", "SYR", "USA", "asserted"),
    ),
    (
        "Syria condemned the United States and Turkey for the strikes.",
        ("11", "SYR", "TUR", "asserted"),
    ),
    # 12 reject
    (
        "Iran rejected the proposal from the United States on Monday.",
        ("12", "IRN", "USA", "asserted"),
    ),
    # 13 threaten: a threat is an event of its own, whatever it threatens
    (
        "Iran threatened to close the Strait of Hormuz to the United States.",
        ("13", "IRN", "USA", "asserted"),
    ),
    # 13: an act announced on a condition the other side must meet is a threat
    (
        "Belgium will withdraw its trainers from Mali unless the junta holds elections.",
        ("13", "BEL", "MLI", "intended"),
    ),
    (
        "Chile will cut its trade with Peru if Lima does not release the fishermen.",
        ("13", "CHL", "PER", "intended"),
    ),
    (
        "Egypt said it would bomb Libyan militias if they attacked Sirte.",
        ("13", "EGY", "LBY", "intended"),
    ),
    # a vow to fight is a threat, however the parser attaches the infinitive
    ("Nepalese rebels have sworn to fight Indian forces.", ("13", "NPL", "IND", "intended")),
    # ... and a cooperative act offered on a condition Y may meet is a promise
    (
        "Japan will send food aid to Myanmar if the junta frees its prisoners.",
        ("03", "JPN", "MMR", "intended"),
    ),
    # 14 protest
    (
        "Iraqi protesters demonstrated against the United States in Baghdad.",
        ("14", "IRQ", "USA", "asserted"),
    ),
    # 19: a blockade is a use of force (191), not a sanction
    ("Turkey imposed a naval blockade on Cyprus.", ("19", "TUR", "CYP", "asserted")),
    # 16 reduce relations
    (
        "The United States imposed new sanctions on Iran on Monday.",
        ("16", "USA", "IRN", "asserted"),
    ),
    # 17 coerce
    (
        "Israeli police arrested Syrian activists in Jerusalem on Monday.",
        ("17", "ISR", "SYR", "asserted"),
    ),
    # 18 assault
    (
        "Iranian militants kidnapped Iraqi officials near Basra on Sunday.",
        ("18", "IRN", "IRQ", "asserted"),
    ),
    (  # bombing from the air is aerial (195), not a bombing on the ground (183)
        "Israeli aircraft bombed Syrian positions near Damascus overnight.",
        ("19", "ISR", "SYR", "asserted"),
    ),
    # passive voice: the "by" agent is the source
    (
        "The embassy of Iraq was attacked by Iranian militants on Sunday.",
        ("18", "IRN", "IRQ", "asserted"),
    ),
    # 19 fight, as a noun with its possessor and "into" phrase
    (
        "Turkey's incursion into Syria began early on Wednesday morning.",
        ("19", "TUR", "SYR", "asserted"),
    ),
    # light verb: the noun is the event, the verb's subject its source
    (
        "The United States carried out airstrikes against Iraq on Sunday night.",
        ("19", "USA", "IRQ", "asserted"),
    ),
    # reported speech: the reported event, its source the reported subject
    (
        "Iraqi officials said Iranian forces fired rockets at Turkey on Monday.",
        ("19", "IRN", "TUR", "asserted"),
    ),
    # accusations: 112 from the accuser to the accused
    (
        "The United States accused Iran of attacking tankers in the Gulf.",
        ("11", "USA", "IRN", "asserted"),
    ),
    (
        "Saudi officials said Iran was behind the attack on the oil facilities.",
        ("11", "SAU", "IRN", "asserted"),
    ),
    # modality
    ("Israel did not attack Syria during the week.", ("18", "ISR", "SYR", "negated")),
    (
        "Iran would attack Israel if the United States struck first.",
        ("18", "IRN", "ISR", "hypothetical"),
    ),
    ("Iraq denied that it attacked Syria last week.", ("18", "IRQ", "SYR", "denied")),
    (
        "The United States struck Iraq on Monday without consulting Turkey.",
        ("04", "USA", "TUR", "negated"),
    ),
    (
        "Iran responded with missile strikes on Iraq on Tuesday night.",
        ("19", "IRN", "IRQ", "asserted"),
    ),
    (
        "The United States blamed Iran for an attack that killed two Iraqi soldiers.",
        ("18", "IRN", "IRQ", "claimed"),
    ),
    # an intention to meet is coded as CAMEO does, 036 "express intent to meet"
    ("Iran will meet Iraq in Baghdad next week.", ("03", "IRN", "IRQ", "intended")),
    # "X said Y must ...": X demands of Y (root 10), whatever Y is to do
    (
        "Russia said on Tuesday that Sudan must return the captured helicopter.",
        ("10", "RUS", "SDN", "asserted"),
    ),
    (
        "Egypt insisted on Monday that Israel has to withdraw its troops from Gaza.",
        ("10", "EGY", "ISR", "asserted"),
    ),
    # a former state is still an actor of its time
    (
        "Yugoslavia rejected an Austrian ultimatum on Thursday.",
        ("12", "YUG", "AUT", "asserted"),
    ),
    # an outcome's passive subject is the target of the attack it happened in
    (
        "A Turkish soldier was killed in an attack on a patrol by Syrian militants on Friday.",
        ("18", "SYR", "TUR", "asserted"),
    ),
    # a noun coordinated with a light verb's object: the verb's subject is its source
    (
        "Vietnamese forces launched mortar and artillery fire against Thai positions today.",
        ("19", "VNM", "THA", "asserted"),
    ),
    # "X is responsible for the killings": X's killings, as the sentence claims
    (
        "Sudan's government is responsible for the killings of Chadian villagers, a report says.",
        ("18", "SDN", "TCD", "claimed"),
    ),
    # "we" outside quotation: the body that issues the text, the first one it names
    (
        "Statement by the Government of Japan on the situation in the Gulf.\n\n"
        "The situation worsened this week. We urge Iran to release the seized tanker.",
        ("02", "JPN", "IRN", "asserted"),
    ),
    # a verb's "-ing" form as a noun reads as the verb, with a noun's roles
    (
        "The storming of the Iraqi embassy by Iranian protesters began at dawn on Monday.",
        ("14", "IRN", "IRQ", "asserted"),
    ),
    # a named body's generic noun is that body ("Hezbollah fighters"), not the story's country
    (
        "In Syria, Hezbollah fighters ambushed Turkish soldiers near the border on Monday.",
        ("18", "LBN", "TUR", "asserted"),
    ),
    # what parties agree should happen is their intent (03), not a hypothesis
    (
        "Egypt and Jordan agreed on Monday that their armies should cooperate with Iraq.",
        ("03", "EGY", "IRQ", "intended"),
    ),
    # a nominal event between two sides, its noun written in the plural
    (
        "Clashes between Armenia and Azerbaijan left dozens dead on Tuesday.",
        ("19", "ARM", "AZE", "asserted"),
    ),
    # the means of an aim is done, whatever becomes of the aim
    (
        "Russia is trying to win the war by shelling Ukraine's eastern towns.",
        ("19", "RUS", "UKR", "asserted"),
    ),
    # the target inside a participle that qualifies the object
    (
        "The European Union imposed new sanctions related to arms sales on Belarus on Friday.",
        ("16", "EUR", "BLR", "asserted"),
    ),
    # an actor named deep in a compound ("Hamas rocket launch sites") is the target
    (
        "Israel carried out airstrikes on Hamas rocket launch sites in Gaza on Monday.",
        ("19", "ISR", "PSE", "asserted"),
    ),
    # a quantity of an event noun under a light verb ("restored part of its aid to Y")
    (
        "Japan restored a wide range of aid to Myanmar on Monday.",
        ("07", "JPN", "MMR", "asserted"),
    ),
    # a threat's target is the subject of the condition it sets
    (
        "Turkey threatened to close its border unless Syria expelled the rebels.",
        ("13", "TUR", "SYR", "asserted"),
    ),
    # a protest needs no target; a plural demonym names the people of its country
    (
        "Thousands of Albanians demonstrated in the capital on Tuesday.",
        ("14", "ALB", None, "asserted"),
    ),
    # "ready/willing to" states an intent; the adjective's subject is the source
    ("Norway is willing to send weapons to Saudi Arabia.", ("03", "NOR", "SAU", "intended")),
    ("France is ready to send aid to Chad.", ("03", "FRA", "TCD", "intended")),
    # what several parties mean to do together is each one's intent to cooperate with the other
    (
        "Peru and Chile have agreed to hold joint exercises next month.",
        ("03", "PER", "CHL", "intended"),
    ),
    (
        "Peru and Chile have agreed to hold joint exercises next month.",
        ("03", "CHL", "PER", "intended"),
    ),
    # "X wants Y to do Z" is X's appeal to Y
    ("Israel wants Germany to pay compensation to the victims.", ("02", "ISR", "DEU", "asserted")),
    ("France called on Russia to withdraw from Ukraine.", ("02", "FRA", "RUS", "asserted")),
    # how a speaker feels about another is a pessimistic or optimistic comment; declining
    ("Japan is worried about China's military buildup.", ("01", "JPN", "CHN", "asserted")),
    (
        "The Kenyan president said he was confident that Uganda would reopen the border.",
        ("01", "KEN", "UGA", "asserted"),
    ),
    ("NATO declined to comment on reports of Serbian losses.", ("01", "IGO", "SRB", "asserted")),
    # a refusal is a rejection aimed where the refused act was; the source's own troops are
    # no target
    ("Syria refused to withdraw its troops from Lebanon.", ("12", "SYR", "LBN", "asserted")),
    ("Iran declined to meet with Saudi envoys.", ("12", "IRN", "SAU", "asserted")),
    # a clause's subject the parser hung on the verb of saying as a second object
    (
        "The office told the inspector general the coalition"
        " \u201crestarted its aid to Jordan.\u201d",
        ("07", "COALITION", "JOR", "asserted"),
    ),
    # a coercive act announced in the future tense is a threat
    ("The European Union will impose new sanctions on Belarus.", ("13", "EUR", "BLR", "intended")),
    # a noun of demand is addressed to the subject of its "that" clause
    (
        "Poland issued a demand that Russia return the stolen paintings.",
        ("10", "POL", "RUS", "asserted"),
    ),
    # who speaks for a body is that body
    ("A spokesman for Hamas called the Israeli raid a crime.", ("11", "PSE", "ISR", "asserted")),
    # judgements: what a speaker calls another's act is disapproval or praise of its doer
    ("Iran called the American sanctions illegal on Monday.", ("11", "IRN", "USA", "asserted")),
    (
        "The Iraqi foreign minister described Turkey's incursion as a violation of sovereignty.",
        ("11", "IRQ", "TUR", "asserted"),
    ),
    ("Russia said the Ukrainian attack was reckless.", ("11", "RUS", "UKR", "asserted")),
    ("China called Japan's decision a positive step.", ("05", "CHN", "JPN", "asserted")),
    # 15 force posture, 16 reduced relations, 20 mass violence, 05 ties restored
    ("Israel strengthened its forces in southern Lebanon.", ("15", "ISR", "LBN", "asserted")),
    ("Iran broke off talks with the European Union.", ("16", "IRN", "EUR", "asserted")),
    ("Qatar ended its mediation between Israel and Hamas.", ("16", "QAT", "ISR", "asserted")),
    (
        "Serbian forces carried out ethnic cleansing against Albanians in Kosovo.",
        ("20", "SRB", "ALB", "asserted"),
    ),
    ("Turkey restored diplomatic relations with Israel.", ("05", "TUR", "ISR", "asserted")),
    ("Japan and India held joint military exercises.", ("06", "JPN", "IND", "asserted")),
    # 08 yield: easing a measure, whatever words come between the verb and it
    ("Canada lifted all remaining sanctions on Cuba.", ("08", "CAN", "CUB", "asserted")),
    ("Egypt eased the night curfew in the Sinai on Monday.", ("08", "EGY", None, "asserted")),
    ("Chile gave in to Bolivia's demands after a week.", ("08", "CHL", "BOL", "asserted")),
    ("Russia returned the seized vessels to Ukraine.", ("08", "RUS", "UKR", "asserted")),
    ("Algeria eased emergency measures in Kabylie.", ("08", "DZA", None, "asserted")),
    # a strike by workers is a protest (with "organized" as a light verb), not an attack
    (
        "Opposition parties in Kenya organized a general strike on Monday.",
        ("14", "KEN", None, "asserted"),
    ),
    (
        "Bahraini prisoners went on hunger strike on Sunday.",
        ("14", "BHR", None, "asserted"),
    ),
    # 10 demand: a speaker obliging another, whatever act is obliged
    (
        "Norway declared on Friday that Sweden must reopen its border posts.",
        ("10", "NOR", "SWE", "asserted"),
    ),
    ("Chile insisted that Peru has to rewrite the treaty.", ("10", "CHL", "PER", "asserted")),
    # an act aimed at whoever did what its object names: the "by" phrase's doer
    (
        "Germany condemned the shelling of Kharkiv by Russian forces.",
        ("11", "DEU", "RUS", "asserted"),
    ),
    (
        "Japan praised the rescue of the sailors by the Chinese navy.",
        ("05", "JPN", "CHN", "asserted"),
    ),
    # "said it would": the future seen from the past; a coercive act so announced threatens
    ("France said it would impose sanctions on Mali.", ("13", "FRA", "MLI", "intended")),
    # the source's own forces, sent or moved, are no target: where they go is
    ("Russia said it would send troops to Serbia.", ("03", "RUS", "SRB", "intended")),
    ("North Korea rejected calls by South Korea for talks.", ("12", "PRK", "KOR", "asserted")),
    (
        "The Kremlin denounced the sanctions imposed by the European Union.",
        ("11", "RUS", "EUR", "asserted"),
    ),
    # talks between two sides are each side's, both ways
    ("Talks between Armenia and Azerbaijan resumed in Moscow.", ("04", "AZE", "ARM", "asserted")),
    ("Talks between Armenia and Azerbaijan resumed in Moscow.", ("04", "ARM", "AZE", "asserted")),
    # a mediator's targets are the sides it mediates between
    ("Egypt mediated between Israel and Hamas.", ("04", "EGY", "PSE", "asserted")),
    ("Egypt mediated between Israel and Hamas.", ("04", "EGY", "ISR", "asserted")),
    # cooperation announced as not to be: a refusal (12); what is not done, negated
    ("Syria said it will not accept any more Iraqi refugees.", ("12", "SYR", "IRQ", "asserted")),
    ("Iran will not negotiate with the United States.", ("12", "IRN", "USA", "asserted")),
    ("Israel did not attack Syria.", ("18", "ISR", "SYR", "negated")),
    # curfews, states of emergency and martial law (172)
    ("Thailand declared a state of emergency in Bangkok.", ("17", "THA", None, "asserted")),
    # a country word, a modifier, an agent noun: the country's agents
    ("Gunmen abducted two Italian aid workers in Somalia.", ("18", "SOM", "ITA", "asserted")),
    # committed to an act the dictionary does not know: the commitment itself (03)
    ("Iran and Iraq agreed to build a pipeline.", ("03", "IRN", "IRQ", "asserted")),
    # a record of one short sentence is read, not taken for a headline
    ("Israel released 200 Palestinian prisoners.", ("08", "ISR", "PSE", "asserted")),
    ("Hamas freed three Israeli hostages.", ("08", "PSE", "ISR", "asserted")),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_coder_reads_general_patterns(text: str, expected: tuple) -> None:
    assert expected in events(text)


def test_every_root_has_a_case() -> None:
    covered = {expected[0] for _text, expected in CASES}
    assert covered >= {f"{r:02d}" for r in range(1, 21)}


def test_a_hunger_strike_or_a_walkout_is_no_attack() -> None:
    for text in (
        "Jordanian teachers staged a hunger strike outside the ministry on Sunday.",
        "Greek dockworkers began a nationwide strike on Monday.",
    ):
        found = events(text)
        assert found and not {root for root, *_rest in found} & {"18", "19", "20"}, found


def test_an_attack_and_its_toll_are_one_event() -> None:
    """ ", killing Y": the participle tells what the attack did; one event, aimed at Y when
    the attack itself named no one."""
    found = events("Chadian troops shelled Adre on Monday, killing two Nigerien herders.")
    assert {(s, t) for _r, s, t, _m in found} == {("TCD", "NER")}, found
    found = events("Chadian troops attacked Nigerien soldiers on Monday, wounding four Malians.")
    assert {(s, t) for _r, s, t, _m in found} == {("TCD", "NER")}, found


def test_a_light_verb_lends_its_subject_to_the_event_noun() -> None:
    """ "conducted attacks", "the sanctions X reimposed on Y": the noun is the event."""
    found = events("The Kenyan army conducted deadly attacks against Somali villages.")
    assert {(r, s, t) for r, s, t, _m in found} == {("18", "KEN", "SOM")}, found
    found = events("The sanctions the European Union reimposed on Belarus hurt its exports.")
    assert ("16", "EUR", "BLR", "asserted") in found, found
    found = events("The strikes that Israel carried out on Syria killed ten people.")
    assert ("19", "ISR", "SYR", "asserted") in found, found


def test_we_in_a_quotation_is_the_speaker_it_is_attributed_to_after_it() -> None:
    text = (
        "Chilean reporters met Argentine officials on Monday.\n\n"
        '"When Bolivia attacked us last year, nobody helped," Peruvian President '
        "Dina Boluarte said."
    )
    found = {(s, t) for r, s, t, _m in events(text) if r in {"18", "19"}}
    assert found == {("BOL", "PER")}, events(text)


def test_what_an_actor_holds_stands_for_it_and_whose_will_is_no_target() -> None:
    for text, pair in (
        ("Indian jets struck camps used by Pakistani militants in Kashmir.", ("IND", "PAK")),
        ("Pakistani jets bombed Taliban-controlled areas of Kunar.", ("PAK", "AFG")),
        (
            "At Nepal's request, Indian jets struck positions held by Pakistani militants.",
            ("IND", "PAK"),
        ),
        (
            "At the Nepalese president's direction, Indian forces launched airstrikes against "
            "infrastructure utilized by Pakistani-backed militant groups.",
            ("IND", "PAK"),
        ),
    ):
        found = {(s, t) for r, s, t, _m in events(text) if r in {"18", "19"}}
        assert found == {pair}, (text, events(text))


def test_a_one_line_record_cut_short_is_read() -> None:
    """A record of one line with no final stop is what there is to read, not a headline."""
    found = events("Qatar on Saturday appealed to Egypt to reopen the Rafah crossing for the")
    assert ("02", "QAT", "EGY", "asserted") in found, found


def test_what_is_asked_of_someone_is_not_reported_as_done() -> None:
    for text, asked in (
        ("The UN urged Israel to stop its attacks on Lebanon.", "ISR"),
        ("France called on Russia to withdraw from Ukraine.", "RUS"),
        ("Egypt expects Hamas to release the hostages.", "PSE"),
        ("Canada demanded that Iran release the sailors.", "IRN"),
    ):
        found = events(text)
        assert found, text
        done = {e for e in found if e[1] == asked and e[3] in {"asserted", "intended"}}
        assert not done, (text, found)


def test_what_is_refused_is_not_reported_as_done() -> None:
    for text in (
        "Syria refused to withdraw its troops from Lebanon.",
        "Iran declined to meet with Saudi envoys.",
    ):
        found = events(text)
        assert found and all(root == "12" for root, *_rest in found), (text, found)


def test_a_kind_of_thing_named_by_an_event_word_is_no_event() -> None:
    for text in (
        "Serbia opened an inquiry into war crimes in Bosnia.",
        "Russia sold attack helicopters to Iraq.",
    ):
        found = events(text)
        assert not {root for root, *_rest in found} & {"18", "19", "20"}, (text, found)


def test_what_an_act_is_about_took_place_whatever_the_act_s_mood() -> None:
    """ "will investigate the killing": the investigation is intended, the killing done."""
    found = events("Kenya will investigate the killing of Somali refugees by Kenyan police.")
    assert ("09", "KEN", "KEN", "intended") in found, found  # the police, its doer
    assert {m for root, *_rest, m in found if root in {"18", "19", "20"}} == {"asserted"}, found


def test_an_act_with_no_one_acted_upon_stands_only_in_a_record_of_nothing_else() -> None:
    """ "X agreed to set up a centre": the one event of a one-sentence record; beside an
    article's events, background."""
    alone = "Chile agreed to open a trade office in Lima."
    assert events(alone) == {("03", "CHL", None, "intended")}, events(alone)
    beside = events(alone + " Peru attacked Bolivia on Monday.")
    assert beside and all(target is not None for _r, _s, target, _m in beside), beside


def test_a_coercive_act_announced_as_ready_or_planned_is_a_threat_an_effort_is_not() -> None:
    found = events("Mali announced that it is prepared to impose martial law.")
    assert {r for r, *_rest in found} == {"13"}, found
    found = events("Chad said it plans to expel French diplomats.")
    assert {r for r, *_rest in found} == {"13"}, found
    found = events("Chad said it sought to expel French diplomats.")
    assert {r for r, *_rest in found} == {"16"}, found


def test_a_sea_named_after_a_state_is_a_place() -> None:
    found = events("Iran seized a tanker in the Gulf of Oman on Monday.")
    assert found and all(target != "OMN" for _r, _s, target, _m in found), found


def test_a_crowd_protests_in_the_street_a_government_complains() -> None:
    assert {r for r, *_rest in events("Students protested in Lima on Monday.")} == {"14"}
    found = events("Peru protested the sanctions on Monday.")
    assert {(r, s) for r, s, _t, _m in found} == {("11", "PER")}, found  # whose sanctions: unsaid


def test_an_attribution_does_not_stand_in_for_the_act_it_reports() -> None:
    for text in (
        "Chile agreed to open a trade office in Lima, officials said.",
        "Officials in Santiago said Chile agreed to open a trade office in Lima.",
    ):
        assert events(text) == {("03", "CHL", None, "intended")}, (text, events(text))


def test_an_appeal_to_no_one_in_particular_is_an_event_in_an_article() -> None:
    found = events("The European Union called for calm in Haiti on Sunday. Haiti attacked Cuba.")
    assert any(root == "02" and target is None for root, _s, target, _m in found), found


def test_a_demand_replaces_the_plain_statement_that_carries_it() -> None:
    found = events("Norway declared on Friday that Sweden must reopen its border posts.")
    assert {root for root, *_rest in found} == {"10"}, found


def test_an_agent_noun_does_not_swallow_the_preposition_after_it() -> None:
    """ "its embassy in Kabul": the embassy, not an "embassy in" of Afghanistan."""
    doc = SourceDocument(
        text="India condemned the attack on its embassy in Kabul.", file="case.txt"
    )
    labels = {a.label for a in extract(doc, coder="parse").actors}
    assert not any(label.endswith(" in") for label in labels), labels


def test_a_refused_act_the_dictionary_does_not_know_is_a_rejection_of_whom_it_concerns() -> None:
    found = events("Israel refused to let Egyptian officials enter Gaza.")
    assert ("12", "ISR", "EGY", "asserted") in found, found


def test_a_judgement_denied_is_no_disapproval() -> None:
    found = events("Egypt said the Israeli decision was not illegal.")
    assert not {root for root, *_rest in found} & {"11"}, found


def test_negated_events_are_kept_not_dropped() -> None:
    found = events("Israel did not attack Syria during the week.")
    assert all(modality == "negated" for *_rest, modality in found)
    assert found


def test_unrelated_prose_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sentences with no actor or no trigger word never reach the parser."""
    module = sys.modules["ingest.extract"]  # the package exports a function of that name

    calls: list = []
    original = module.parse_many
    monkeypatch.setattr(module, "parse_many", lambda sents: calls.extend(sents) or original(sents))
    text = (
        "The weather was mild across the region for most of the week. "
        "Apples and pears were on sale in the old town square all day. "
        "Iran condemned the United States for the sanctions on Monday."
    )
    events(text)
    assert len(calls) == 1


def test_foreign_text_yields_nothing_and_does_not_fail() -> None:
    texts = [
        "Die Regierung hat am Montag neue Gespräche mit den Nachbarländern angekündigt.",
        "Le gouvernement a annoncé lundi de nouvelles négociations avec ses voisins du sud.",
        "أعلنت الحكومة يوم الاثنين عن محادثات جديدة مع الدول المجاورة في المنطقة.",
        "政府周一宣布将与邻国举行新一轮谈判，以缓解地区紧张局势。",
    ]
    for text in texts:
        assert events(text) == set()


def test_a_five_thousand_token_sentence_is_not_parsed_and_does_not_fail() -> None:
    text = "Iran attacked Iraq and " + " and ".join(["Syria"] * 2500) + " on Monday."
    started = time.perf_counter()
    found = events(text)
    assert time.perf_counter() - started < 30
    assert found == set()


def test_a_document_of_a_million_characters() -> None:
    sentence = "The committee met in the hall and discussed the budget for the coming year. "
    text = (sentence * (MAX_CHARS // len(sentence) + 1))[:MAX_CHARS]
    assert len(text) == MAX_CHARS
    assert events(text) == set()
    with pytest.raises(DocumentTooLarge):
        events(text + "x")


def test_a_noun_with_a_doer_of_its_own_is_its_own_event() -> None:
    """ "X vowed to stop attacks by Y on Z": Y's attacks are reported, not only X's vow."""
    found = events("Ankara vowed to end attacks by the Armenian army on Turkish villages.")
    assert ("18", "ARM", "TUR", "asserted") in found, found
    found = events("Chile condemned Bolivia's invasion of Peru on Monday.")
    assert {("11", "CHL", "BOL"), ("19", "BOL", "PER")} <= {(r, s, t) for r, s, t, _ in found}
    # a "from" phrase names where from, not who: the expulsion is the parliament's call
    found = events(
        "Peru's parliament passed a resolution calling for the expulsion of Chilean troops "
        "from Peru."
    )
    assert {s for _r, s, _t, _m in found} == {"PER"}, found


def test_speaking_to_the_press_is_a_public_statement_beside_what_it_reports() -> None:
    found = events("The Chilean foreign minister told reporters that Peru had attacked Bolivia.")
    assert ("01", "CHL", None, "asserted") in found, found
    assert {r for r, s, t, _m in found if (s, t) == ("PER", "BOL")} & {"18", "19"}, found
    for text in (
        "The Kenyan president said in a statement that the talks would resume.",
        "A Kenyan army spokesman briefed journalists on Monday.",
    ):
        found = events(text)
        assert ("01", "KEN", None, "asserted") in found, (text, found)
    # said to no one in particular, the report alone
    found = events("The Chilean foreign minister said that Peru had attacked Bolivia.")
    assert {r for r, *_ in found} == {"18"}, found


def test_their_takes_up_the_troops_named_before() -> None:
    found = events("Chadian troops said their fight with Islamic State militants would go on.")
    assert ("19", "TCD", "ISIS", "asserted") in found, found


def test_fighting_that_broke_out_between_two_sides_is_theirs() -> None:
    for text in (
        "Clashes erupted between Sudanese troops and Chadian rebels on Monday.",
        "Fighting broke out between Sudanese troops and Chadian rebels.",
    ):
        found = {(r, s, t) for r, s, t, _m in events(text)}
        assert ("19", "SDN", "TCD") in found, (text, found)


def test_agents_from_a_named_body_are_its_own() -> None:
    found = events("Kurdish forces fought terrorists from the Islamic State near Kirkuk.")
    assert ("19", "IRQ", "ISIS", "asserted") in found, found
    found = events("Soldiers from Chad attacked Nigerien herders.")
    assert ("18", "TCD", "NER", "asserted") in found, found


def test_a_penalty_foretold_to_someone_is_a_threat() -> None:
    for text in (
        "Egypt warned that Ethiopia would pay a heavy price for its actions.",
        "The Egyptian president said Ethiopia will face serious consequences.",
    ):
        found = events(text)
        assert ("13", "EGY", "ETH", "asserted") in found, (text, found)
    # a price paid, not foretold, is no threat
    found = events("The Egyptian president said Ethiopia paid a high price for the dam.")
    assert "13" not in {r for r, *_ in found}, found


def test_it_after_a_report_is_the_report_not_the_actor_before() -> None:
    accused = "It also accused Peru of arming the rebels."
    text = f"Chile shelled Bolivian positions, according to a UN report.\n\n{accused}"
    assert not any(r == "11" and s == "CHL" for r, s, _t, _m in events(text)), events(text)
    # with no writing named after it, "it" is the body named last
    text = f"Chile closed the border on Monday.\n\n{accused}"
    assert any(r == "11" and (s, t) == ("CHL", "PER") for r, s, t, _m in events(text))


def test_a_relation_between_actors_stands_for_neither() -> None:
    found = events("Chile-Peru tensions are affecting the Bolivian-Peruvian relationship.")
    assert found == set(), found
    # the places and things of a country still stand for it
    found = events("Chilean jets bombed Peruvian villages near the border.")
    assert ("19", "CHL", "PER", "asserted") in found, found  # from the air: 195


def test_what_a_speaker_says_it_can_do_is_an_offer() -> None:
    found = events("Japan has indicated it can supply fertiliser to North Korea.")
    assert ("03", "JPN", "PRK", "intended") in found, found
    # what it says another could do stays a supposition
    found = events("Japan said China could attack Taiwan.")
    assert {m for *_rest, m in found} == {"hypothetical"}, found


def test_a_noun_carried_out_by_a_verb_shares_its_mood() -> None:
    """ "will send aid": the aid is what will be sent, not aid already given."""
    found = events("Japan will send aid to the Philippines.")
    assert found and all(m == "intended" for *_rest, m in found), found


def test_they_takes_up_a_group_or_coordinated_actors() -> None:
    found = events(
        "Kenyan forces degraded the ability of the al-Shabaab militia to carry out their "
        "attacks against Kenyan towns."
    )
    assert ("18", "SOM", "KEN", "asserted") in found, found
    text = (
        "British and American jets struck Houthi radars on Monday.\n\n"
        "While French and Belgian aircraft hit the targets, they were supported by Dutch "
        "frigates."
    )
    supported = {s for r, s, t, _m in events(text) if t == "BEL" or t == "FRA"}
    assert supported == {"NLD"}, events(text)


def test_a_statement_issued_is_public_and_a_joint_one_is_one() -> None:
    found = events("Chile issued a statement on the border talks on Monday.")
    assert ("01", "CHL", None, "asserted") in found, found
    found = events("Chile, Peru and Bolivia issued a joint statement on Monday.")
    assert {(r, s) for r, s, _t, _m in found} == {("01", "CHL")}, found


def test_fighting_off_anothers_attack_is_fighting_them() -> None:
    for text in (
        "Ukrainian forces have stalled Russia's offensive in the east.",
        "Kenyan troops repelled an attack by Somali militants on Monday.",
    ):
        found = {(r, s, t) for r, s, t, _m in events(text)}
        source, target = ("UKR", "RUS") if "Ukrainian" in text else ("KEN", "SOM")
        assert ("19", source, target) in found, (text, found)


def test_the_sources_own_agents_sent_are_no_target() -> None:
    found = {(r, s, t) for r, s, t, _m in events("Chile sent troops to Peru on Monday.")}
    assert ("07", "CHL", "PER") in found and not any(t == "CHL" for *_x, t in found), found
    # its demonstrators or civilians are others all the same
    found = events("Liberian riot police used tear gas to disperse demonstrators in Monrovia.")
    assert ("17", "LBR", "LBR", "asserted") in found, found


def test_sites_that_included_an_actors_depots_stand_for_it() -> None:
    found = events("French jets targeted six locations, which included Malian rebel depots.")
    assert {(s, t) for r, s, t, _m in found if r in {"18", "19"}} == {("FRA", "MLI")}, found


def test_a_phrasal_verb_the_dictionary_lacks_is_not_its_bare_verb() -> None:
    """ "figure out" is not "figure" (to estimate, 010); "beat up" is listed, and beats."""
    found = events("Chilean agents followed Peruvian diplomats to figure out what they did.")
    assert "01" not in {r for r, *_ in found}, found
    found = events("Chilean soldiers beat up Peruvian detainees in Arica.")
    assert ("18", "CHL", "PER", "asserted") in found, found


def test_the_enemy_in_a_fight_is_not_the_one_helped() -> None:
    found = events("Chile gave military aid to Peru in the fight against Bolivian rebels.")
    assert ("07", "CHL", "PER", "asserted") in found, found
    found = events(
        "The tensions prompted the Chilean army to prioritize force protection in the fight "
        "against Bolivian rebels."
    )
    assert not any(r in {"03", "07"} and t == "BOL" for r, _s, t, _m in found), found


def test_not_hesitating_to_act_is_announcing_it() -> None:
    found = events("Egypt will not hesitate to take action against the militants of Sinai.")
    assert "13" in {r for r, *_ in found}, found
    found = events("Chile will not hesitate to strike Bolivia, the minister said.")
    assert ("13", "CHL", "BOL", "intended") in found, found


def test_we_in_a_quotation_told_to_reporters_is_the_speaker_not_the_reporters() -> None:
    text = (
        "Peruvian Foreign Minister Ana Cecilia Gervasi arrived in Santiago on Monday.\n\n"
        '"We will ask the United Nations to send observers," she told reporters.'
    )
    found = {(r, s, t) for r, s, t, _m in events(text) if r == "02"}
    assert found == {("02", "PER", "UNO")}, events(text)


def test_an_offer_made_by_someone_is_theirs_and_its_rejection_aimed_at_them() -> None:
    found = events("The proposal that was made by Chile was rejected by Peru.")
    assert ("12", "PER", "CHL", "asserted") in found, found
    found = events("Peru rejected the offer made by Chile on Monday.")
    assert ("12", "PER", "CHL", "asserted") in found, found


def test_a_named_bodys_described_force_is_its_own() -> None:
    found = events("The UN peacekeeping force in Mali was attacked by Malian rebels.")
    assert ("18", "MLI", "UNO", "asserted") in found, found
    # but "officials and groups" are two, the groups no modifier of the officials
    doc = SourceDocument(text="Chilean officials and groups condemned Peru's president.")
    sources = {a.label for e in extract(doc, coder="parse").events for a in e.sources}
    assert len(sources) == 2, sources


def test_halting_ones_own_offensive_de_escalates() -> None:
    for text in ("Russia halted its offensive near Kyiv.", "Chile suspended its air strikes."):
        found = events(text)
        assert {r for r, *_ in found} == {"08"}, (text, found)


def test_withdrawing_ones_people_from_a_state_reduces_relations() -> None:
    for text, code in (
        ("Chile withdrew its weapons inspectors and aid workers from Peru.", "1662"),
        ("Chile recalled its ambassador from Peru on Monday.", "161"),
    ):
        assert (code, "CHL", "PER", "asserted") in events(text, full_code=True), text
    # troops withdrawn are a retreat; announced, the others' withdrawal is a threat
    assert ("08", "CHL", "PER", "asserted") in events("Chile withdrew its troops from Peru.")
    found = events("Chile announced that it will withdraw its peacekeepers from Peru.")
    assert ("13", "CHL", "PER", "intended") in found, found


def test_stopping_ones_own_cooperation_reduces_relations() -> None:
    for text, expected in (
        ("Japan halted economic assistance to Chile.", ("162", "JPN", "CHL")),
        ("Norway stopped its cooperation with Peru.", ("160", "NOR", "PER")),
        ("Norway paused training and support to the Chilean army.", ("1622", "NOR", "CHL")),
    ):
        found = events(text, full_code=True)
        # one event, the stop: the aid or training it ends is not told as given
        assert found == {(*expected, "asserted")}, (text, found)


def test_who_suffers_or_comes_under_an_act_is_its_target() -> None:
    for text, expected in (
        ("Chile has suffered attacks by Peruvian rebels for years.", ("18", "PER", "CHL")),
        ("Chilean troops came under fire from Peruvian forces.", ("19", "PER", "CHL")),
        ("Chilean troops faced heavy shelling from Peruvian artillery.", ("19", "PER", "CHL")),
        ("Peru faced criticism from Chile over the decree.", ("11", "CHL", "PER")),
    ):
        found = events(text)
        # the sufferer did nothing: no meeting "faced", no attack of its own
        assert found == {(*expected, "asserted")}, (text, found)
    assert events("Peru will face sanctions from Chile.") == {("16", "CHL", "PER", "intended")}


def test_a_passive_acts_doer_is_who_used_the_weapon() -> None:
    found = events("The Chilean embassy was hit by rockets fired by Peruvian militias.")
    assert {(r, s, t) for r, s, t, _m in found} == {("19", "PER", "CHL")}, found
    found = events("A Chilean base was targeted by drones operated by Peruvian rebels.", True)
    assert ("195", "PER", "CHL", "asserted") in found, found  # from the air


def test_hesitating_to_act_is_not_acting() -> None:
    found = events("Egypt hesitated to take action against Sudanese militants.")
    assert found and {m for *_r, m in found} == {"hypothetical"}, found
    found = events("Egypt did not hesitate to strike Sudanese militants.")
    assert ("19", "EGY", "SDN", "asserted") in found, found


def test_an_attack_from_the_air_is_aerial() -> None:
    found = events("A Peruvian drone struck a Chilean army convoy.")
    assert ("19", "PER", "CHL", "asserted") in found, found
    found = events("Chilean fighters attacked Peruvian villages.")
    assert ("18", "CHL", "PER", "asserted") in found, found  # combatants, not jets


def test_calling_anothers_act_worthless_or_baseless_is_criticism() -> None:
    for text in (
        "The Chilean government called the Peruvian decree worthless.",
        "Chile called Peru's claims baseless.",
    ):
        assert ("11", "CHL", "PER", "asserted") in events(text), (text, events(text))


def test_an_outlet_named_is_a_target_the_press_at_large_is_not() -> None:
    found = events("The Chilean president gave an interview with CBS News on Monday.")
    assert ("01", "CHL", "USA", "asserted") in found, found


def test_a_meeting_held_is_a_meeting_not_an_intent_to_meet() -> None:
    found = events("The Chilean president met with the Peruvian president for talks on trade.")
    assert ("04", "CHL", "PER", "asserted") in found, found
    assert not {e for e in found if e[0] == "03"}, found
    found = events("The Chilean president will meet the Peruvian president for talks.")
    assert ("03", "CHL", "PER", "intended") in found, found  # the intent from its mood


def test_failing_to_act_is_not_acting_and_no_rejection() -> None:
    for text in (
        "Peruvian troops failed to capture the Chilean port.",
        "After failing to capture the Chilean port, Peruvian troops withdrew.",
    ):
        found = events(text)
        assert not {e for e in found if e[0] == "12"}, (text, found)
        assert not {e for e in found if e[3] == "asserted" and e[1] == "PER"}, (text, found)
    found = events("Chilean troops did not fail to repel the Peruvian attack.")
    assert ("19", "CHL", "PER", "asserted") in found, found


def test_joining_another_in_an_act_is_the_act_not_a_meeting() -> None:
    found = events("Chile joined Argentina in condemning the Peruvian blockade.")
    assert ("11", "CHL", "PER", "asserted") in found, found
    assert not {e for e in found if e[0] == "04"}, found
    found = events("Chile joined the Peruvian talks on Monday.")  # a meeting still
    assert ("04", "CHL", "PER", "asserted") in found, found


def test_the_aim_of_an_offer_waits_on_its_acceptance() -> None:
    found = events("Chile offered military aid to Bolivia to fight Peruvian rebels.")
    assert ("07", "CHL", "BOL", "asserted") in found or ("03", "CHL", "BOL", "asserted") in found
    assert ("19", "CHL", "PER", "hypothetical") in found, found


def test_a_vote_to_act_reports_the_act() -> None:
    found = events("The Chilean parliament voted to impose sanctions on Peru.")
    assert ("16", "CHL", "PER", "asserted") in found, found
    assert not {e for e in found if e[0] == "03"}, found


def test_a_violent_act_done_by_a_named_means_takes_the_means_code() -> None:
    for text in (
        "Peruvian guerrillas wounded two Chilean soldiers in a bomb attack.",
        "Peruvian rebels killed three Chilean policemen with a car bomb.",
    ):
        found = events(text, full_code=True)
        assert ("183", "PER", "CHL", "asserted") in found, (text, found)
        assert len(found) == 1, (text, found)  # one event, not the means again
    found = events("Peruvian jets killed ten Chilean soldiers in an air strike.", full_code=True)
    assert {c[:2] for c, *_ in found} == {"19"}, found


def test_meetings_and_calls_named_as_nouns() -> None:
    found = events("Meetings between Chile and Peru are scheduled for Monday.")
    assert {("04", "CHL", "PER", "asserted"), ("04", "PER", "CHL", "asserted")} <= found, found
    found = events("The Chilean foreign minister spoke by telephone with his Peruvian counterpart.")
    assert ("04", "CHL", "PER", "asserted") in found, found  # a counterpart is an official


def test_retaking_ground_from_another_is_fighting_them() -> None:
    for text in (
        "The Chilean army retook the town from Peruvian rebels.",
        "Chilean troops regained control of the town from Peruvian rebels.",
        "Chilean forces recaptured the port from Peruvian rebels.",
    ):
        assert ("19", "CHL", "PER", "asserted") in events(text), (text, events(text))


def test_an_attack_by_a_doer_on_a_target_whatever_the_attachment() -> None:
    for text in (
        "Attacks by Peruvian rebels on Chilean towns continued on Monday.",
        "The Chilean president condemned the attacks by Peruvian rebels on Chilean towns.",
    ):
        assert ("18", "PER", "CHL", "asserted") in events(text), (text, events(text))
    found = events("Attacks by militants from Peru continued on Monday.")
    assert not {e for e in found if e[2] == "PER" and e[0] == "18"}, found  # whose, not whom


def test_a_generic_group_in_a_list_shares_the_first_items_country() -> None:
    found = events(
        "Chile urged the Peruvian government, political leaders and security officials "
        "to work together."
    )
    targets = {t for r, s, t, _m in found if r == "02" and s == "CHL"}
    assert targets == {"PER"}, found


def test_taking_part_in_an_act_is_doing_it() -> None:
    for text in (
        "Chilean troops took part in attacks on Peruvian villages.",
        "Chilean troops were engaged in attacks on Peruvian villages.",
        "Chilean officers were involved in the killing of Peruvian journalists.",
        "Chilean officers played a role in the killing of Peruvian journalists.",
    ):
        assert ("18", "CHL", "PER", "asserted") in events(text), (text, events(text))
    found = events("Chilean troops did not take part in the attacks on Peruvian villages.")
    assert ("18", "CHL", "PER", "negated") in found, found


def test_a_violent_act_with_no_one_struck_strikes_the_state_where_it_happens() -> None:
    for text in (
        "Peruvian rebels carried out attacks in Chile.",
        "Peruvian rebels carried out deadly attacks throughout Chile.",
        "Violence erupted between Peruvian troops and Chilean rebels.",
    ):
        assert ("18", "PER", "CHL", "asserted") in events(text) or (
            "19",
            "PER",
            "CHL",
            "asserted",
        ) in events(text), (text, events(text))
    found = events("Chilean troops attacked rebel positions in Chile.")
    assert not {e for e in found if e[1] == e[2] == "CHL"}, found  # not its own country
    found = events("Peruvian troops attacked Chilean rebels in Bolivia.")
    assert ("18", "PER", "CHL", "asserted") in found and not {e for e in found if e[2] == "BOL"}


def test_the_press_covering_a_body_is_no_target_an_outlets_reporters_are() -> None:
    found = events("The Chilean minister told White House reporters that Chile would act.")
    assert ("01", "CHL", None, "asserted") in found and not {e for e in found if e[2] == "USA"}
    found = events("The Chilean minister told CBS reporters that Chile would act.")
    assert ("01", "CHL", "USA", "asserted") in found, found


def test_a_clause_with_its_own_subject_is_no_intent() -> None:
    found = events("Chile and Peru are looking at how Bolivian troops have fought Peru.")
    assert ("19", "BOL", "PER", "asserted") in found, found
    found = events("Chile is looking to expand trade with Peru.")
    assert ("03", "CHL", "PER", "intended") in found, found


def test_a_state_protecting_its_own_organs_is_no_event() -> None:
    assert not events("The Chilean government will protect Chilean troops in Peru.")
    found = events("The Chilean government will protect Peruvian civilians.")
    assert ("03", "CHL", "PER", "intended") in found, found


def test_a_judged_attack_pointed_back_to_is_the_last_violent_doers() -> None:
    text = (
        "Peruvian rebels fired rockets at a Chilean base on Monday. "
        '"This was an unprovoked attack," the Chilean defence minister said. '
        '"This attack was reckless," the Chilean president said.'
    )
    doc = SourceDocument(text=text, file="case.txt", published=PUBLISHED)
    judged = [e for e in extract(doc, coder="parse").events if e.root == "11"]
    assert len(judged) == 2, judged
    assert all(e.source.code == "CHL" and e.target.code == "PER" for e in judged), judged
    # no violent act told before: nobody to judge
    alone = events('"This was an unprovoked attack," the Chilean defence minister said.')
    assert not {e for e in alone if e[0] == "11"}, alone


def _extracted(text: str) -> list[tuple[str, str | None, str | None, str]]:
    """(root, source label, target code, the sentence's first words) of each event."""
    doc = SourceDocument(text=text, file="case.txt", published=PUBLISHED)
    return [
        (
            e.root,
            e.source.label if e.source else None,
            e.target.code if e.target else None,
            e.sentence.text[:12],
        )
        for e in extract(doc, coder="parse").events
    ]


def test_who_does_what_a_decision_or_plan_names_is_its_owner() -> None:
    found = events("Chile welcomed the decision by Peru to release Chilean prisoners.")
    assert ("08", "PER", "CHL", "asserted") in found, found
    # whose plan a condemnation does not say: not the condemner's own
    found = events("Chile condemned the plan to expel Chilean diplomats.")
    assert not {e for e in found if e[0] == "16"}, found


def test_an_act_carried_out_by_someone_is_theirs() -> None:
    found = events("The attack on the Chilean embassy was carried out by Peruvian rebels.")
    assert found == {("18", "PER", "CHL", "asserted")}, found  # no "carrying" of its own
    found = events("Officials said the raid was carried out by Peruvian troops.")
    assert {(r, s) for r, s, _t, _m in found} == {("19", "PER")}, found


def test_one_act_with_coordinated_parties_is_one_event() -> None:
    doc = SourceDocument(
        text="Aircraft from Chile, Argentina and Brazil delivered aid to Peru and Bolivia.",
        file="case.txt",
        published=PUBLISHED,
    )
    (event,) = extract(doc, coder="parse").events
    assert event.root == "07", event
    assert [a.code for a in event.sources] == ["CHL", "ARG", "BRA"], event
    assert [a.code for a in event.targets] == ["PER", "BOL"], event
    json = event.to_json()
    assert [a["code"] for a in json["co_sources"]] == ["ARG", "BRA"], json
    graph = to_graph(extract(doc, coder="parse"))
    named = {str(o) for _s, _p, o in graph.triples((None, EVKG.coSource, None))}
    assert len(named) == 2 and len(set(graph.objects(None, EVKG.coTarget))) == 1, named
    # acts done to each other stay an event each way
    found = events("Chile, Peru and Bolivia met in Lima on Monday.")
    assert {s for r, s, _t, _m in found if r == "04"} == {"CHL", "PER", "BOL"}, found


def test_coordinated_sides_that_clash_act_on_each_other() -> None:
    for text in (
        "Chile and Peru exchanged fire along the border on Monday.",
        "Chilean and Peruvian troops clashed along the border on Monday.",
    ):
        found = {(s, t) for r, s, t, _m in events(text) if r == "19"}
        assert found == {("CHL", "PER"), ("PER", "CHL")}, (text, found)


def test_bare_agents_sent_somewhere_are_the_senders_own() -> None:
    found = events("The United Nations sent 40 civilian personnel to Peru to monitor the truce.")
    assert ("07", "UNO", "PER", "asserted") in found, found
    assert not {e for e in found if e[2] == "PER" and e[0] != "07"}, found
    # met there, officials are the place's
    found = events("Chile met officials in Lima on Monday.")
    assert ("04", "CHL", "PER", "asserted") in found, found


def test_a_document_speaks_for_whoever_issued_it() -> None:
    found = events(
        "The UN Security Council adopted a resolution on Monday. "
        "The resolution demands that Peru withdraw its troops from Chile."
    )
    assert ("10", "UNO", "PER", "asserted") in found, found
    found = events("Chile issued a statement on Monday. The statement condemned Peru.")
    assert ("11", "CHL", "PER", "asserted") in found, found
    # a document no one was said to issue speaks for no one
    assert not events("The statement condemned Peru.")


def test_those_blamed_for_an_attack_did_it_by_the_accusers_word() -> None:
    found = events("Peruvian rebels were blamed for the attack on the Chilean embassy.")
    assert ("18", "PER", "CHL", "claimed") in found, found
    found = events("Chile blamed Peruvian rebels for the attack on the Chilean embassy.")
    assert {("11", "CHL", "PER", "asserted"), ("18", "PER", "CHL", "claimed")} <= found, found


def test_naming_anothers_act_is_no_act_of_the_namer() -> None:
    found = events(
        "The Chilean foreign minister called the killing of the Peruvian general a crime."
    )
    assert not {e for e in found if e[1] == "CHL" and e[0] in {"04", "18"}}, found
    assert not {e for e in found if e[0] == "11" and e[2] == "PER"}, found  # the victim


def test_sanctions_aimed_at_someone_are_no_intent_of_their_own() -> None:
    found = events("Chile said the new Peruvian sanctions were aimed at Chilean banks.")
    assert ("16", "PER", "CHL", "asserted") in found, found
    assert not {e for e in found if e[0] == "03"}, found


def test_condemning_the_attack_told_before_condemns_its_doer() -> None:
    found = events(
        "Peruvian rebels shelled a Chilean border post on Monday. Argentina condemned the "
        "attack. Brazil said the shelling was reckless."
    )
    assert {("11", "ARG", "PER", "asserted"), ("11", "BRA", "PER", "asserted")} <= found, found
    # the judge's own act is not what it judges
    assert not {e for e in found if e[0] == "11" and e[2] in {"ARG", "BRA"}}, found


def test_a_quotation_over_sentences_and_paragraphs_is_its_speakers() -> None:
    text = (
        "Peruvian rebels shelled a Chilean border post on Monday.\n\n"
        "Chilean Defense Minister Mario Rojas said in a statement:\n\n"
        '"The shelling was a reckless attack on our soldiers.\n\n'
        '"We condemn it. Peru is responsible for this escalation."\n\n'
        '"It was unprovoked. We will not accept it," Peruvian President Luis Soto later '
        'told reporters of a Chilean raid. "Chile alone is responsible for it."\n\n'
        "Argentina said it was worried.\n\n"
        '"Bolivia is responsible for this escalation."'
    )
    found = _extracted(text)
    judged = {(r, s, t) for r, s, t, _ in found if r == "11"}
    # the minister's words, opened after "said:" and run on over two paragraphs
    assert ("11", "Mario Rojas", "PER") in judged, found
    assert any(e[:3] == ("11", "Mario Rojas", "PER") and e[3] == "Peru is resp" for e in found)
    # a quotation whose speaker is named where it closes, and its sequel in the paragraph
    assert ("11", "Luis Soto", "CHL", "Chile alone ") in found, found
    # a sentence outside any quotation is nobody's quoted word
    assert not [e for e in found if e[3].startswith("Argentina") and e[1] != "Argentina"]
    # and a quotation with no speaker of its own, after it, is no one's
    assert not [e for e in found if e[3].startswith('"Bolivia')], found


def test_a_titled_person_serves_the_body_named_beside_the_title() -> None:
    for text in (
        "Peru's army commander Lt. Gen. John Roe condemned Chile.",
        "Lt. Gen. John Roe, the commander of the Peruvian army, condemned Chile.",
    ):
        assert ("11", "PER", "CHL", "asserted") in events(text), (text, events(text))


def test_a_named_persons_statement_about_another_stands_beside_the_act_reported() -> None:
    found = events("Chilean Foreign Minister Juan Perez said Peru had attacked Chilean ships.")
    assert {("01", "CHL", "PER", "asserted"), ("18", "PER", "CHL", "asserted")} <= found, found
    # a bare attribution gives way to what it reports
    found = events("Peruvian troops shelled Chilean villages, officials said.")
    assert {e[0] for e in found} == {"19"}, found
    found = events("The Chilean government said Peru had attacked Chilean ships.")
    assert {e[0] for e in found} == {"18"}, found  # a body's word, not a named person's


def test_the_press_at_large_is_no_one_acted_upon() -> None:
    found = events("The Chilean foreign minister met Peruvian reporters in Lima.")
    assert not {e for e in found if e[2] == "PER"}, found
    found = events("Chile condemned the Peruvian president's statements.")
    assert ("11", "CHL", "PER", "asserted") in found, found  # whose statements: a target


def test_a_judgement_read_by_word_order_where_the_parse_fails() -> None:
    for text in (
        'A spokesman for Chile called Peru\'s move "practically worthless" on Monday.',
        "A spokesman for Chile called Peru's move practically worthless.",
    ):
        found = events(text)
        assert ("11", "CHL", "PER", "asserted") in found, (text, found)
        assert not {e for e in found if e[0] == "04"}, found  # no phone call
    found = events("Chile called Peru to discuss the dispute.")
    assert not {e for e in found if e[0] == "11"}, found


def test_backing_an_armed_force_is_military_cooperation() -> None:
    found = events(
        "Chile supports Bolivian forces in their fight against Peruvian rebels.", full_code=True
    )
    assert ("062", "CHL", "BOL", "asserted") in found, found
    found = events("Chile backed the Bolivian army.")
    assert found and not {e for e in found if e[0] == "05"}, found  # material, not words


def test_clearing_ground_of_another_is_fighting_them() -> None:
    found = events("Chilean forces cleared the town of Peruvian rebels.")
    assert ("19", "CHL", "PER", "asserted") in found, found


def test_notifying_is_telling_and_moving_troops_a_show_of_force() -> None:
    found = events("Chile notified Peru of an imminent military operation.")
    assert ("01", "CHL", "PER", "asserted") in found, found
    for text in (
        "The Chilean army is repositioning forces near the Peruvian border.",
        "Chile moved troops to the border with Peru.",
        "Chile redeployed troops near the Peruvian border.",
    ):
        assert ("15", "CHL", "PER", "asserted") in events(text), (text, events(text))


def test_troops_under_a_possessive_are_the_owners_not_the_places() -> None:
    found = events("Chile recalled its ambassador from Peru.")
    assert ("16", "CHL", "PER", "asserted") in found, found
    found = events("Chile agreed to withdraw its troops from Peru.")
    assert not {e for e in found if e[2] == "PER" and e[1] == "CHL" and e[0] == "19"}
    assert {e for e in found if e[1] == "CHL" and e[2] == "PER"}, found


def test_a_threatened_act_is_the_threat_not_the_act() -> None:
    found = events("Chile threatened a major incursion into Peru.")
    assert ("13", "CHL", "PER", "asserted") in found, found
    assert not {e for e in found if e[0] == "19"}, found


def test_welcoming_an_act_approves_it_welcoming_a_person_hosts() -> None:
    found = events("Chile welcomed Peru's decision to withdraw.")
    assert ("05", "CHL", "PER", "asserted") in found, found
    found = events("Chile welcomed the Peruvian president in Santiago.")
    assert ("04", "CHL", "PER", "asserted") in found, found


def test_the_press_at_large_is_no_company_but_may_act_itself() -> None:
    found = events("Peruvian reporters traveling with the Chilean minister visited Lima.")
    assert not {e for e in found if e[1] == "PER" and e[0] == "04"}, found
    found = events("Peruvian journalists protested outside the Chilean embassy.")
    assert ("14", "PER", "CHL", "asserted") in found, found
