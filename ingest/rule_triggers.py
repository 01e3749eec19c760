"""The trigger dictionary turned into spaCy matchers, for the rule coder (`ingest.rules`).

Each dictionary line yields surface patterns: a verb's inflections (derived here, with the
irregular forms the dictionary gives) and a noun's plural. A match remembers whether it was
a verb or a noun and which form, so the coder can tell "was killed" from "killed".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher

from ingest.text import nlp
from ingest.triggers import inflections, plural
from ingest.vocab import vocabulary


@dataclass(frozen=True)
class TriggerEntry:
    code: str
    preps: tuple[str, ...] = ()
    object: bool = True
    adjacent: bool = False
    needs_target: bool = False
    completes: bool = False
    speech: bool = False


@dataclass(frozen=True)
class Form:
    """One surface pattern of an entry."""

    entry: TriggerEntry
    pos: str  # "verb" or "noun"
    tense: str  # "base", "s", "past", "participle", "ing", "noun"


def verb_forms(pattern: str) -> dict[str, str]:
    """Inflections of a verb pattern: "strike/struck/struck/striking" (past, participle and
    -ing form optional) followed by words that stay as they are."""
    head, _, rest = pattern.partition(" ")
    parts = head.split("/")
    base = parts[0]
    forms = {"base": base, **inflections(base)}
    if len(parts) > 1:
        forms["past"] = parts[1]
    forms["participle"] = parts[2] if len(parts) > 2 else forms["past"]
    if len(parts) > 3:
        forms["ing"] = parts[3]
    if rest:
        forms = {tense: f"{word} {rest}" for tense, word in forms.items()}
    return forms


def noun_forms(noun: str) -> list[str]:
    words = noun.split()
    return sorted({noun, " ".join([*words[:-1], plural(words[-1])])})


class TriggerMatcher:
    def __init__(self) -> None:
        language = nlp()
        self.matcher = PhraseMatcher(language.vocab, attr="LOWER")
        self.forms: dict[str, list[Form]] = {}
        for raw in vocabulary().triggers:
            entry = TriggerEntry(
                code=str(raw["code"]),
                preps=tuple(raw.get("preps", ())),
                object=raw.get("object", True),
                adjacent=raw.get("adjacent", False),
                needs_target=raw.get("needs_target", False),
                completes=raw.get("completes", False),
                speech=raw.get("speech", False),
            )
            for verb in raw.get("verbs", ()):
                for tense, text in verb_forms(verb).items():
                    self._add(text, Form(entry, "verb", tense))
            for noun in raw.get("nouns", ()):
                for text in noun_forms(noun):
                    self._add(text, Form(entry, "noun", "noun"))

    def _add(self, text: str, form: Form) -> None:
        key = text.lower()
        if key not in self.forms:
            self.forms[key] = []
            self.matcher.add(key, [nlp().make_doc(text)])
        if form not in self.forms[key]:
            self.forms[key].append(form)


@lru_cache(maxsize=1)
def trigger_matcher() -> TriggerMatcher:
    return TriggerMatcher()
