"""What the actor linker finds in a text, for the tests of the gazetteers and of people."""

from __future__ import annotations

from ingest.actors import linker
from ingest.mentions import Resolver
from ingest.model import Actor
from ingest.text import nlp


def mentions(text: str) -> list[tuple[str, Actor]]:
    """(surface, actor) of each mention the linker finds, sentence by sentence."""
    doc = nlp()(text)
    resolver = Resolver()
    found = []
    for sent in doc.sents:
        for mention in linker().find(sent, resolver)[0]:
            found.append((doc[mention.start : mention.end].text, mention.actor))
    return found
