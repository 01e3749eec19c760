"""A mention of an actor in a sentence, and what the story told before it (`Resolver`):
the types the linker (`ingest.actors`) and its readers of context share, apart so that
each of those imports them without importing the linker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from ingest.model import Actor
from ingest.people import People

__all__ = ["Demonyms", "Found", "Free", "Mention", "Resolver", "slug"]


# Matches in a doc as (start, end, IRI or code); demonyms as (start, end) -> IRI; whether a
# span is still free of mentions.
Found = list[tuple[int, int, str]]
Demonyms = dict[tuple[int, int], str]
Free = Callable[[int, int], bool]


@dataclass
class Mention:
    """An actor mention: where it is and whom it names."""

    start: int  # token index in the sentence's doc
    end: int
    actor: Actor
    plural: bool = False
    pronoun: bool = False
    title: str | None = None
    named: bool = False  # by a name of its own (not a description): the text's name for it
    doc: Doc | None = None  # the paragraph it is in (token indices are its own)


@dataclass
class Resolver:
    """What earlier sentences said, for pronouns and definite descriptions."""

    history: list[Mention] = field(default_factory=list)
    focus: Counter[str] = field(default_factory=Counter)  # country codes the story is about
    people: People = field(default_factory=People)
    # Each actor as the story names it: its gazetteer names plus the text's spellings.
    as_named: dict[str, Actor] = field(default_factory=dict)
    # Whether a document ("the report") was named after the last actor "it" could mean.
    thing_last: bool = False

    def name(self, actor: Actor, surface: str) -> Actor:
        """The actor with `surface` among its aliases, and every name the story gave it."""
        actor = self.as_named.get(actor.iri, actor)
        known = {actor.label.casefold(), *(a.casefold() for a in actor.aliases)}
        if surface and surface.casefold() not in known:
            actor = replace(actor, aliases=tuple(sorted({*actor.aliases, surface})))
        self.as_named[actor.iri] = actor
        return actor

    def last(self, predicate: Callable[[Mention], bool]) -> Actor | None:
        for mention in reversed(self.history):
            if predicate(mention):
                return mention.actor
        return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("’", "").replace("'", "")).strip("-")
