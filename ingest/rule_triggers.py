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
from ingest.vocab import vocabulary

VOWELS = set("aeiou")


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


def _regular(verb: str) -> dict[str, str]:
    """Regular inflections, with the consonant doubled after a short stressed vowel (ban)."""
    if verb.endswith("e"):
        return {"s": verb + "s", "past": verb + "d", "ing": verb[:-1] + "ing"}
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in VOWELS:
        return {"s": verb[:-1] + "ies", "past": verb[:-1] + "ied", "ing": verb + "ing"}
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return {"s": verb + "es", "past": verb + "ed", "ing": verb + "ing"}
    short_cvc = (
        len(verb) <= 4
        and verb[-1] not in VOWELS | set("wxy")
        and verb[-2] in VOWELS
        and verb[-3] not in VOWELS
    )
    stem = verb + verb[-1] if short_cvc else verb
    return {"s": verb + "s", "past": stem + "ed", "ing": stem + "ing"}


def verb_forms(pattern: str) -> dict[str, str]:
    """Inflections of a verb pattern: "strike/struck/struck/striking" (past, participle and
    -ing form optional) followed by words that stay as they are."""
    head, _, rest = pattern.partition(" ")
    parts = head.split("/")
    base = parts[0]
    forms = {"base": base, **_regular(base)}
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
    last = words[-1]
    if last.endswith(("s", "sh", "ch", "x")):
        plural = last + "es" if not last.endswith("s") else last
    elif last.endswith("y") and last[-2:-1] not in VOWELS:
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return sorted({noun, " ".join([*words[:-1], plural])})


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
