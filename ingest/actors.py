"""Finding actors in a sentence and linking each mention to a canonical actor.

Mentions come in five shapes, tried in this order:

1. a gazetteer name or alias ("Kataib Hezbollah", "CENTCOM", "Iraq's parliament");
2. a country (name or demonym, or a possessive pronoun) before a generic agent noun
   ("U.S. officials", "Iraqi forces", "its allies"): linked to the country's organ of that
   sector when the gazetteer has one, else to a composed actor ("Iranian operatives");
3. a demonym used as a noun ("the Iranians") or a title with a name ("Gen. Ali Smith");
4. capitalised names ending in an organisation word ("Popular Front"), kept as new actors;
5. pronouns and definite descriptions ("he", "its", "the president", "the militia"),
   resolved against the actors mentioned before (`ingest.antecedents`).

What a mention is lies in `ingest.mentions`; the readers of the words around one (titles,
owners, names that run on) in `ingest.mention_context`; the gazetteer's name matcher in
`ingest.name_matcher`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ingest import antecedents
from ingest.mention_context import (
    CAPITALISED,
    ORG_HEADS,
    TITLES,
    appositive_owner_code,
    country_before,
    is_default_organ,
    is_pro_modifier,
    longest,
    modifier_word,
    names_follow,
    organisation_after,
    organisation_before,
    owner_code,
    people_noun,
    plural_noun,
    possessive_after,
    qualified,
    title_before,
    title_within,
    with_plurals,
)
from ingest.mentions import Demonyms, Found, Free, Mention, Resolver, slug
from ingest.model import Actor
from ingest.name_matcher import NameMatcher
from ingest.people import name_words, with_initials
from ingest.text import Match, matches_in, nlp
from ingest.text import words as _words
from ingest.vocab import (
    ActorEntry,
    AgentNoun,
    Vocabulary,
    actor_names,
    is_exact_name,
    vocabulary,
)
from ontology.namespaces import ID

# How English demonyms end ("Iraqi", "Turkish", "Syrian", "Chinese"): a listed variant that
# does not is a misspelling ("Turkei").
DEMONYM_ENDINGS = ("an", "ish", "ese", "i", "ic", "ch", "ot", "er")
COUNTRY_NOUNS = {"country", "nation"}
LOCATIVE = {"in", "inside", "within", "across", "throughout", "around"}
BACKING = name_words().backing_participles


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
            for demonym in with_plurals(entry.demonyms):
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
            not candidates[0].generated or is_default_organ(candidates[0], agent)
        ):
            # A generated organ must be the sector's usual one ("Sudanese officials" are
            # not a party the dictionaries happen to file under GOV).
            return candidates[0].actor
        preferred = [c for c in candidates if is_default_organ(c, agent)]
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
            mention.plural |= not mention.pronoun and last.islower() and plural_noun(last)
            mentions.append(mention)
            taken.update(range(mention.start, mention.end))

        def within(matcher: Callable[[Doc], list[Match]]) -> list[tuple[int, int, str]]:
            return [(s, e, doc.vocab.strings[m]) for m, s, e in matches_in(sent, matcher)]

        named = longest(within(self.names) + within(self.exact))
        # A capitalised demonym names a country only when written so ("Polish", not "polish").
        demonyms = {
            (s, e): iri
            for s, e, iri in within(self.demonyms)
            if texts[s][:1].isupper() or not self.demonym_cased.get(lowers[s], False)
        }
        agents = longest(within(self.agents))
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
            head = country_before(doc, a_start, named, demonyms, self.vocab, sent.start)
            if head is None:
                continue
            h_start, code, actor_before = head
            if names_follow(doc, a_end, sent.end):
                continue  # "Iraqi Foreign Minister Fuad Hussein": a title, not a group
            if not free(h_start, a_end) or is_pro_modifier(doc, h_start):
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
            if not free(start, end) or is_pro_modifier(doc, start) or qualified(doc, start, end):
                continue
            entry = self.vocab.actors[iri]
            opening = organisation_before(doc, start, end, sent.start, named)
            if opening is not None and free(opening, end):
                # "the Save Darfur Coalition": a generic word ending a body's own name.
                name = doc[opening:end].text
                home_code = self._demonym_code(doc, opening - 1)
                actor = Actor(f"{ID}actor/{slug(name)}", name, (), home_code, None, "other")
                add(Mention(opening, end, actor, named=True))
                continue
            run = organisation_after(doc, end, sent.end, named)
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
                and not possessive_after(doc, end)
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
            title = title_before(doc, start, sent.start)
            if title:
                start -= len(title.split())
            else:
                title = title_within(doc, start, end)
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
            if people_noun(doc[end - 1].lower_) and not is_pro_modifier(doc, start):
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
            if not free(start, end) or is_pro_modifier(doc, start) or end >= sent.end:
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
            doc, sent, free, lambda i: title_before(doc, i, sent.start) is not None
        ):
            title = title_before(doc, start, sent.start)
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
                titled = antecedents.titled_antecedent(self, doc, i, resolver, mentions)
                if titled:
                    add(titled)
            if lowers[i] in antecedents.DEFINITE and free(i, i + 2):
                headed = antecedents.head_antecedent(
                    doc, i, antecedents.Earlier(resolver.history, mentions, doc)
                )
                if headed:
                    add(headed)
            if lowers[i] == "the" and lowers[i + 1] in COUNTRY_NOUNS and free(i, i + 2):
                # "the country": the state named last, else the one the story is about.
                state = antecedents.last(
                    antecedents.Earlier(resolver.history, mentions, doc),
                    i,
                    lambda m: m.actor.kind == "state",
                    window=antecedents.SALIENCE_WINDOW,
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
                and all(modifier_word(texts[k]) for k in range(m.end, span[0]))
                and m.actor.kind not in {"state", "person", None}
                for m in mentions
                if not m.pronoun
            )
            if free(span[0], span[1]) and not named_before and not is_pro_modifier(doc, span[0]):
                bare = antecedents.bare_agent(self, doc, span, resolver, mentions)
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
            resolved = antecedents.resolve(self, doc, i, resolver, agents, mentions)
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
        resolver.thing_last = antecedents.thing_after_actor(
            doc, sent.start, sent.end, mentions, resolver
        )
        return mentions, places

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
                        or owner_code(doc, i, mentions)
                        or appositive_owner_code(doc, j, sent.end, mentions)
                        or focus
                    )
                    actor = Actor(f"{ID}actor/{slug(name)}", name, (), code, None, "person")
                    chain = title_before(doc, i, sent.start)  # "Defense Secretary Dr."
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


@lru_cache(maxsize=1)
def linker() -> ActorLinker:
    return ActorLinker(vocabulary())
