"""Gazetteer names found in a sentence on their spelling-folded key, however a text spells
them: the matcher of the linker's first shape (`ingest.actors`), a piece of its own kept
apart so that the linker reads in one sitting.
"""

from __future__ import annotations

from spacy.strings import StringStore
from spacy.tokens import Doc

from ingest.text import words as _words
from ingest.vocab import ARTICLES, WORD_KEYS, NameIndex, word_key

__all__ = ["HYPHENS", "JOINERS", "NameMatcher"]

HYPHENS = frozenset({"-", "‐", "‑", "–", "—"})
# Tokens a name may run across without a word of its own: hyphens and apostrophes.
JOINERS = HYPHENS | {"'", "’", "‘"}


class NameMatcher:
    """Gazetteer names matched on their key (`ingest.vocab.name_key`): case-folded, without
    diacritics, apostrophes or hyphens, with transliteration variants folded, so that
    "Kata'ib Hizballah", "Kataeb Hezbollah" and "KATAIB HEZBOLLAH" are one name. A name
    written with capitals matches only where one of its words is capitalised ("Turkey",
    not "turkey"); a name written in lower case ("the coalition") matches in any case.

    Called on a doc, it gives spaCy-matcher-like (match id, start, end) triples."""

    def __init__(self, strings: StringStore, index: NameIndex) -> None:
        add = strings.add
        self.keys = {key: [add(iri) for iri in iris] for key, iris in index.keys.items()}
        self.prefixes = index.prefixes
        self.caseless = index.caseless
        self.starts = frozenset(self.keys) | frozenset(index.prefixes)  # a run may start here

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        texts, lowers = _words(doc)
        size = len(texts)
        known = WORD_KEYS.get
        token_keys = [k if (k := known(text)) is not None else word_key(text) for text in texts]
        for hyphen in HYPHENS.intersection(texts):
            at = texts.index(hyphen)
            while at >= 0:
                if at and lowers[at - 1] in ARTICLES:
                    token_keys[at - 1] = "al"  # "ad-Din", "el-Sisi" = "al-Din", "al-Sisi"
                at = texts.index(hyphen, at + 1) if hyphen in texts[at + 1 :] else -1
        found = []
        keys, prefixes, caseless, starts = self.keys, self.prefixes, self.caseless, self.starts
        for i, so_far in enumerate(token_keys):
            if so_far not in starts:
                continue
            j = i
            while True:
                ids = keys.get(so_far)
                if ids is not None and (
                    so_far in caseless or any(texts[k][:1].isupper() for k in range(i, j + 1))
                ):
                    for match_id in ids:
                        found.append((match_id, i, j + 1))
                if so_far not in prefixes:
                    break
                j += 1
                while j < size and not token_keys[j] and texts[j] in JOINERS:
                    j += 1
                if j >= size or not token_keys[j]:
                    break
                so_far += token_keys[j]
        return found
