"""Finding actors in a sentence and linking each mention to a canonical actor.

Mentions come in five shapes, tried in this order:

1. a gazetteer name or alias ("Kataib Hezbollah", "CENTCOM", "Iraq's parliament");
2. a country (name or demonym, or a possessive pronoun) before a generic agent noun
   ("U.S. officials", "Iraqi forces", "its allies"): linked to the country's organ of that
   sector when the gazetteer has one, else to a composed actor ("Iranian operatives");
3. a demonym used as a noun ("the Iranians") or a title with a name ("Gen. Ali Smith");
4. capitalised names ending in an organisation word ("Popular Front"), kept as new actors;
5. pronouns and definite descriptions ("he", "its", "the president", "the militia"),
   resolved against the actors mentioned before.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.strings import StringStore
from spacy.tokens import Doc, Span

from ingest.grammar import grammar
from ingest.model import Actor
from ingest.people import People, name_words, with_initials
from ingest.quotes import QUOTES, speech_forms
from ingest.text import Match, matches_in, nlp
from ingest.text import words as _words
from ingest.vocab import (
    ARTICLES,
    WORD_KEYS,
    ActorEntry,
    AgentNoun,
    NameIndex,
    Vocabulary,
    actor_names,
    is_exact_name,
    vocabulary,
    word_key,
)
from ontology.namespaces import ID

# Matches in a doc as (start, end, IRI or code); demonyms as (start, end) -> IRI; whether a
# span is still free of mentions.
Found = list[tuple[int, int, str]]
Demonyms = dict[tuple[int, int], str]
Free = Callable[[int, int], bool]

# How English demonyms end ("Iraqi", "Turkish", "Syrian", "Chinese"): a listed variant that
# does not is a misspelling ("Turkei").
DEMONYM_ENDINGS = ("an", "ish", "ese", "i", "ic", "ch", "ot", "er")
COUNTRY_NOUNS = {"country", "nation"}
LOCATIVE = {"in", "inside", "within", "across", "throughout", "around"}
PERSON_PRONOUNS = {"he": "sg", "him": "sg", "his": "sg", "she": "sg", "her": "sg"}
THING_PRONOUNS = {"it": "sg", "its": "sg"}
GROUP_PRONOUNS = {"they": "pl", "them": "pl", "their": "pl"}
COLLECTIVE_KINDS = {"armed-group", "militia"}  # bodies "they" takes up, named in the singular
CONNECTIVES = {"and", "or", "nor", "but", *grammar().target_preps}  # never a name's modifier
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her"}
TITLES = name_words().person_titles
ORG_HEADS = name_words().organisation_heads
ADJECTIVAL = name_words().adjectival_agents
FIRST_PERSON = {"we", "us", "our"}
BACKING = name_words().backing_participles
CAPITALISED = re.compile(r"^[A-Z][\w'’.\-]*$")
PRONOUNS = {
    *PERSON_PRONOUNS,
    *THING_PRONOUNS,
    *GROUP_PRONOUNS,
    *POSSESSIVE_PRONOUNS,
    *FIRST_PERSON,
}


@lru_cache(maxsize=1)
def _title_last_words() -> frozenset[str]:
    """The last token of every title, however capitalised: a cheap test before a lookup."""
    tokenizer = nlp().tokenizer
    forms = [f for t in TITLES for f in (t, t.title(), t.capitalize(), t.upper())]
    return frozenset(
        {tokenizer(form)[-1].lower_ for form in forms} | {t.split()[-1] for t in TITLES}
    )


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


class ActorLinker:
    """Holds the matchers built from the gazetteer; one per process."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        language = nlp()
        self.names = NameMatcher(language.vocab.strings, actor_names(vocab))
        self.exact = PhraseMatcher(language.vocab, attr="ORTH")
        self.demonyms = PhraseMatcher(language.vocab, attr="LOWER")
        self.agents = PhraseMatcher(language.vocab, attr="LOWER")
        self.demonym_codes: dict[str, str] = {}  # "iraqi" -> "IRQ", for titles and names
        self.demonym_cased: dict[str, bool] = {}  # first word lower-cased -> written capitalised
        self.states: dict[str, ActorEntry] = {}
        self.organs: dict[tuple[str, str], list[ActorEntry]] = {}
        self.proxies: dict[str, list[ActorEntry]] = {}  # backer IRI -> actors it backs
        self.agent_nouns: dict[str, AgentNoun] = {}
        self._build()

    def _build(self) -> None:
        language = nlp()
        for iri, entry in self.vocab.actors.items():
            actor = entry.actor
            if actor.kind == "state" and actor.code:
                self.states.setdefault(actor.code, entry)
            for name in {actor.label, *actor.aliases}:
                # Short all-capital names ("US", "IS") must match their case exactly.
                if is_exact_name(name):
                    self.exact.add(iri, [language.make_doc(name)])
            for backer in entry.backed_by:
                self.proxies.setdefault(backer, []).append(entry)
            for demonym in _with_plurals(entry.demonyms):
                self.demonyms.add(iri, [language.make_doc(demonym)])
                head = demonym.split()[0]
                self.demonym_cased[head.lower()] = head[:1].isupper()
                if actor.kind == "state" and actor.code:
                    self.demonym_codes.setdefault(demonym.lower(), actor.code)
        # How often each (country code, first word) opens a name of that country's actors.
        self.demonym_usage: Counter[tuple[str, str]] = Counter(
            (entry.actor.code, name.split()[0].lower())
            for entry in self.vocab.actors.values()
            if entry.actor.code
            for name in {entry.actor.label, *entry.actor.aliases}
            if name and name.split()[0].isalpha()  # a word, not "U.S."
        )
        generated: dict[tuple[str, str], list[ActorEntry]] = {}
        for entry in self.vocab.actors.values():
            actor = entry.actor
            if actor.code and actor.sector and actor.kind not in {"state", "person"}:
                state = self.states.get(actor.code)
                if state and state.actor.iri in entry.part_of:
                    organs = generated if entry.generated else self.organs
                    organs.setdefault((actor.code, actor.sector), []).append(entry)
        # A country's generated organs stand for "X officials" only where actors.ttl has
        # none of that sector: the hand-written ones were chosen for that.
        for key, entries in generated.items():
            self.organs.setdefault(key, entries)
        for agent in self.vocab.agents:
            for form in agent.forms:
                self.agent_nouns.setdefault(form, agent)
                self.agents.add(form, [language.make_doc(form)])

    # -- linking helpers -------------------------------------------------------------

    def organ(self, code: str, agent: AgentNoun, surface: str) -> Actor:
        """The organ of a country that a generic mention names, or a composed actor."""
        state = self.states.get(code)
        candidates = self.organs.get((code, agent.sector), [])
        wanted = surface.lower()
        for entry in candidates:
            names = {entry.actor.label.lower(), *(a.lower() for a in entry.actor.aliases)}
            if wanted in names:
                return entry.actor
        noun = surface.split()[-1].lower() if surface else agent.label
        one_person = noun in TITLES  # "the Iranian general": one of them, not the body
        if one_person:
            candidates = []
        if len(candidates) == 1 and (
            not candidates[0].generated or _is_default_organ(candidates[0], agent)
        ):
            # A generated organ must be the sector's usual one ("Sudanese officials" are
            # not a party the dictionaries happen to file under GOV).
            return candidates[0].actor
        preferred = [c for c in candidates if _is_default_organ(c, agent)]
        if len(preferred) == 1:
            return preferred[0].actor
        # The usual demonym is the one the gazetteer's names of the country's bodies use
        # ("Turkish government", not "Turkei"), then the one sharing most with the state's
        # name ("Vietnamese", not a misspelling the gazetteer also lists).
        home = state.actor.label.lower() if state else ""
        usage = self.demonym_usage
        adjectives = sorted(
            (d for d in (state.demonyms if state else ()) if not d.endswith("s")),
            key=lambda d: (
                -usage[(code, d.lower())],
                not d.lower().endswith(DEMONYM_ENDINGS),
                -len(os.path.commonprefix([d.lower(), home])),
                len(d),
            ),
        )
        written = surface.split()[0].lower() if surface else ""
        # "Polish", not "Pole"; "Swiss" as written, though it ends as a plural does
        named = [d for d in (state.demonyms if state else ()) if d.lower() == written]
        adjectives = named or adjectives
        country = adjectives[0] if adjectives else (state.actor.label if state else code)
        label = f"{country} {noun}"
        return Actor(
            iri=f"{ID}actor/{slug(label)}",
            label=label,
            aliases=tuple(sorted({surface})),
            code=code,
            sector=agent.sector,
            kind="person" if one_person else "other",
        )

    def find(self, sent: Span, resolver: Resolver) -> tuple[list[Mention], list[Mention]]:
        """Actor mentions in a sentence, and the countries named as places ("in Iraq")."""
        doc = sent.doc
        texts, lowers = _words(doc)
        taken: set[int] = set()
        mentions: list[Mention] = []

        def free(start: int, end: int) -> bool:
            return taken.isdisjoint(range(start, end))

        def add(mention: Mention) -> None:
            mention.doc = doc
            last = texts[mention.end - 1]
            # "Iraqi troops", "the militants": "they" and "their" take them up, "it" does not
            mention.plural |= not mention.pronoun and last.islower() and _plural_noun(last)
            mentions.append(mention)
            taken.update(range(mention.start, mention.end))

        def within(matcher: Callable[[Doc], list[Match]]) -> list[tuple[int, int, str]]:
            return [(s, e, doc.vocab.strings[m]) for m, s, e in matches_in(sent, matcher)]

        named = _longest(within(self.names) + within(self.exact))
        # A capitalised demonym names a country only when written so ("Polish", not "polish").
        demonyms = {
            (s, e): iri
            for s, e, iri in within(self.demonyms)
            if texts[s][:1].isupper() or not self.demonym_cased.get(lowers[s], False)
        }
        agents = _longest(within(self.agents))
        places: list[Mention] = []  # states named as where: "in Iraq", "across the country"

        # "Iran-backed militants": the backer's proxies.
        for a_start, a_end, form in agents:
            backed = self._backed_agents(doc, a_start, a_end, form, named, demonyms, resolver)
            if backed is not None and free(backed.start, backed.end):
                add(backed)

        # Shape 2: country or possessive + agent noun. Done first so "Iraqi forces" is one
        # mention even where "Iraqi" alone would be a demonym.
        for a_start, a_end, form in agents:
            agent = self.agent_nouns[form]
            head = _country_before(doc, a_start, named, demonyms, self.vocab, sent.start)
            if head is None:
                continue
            h_start, code, actor_before = head
            if _names_follow(doc, a_end, sent.end):
                continue  # "Iraqi Foreign Minister Fuad Hussein": a title, not a group
            if not free(h_start, a_end) or _is_pro_modifier(doc, h_start):
                continue
            surface = doc[h_start:a_end].text
            # A gazetteer name covering the same words wins ("Iraq's parliament").
            exact = [n for n in named if n[0] <= h_start and n[1] >= a_end]
            if exact:
                continue
            if actor_before is not None and actor_before.kind != "state":
                continue
            linked = self.organ(code, agent, surface)
            add(Mention(h_start, a_end, linked, plural=form.endswith("s")))
            for partner in self._coordinated(doc, h_start, demonyms, sent.start, free):
                # "Hungarian and Romanian officials": each country has its officials.
                p_start, p_end, p_code = partner
                p_surface = f"{doc[p_start:p_end].text} {doc[a_start:a_end].text}"
                add(Mention(p_start, p_end, self.organ(p_code, agent, p_surface), plural=True))

        # Shape 1: gazetteer names.
        for start, end, iri in named:
            if not free(start, end) or _is_pro_modifier(doc, start) or _qualified(doc, start, end):
                continue
            entry = self.vocab.actors[iri]
            opening = _organisation_before(doc, start, end, sent.start, named)
            if opening is not None and free(opening, end):
                # "the Save Darfur Coalition": a generic word ending a body's own name.
                name = doc[opening:end].text
                home_code = self._demonym_code(doc, opening - 1)
                actor = Actor(f"{ID}actor/{slug(name)}", name, (), home_code, None, "other")
                add(Mention(opening, end, actor, named=True))
                continue
            run = _organisation_after(doc, end, sent.end, named)
            if entry.actor.kind == "state" and run is not None and free(start, run):
                # "the Ukraine Defense Contact Group": the state opens a body's name.
                name = doc[start:run].text
                actor = Actor(f"{ID}actor/{slug(name)}", name, (), entry.actor.code, None, "other")
                add(Mention(start, run, actor, named=True))
                continue
            if (
                entry.actor.kind == "state"
                and start > sent.start
                and (
                    lowers[start - 1] in LOCATIVE
                    or (
                        lowers[start - 1] in {"and", "or"}
                        and places
                        and places[-1].start < start - 1
                    )
                    or (  # "the Sea of Japan": a place named after the state
                        lowers[start - 1] == "of"
                        and start - 2 >= sent.start
                        and lowers[start - 2] in name_words().place_features
                    )
                )
                and not _possessive_after(doc, end)
            ):
                places.append(Mention(start, end, entry.actor))
                taken.update(range(start, end))
                continue
            facility = end < len(doc) and lowers[end] in name_words().facility_nouns
            if entry.actor.kind == "person" and facility:
                continue  # "Al Asad air base", "Khomeini airport": a place named after one
            if entry.actor.kind == "person":
                wider = with_initials(doc, start, end, sent, entry.actor.label)
                if free(*wider):
                    start, end = wider
            title = _title_before(doc, start, sent.start)
            if title:
                start -= len(title.split())
            else:
                title = _title_within(doc, start, end)
            add(Mention(start, end, entry.actor, title=title, named=True))
            head_iri = next(
                (iri for (s, e), iri in demonyms.items() if s == start and e < end), None
            )
            noun = next((a for a in agents if a[1] == end and a[0] >= start), None)
            if head_iri is not None and noun is not None and entry.actor.kind != "person":
                # "Iraqi and Iranian forces": the first country has its forces too.
                agent = self.agent_nouns[noun[2]]
                for p_start, p_end, p_code in self._coordinated(
                    doc, start, demonyms, sent.start, free
                ):
                    p_surface = f"{doc[p_start:p_end].text} {doc[noun[0] : noun[1]].text}"
                    linked = self.organ(p_code, agent, p_surface)
                    add(Mention(p_start, p_end, linked, plural=True))

        # Shape 3: demonyms as nouns ("the Iranians"), and titles with unknown names.
        for (start, end), iri in demonyms.items():
            if not free(start, end):
                continue
            if _people_noun(doc[end - 1].lower_) and not _is_pro_modifier(doc, start):
                if end < len(doc) and texts[end][:1].isupper():
                    continue
                origin = self._people_home(doc, start, mentions, demonyms)
                if origin is not None:
                    # "Kosovo Albanians", "Bosnian Serbs", "Iraqi Kurds": a people of the
                    # state named first
                    opening_at, state_code, state_mention = origin
                    people_name = doc[opening_at:end].text
                    people = Actor(
                        f"{ID}actor/{slug(people_name)}", people_name, (), state_code, None, "other"
                    )
                    if state_mention is not None:
                        mentions.remove(state_mention)
                    add(Mention(opening_at, end, people, plural=True))
                    continue
                add(Mention(start, end, self.vocab.actors[iri].actor, plural=True))
        for (start, end), iri in demonyms.items():
            if not free(start, end) or _is_pro_modifier(doc, start) or end >= sent.end:
                continue
            following = doc[end]
            if following.text == "]" and end + 1 < sent.end:
                following = doc[end + 1]  # "This [Turkish] operation": an editor's insertion
            if following.is_alpha and following.is_lower and not following.is_stop:
                add(Mention(start, end, self.vocab.actors[iri].actor))
                # "Iranian and Syrian support": each country coordinated before it too.
                for p_start, p_end, p_code in self._coordinated(
                    doc, start, demonyms, sent.start, free
                ):
                    add(Mention(p_start, p_end, self.states[p_code].actor))
        # The story's country so far, this sentence's states included.
        story = resolver.focus + Counter(
            m.actor.code for m in mentions if m.actor.kind == "state" and m.actor.code
        )
        story.update(place.actor.code for place in places if place.actor.code)
        focus = story.most_common(1)[0][0] if story else None
        for mention in self._titled_people(doc, sent, free, mentions, focus):
            add(mention)
        # "Abbas said", "Mr. Abbas": a person the story named in full before.
        for start, end, actor in resolver.people.find(
            doc, sent, free, lambda i: _title_before(doc, i, sent.start) is not None
        ):
            title = _title_before(doc, start, sent.start)
            if title:
                start -= len(title.split())
            add(Mention(start, end, actor, title=title, named=True))
        for mention in self._new_organisations(doc, sent, free):
            add(mention)

        for place in places:
            if place.actor.code:  # a region ("the Middle East") is no country
                resolver.focus[place.actor.code] += 3  # "in Iraq" names the theatre
        for mention in mentions:
            if mention.actor.kind == "state" and mention.actor.code:
                resolver.focus[mention.actor.code] += 1
        for i in range(sent.start, sent.end - 1):
            if lowers[i] == "the" and free(i, i + 2):
                titled = self._titled_antecedent(doc, i, resolver, mentions)
                if titled:
                    add(titled)
            if lowers[i] in DEFINITE and free(i, i + 2):
                headed = _head_antecedent(doc, i, _Earlier(resolver.history, mentions, doc))
                if headed:
                    add(headed)
            if lowers[i] == "the" and lowers[i + 1] in COUNTRY_NOUNS and free(i, i + 2):
                # "the country": the state named last, else the one the story is about.
                state = _last(
                    _Earlier(resolver.history, mentions, doc),
                    i,
                    lambda m: m.actor.kind == "state",
                    window=SALIENCE_WINDOW,
                )
                if state is None and resolver.focus:
                    home = self.states.get(resolver.focus.most_common(1)[0][0])
                    state = home.actor if home else None
                if state is not None and i > sent.start and lowers[i - 1] in LOCATIVE:
                    places.append(Mention(i, i + 2, state))  # "throughout the country": where
                    taken.update(range(i, i + 2))
                elif state is not None:
                    add(Mention(i, i + 2, state))
        for span in agents:
            named_before = any(  # "Fatah fighters", "UN peacekeeping force": the named body's
                span[0] - 2 <= m.end <= span[0]
                and all(_modifier_word(texts[k]) for k in range(m.end, span[0]))
                and m.actor.kind not in {"state", "person", None}
                for m in mentions
                if not m.pronoun
            )
            if free(span[0], span[1]) and not named_before and not _is_pro_modifier(doc, span[0]):
                bare = self._bare_agent(doc, span, resolver, mentions)
                if bare:
                    add(bare)

        ordered = sorted(mentions, key=lambda m: m.start)
        for first, second in zip(ordered, ordered[1:], strict=False):
            if second.start == first.end + 1 and lowers[first.end] in {"and", "&"}:
                first.plural = second.plural = True  # "French and Belgian jets ... they"

        # Shape 5: pronouns and definite descriptions.
        for i in range(sent.start, sent.end):
            if i in taken:
                continue
            resolved = self._resolve(doc, i, resolver, agents, mentions)
            if resolved:
                add(resolved)

        mentions.sort(key=lambda m: m.start)
        for mention in mentions:
            if mention.named:
                skip = len(mention.title.split()) if mention.title else 0
                surface = doc[mention.start + skip : mention.end].text
                mention.actor = resolver.name(mention.actor, surface)
                if mention.actor.kind == "person":
                    resolver.people.named(mention.actor, surface)
        resolver.history.extend(mentions)
        resolver.thing_last = _thing_after_actor(doc, sent.start, sent.end, mentions, resolver)
        return mentions, places

    def _resolve(
        self, doc: Doc, i: int, resolver: Resolver, agents: Found, mentions: list[Mention]
    ) -> Mention | None:
        lower = _words(doc)[1][i]
        if lower not in PRONOUNS:
            return None
        earlier = _Earlier(resolver.history, mentions, doc)
        if lower in PERSON_PRONOUNS:
            # A pronoun most often takes up the subject: the sentence's first person.
            here = [
                m for m in mentions if m.end <= i and m.actor.kind == "person" and not m.pronoun
            ]
            actor = min(here, key=lambda m: m.start).actor if here else None
            actor = actor or _last(earlier, i, lambda m: m.actor.kind == "person")
            return Mention(i, i + 1, actor, pronoun=True) if actor else None
        if lower in FIRST_PERSON:
            # "We condemn ...", in a quotation: the speaker named before it.
            opening = next((k for k in range(i - 1, -1, -1) if doc[k].text in QUOTES), None)
            if opening is not None:
                actor = _quoted_speaker(doc, i, mentions, earlier) or _last(
                    earlier, opening, lambda m: m.actor.kind is not None
                )
            else:  # outside quotation: the body that issues the text, first named in it
                actor = next(
                    (
                        m.actor
                        for m in earlier.before(i)
                        if m.actor.kind not in {"person", None} and not m.pronoun
                    ),
                    None,
                )
            return Mention(i, i + 1, actor, pronoun=True) if actor else None
        if lower in POSSESSIVE_PRONOUNS:
            owned = self._possessed_agent(doc, i, earlier, agents)
            if owned:
                return owned
        if lower in THING_PRONOUNS:
            if (
                lower == "it"
                and i + 1 < len(doc)
                and doc[i + 1].lower_ in {"is", "was", "'s", "’s"}
                and not _disposed(doc, i + 2)
            ):
                return None  # "it is natural that": no antecedent ("it is ready to": one)
            if _thing_after_actor(doc, doc[i].sent.start, i, mentions, resolver):
                return None  # "according to the report. It said ...": the report
            actor = _last(earlier, i, _it_could_mean)
            return Mention(i, i + 1, actor, pronoun=True) if actor else None
        if lower in GROUP_PRONOUNS:
            # "the militia ... their attacks": a group is "they" as its members are
            actor = _last(earlier, i, lambda m: m.plural or m.actor.kind in COLLECTIVE_KINDS)
            return Mention(i, i + 1, actor, pronoun=True, plural=True) if actor else None
        return None

    def _titled_antecedent(
        self, doc: Doc, i: int, resolver: Resolver, mentions: list[Mention]
    ) -> Mention | None:
        """ "the president", "the general": the last person introduced with that title."""
        earlier = _Earlier(resolver.history, mentions, doc)
        for width in (2, 1):
            words = doc[i + 1 : i + 1 + width].text.lower()
            if words in TITLES and words not in {"leader", "chief"}:
                wanted = {words.rstrip("."), _expand(words)}

                # "the secretary" takes up "Defense Secretary X", "the colonel" "Army Col. X".
                def titled(m: Mention, w: set[str] = wanted) -> bool:
                    return m.title is not None and _has_title(m.title, w)

                actor = _last(earlier, i, titled)
                if actor:
                    return Mention(i, i + 1 + width, actor)
        return None

    def _people_home(
        self, doc: Doc, start: int, mentions: list[Mention], demonyms: Demonyms
    ) -> tuple[int, str, Mention | None] | None:
        """Where a state named right before a people's name opens, its code, and its
        mention if it has one ("Kosovo Albanians", "Bosnian Serbs"); None when none is."""
        for mention in mentions:
            if mention.end == start and mention.actor.kind == "state" and mention.actor.code:
                return mention.start, mention.actor.code, mention
        for (first, last), iri in demonyms.items():
            code = self.vocab.actors[iri].actor.code
            if last == start and code:
                return first, code, None
        return None

    def _bare_agent(
        self, doc: Doc, span: tuple[int, int, str], resolver: Resolver, mentions: list[Mention]
    ) -> Mention | None:
        """ "the militia", "various militias": the last actor of that sector, else the
        agents of the country the story is about."""
        start, end, form = span
        if _names_follow(doc, end, len(doc)):
            return None  # "Secretary of State Antony Blinken": a title
        agent = self.agent_nouns[form]
        earlier = _Earlier(resolver.history, mentions, doc)
        plural = form.endswith("s")
        following = doc[end] if end < len(doc) else None
        if (
            form in ADJECTIVAL
            and following is not None
            and following.is_lower
            and following.is_alpha
        ):
            return None  # "military aid", "security situation"
        if _indefinite(doc, start):
            return None  # "a (new) commander": someone new, not anyone named before
        if _possessed(doc, start) and form not in name_words().relational_agents:
            return None  # "its troops (from Y)": whose, the pronoun says
        group = _group_name(doc, start, end, mentions)
        if group is not None:
            # "Shia Turkomen", "Sunni Arabs": a people named by faith and name, of the
            # country the story is about.
            name = doc[start:group].text
            code = resolver.focus.most_common(1)[0][0] if resolver.focus else None
            people = Actor(f"{ID}actor/{slug(name)}", name, (), code, agent.sector, "other")
            return Mention(start, group, people, plural=True)
        pair = _pair_before(doc, start, earlier)
        if pair is not None:
            # "Both men", "the two leaders": the pair of people just named; the first of
            # them stands for both.
            return Mention(start - (1 if doc[start - 1].lower_ == "both" else 2), end, pair)
        if (
            start >= 1
            and doc[start - 1].lower_ in name_words().international
            and not any(m.end == start - 1 for m in mentions)
        ):
            # "the international group": the international body named last, or no country.
            actor = _last(
                earlier,
                start,
                lambda m: m.actor.kind == "international-organisation",
                window=SALIENCE_WINDOW,
            )
            if actor is None:
                noun = doc[start - 1 : end].text.lower()
                actor = Actor(f"{ID}actor/{slug(noun)}", noun, (), None, agent.sector, "other")
            return Mention(start - 1, end, actor, plural=plural)
        owner = _owner_after(doc, end, mentions)
        if owner is not None and owner.actor.kind != "state":
            return Mention(start, end, owner.actor, plural=plural)  # "fighters of Hezbollah"
        if owner is not None:
            # "the militaries of the United States", "troops from Chad": that state's.
            linked = self.organ(owner.actor.code or "", agent, doc[start:end].text)
            if linked.kind == "other":  # composed: the text's words are one of its names
                phrase = doc[start : owner.end].text
                linked = replace(linked, aliases=tuple(sorted({*linked.aliases, phrase})))
            return Mention(start, end, linked, plural=plural)
        partner = _list_partner(doc, start, mentions)
        # "Iraqi officials and groups", "the Iraqi government, political leaders and
        # security officials": the country carries over a list.
        if partner is not None and partner.actor.code and partner.actor.kind != "person":
            return Mention(
                start,
                end,
                self.organ(partner.actor.code, agent, doc[start:end].text),
                plural=plural,
            )
        actor = _last(
            earlier,
            start,
            lambda m: (
                same_family(m.actor.sector, agent.sector)
                and m.actor.kind not in {"state", "person"}
                # a faith names one community: "Sunnis" are not the Shia named before
                and (agent.sector != "REL" or agent.label in m.actor.label.lower())
                # the police are no army: a police noun takes up only a police force
                and (agent.sector != "COP" or m.actor.sector == "COP")
            ),
            window=SALIENCE_WINDOW,
        )
        if actor is None and resolver.focus:
            code = resolver.focus.most_common(1)[0][0]
            actor = self.organ(code, agent, doc[start:end].text)
        if actor is None:
            # "The militants": named only by what they are; kept, with no country.
            noun = doc[start:end].text.lower()
            actor = Actor(f"{ID}actor/{slug(noun)}", noun, (), None, agent.sector, "other")
        return Mention(start, end, actor, plural=plural)

    def _backed_agents(
        self,
        doc: Doc,
        a_start: int,
        a_end: int,
        form: str,
        named: Found,
        demonyms: Demonyms,
        resolver: Resolver,
    ) -> Mention | None:
        """ "Iran-backed militants", "Iranian-aligned factions": a gazetteer actor backed by
        that state if there is one, else the backer's proxies as a composed actor."""
        k = a_start - 1
        while k > 0 and doc[k].lower_ in name_words().agent_modifiers:
            k -= 1
        if k < 2 or doc[k].lower_ not in BACKING or doc[k - 1].text != "-":
            return None
        backer_end = k - 1
        backer = next((self.vocab.actors[iri] for s, e, iri in named if e == backer_end), None)
        if backer is None:
            iri = next((iri for (s, e), iri in demonyms.items() if e == backer_end), None)
            backer = self.vocab.actors.get(iri) if iri else None
        if backer is None or backer.actor.kind != "state":
            return None
        start = next(
            s
            for s, e, _ in named + [(s, e, i) for (s, e), i in demonyms.items()]
            if e == backer_end
        )
        proxies = [
            entry
            for entry in self.proxies.get(backer.actor.iri, ())
            if doc[k].lower_ in entry.actor.label.lower()
        ]
        if proxies:
            actor = proxies[0].actor
        else:
            label = f"{backer.actor.label}-{doc[k].lower_} {doc[a_start:a_end].text.lower()}"
            code = resolver.focus.most_common(1)[0][0] if resolver.focus else backer.actor.code
            actor = Actor(
                f"{ID}actor/{slug(label)}",
                label,
                (doc[start:a_end].text,),
                code,
                self.agent_nouns[form].sector,
                "armed-group",
            )
        return Mention(start, a_end, actor, plural=form.endswith("s"))

    def _possessed_agent(
        self, doc: Doc, i: int, earlier: _Earlier, agents: Found
    ) -> Mention | None:
        """ "its allies", "their forces": the owner's agents of that kind."""
        for a_start, a_end, form in agents:
            following = doc[a_end] if a_end < len(doc) else None
            if form in ADJECTIVAL and following is not None and following.is_lower:
                continue  # "its military operations"
            between = range(i + 1, a_start)
            # "their own forces", not "their fight with Islamic State": modifiers between
            preps = grammar().target_preps
            if i < a_start <= i + 3 and all(
                doc[k].is_alpha and doc[k].lower_ not in preps for k in between
            ):
                plural = doc[i].lower_ == "their"
                owner = _last(
                    earlier,
                    i,
                    (lambda m: m.plural) if plural else _it_could_mean,
                )
                if owner is None or not owner.code:
                    return None
                agent = self.agent_nouns[form]
                surface = f"{owner.label} {doc[a_start:a_end].text}"
                return Mention(
                    i, a_end, self.organ(owner.code, agent, surface), plural=form.endswith("s")
                )
        return None

    def _coordinated(
        self, doc: Doc, start: int, demonyms: Demonyms, floor: int, free: Free
    ) -> Found:
        """Demonyms coordinated before the one at `start` ("Hungarian, Polish and
        Romanian"): (start, end, country code) of each, nearest first."""
        out = []
        texts, lowers = _words(doc)
        while start - 2 >= floor and lowers[start - 1] in {"and", "or", ","}:
            previous = next(
                ((s, e, iri) for (s, e), iri in demonyms.items() if e == start - 1), None
            )
            if previous is None or not free(previous[0], previous[1]):
                break
            code = self.vocab.actors[previous[2]].actor.code
            if not code or self.vocab.actors[previous[2]].actor.kind != "state":
                break
            out.append((previous[0], previous[1], code))
            start = previous[0]
            if start - 1 >= floor and lowers[start - 1] == ",":
                continue
        return out

    def _titled_people(
        self, doc: Doc, sent: Span, free: Free, mentions: list[Mention], focus: str | None
    ) -> list[Mention]:
        """ "Treasury Secretary Jane Roe", "Iraqi Foreign Minister John Doe": a person the
        gazetteer lacks, of the country of the body or demonym before the title, else of
        the country the story is about (`focus`)."""
        out = []
        texts, lowers = _words(doc)
        i = sent.start
        while i < sent.end:
            if lowers[i] in TITLES and texts[i][:1].isupper() and free(i, i + 1):
                j = i + 1
                while (
                    j < sent.end
                    and CAPITALISED.match(texts[j])
                    and free(j, j + 1)
                    and lowers[j] not in TITLES
                ):
                    j += 1
                if j - (i + 1) >= 2:
                    name = doc[i + 1 : j].text
                    code = (
                        self._demonym_code(doc, i - 1)
                        or _owner_code(doc, i, mentions)
                        or _appositive_owner_code(doc, j, sent.end, mentions)
                        or focus
                    )
                    actor = Actor(f"{ID}actor/{slug(name)}", name, (), code, None, "person")
                    chain = _title_before(doc, i, sent.start)  # "Defense Secretary Dr."
                    opening = (
                        i - len(chain.split()) if chain and free(i - len(chain.split()), i) else i
                    )
                    title = doc[opening : i + 1].text
                    out.append(Mention(opening, j, actor, title=title, named=True))
                    i = j
                    continue
            i += 1
        return out

    def _new_organisations(self, doc: Doc, sent: Span, free: Free) -> list[Mention]:
        out = []
        texts, lowers = _words(doc)
        i = sent.start
        while i < sent.end:
            # isupper() first: the cheap half of CAPITALISED, false for most tokens
            capitalised = texts[i][:1].isupper() and CAPITALISED.match(texts[i])
            if capitalised and free(i, i + 1) and i > sent.start:
                j = i
                while (
                    j < sent.end
                    and (CAPITALISED.match(texts[j]) or lowers[j] in {"of", "al", "-"})
                    and free(j, j + 1)
                ):
                    j += 1
                while j > i and lowers[j - 1] in {"of", "al", "-"}:
                    j -= 1
                if j - i >= 2 and lowers[j - 1] in ORG_HEADS:
                    name = doc[i:j].text
                    code = self._demonym_code(doc, i - 1)
                    kind = (
                        "armed-group"
                        if lowers[j - 1]
                        in {"brigade", "brigades", "battalion", "battalions", "militia", "front"}
                        else "other"
                    )
                    actor = Actor(f"{ID}actor/{slug(name)}", name, (), code, None, kind)
                    out.append(Mention(i, j, actor))
                    i = j
                    continue
            i += 1
        return out

    def _demonym_code(self, doc: Doc, index: int) -> str | None:
        """The country of a demonym just before a title: "Iraqi Foreign Minister X"."""
        texts, lowers = _words(doc)
        for k in range(index, max(index - 3, -1), -1):
            if lowers[k] in self.demonym_codes:
                return self.demonym_codes[lowers[k]]
            if not texts[k][:1].isupper():
                return None
        return None


# How far back a generic noun ("the group") looks for the actor it takes up, in mentions.
SALIENCE_WINDOW = 10
# Sectors a generic noun may take up from a named actor: "militants" after the PKK.
SECTOR_FAMILIES = [{"REB", "UAF", "PRM", "IMG", "INS"}, {"GOV", "LEG", "JUD"}, {"MIL", "COP"}]


DEFINITE = {"the", "this", "that"}


def _head_antecedent(doc: Doc, i: int, earlier: _Earlier) -> Mention | None:
    """ "the group", "this council", "the coalition": the body named last whose name ends
    in that noun ("the Ukraine Contact Group", "the Security Council")."""
    noun = doc[i + 1]
    if not (noun.is_lower and noun.is_alpha) or noun.lower_ not in ORG_HEADS:
        return None
    wanted = noun.lower_.removesuffix("s")

    def headed(mention: Mention) -> bool:
        # by its name's last word, or the head before "of" ("Department of the Treasury"),
        # or as the text named it ("the Treasury Department")
        label = mention.actor.label.lower().split()
        heads = {label[-1]} | {
            w for w, after in zip(label, label[1:], strict=False) if after == "of"
        }
        if mention.doc is not None:
            heads.add(mention.doc[mention.end - 1].lower_)
        return any(h.removesuffix("s") == wanted for h in heads)

    actor = _last(
        earlier,
        i,
        lambda m: not m.pronoun and m.actor.kind not in {"state", "person"} and headed(m),
        window=SALIENCE_WINDOW,
    )
    return Mention(i, i + 2, actor, plural=noun.lower_.endswith("s")) if actor else None


LIST_MARKS = frozenset({",", "and", "or"})


def _list_partner(doc: Doc, start: int, mentions: list[Mention]) -> Mention | None:
    """The actor named first in the list a generic noun at `start` closes ("Iraqi officials
    and groups", "the Iraqi government, political leaders and security officials"): across
    list marks and up to two items of lower-case words, each closed by a list mark."""
    ends = {m.end: m for m in mentions}
    k, items = start - 1, 0
    while k >= 0 and doc[k].lower_ in LIST_MARKS:
        while k >= 0 and doc[k].lower_ in LIST_MARKS:
            k -= 1
        if k + 1 in ends:
            return ends[k + 1]
        while k >= 0 and doc[k].is_lower and doc[k].is_alpha and k + 1 not in ends:
            k -= 1  # an item with no actor: "political leaders"
        items += 1
        if items > 2:
            return None
    return None


def _group_name(doc: Doc, start: int, end: int, mentions: list[Mention]) -> int | None:
    """Where a capitalised agent noun with one capitalised word after it ends as a people's
    name ("Shia Turkomen", "Sunni Arabs"); None if the word is taken or a name goes on."""
    if end + 1 > len(doc) or end - start != 1 or not doc[start].text[:1].isupper():
        return None
    word = doc[end] if end < len(doc) else None
    if word is None or not (word.is_alpha and word.text[:1].isupper()):
        return None
    if any(m.start <= end < m.end for m in mentions) or word.lower_ in TITLES:
        return None
    return end + 1


def _pair_before(doc: Doc, start: int, earlier: _Earlier) -> Actor | None:
    """After "both" or "the two": the first of the last two people named, if two were."""
    lowers = _words(doc)[1]
    both = start >= 1 and lowers[start - 1] == "both"
    two = start >= 2 and lowers[start - 2] == "the" and lowers[start - 1] == "two"
    if not (both or two):
        return None
    people: list[Actor] = []
    for mention in reversed(earlier.before(start)[-SALIENCE_WINDOW:]):
        if mention.actor.kind == "person" and all(p.iri != mention.actor.iri for p in people):
            people.append(mention.actor)
        if len(people) == 2:
            return people[1]
    return None


def _possessed(doc: Doc, start: int) -> bool:
    """Whether "its" opens the noun phrase ending at `start` ("its troops", "its own elite
    forces"): one owner, the pronoun's. ("their" may stand for actors joined by "and",
    whose agents the coder reads from the subject.)"""
    k = start - 1
    while k >= max(0, start - 3) and doc[k].is_alpha and doc[k].is_lower:
        if doc[k].lower_ == "its":
            return True
        k -= 1
    return False


def _indefinite(doc: Doc, start: int) -> bool:
    """Whether the noun phrase ending at `start` opens with "a", "an" or "one" ("a
    sustainable long-term settlement"): its lower-case modifiers are skipped."""
    for k in range(start - 1, max(start - 6, -1), -1):
        word = doc[k].lower_
        if word in {"a", "an", "one"}:
            return True
        if not (doc[k].is_lower and (doc[k].is_alpha or "-" in word)) or doc[k].is_stop:
            return False
    return False


def _people_noun(demonym: str) -> bool:
    """A demonym that names the people, not their country's things: a plural ("the
    Iraqis", "the Turks", "the Poles"; not "Swiss") or one in -ese ("the Chinese")."""
    return demonym.endswith("ese") or (demonym.endswith("s") and not demonym.endswith("ss"))


def _modifier_word(word: str) -> bool:
    """A lower-case word that may stand between a name and its agent noun ("UN
    peacekeeping force"), not a conjunction or preposition ("officials and groups")."""
    return word.isalpha() and word.islower() and word not in CONNECTIVES


def _plural_noun(word: str) -> bool:
    """A common noun's plural: by its ending ("troops", "forces", "militias" are; "press",
    "status", "us" are not), or one of those that have none ("aircraft", "police")."""
    if word in name_words().invariant_plurals:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _with_plurals(demonyms: tuple[str, ...]) -> set[str]:
    """Demonyms and their plurals as nouns for the people ("Albanians", "Iraqis"); those in
    -ese or -ish are their own plural or have none ("the Chinese", "the British")."""
    forms = set(demonyms)
    forms.update(d + "s" for d in demonyms if d.endswith(("an", "i")) and " " not in d)
    return forms


def same_family(named: str | None, generic: str) -> bool:
    if named == generic:
        return True
    return any(named in family and generic in family for family in SECTOR_FAMILIES)


def _expand(word: str) -> str:
    word = word.lower().rstrip(".")
    return {
        "gen": "general",
        "col": "colonel",
        "adm": "admiral",
        "sen": "senator",
        "lt": "lieutenant",
        "maj": "major",
        "brig": "brigadier",
    }.get(word, word)


@dataclass
class _Earlier:
    """Mentions before a point: earlier sentences' and this sentence's up to the point."""

    history: list[Mention]
    current: list[Mention]
    doc: Doc | None = None  # the paragraph `before` counts in

    def before(self, index: int) -> list[Mention]:
        """Earlier sentences' mentions, less those of this paragraph at or after `index`
        (a quotation opened sentences ago: what it names is no speaker before it)."""
        here = sorted((m for m in self.current if m.end <= index), key=lambda m: m.start)
        done = [m for m in self.history if m.doc is not self.doc or m.end <= index]
        return done + here


def _disposed(doc: Doc, i: int) -> bool:
    """ "(it is) ready/prepared/willing to ...": a word of the subject's own disposition."""
    if i < len(doc) and doc[i].lower_ in {"not", "now", "also", "still", "fully"}:
        i += 1
    return i < len(doc) and doc[i].lower_ in grammar().intent_verbs


def _quoted_speaker(doc: Doc, i: int, mentions: list[Mention], earlier: _Earlier) -> Actor | None:
    """ "'... notified us ...,' Esper said": the speaker a quotation is attributed to after
    it closes, in the same sentence: the name before the verb of saying ("Esper said"), a
    person's pronoun there ("she told reporters": the person last named), or a person's
    name after it ("said Esper"; "told reporters" names the hearers)."""
    end = doc[i].sent.end
    closing = next((k for k in range(i + 1, end) if doc[k].text in QUOTES), None)
    if closing is None:
        return None
    speech = speech_forms()
    lowers = _words(doc)[1]
    named = [m for m in mentions if m.start > closing and not m.pronoun and m.actor.kind]
    for k in range(closing + 1, end):
        if lowers[k] not in speech:
            continue
        before = [m for m in named if k - 3 <= m.end <= k]
        if before:
            return before[-1].actor
        if lowers[k - 1] in PERSON_PRONOUNS:
            return _last(earlier, i, lambda m: m.actor.kind == "person")
        after = [m for m in named if k < m.start <= k + 3 and m.actor.kind == "person"]
        if after:
            return after[0].actor
    return None


def _it_could_mean(mention: Mention) -> bool:
    """Whether "it"/"its" may take up the mention: a body, not a person or a plural."""
    return mention.actor.kind not in {"person", None} and not mention.plural


def _thing_after_actor(
    doc: Doc, start: int, end: int, mentions: list[Mention], resolver: Resolver
) -> bool:
    """Whether, up to `end`, a document noun ("the report") came after the last actor that
    "it" could take up; with neither in doc[start:end], what earlier sentences left."""
    things = name_words().document_nouns
    thing = max((k for k in range(start, end) if doc[k].lower_ in things), default=None)
    actor = max(
        (m.end for m in mentions if start <= m.start and m.end <= end and _it_could_mean(m)),
        default=None,
    )
    if thing is None and actor is None:
        return resolver.thing_last
    return thing is not None and (actor is None or thing >= actor)


def _last(
    earlier: _Earlier,
    before: int,
    predicate: Callable[[Mention], bool],
    window: int | None = None,
) -> Actor | None:
    """The most recent actor that fits, within the last `window` mentions if given."""
    mentions = earlier.before(before)
    if window is not None:
        mentions = mentions[-window:]
    for mention in reversed(mentions):
        if not mention.pronoun and predicate(mention):
            return mention.actor
    for mention in reversed(mentions):
        if predicate(mention):
            return mention.actor
    return None


def _is_default_organ(entry: ActorEntry, agent: AgentNoun) -> bool:
    """Among several organs of a sector, the one a bare generic mention means."""
    kinds = {
        "GOV": {"government-body"},
        "MIL": {"armed-force"},
        "LEG": {"legislature"},
    }.get(agent.sector, set())
    label = entry.actor.label.lower()
    generic = (
        "government",
        "armed forces",
        "security forces",
        "parliament",
        "congress",
        "military",
    )
    return entry.actor.kind in kinds and any(word in label for word in generic)


def _longest(matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep the longest of overlapping matches, first come first served."""
    chosen: list[tuple[int, int, str]] = []
    used: set[int] = set()
    for start, end, key in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0], m[2])):
        if not used.isdisjoint(range(start, end)):
            continue
        chosen.append((start, end, key))
        used.update(range(start, end))
    return sorted(chosen)


def _is_pro_modifier(doc: Doc, start: int) -> bool:
    """ "pro-Iran", "anti-American": a stance, not an actor."""
    texts, lowers = _words(doc)
    return start >= 2 and texts[start - 1] == "-" and lowers[start - 2] in {"pro", "anti"}


def _qualified(doc: Doc, start: int, end: int) -> bool:
    """ "the opposition coalition", "the ruling coalition": a common noun the gazetteer
    lists for one body ("the coalition"), qualified by a word its names do not have, is
    another body."""
    if start == 0 or doc[start].is_stop or any(not t.is_lower for t in doc[start:end]):
        return False  # "the coalition": a name of its own
    before = doc[start - 1]
    return before.is_alpha and before.is_lower and not before.is_stop


def _owner_code(doc: Doc, title: int, mentions: list[Mention]) -> str | None:
    """The country of an actor named just before a title, a few title words apart
    ("Treasury Secretary", "Iraq's Foreign Minister", "Pentagon Press Secretary")."""
    lowers = _words(doc)[1]
    for mention in mentions:
        gap = range(mention.end, title)
        if (
            mention.actor.code
            and not mention.pronoun
            and mention.end <= title
            and len(gap) <= 4
            # "Central Command commander Lt. Gen.": title words may stand between
            and all(
                lowers[k] in {"'s", "’s"} or lowers[k] in TITLES or doc[k].text[:1].isupper()
                for k in gap
            )
        ):
            return mention.actor.code
    return None


def _appositive_owner_code(doc: Doc, end: int, limit: int, mentions: list[Mention]) -> str | None:
    """The country of the body a title after a name says the person serves: "John Roe,
    commander of U.S. Central Command", "Jane Roe, the head of the Iraqi army"."""
    lowers = _words(doc)[1]
    if end >= limit or lowers[end] != ",":
        return None
    starts = {m.start: m for m in mentions if m.actor.code and not m.pronoun}
    for k in range(end + 1, min(end + 6, limit - 1)):
        if lowers[k] in {"of", "for", "at"}:
            owner = starts.get(k + 1) or (starts.get(k + 2) if lowers[k + 1] == "the" else None)
            return owner.actor.code if owner else None
        if not (lowers[k] in TITLES or lowers[k] in {"the", "a", "top", "deputy", "chief", "head"}):
            return None
    return None


def _owner_after(doc: Doc, end: int, mentions: list[Mention]) -> Mention | None:
    """The actor whose agents an "of"/"from" phrase right after an agent noun names
    ("militaries of the United States", "terrorists from the Islamic State")."""
    if end >= len(doc) or doc[end].lower_ not in name_words().owner_preps:
        return None
    for mention in mentions:
        if (
            mention.start in (end + 1, end + 2)
            and not mention.pronoun
            and mention.actor.kind is not None
            and (mention.actor.kind != "state" or mention.actor.code)
            and (mention.start == end + 1 or doc[end + 1].lower_ == "the")
        ):
            return mention
    return None


def _organisation_before(doc: Doc, start: int, end: int, floor: int, named: Found) -> int | None:
    """Where a body's name opens when a gazetteer match is one organisation word
    ("Coalition") ending a run of capitalised words no other name covers ("Save Darfur
    Coalition"); the sentence's first word is left out (every sentence opens capitalised)."""
    texts, lowers = _words(doc)
    if end - start != 1 or lowers[start] not in ORG_HEADS or not texts[start][:1].isupper():
        return None
    covered = {k for s, e, _iri in named for k in range(s, e)}
    k = start
    while k - 1 > floor and CAPITALISED.match(texts[k - 1]) and texts[k - 1].isalpha():
        if k - 1 in covered:
            return None
        k -= 1
    return k if k < start else None


def _organisation_after(doc: Doc, end: int, limit: int, named: Found) -> int | None:
    """Where a name that goes on past a state's name ends, when it is an organisation's
    (two or more capitalised words, the last an organisation word, no other actor named
    in them): "Ukraine Defense Contact Group", "Iraq Study Group"."""
    texts, lowers = _words(doc)
    j = end
    while j < limit and (CAPITALISED.match(texts[j]) or lowers[j] in {"of", "al", "-"}):
        j += 1
    while j > end and lowers[j - 1] in {"of", "al", "-"}:
        j -= 1
    if j - end < 2 or lowers[j - 1] not in ORG_HEADS or _possessive_after(doc, end):
        return None
    if any(end <= s < j for s, _e, _iri in named):
        return None
    return j


def _possessive_after(doc: Doc, end: int) -> bool:
    return end < len(doc) and _words(doc)[1][end] in {"'s", "’s"}


def _names_follow(doc: Doc, end: int, limit: int) -> bool:
    return end + 1 < limit and all(
        CAPITALISED.match(doc[k].text) and doc[k].is_alpha for k in (end, end + 1)
    )


def _has_title(titles: str, wanted: set[str]) -> bool:
    """Whether a person's titles hold one of `wanted`: "the secretary" takes up "Defense
    Secretary Dr. Jane Roe", "the colonel" "Army Col. John Doe"."""
    written = titles.lower()
    words = written.split()
    return any(_expand(w) in wanted for w in (written, *words)) or any(
        " " in w and w in written for w in wanted
    )


def _title_within(doc: Doc, start: int, end: int) -> str | None:
    """A title that a gazetteer alias itself starts with ("President Trump")."""
    lowers = _words(doc)[1]
    for width in (3, 2, 1):
        if start + width < end and lowers[start + width - 1] in _title_last_words():
            words = doc[start : start + width].text
            if words.lower() in TITLES:
                return words
    return None


def _title_before(doc: Doc, start: int, floor: int) -> str | None:
    """The titles just before a name, however many ("Defense Secretary Dr. Jane Roe")."""
    begin = start
    while (width := _one_title_before(doc, begin, floor)) is not None:
        begin -= width
    return doc[begin:start].text if begin < start else None


def _one_title_before(doc: Doc, start: int, floor: int) -> int | None:
    lowers = _words(doc)[1]
    if start - 1 < floor or lowers[start - 1] not in _title_last_words():
        return None
    for width in (3, 2, 1):
        if start - width >= floor:
            words = doc[start - width : start].text
            if words.lower() in TITLES and words[:1].isupper():
                return width
    return None


def _country_before(
    doc: Doc, agent_start: int, named: Found, demonyms: Demonyms, vocab: Vocabulary, floor: int
) -> tuple[int, str, Actor | None] | None:
    """The country word before an agent noun, skipping a few adjectives: (start, code, actor)."""
    limit = max(floor, agent_start - 3)
    i = agent_start
    while i > limit:
        i -= 1
        token = doc[i]
        if token.lower_ in {"'s", "’s"}:
            continue
        for start, end, iri in named:
            if end == i + 1:
                actor = vocab.actors[iri].actor
                if actor.code:
                    return start, actor.code, actor
        for (start, end), iri in demonyms.items():
            code = vocab.actors[iri].actor.code
            if end == i + 1 and code:  # a demonym's country has a code
                return start, code, None
        if token.lower_ not in name_words().agent_modifiers:
            return None  # "its allies" is resolved with the pronouns; a verb ends the phrase
    return None


@lru_cache(maxsize=1)
def linker() -> ActorLinker:
    return ActorLinker(vocabulary())
