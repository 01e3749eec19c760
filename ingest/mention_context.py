"""The words around a mention that decide what it names: titles before or within a name
("Defense Secretary Dr. Jane Roe"), the body or country that owns a title or an agent noun
("Iraq's Foreign Minister", "Iraqi forces"), names that run on into an organisation's
("Ukraine Defense Contact Group"), stances ("pro-Iran") and plurals. Plain functions of
the parsed doc, apart from the linker (`ingest.actors`) so that it reads in one sitting.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from ingest.grammar import grammar
from ingest.mentions import Demonyms, Found, Mention
from ingest.model import Actor
from ingest.people import name_words
from ingest.text import nlp
from ingest.text import words as _words
from ingest.vocab import ActorEntry, AgentNoun, Vocabulary

__all__ = [
    "CAPITALISED",
    "CONNECTIVES",
    "ORG_HEADS",
    "TITLES",
    "appositive_owner_code",
    "country_before",
    "is_default_organ",
    "is_pro_modifier",
    "longest",
    "modifier_word",
    "names_follow",
    "organisation_after",
    "organisation_before",
    "owner_code",
    "people_noun",
    "plural_noun",
    "possessive_after",
    "qualified",
    "title_before",
    "title_within",
    "with_plurals",
]


CONNECTIVES = {"and", "or", "nor", "but", *grammar().target_preps}  # never a name's modifier
TITLES = name_words().person_titles
ORG_HEADS = name_words().organisation_heads
CAPITALISED = re.compile(r"^[A-Z][\w'’.\-]*$")


@lru_cache(maxsize=1)
def _title_last_words() -> frozenset[str]:
    """The last token of every title, however capitalised: a cheap test before a lookup."""
    tokenizer = nlp().tokenizer
    forms = [f for t in TITLES for f in (t, t.title(), t.capitalize(), t.upper())]
    return frozenset(
        {tokenizer(form)[-1].lower_ for form in forms} | {t.split()[-1] for t in TITLES}
    )


def people_noun(demonym: str) -> bool:
    """A demonym that names the people, not their country's things: a plural ("the
    Iraqis", "the Turks", "the Poles"; not "Swiss") or one in -ese ("the Chinese")."""
    return demonym.endswith("ese") or (demonym.endswith("s") and not demonym.endswith("ss"))


def modifier_word(word: str) -> bool:
    """A lower-case word that may stand between a name and its agent noun ("UN
    peacekeeping force"), not a conjunction or preposition ("officials and groups")."""
    return word.isalpha() and word.islower() and word not in CONNECTIVES


def plural_noun(word: str) -> bool:
    """A common noun's plural: by its ending ("troops", "forces", "militias" are; "press",
    "status", "us" are not), or one of those that have none ("aircraft", "police")."""
    if word in name_words().invariant_plurals:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def with_plurals(demonyms: tuple[str, ...]) -> set[str]:
    """Demonyms and their plurals as nouns for the people ("Albanians", "Iraqis"); those in
    -ese or -ish are their own plural or have none ("the Chinese", "the British")."""
    forms = set(demonyms)
    forms.update(d + "s" for d in demonyms if d.endswith(("an", "i")) and " " not in d)
    return forms


def is_default_organ(entry: ActorEntry, agent: AgentNoun) -> bool:
    """Among several organs of a sector, the one a bare generic mention means."""
    kinds = {
        "GOV": {"government-body"},
        "MIL": {"armed-force"},
        "LEG": {"legislature"},
    }.get(agent.sector, set())
    label = entry.actor.label.lower()
    generic = (
        "government",
        "armed forces",
        "security forces",
        "parliament",
        "congress",
        "military",
    )
    return entry.actor.kind in kinds and any(word in label for word in generic)


def longest(matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep the longest of overlapping matches, first come first served."""
    chosen: list[tuple[int, int, str]] = []
    used: set[int] = set()
    for start, end, key in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0], m[2])):
        if not used.isdisjoint(range(start, end)):
            continue
        chosen.append((start, end, key))
        used.update(range(start, end))
    return sorted(chosen)


def is_pro_modifier(doc: Doc, start: int) -> bool:
    """ "pro-Iran", "anti-American": a stance, not an actor."""
    texts, lowers = _words(doc)
    return start >= 2 and texts[start - 1] == "-" and lowers[start - 2] in {"pro", "anti"}


def qualified(doc: Doc, start: int, end: int) -> bool:
    """ "the opposition coalition", "the ruling coalition": a common noun the gazetteer
    lists for one body ("the coalition"), qualified by a word its names do not have, is
    another body."""
    if start == 0 or doc[start].is_stop or any(not t.is_lower for t in doc[start:end]):
        return False  # "the coalition": a name of its own
    before = doc[start - 1]
    return before.is_alpha and before.is_lower and not before.is_stop


def owner_code(doc: Doc, title: int, mentions: list[Mention]) -> str | None:
    """The country of an actor named just before a title, a few title words apart
    ("Treasury Secretary", "Iraq's Foreign Minister", "Pentagon Press Secretary")."""
    lowers = _words(doc)[1]
    for mention in mentions:
        gap = range(mention.end, title)
        if (
            mention.actor.code
            and not mention.pronoun
            and mention.end <= title
            and len(gap) <= 4
            # "Central Command commander Lt. Gen.": title words may stand between
            and all(
                lowers[k] in {"'s", "’s"} or lowers[k] in TITLES or doc[k].text[:1].isupper()
                for k in gap
            )
        ):
            return mention.actor.code
    return None


def appositive_owner_code(doc: Doc, end: int, limit: int, mentions: list[Mention]) -> str | None:
    """The country of the body a title after a name says the person serves: "John Roe,
    commander of U.S. Central Command", "Jane Roe, the head of the Iraqi army"."""
    lowers = _words(doc)[1]
    if end >= limit or lowers[end] != ",":
        return None
    starts = {m.start: m for m in mentions if m.actor.code and not m.pronoun}
    for k in range(end + 1, min(end + 6, limit - 1)):
        if lowers[k] in {"of", "for", "at"}:
            owner = starts.get(k + 1) or (starts.get(k + 2) if lowers[k + 1] == "the" else None)
            return owner.actor.code if owner else None
        if not (lowers[k] in TITLES or lowers[k] in {"the", "a", "top", "deputy", "chief", "head"}):
            return None
    return None


def organisation_before(doc: Doc, start: int, end: int, floor: int, named: Found) -> int | None:
    """Where a body's name opens when a gazetteer match is one organisation word
    ("Coalition") ending a run of capitalised words no other name covers ("Save Darfur
    Coalition"); the sentence's first word is left out (every sentence opens capitalised)."""
    texts, lowers = _words(doc)
    if end - start != 1 or lowers[start] not in ORG_HEADS or not texts[start][:1].isupper():
        return None
    covered = {k for s, e, _iri in named for k in range(s, e)}
    k = start
    while k - 1 > floor and CAPITALISED.match(texts[k - 1]) and texts[k - 1].isalpha():
        if k - 1 in covered:
            return None
        k -= 1
    return k if k < start else None


def organisation_after(doc: Doc, end: int, limit: int, named: Found) -> int | None:
    """Where a name that goes on past a state's name ends, when it is an organisation's
    (two or more capitalised words, the last an organisation word, no other actor named
    in them): "Ukraine Defense Contact Group", "Iraq Study Group"."""
    texts, lowers = _words(doc)
    j = end
    while j < limit and (CAPITALISED.match(texts[j]) or lowers[j] in {"of", "al", "-"}):
        j += 1
    while j > end and lowers[j - 1] in {"of", "al", "-"}:
        j -= 1
    if j - end < 2 or lowers[j - 1] not in ORG_HEADS or possessive_after(doc, end):
        return None
    if any(end <= s < j for s, _e, _iri in named):
        return None
    return j


def possessive_after(doc: Doc, end: int) -> bool:
    return end < len(doc) and _words(doc)[1][end] in {"'s", "’s"}


def names_follow(doc: Doc, end: int, limit: int) -> bool:
    return end + 1 < limit and all(
        CAPITALISED.match(doc[k].text) and doc[k].is_alpha for k in (end, end + 1)
    )


def title_within(doc: Doc, start: int, end: int) -> str | None:
    """A title that a gazetteer alias itself starts with ("President Trump")."""
    lowers = _words(doc)[1]
    for width in (3, 2, 1):
        if start + width < end and lowers[start + width - 1] in _title_last_words():
            words = doc[start : start + width].text
            if words.lower() in TITLES:
                return words
    return None


def title_before(doc: Doc, start: int, floor: int) -> str | None:
    """The titles just before a name, however many ("Defense Secretary Dr. Jane Roe")."""
    begin = start
    while (width := _one_title_before(doc, begin, floor)) is not None:
        begin -= width
    return doc[begin:start].text if begin < start else None


def _one_title_before(doc: Doc, start: int, floor: int) -> int | None:
    lowers = _words(doc)[1]
    if start - 1 < floor or lowers[start - 1] not in _title_last_words():
        return None
    for width in (3, 2, 1):
        if start - width >= floor:
            words = doc[start - width : start].text
            if words.lower() in TITLES and words[:1].isupper():
                return width
    return None


def country_before(
    doc: Doc, agent_start: int, named: Found, demonyms: Demonyms, vocab: Vocabulary, floor: int
) -> tuple[int, str, Actor | None] | None:
    """The country word before an agent noun, skipping a few adjectives: (start, code, actor)."""
    limit = max(floor, agent_start - 3)
    i = agent_start
    while i > limit:
        i -= 1
        token = doc[i]
        if token.lower_ in {"'s", "’s"}:
            continue
        for start, end, iri in named:
            if end == i + 1:
                actor = vocab.actors[iri].actor
                if actor.code:
                    return start, actor.code, actor
        for (start, end), iri in demonyms.items():
            code = vocab.actors[iri].actor.code
            if end == i + 1 and code:  # a demonym's country has a code
                return start, code, None
        if token.lower_ not in name_words().agent_modifiers:
            return None  # "its allies" is resolved with the pronouns; a verb ends the phrase
    return None
