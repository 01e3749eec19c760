"""Quotations that run over several sentences, and who speaks them.

News quotes officials at length: `"This was an unprovoked attack. It was reckless," the
admiral said.` The first sentence names no speaker, yet its judgement is the admiral's,
and its "we" is the admiral's side. A quotation's speaker is named where it opens
(`X said: "...`) or where it closes (`...," X said.`, `...," said X.`); every sentence
wholly inside it is that speaker's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from ingest.grammar import grammar
from ingest.text import words
from ingest.triggers import verb_forms

if TYPE_CHECKING:
    from ingest.mentions import Mention

__all__ = ["QUOTES", "Quotations", "speech_forms"]

QUOTES = frozenset({'"', "“", "”", "‘", "'"})
DOUBLE_QUOTES = frozenset({'"', "“", "”"})  # single ones are apostrophes as often
NEAR = 3  # how many words a speaker's name may stand from the verb of saying


@lru_cache(maxsize=1)
def speech_forms() -> frozenset[str]:
    """The verbs of saying, inflected, for text read without lemmas."""
    forms = {"said", "told", "wrote"}
    for verb in grammar().speech_verbs:
        forms |= verb_forms(verb)
    return frozenset(forms)


@dataclass
class Quotations:
    """A document's quotations, heard paragraph by paragraph in order: a quotation may run
    on over paragraphs, and one may name its speaker in the paragraph before it."""

    last_speaker: Mention | None = None  # the last quotation's, which the next may go on
    running: bool = False  # a quotation left open at the end of the last paragraph
    introduced: Mention | None = None  # "X said:" ending the last paragraph

    def hear(
        self, doc: Doc, sents: Sequence[Span], mentions: Sequence[list[Mention]]
    ) -> list[Mention | None]:
        """For each sentence of the paragraph (`sents`, with the actor `mentions` of each),
        the speaker of the quotation it lies wholly inside, or None.

        A quotation's speaker is named where it opens or closes; one that names none goes
        on with the speaker before it in the paragraph or, when the paragraph opens with
        it, in the paragraph before ("...," X said. / "More words."). A sentence that holds
        an opening or closing mark beside a verb of saying is read as it is."""
        marks = [t.i for t in doc if t.text in DOUBLE_QUOTES]
        if self.running and not (marks and marks[0] == sents[0].start):
            marks.insert(0, -1)  # the quotation began paragraphs ago (and is not reopened)
        self.running = len(marks) % 2 == 1
        if self.running:
            marks.append(len(doc))  # and this one runs on past the paragraph's end
        opens_with = bool(marks) and marks[0] <= sents[0].start
        carried = (self.introduced or self.last_speaker) if opens_with else None
        speakers: list[Mention | None] = [None] * len(sents)
        for opening, closing in zip(marks[::2], marks[1::2], strict=True):
            first = _sentence_of(sents, max(opening, 0))
            last = _sentence_of(sents, min(closing, len(doc) - 1))
            if first is None or last is None:
                continue
            speaker = (
                _attributed(doc, sents[last], closing, mentions[last], after=True)
                or _attributed(doc, sents[first], opening, mentions[first], after=False)
                or carried
            )
            if speaker is None:
                continue
            carried = speaker
            for index in range(first, last + 1):
                said = [t.i for t in sents[index] if not t.is_punct]
                if said and opening < said[0] and said[-1] < closing:
                    speakers[index] = speaker
        self.last_speaker = carried  # a paragraph without quotations ends the run
        ending = sents[-1]
        self.introduced = (
            _attributed(doc, ending, ending.end, mentions[-1], after=False)
            if not self.running and doc[ending.end - 1].text == ":"
            else None
        )
        return speakers


def _sentence_of(sents: Sequence[Span], token: int) -> int | None:
    return next((k for k, s in enumerate(sents) if s.start <= token < s.end), None)


def _attributed(
    doc: Doc, sent: Span, mark: int, mentions: list[Mention], after: bool
) -> Mention | None:
    """The speaker named beside a verb of saying outside the quotation: after its closing
    mark (`," X said`, `," said X`) or before its opening one (`X said: "`)."""
    lowers = words(doc)[1]
    span = range(mark + 1, sent.end) if after else range(sent.start, min(mark, sent.end))
    forms = speech_forms()
    for k in span:
        if lowers[k] not in forms:
            continue
        before = [m for m in mentions if k - NEAR <= m.end <= k and m.start in span]
        if before:
            return before[-1]
        later = [m for m in mentions if k < m.start <= k + NEAR and m.start in span]
        if later and later[0].actor.kind == "person":
            return later[0]  # "said X"; "told reporters" names the hearers
    return None
