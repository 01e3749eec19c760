"""One document in, its actors and events out: text -> sentences -> actors -> events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc
from spacy.tokens import Span as SentenceSpan

from ingest.actors import linker
from ingest.antecedents import FIRST_PERSON
from ingest.coding import Coded, Told, code_parsed
from ingest.dates import DateContext
from ingest.grammar import VIOLENT_ROOTS
from ingest.mentions import Mention, Resolver
from ingest.model import Actor, Event, Extraction, Place, SourceDocument, Span
from ingest.parser import parse_many
from ingest.places import place_finder
from ingest.quotes import Quotations
from ingest.rules import code_sentence
from ingest.settings import CODERS, SettingError, get_settings
from ingest.text import layout, nlp, words
from ingest.triggers import dictionary
from ingest.vocab import vocabulary

MAX_CHARS = 1_000_000  # about 150,000 words: far beyond any article
# A "sentence" longer than this is a table, a list or a run-on scrape: not parsed (the
# parser's cost grows with length and its reading of such text is noise).
MAX_PARSED_TOKENS = 300


class DocumentTooLarge(ValueError):
    """A "document" this long is a dump, not an article."""


def _label(event_code: str, source: Actor | None, target: Actor | None) -> str:
    name = vocabulary().cameo[event_code].label if event_code in vocabulary().cameo else event_code
    who = source.label if source else "someone"
    whom = f" -> {target.label}" if target else ""
    return f"{who}: {name}{whom}"


def extract(doc: SourceDocument, coder: str | None = None) -> Extraction:
    """Read a document and code the events its sentences report, with `coder` (`rules` or
    `parse`; default: the EVKG_CODER setting)."""
    if len(doc.text) > MAX_CHARS:
        raise DocumentTooLarge(f"{len(doc.text):,} characters; the limit is {MAX_CHARS:,}")
    page = layout(doc.text)
    if doc.published is None and page.dateline is not None:
        doc = replace(doc, published=page.dateline)
    if doc.title is None and page.title is not None:
        doc = replace(doc, title=page.title)
    published = doc.published
    vocab = vocabulary()
    actor_linker = linker()
    places = place_finder()
    resolver = Resolver()
    actors: dict[str, Actor] = {}
    events: list[Event] = []
    places_seen: dict[str, Place] = {}
    language = nlp()
    coder = coder or get_settings().coder
    if coder not in CODERS:
        raise SettingError(f"coder {coder!r}: use one of {', '.join(CODERS)}")
    by_parse = coder == "parse"
    triggers = dictionary().forms if by_parse else frozenset()
    paragraphs = page.paragraphs
    read: list[_Read] = []
    dates = DateContext(published)
    quotations = Quotations()
    for paragraph, parsed in zip(
        paragraphs, language.pipe(p.text for p in paragraphs), strict=True
    ):
        dates.paragraph()
        base = paragraph.start
        first = len(read)
        for sent in parsed.sents:
            mentions, country_places = actor_linker.find(sent, resolver)
            for mention in mentions:
                if not mention.pronoun:  # the latest copy: every name the story gave it
                    actors[mention.actor.iri] = mention.actor
            for where in country_places:  # "in Iraq": the text names the state too
                actors.setdefault(where.actor.iri, where.actor)
            taken = {i for m in mentions for i in range(m.start, m.end)}
            taken |= {where.start for where in country_places}
            named_places = places.find(sent, taken)
            sentence_places = sorted(
                named_places
                + [
                    (where.start, places.countries[where.actor.iri])
                    for where in country_places
                    if where.actor.iri in places.countries
                ],
                key=lambda p: p[0],
            )
            sent_text = paragraph.text[sent.start_char : sent.end_char]  # = sent.text, cheaper
            when = dates.sentence(sent_text)
            sentence = Span(sent_text, base + sent.start_char, base + sent.end_char)
            read.append(
                _Read(sent, base, mentions, sentence_places, sentence, when, country_places)
            )
        _hear_quotations(quotations, parsed, read[first:])
    coded_by_sentence: Sequence[Sequence[Coded]] = (
        _standing(_parse_coded_all(read, triggers))
        if by_parse
        else [code_sentence(r.sent.doc, r.sent, r.mentions) for r in read]
    )
    for item, coded_events in zip(read, coded_by_sentence, strict=True):
        base = item.base
        for coded in coded_events:
            source = coded.source.actor if coded.source else None
            target = coded.target.actor if coded.target else None
            co_sources = tuple(m.actor for m in coded.co_sources)
            co_targets = tuple(m.actor for m in coded.co_targets)
            for actor in (source, target, *co_sources, *co_targets):
                if actor is not None:
                    actors.setdefault(actor.iri, actor)
            trigger_span = item.sent.doc[coded.start : coded.end]
            place = _nearest_place(item.places, coded.start)
            if place is not None:
                places_seen.setdefault(place.iri, place)
            cameo = vocab.cameo.get(coded.code)
            events.append(
                Event(
                    iri=f"{doc.iri.replace('/document/', '/event/')}-{len(events) + 1}",
                    code=coded.code,
                    label=_label(coded.code, source, target),
                    quad_class=cameo.quad_class if cameo else 0,
                    goldstein=cameo.goldstein if cameo else 0.0,
                    sentence=item.sentence,
                    trigger=Span(
                        trigger_span.text,
                        base + trigger_span.start_char,
                        base + trigger_span.end_char,
                    ),
                    source=source,
                    target=target,
                    date=item.when,
                    place=place,
                    modality=coded.modality,
                    co_sources=co_sources,
                    co_targets=co_targets,
                )
            )
    return Extraction(
        document=doc, actors=list(actors.values()), events=events, places=list(places_seen.values())
    )


@dataclass
class _Read:
    """A sentence as read before coding: its actors, places and date."""

    sent: SentenceSpan  # a sentence of its paragraph's Doc
    base: int  # the paragraph's offset in the text
    mentions: list[Mention]
    places: list[tuple[int, Place]]
    sentence: Span
    when: str | None
    states_where: list[Mention]  # states named as where ("in Iraq"): targets of last resort
    speaker: Mention | None = None  # whose quotation the sentence lies wholly inside


def _hear_quotations(quotations: Quotations, paragraph: Doc, items: list[_Read]) -> None:
    """Give each sentence of a quotation its speaker (`ingest.quotes`), and the speaker's
    side to its "we" and "our" that the linker could only guess at."""
    speakers = quotations.hear(paragraph, [r.sent for r in items], [r.mentions for r in items])
    lowers = words(paragraph)[1]
    for item, speaker in zip(items, speakers, strict=True):
        item.speaker = speaker
        if speaker is None:
            continue
        item.mentions = [
            replace(m, actor=speaker.actor) if m.pronoun and lowers[m.start] in FIRST_PERSON else m
            for m in item.mentions
        ]


def _parse_coded_all(read: list[_Read], triggers: frozenset[str]) -> list[list[Coded]]:
    """The parse coder on a document's sentences, parsing in one batch only those that name
    an actor and hold a trigger word; token positions moved back to the paragraph's."""
    wanted = [
        index
        for index, item in enumerate(read)
        if (item.mentions or item.speaker)
        and len(item.sent) <= MAX_PARSED_TOKENS
        and not triggers.isdisjoint(words(item.sent.doc)[1][item.sent.start : item.sent.end])
    ]
    out: list[list[Coded]] = [[] for _ in read]
    trees = parse_many([read[i].sent for i in wanted]) if wanted else []
    told = Told()  # what earlier sentences told: the last violent doer, documents' issuers
    for index, tree in zip(wanted, trees, strict=True):
        sent, mentions, wheres = read[index].sent, read[index].mentions, read[index].states_where
        offset = sent.start
        local = [replace(m, start=m.start - offset, end=m.end - offset) for m in mentions]
        local_wheres = [replace(m, start=m.start - offset, end=m.end - offset) for m in wheres]
        back = {id(here): m for here, m in zip(local, mentions, strict=True)}
        back.update((id(here), m) for here, m in zip(local_wheres, wheres, strict=True))
        told.speaker = read[index].speaker
        coded = code_parsed(tree, local, local_wheres, told)
        for event in coded:
            event.start += offset
            event.end += offset
            # (a mention of an earlier sentence is passed and comes back as it is)
            if event.source is not None:
                event.source = back.get(id(event.source), event.source)
            if event.target is not None:
                event.target = back.get(id(event.target), event.target)
            event.co_sources = [back.get(id(m), m) for m in event.co_sources]
            event.co_targets = [back.get(id(m), m) for m in event.co_targets]
            if event.root in VIOLENT_ROOTS and event.source is not None:
                told.struck_before = event.source
        out[index] = coded
    return out


def _standing(coded: list[list[Coded]]) -> list[list[Coded]]:
    """A reading with no one acted upon (`Coded.fallback`: "X agreed to set up a centre")
    is reported only when the document reports nothing else: a one-sentence record is that
    act, while in an article such readings are mostly background beside its events."""
    if any(not event.fallback for events in coded for event in events):
        return [[event for event in events if not event.fallback] for events in coded]
    return coded


def _nearest_place(places: list[tuple[int, Place]], token: int) -> Place | None:
    """The place the sentence names after the trigger, else the closest before it."""
    after = [p for i, p in places if i >= token]
    if after:
        return after[0]
    return places[-1][1] if places else None
