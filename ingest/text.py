"""From raw document text to the sentences worth reading.

News pages carry furniture around the article: a date line, a repeated headline, image
credits, reference lists, comment footers and teasers of other posts. None of it reports
events, so it is set aside here, before any sentence is split.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import dateparser
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex

# A line that ends the article: everything after it belongs to the page, not the story.
FOOTER = re.compile(
    r"^\s*(no comments?:?|\d+ comments?:?|post a comment|leave a (comment|reply)|share this"
    r"|related (posts|articles|stories)|read more|you may also like|subscribe\b|newer post"
    r"|older post|labels?:|tags?:|posted by\b)",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"^\s*(©|\(c\)|copyright\b|photo\b|image\b|credit\b|getty images|ap photo|reuters/|afp via"
    r"|file photo)",
    re.IGNORECASE,
)
# "1. Linzer, Dafna, “Title,” Outlet," or "Detsch, Jack, “Title,” Al Monitor, 2/5/19".
REFERENCE = re.compile(
    r"^\s*(\(?\d{1,3}[.)]\s+)?[A-Z][\w'’\-]+,\s+[A-Z][\w.'’\- ]{0,40},\s*[“\"]", re.UNICODE
)
# A line ends as a sentence does, or as one that leads into a quotation ("X said:").
TERMINAL = re.compile(r"[.!?…:][\"'”’)\]]*\s*$")
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-.]*")

MIN_PROSE_WORDS = 6  # a line without a final stop: shorter is a heading, menu or credit
MIN_SENTENCE_WORDS = 3  # a line that ends as a sentence does: "Iran expelled 3 diplomats."


@dataclass(frozen=True)
class Paragraph:
    """A run of article prose and its offset in the document's text."""

    text: str
    start: int


@dataclass(frozen=True)
class Layout:
    """What reading the page's shape tells: prose, headline and date line."""

    paragraphs: list[Paragraph]
    title: str | None
    dateline: date | None


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def parse_dateline(line: str) -> date | None:
    """A line that is nothing but a full date ("Tuesday, February 12, 2019")."""
    stripped = line.strip()
    if not stripped or len(stripped) > 40 or not re.search(r"\d{4}", stripped):
        return None
    if len(WORD.findall(stripped)) > 4:
        return None
    parsed = dateparser.parse(
        stripped,
        languages=["en"],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date() if parsed else None


def is_prose(line: str) -> bool:
    words = WORD.findall(line)
    terminal = bool(TERMINAL.search(line))
    if len(words) < (MIN_SENTENCE_WORDS if terminal else MIN_PROSE_WORDS):
        return False
    if CREDIT.match(line) or REFERENCE.match(line):
        return False
    return terminal or len(words) >= 25


def layout(text: str) -> Layout:
    """Split the page into article paragraphs, and find its headline and date line."""
    paragraphs: list[Paragraph] = []
    seen: set[str] = set()
    title: str | None = None
    headline: Paragraph | None = None
    dateline: date | None = None
    for index, (start, line) in enumerate(_lines(text)):
        key = " ".join(line.split()).lower()
        if not key:
            continue
        if FOOTER.match(line):
            break
        if index < 5 and dateline is None and not paragraphs:
            found = parse_dateline(line)
            if found:
                dateline = found
                continue
        repeated = key in seen
        seen.add(key)
        paragraph = Paragraph(line.strip(), start + len(line) - len(line.lstrip()))
        if repeated or not is_prose(line):
            if title is None and not paragraphs and not CREDIT.match(line) and len(key) > 8:
                title = " ".join(line.split())
                headline = paragraph
            continue
        paragraphs.append(paragraph)
    if (
        not paragraphs
        and headline is not None
        and len(WORD.findall(title or "")) >= MIN_PROSE_WORDS
    ):
        # A record of one line cut short ("... appealed to the U.N. to end the trade em"):
        # no article follows the would-be headline, so it is what there is to read.
        paragraphs.append(headline)
    return Layout(paragraphs, title, dateline)


@lru_cache(maxsize=1)
def nlp() -> Language:
    """A blank English pipeline: tokenizer and rule-based sentencizer, no model to download."""
    pipeline = spacy.blank("en")
    infixes = list(pipeline.Defaults.infixes or ()) + [
        r"(?<=\.)-(?=[A-Za-z])",  # "U.S.-led", "U.S.-Iran"
        r"(?<=[A-Za-z])[’']s\b",  # "Iraq’s"
    ]
    tokenizer: Any = pipeline.tokenizer  # spaCy's Tokenizer, compiled: no types to check
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    from ingest.people import name_words  # here: ingest.people reads names with nlp()

    for title in name_words().titles:  # "Col.", "Brig.": one token, no sentence end
        tokenizer.add_special_case(title, [{"ORTH": title}])
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("abbreviation_boundaries", after="sentencizer")
    return pipeline


# An abbreviation that can end a sentence ("attacking the U.S. These groups ..."), and the
# words that show a new sentence has begun after it.
SENTENCE_FINAL_ABBREVIATIONS = {
    "U.S.",
    "U.K.",
    "U.N.",
    "U.A.E.",
    "D.C.",
    "Inc.",
    "Corp.",
    "Ltd.",
    "Co.",
    "Jr.",
    "Sr.",
    "etc.",
    "a.m.",
    "p.m.",
}
SENTENCE_STARTERS = {
    "the",
    "these",
    "this",
    "that",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "in",
    "on",
    "at",
    "but",
    "and",
    "however",
    "meanwhile",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "after",
    "when",
    "while",
    "since",
    "there",
    "officials",
    "as",
    "during",
    "according",
    "still",
}


def words(doc: Doc) -> tuple[list[str], list[str]]:
    """Each token's text and lower-case form, listed once per doc: reading them through
    `doc[i]` makes a Token object every time, and the linker reads each token many times."""
    cached = doc.user_data.get("evkg_words")
    if cached is None:
        texts: list[str] = []
        lowers: list[str] = []
        for token in doc:
            texts.append(token.text)
            lowers.append(token.lower_)
        cached = doc.user_data["evkg_words"] = (texts, lowers)
    return cached


Match = tuple[int, int, int]  # (match id, start token, end token), as spaCy's matchers give


def matches_in(sent: Span, matcher: Callable[[Doc], list[Match]]) -> list[Match]:
    """`matcher`'s (match id, start, end) inside `sent`. The whole paragraph is matched
    once, kept on its doc, and each sentence takes its share: matching sentence by sentence
    cost a call per matcher and sentence. Matches are listed in the matcher's order."""
    doc = sent.doc
    key = f"evkg_matches:{id(matcher)}"
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = matcher(doc)
    return [m for m in found if m[1] >= sent.start and m[2] <= sent.end]


@Language.component("abbreviation_boundaries")
def abbreviation_boundaries(doc: Doc) -> Doc:
    """Split after "U.S." when the next word opens a sentence; the sentencizer cannot."""
    texts, lowers = words(doc)
    for i in range(len(texts) - 1):
        if (
            texts[i] in SENTENCE_FINAL_ABBREVIATIONS
            and texts[i + 1].istitle()
            and lowers[i + 1] in SENTENCE_STARTERS
        ):
            doc[i + 1].is_sent_start = True
    return doc
