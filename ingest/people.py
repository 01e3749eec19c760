"""People as a story names them after the first time: by the family name ("Abbas said",
"Mr. Abbas", "al-Abadi"), and with the initials and suffixes a gazetteer name leaves out
("Mark A. Milley", "Lloyd J. Austin III").

Why: news names a person in full once, then by the family name alone. The gazetteer cannot
list bare family names (across the world they are ambiguous, so most people have none), but
within one story a family name means the person of that name introduced before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from spacy.tokens import Doc, Span

from ingest.model import Actor
from ingest.name_matcher import HYPHENS
from ingest.resources import VocabularyError, dictionaries_dir
from ingest.text import nlp
from ingest.text import words as _words

INITIAL = re.compile(r"^[A-Z]\.$")
# The longest family name looked up, in words ("Abdel Aziz al Hakim").
LONGEST = 4

Key = tuple[str, ...]


@dataclass(frozen=True)
class NameWords:
    """Word classes of mentions (`ingest/dictionaries/mentions.yaml`)."""

    particles: frozenset[str]
    suffixes: frozenset[str]
    international: frozenset[str]
    agent_modifiers: frozenset[str]
    place_features: frozenset[str]
    owner_preps: frozenset[str]
    invariant_plurals: frozenset[str]
    document_nouns: frozenset[str]
    relational_agents: frozenset[str]
    person_titles: frozenset[str]
    organisation_heads: frozenset[str]
    adjectival_agents: frozenset[str]
    backing_participles: frozenset[str]
    facility_nouns: frozenset[str]
    titles: tuple[str, ...]  # as written: tokenizer special cases


@lru_cache(maxsize=1)
def name_words() -> NameWords:
    path = dictionaries_dir() / "mentions.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sets = {
            field: frozenset(str(w).lower() for w in data[name])
            for field, name in (
                ("particles", "name_particles"),
                ("suffixes", "generational_suffixes"),
                ("international", "international_modifiers"),
                ("agent_modifiers", "agent_modifiers"),
                ("place_features", "place_features"),
                ("owner_preps", "owner_preps"),
                ("invariant_plurals", "invariant_plurals"),
                ("document_nouns", "document_nouns"),
                ("relational_agents", "relational_agents"),
                ("person_titles", "person_titles"),
                ("organisation_heads", "organisation_heads"),
                ("adjectival_agents", "adjectival_agents"),
                ("backing_participles", "backing_participles"),
                ("facility_nouns", "facility_nouns"),
            )
        }
        return NameWords(**sets, titles=tuple(str(w) for w in data["abbreviated_titles"]))
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise VocabularyError(f"{path}: {exc}") from None


def _name_tokens(texts: list[str]) -> list[str]:
    """A name's words as the linker keys them: hyphens, initials and suffixes left out."""
    words = name_words()
    return [
        t
        for t in texts
        if t not in HYPHENS and not INITIAL.match(t) and t.lower() not in words.suffixes
    ]


def family_keys(name: str) -> list[Key]:
    """The tails of a full name that may stand for it in a later mention: "Tayeb Abdel
    Rahim" -> ("abdel", "rahim"), ("rahim",). A tail starts at a capitalised word or a
    particle ("al-Abadi"), never at the first name."""
    tokens = _name_tokens([t.text for t in nlp().tokenizer(name)])
    particles = name_words().particles
    return [
        tuple(t.lower() for t in tokens[k:])
        for k in range(1, len(tokens))
        if len(tokens) - k <= LONGEST and (tokens[k][:1].isupper() or tokens[k] in particles)
    ]


@dataclass
class People:
    """The people a story has named so far, by the tails of their names."""

    by_family: dict[Key, Actor] = field(default_factory=dict)

    def named(self, actor: Actor, surface: str) -> None:
        """A person named in full: later, the family name alone names them (the most
        recent person of that name, where two share it)."""
        for name in {actor.label, surface}:
            for key in family_keys(name):
                self.by_family[key] = actor

    def find(
        self, doc: Doc, sent: Span, free: Callable[[int, int], bool], titled: Callable[[int], bool]
    ) -> list[tuple[int, int, Actor]]:
        """Family names of people named before: (start, end, actor) in the sentence. A name
        counts where it stands alone: not after a capitalised word (unless a title: `titled`
        says whether the token ending there is one), nor before one."""
        if not self.by_family:
            return []
        texts, lowers = _words(doc)
        particles = name_words().particles
        out = []
        i = sent.start
        while i < sent.end:
            opens = texts[i][:1].isupper() or lowers[i] in particles
            previous = texts[i - 1] if i > sent.start else ""
            alone = not (previous[:1].isupper() and previous.isalpha()) or titled(i)
            if not (opens and alone and free(i, i + 1)):
                i += 1
                continue
            found = None
            for end in range(min(sent.end, i + 2 * LONGEST), i, -1):
                after = texts[end] if end < sent.end else ""
                if after[:1].isupper() and after.isalpha():
                    continue  # "Abbas Araghchi": a longer name, someone else
                key = tuple(t.lower() for t in _name_tokens(texts[i:end]))
                if key and key in self.by_family and free(i, end):
                    found = (i, end, self.by_family[key])
                    break
            if found is None:
                i += 1
                continue
            out.append(found)
            i = found[1]
        return out


def with_initials(doc: Doc, start: int, end: int, sent: Span, label: str) -> tuple[int, int]:
    """A gazetteer person matched without the initials or suffix the text gives: the
    span over them ("Mark A. Milley" where "Milley" matched, when the person's first name
    is Mark; "Lloyd J. Austin III")."""
    texts, lowers = _words(doc)
    k = start
    while k - 1 > sent.start and INITIAL.match(texts[k - 1]):
        k -= 1
    first = label.split()[0].lower() if label else ""
    if k < start and lowers[k - 1] == first:
        start = k - 1
    if end < sent.end and lowers[end] in name_words().suffixes:
        end += 1
    return start, end
