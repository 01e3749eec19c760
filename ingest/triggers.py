"""The event dictionary: verbs and nouns that report events, with the patterns that code them.

Two data files feed it. `dictionaries/cameo_verbs.yaml` is built by `tools/build_verbs.py`
from PETRARCH2's CAMEO verb dictionary: every verb's default code and its phrase patterns
("- * (TO BORDER) [154]"). `dictionaries/triggers.yaml` is evkg's own list: event nouns
("air strike", "incursion") and verb phrases the CAMEO file lacks. Both become `Sense`s
keyed by lemma; the coder matches a sense's patterns against a parsed clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from ingest.vocab import vocabulary

__all__ = [
    "Dictionary",
    "Pattern",
    "PrepItem",
    "Sense",
    "dictionary",
    "inflections",
    "plural",
    "verb_forms",
]

CAMEO_VERBS = Path(__file__).resolve().parent / "dictionaries" / "cameo_verbs.yaml"
VOWELS = set("aeiou")


@dataclass(frozen=True)
class PrepItem:
    """A prepositional phrase a pattern asks for: "(TO BORDER)" -> to + [border]."""

    prep: str
    words: tuple[str, ...] = ()


Item = str | PrepItem  # a word, a phrase ("arms shipment") or a synset ("&weapon")


@dataclass(frozen=True)
class Pattern:
    code: str
    before: tuple[Item, ...] = ()
    after: tuple[Item, ...] = ()

    @cached_property
    def cue_words(self) -> frozenset[str]:
        """Words the clause must hold for the pattern to match (the first word of each
        literal item after the verb, each preposition): a cheap test before the match."""
        words = set()
        for item in self.after:
            if isinstance(item, PrepItem):
                words.add(item.prep)
            elif not item.startswith("&"):
                words.add(item.split()[0])
        return frozenset(words)

    @property
    def weight(self) -> int:
        """How much of the clause the pattern pins down: the more, the more specific."""
        total = 0
        for item in (*self.before, *self.after):
            total += 1 + len(item.words) if isinstance(item, PrepItem) else len(item.split())
        return total


@dataclass(frozen=True)
class Sense:
    """One reading of a verb or noun: its default code and its more specific patterns."""

    code: str | None
    patterns: tuple[Pattern, ...] = ()
    preps: tuple[str, ...] = ()  # prepositions that introduce its target ("aid to Y")
    object: bool = True  # whether the direct object can be the target
    needs_target: bool = True
    words: tuple[str, ...] = ()  # a noun phrase's words, the head last but one or more
    curated: bool = False  # evkg's own reading (triggers.yaml), not the CAMEO dictionary's


@dataclass
class Dictionary:
    verbs: dict[str, list[Sense]]
    nouns: dict[str, list[Sense]]  # keyed by the phrase's last word, lemmatised
    synsets: dict[str, frozenset[str]]
    forms: frozenset[str]  # lower-case surface forms: a sentence without one has no event
    # irregular forms listed with their verb ("retook": "retake"), for the lemmas a small
    # tagger gets wrong
    irregular: dict[str, str]


def inflections(verb: str) -> dict[str, str]:
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
        and verb[-3:-2] not in VOWELS
    )
    stem = verb + verb[-1] if short_cvc else verb
    return {"s": verb + "s", "past": stem + "ed", "ing": stem + "ing"}


def plural(noun: str) -> str:
    if noun.endswith("s"):
        return noun
    if noun.endswith(("sh", "ch", "x")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in VOWELS:
        return noun[:-1] + "ies"
    return noun + "s"


def verb_forms(base: str, irregular: tuple[str, ...] = ()) -> set[str]:
    """Every spelling a sentence may use, for the prefilter: both "banned" and "baned"-style
    forms where the consonant may double ("travelled", "traveled")."""
    regular = inflections(base)
    forms = {base, *regular.values(), *irregular}
    if regular["past"] == base + base[-1] + "ed":
        forms |= {base + "ed", base + "ing"}
    return forms


MARKERS = {"$", "+", "^", "%"}  # roles and skips: the parse gives roles itself


def _item(raw: object) -> Item:
    if isinstance(raw, dict):
        words = tuple(str(w).lower() for w in raw["words"] if w not in MARKERS)
        return PrepItem(str(raw["prep"]).lower(), words)
    return str(raw).lower()


def _irregular(base: str, listed: Iterable[str], irregular: dict[str, str]) -> None:
    for form in listed:
        word = str(form).lower()
        if " " not in word and word != base:
            irregular.setdefault(word, base)


def _cameo(
    path: Path, verbs: dict[str, list[Sense]], forms: set[str], irregular: dict[str, str]
) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for lemma, entries in sorted(data["verbs"].items()):
        for entry in entries:
            patterns = []
            particle = tuple(str(entry.get("particle", "")).lower().split())
            for raw in entry.get("patterns", ()):
                code = raw.get("code")
                if not code:
                    continue
                after = tuple(_item(i) for i in raw.get("after", ()) if i not in ("$", "+", "^"))
                before = tuple(_item(i) for i in raw.get("before", ()) if i not in ("$", "+", "^"))
                patterns.append(Pattern(str(code), before, (*particle, *after)))
            default = entry.get("code")
            if particle:
                if default:
                    patterns.append(Pattern(str(default), (), particle))
                default = None
            verbs.setdefault(lemma, []).append(
                Sense(str(default) if default else None, tuple(patterns), needs_target=False)
            )
            forms.update(verb_forms(lemma, tuple(entry.get("forms", ()))))
            _irregular(lemma, entry.get("forms", ()), irregular)
    return {
        name: frozenset(str(m).lower() for m in members)
        for name, members in data.get("synsets", {}).items()
    }


def _evkg(
    entries: list[dict[str, Any]],
    verbs: dict[str, list[Sense]],
    nouns: dict[str, list[Sense]],
    forms: set[str],
    irregular: dict[str, str],
) -> None:
    for raw in entries:
        code = str(raw["code"])
        common = {
            "curated": True,
            "preps": tuple(raw.get("preps", ())),
            "object": raw.get("object", True),
            "needs_target": raw.get("needs_target", False),
        }
        for pattern in raw.get("verbs", ()):
            head, _, rest = pattern.partition(" ")
            parts = head.split("/")
            base = parts[0]
            after = tuple(rest.lower().split())
            sense = (
                Sense(None, (Pattern(code, (), after),), **common)
                if after
                else Sense(code, (), **common)
            )
            verbs.setdefault(base, []).insert(0, sense)
            forms.update(verb_forms(base, tuple(parts[1:])))
            _irregular(base, parts[1:], irregular)
        for noun in raw.get("nouns", ()):
            words = tuple(noun.lower().split())
            nouns.setdefault(words[-1], []).append(Sense(code, (), words=words, **common))
            forms.update((words[-1], plural(words[-1])))


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    verbs: dict[str, list[Sense]] = {}
    nouns: dict[str, list[Sense]] = {}
    forms: set[str] = set()
    irregular: dict[str, str] = {}
    synsets = _cameo(CAMEO_VERBS, verbs, forms, irregular) if CAMEO_VERBS.exists() else {}
    _evkg(vocabulary().triggers, verbs, nouns, forms, irregular)
    for senses in nouns.values():
        senses.sort(key=lambda s: -len(s.words))  # "drone strike" before "strike"
    return Dictionary(verbs, nouns, synsets, frozenset(forms), irregular)
