"""Named places in a sentence (cities, bases, airports, provinces, countries)."""

from __future__ import annotations

from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Span

from ingest.model import Place
from ingest.text import matches_in, nlp
from ingest.vocab import vocabulary
from ontology.namespaces import ID


class PlaceFinder:
    def __init__(self) -> None:
        language = nlp()
        self.matcher = PhraseMatcher(language.vocab, attr="LOWER")
        self.places: dict[str, Place] = {}
        for iri, (place, aliases, _code) in vocabulary().places.items():
            self.places[iri] = place
            for name in {place.label, *aliases}:
                self.matcher.add(iri, [language.make_doc(name)])
        # A country is a place too when the text says "in Iraq".
        self.countries = {
            entry.actor.iri: Place(
                f"{ID}place/{entry.actor.iri.rsplit('/', 1)[-1]}", entry.actor.label
            )
            for entry in vocabulary().actors.values()
            if entry.actor.kind == "state"
        }

    def find(self, sent: Span, taken: set[int]) -> list[tuple[int, Place]]:
        """(token index, place) for each named place not already read as an actor."""
        found = []
        for match_id, start, end in matches_in(sent, self.matcher):
            if not taken.isdisjoint(range(start, end)):
                continue
            iri = sent.doc.vocab.strings[match_id]
            found.append((start, self.places.get(iri)))
        return [(i, p) for i, p in sorted(found, key=lambda f: f[0]) if p is not None]


@lru_cache(maxsize=1)
def place_finder() -> PlaceFinder:
    return PlaceFinder()
