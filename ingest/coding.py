"""Event coding on a dependency parse: triggers, their source and target, and modality.

A sentence that names an actor and a trigger word is parsed (`ingest.parser`). Then, as
PETRARCH does on constituency trees, each verb is looked up by lemma and its patterns are
matched against the words of its clause (object, particle, prepositional phrases, synset
nouns); event nouns are looked up too ("air strike", "incursion"). Roles come from the
parse:

- source: the subject of an active verb, the "by" agent of a passive one; for a verb with
  no subject of its own, the subject it shares (coordination, "plans to", "X and Y agreed
  to"), the object that controls it ("accused Iran of attacking"), or the noun a relative
  clause or participle hangs on; for an event noun, its possessor or modifier ("Turkey's
  incursion", "U.S. airstrikes"), its "by" phrase, or the subject of a light verb
  ("carried out strikes") (`ingest.doers`);
- target: the indirect or direct object, else the object of one of the sense's
  prepositions; an object that is no actor lends its own possessor or preposition
  ("condemned Turkey's incursion", "provided aid to Iraqis") (`ingest.targets`);
- coordinated actors are parties to one event (its co-sources and co-targets: "X, Y and Z
  delivered aid to W"); symmetric and reciprocal events ("X and Y met", "X and Y
  exchanged fire") go both ways (`ingest.clauses`);
- a quotation's sentences are its speaker's (`ingest.quotes`): "This attack was
  reckless." judges the last violent act's doer;
- modality from negation, modal verbs, conditions and the verb that governs the clause
  (`asserted`, `negated`, `hypothetical`, `intended`, `claimed`, `denied`:
  `ingest.modality`).

What the coder keeps here: the dictionary lookup of triggers, the parse lookups every
reader uses, and the reading of a trigger's roles into events. Senses a verb takes from what
it is said of ("halted its offensive", "told reporters") are `ingest.senses`. The readers in
those modules are functions that take the coder as their first argument, kept apart so that
each module reads in one sitting; they import the coder for types only, as it imports them.

Word classes (light verbs, modal words, verbs of intent, belief and denial) are data in
`dictionaries/grammar.yaml`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ingest import clauses
from ingest import doers as who
from ingest import modality as moods
from ingest import senses as special
from ingest import targets as whom
from ingest.grammar import VIOLENT_ROOTS, Coded, grammar
from ingest.judgements import judgements
from ingest.mentions import Mention
from ingest.triggers import Pattern, PrepItem, Sense, dictionary

__all__ = ["Coded", "SentenceCoder", "Told", "code_parsed"]

# Dependents of a verb that open another clause or are function words: not its complements.
CLAUSE_EDGES = frozenset(
    [
        "nsubj",
        "nsubjpass",
        "csubj",
        "advcl",
        "ccomp",
        "conj",
        "cc",
        "parataxis",
        "punct",
        "relcl",
        "mark",
        "aux",
        "auxpass",
        "neg",
        "appos",
        "discourse",
    ]
)


@dataclass
class Told:
    """What the text told before a sentence that the sentence may take up."""

    # the doer of the last violent act ("This attack was reckless" judges that act)
    struck_before: Mention | None = None
    # whose quotation the sentence lies in (`ingest.quotes`)
    speaker: Mention | None = None
    # who issued or adopted each kind of document ("adopted a resolution ... The resolution
    # demands": the adopter's demand), by the document noun's lemma
    issuers: dict[str, Mention] = field(default_factory=dict)


@dataclass
class Reading:
    """A trigger with what its sense and patterns say, before roles are read."""

    token: Token
    code: str
    sense: Sense
    used: set[int] = field(default_factory=set)  # tokens its pattern consumed
    noun: bool = False


class SentenceCoder:
    """Codes the events of one parsed sentence, given the actor mentions in it."""

    def __init__(
        self,
        doc: Doc,
        mentions: list[Mention],
        wheres: Collection[Mention] = (),
        told: Told | None = None,
    ) -> None:
        self.doc = doc
        self.told = told or Told()  # what the text told before this sentence
        # states named as where the sentence happens ("in Iraq"), by token
        self.where_at = {i: m for m in wheres for i in range(m.start, m.end)}
        self.g = grammar()
        self.d = dictionary()
        self.by_token: dict[int, Mention] = {}
        for mention in mentions:
            for i in range(mention.start, mention.end):
                self.by_token[i] = mention
        self.lemmas = [self._lemma(t) for t in doc]
        self.nouns: dict[int, Reading] = {}  # event nouns by token, once read
        self.consumed: set[int] = set()  # tokens a verb's pattern took in
        self.lowers = [t.lower_ for t in doc]
        self.acting: set[str] = set()  # the source actors of the event being read
        self.acting_codes: set[str] = set()  # and their codes
        self.violent = False  # whether the event being read is violent (roots 18-20)
        # violent nouns a verb's event tells already: halted ("halted its offensive") or
        # the verb's means ("wounded Y in a bomb attack")
        self.absorbed: set[int] = set()
        self.read_tokens: set[int] = set()  # the tokens that are triggers of this sentence
        self.attributions: set[int] = set()  # "..., officials said": verbs that attribute
        self.judging: set[int] = set()  # verbs that name a verdict ("called it a crime")
        self.outcomes: dict[int, int] = {}  # ", killing Y": the participle -> its clause's attack

    # -- dictionary matching ----------------------------------------------------------

    def _lemma(self, token: Token) -> str:
        """spaCy's lemma, or for a verb form it left as is ("retook" read as a present, its
        own lemma) the verb the dictionary lists the form under."""
        lemma = token.lemma_.lower()
        if token.pos_ not in {"VERB", "AUX"} or lemma in self.d.verbs:
            return lemma
        return self.d.irregular.get(token.lower_, lemma)

    def _clause(self, verb: Token) -> list[Token]:
        """The words after a verb that belong to its own clause (its complements)."""
        out: list[Token] = []
        stack = [c for c in verb.children if c.i > verb.i and c.dep_ not in CLAUSE_EDGES]
        while stack:
            token = stack.pop()
            out.append(token)
            stack.extend(c for c in token.children if c.dep_ not in {"relcl", "advcl", "punct"})
        return sorted(out, key=lambda t: t.i)

    def _has(self, item: str, tokens: list[Token], start: int) -> int | None:
        """Where (index in `tokens`) the word, phrase or synset `item` occurs from `start`."""
        if item.startswith("&"):
            members = self.d.synsets.get(item[1:], frozenset())
            for i in range(start, len(tokens)):
                for member in members:
                    if self._phrase_at(member.split(), tokens, i):
                        return i
            return None
        words = item.split()
        for i in range(start, len(tokens)):
            if self._phrase_at(words, tokens, i):
                return i
        return None

    def _phrase_at(self, words: list[str], tokens: list[Token], i: int) -> bool:
        if i + len(words) > len(tokens):
            return False
        for offset, word in enumerate(words):
            token = tokens[i + offset]
            if word not in (self.lowers[token.i], self.lemmas[token.i]):
                return False
        return True

    def _matches(self, pattern: Pattern, verb: Token, clause: list[Token]) -> set[int] | None:
        """The tokens a pattern consumes, or None when the clause lacks one of its items."""
        used: set[int] = set()
        position = 0
        for item in pattern.after:
            if isinstance(item, PrepItem):
                found = self._prep(item, clause, position)
                if found is None:
                    return None
                used |= found
                continue
            at = self._has(item, clause, position)
            if at is None:
                return None
            used.update(t.i for t in clause[at : at + len(item.split())])
            position = at + 1
        if pattern.before:
            before = [t for t in self.doc[: verb.i] if t.i not in used]
            position = 0
            for item in pattern.before:
                if isinstance(item, PrepItem):
                    return None
                at = self._has(item, before, position)
                if at is None:
                    return None
                position = at + 1
        return used

    def _prep(self, item: PrepItem, clause: list[Token], start: int) -> set[int] | None:
        for token in clause[start:]:
            if self.lowers[token.i] != item.prep:
                continue
            inside = sorted(token.subtree, key=lambda t: t.i)[1:]
            position, used = 0, {token.i}
            for word in item.words:
                at = self._has(word, inside, position)
                if at is None:
                    break
                used.add(inside[at].i)
                position = at + 1
            else:
                return used
        return None

    def _read_verb(self, verb: Token) -> Reading | None:
        senses = self.d.verbs.get(self.lemmas[verb.i])
        if not senses or self._only_governs(verb):
            return None
        clause = self._clause(verb)
        present = {self.lowers[t.i] for t in clause} | {self.lemmas[t.i] for t in clause}
        best: tuple[int, str, Sense, set[int]] | None = None
        for sense in senses:
            for pattern in sense.patterns:
                if not pattern.cue_words <= present:
                    continue
                used = self._matches(pattern, verb, clause)
                if used is not None and (best is None or pattern.weight > best[0]):
                    best = (pattern.weight, pattern.code, sense, used)
        particles = [c.i for c in verb.children if c.dep_ == "prt"]
        if (
            particles
            and (best is None or not set(particles) & best[3])
            and self.lemmas[verb.i] not in self.g.light_verbs
        ):
            return None  # "figure out", "call off": a phrasal verb the dictionary lacks
        # evkg's own reading of a verb (triggers.yaml, listed first) outweighs a one-word
        # CAMEO pattern: those are the dictionary's weakest evidence.
        own = next((s for s in senses if s.code and s.curated), None)
        if best is not None and (best[0] > 1 or own is None):
            _weight, code, sense, used = best
            act = next((s.code for s in senses if s.code), None)
            if act and self.g.intent_codes.get(act[:2]) == code:
                # "met with Y for talks": a pattern that codes the verb's own act as
                # intended (036 for a meeting) leaves the intent to the verb's modality
                code = act
            return Reading(verb, code, sense, used)
        for sense in senses:
            if sense.code:
                return Reading(verb, sense.code, sense)
        return None

    def _only_governs(self, verb: Token) -> bool:
        """ "X failed to take Y", "X joined Y in condemning Z": the verb tells how another
        act went or who shared it, and is no event of its own."""
        lemma = self.lemmas[verb.i]
        if lemma in self.g.failure_verbs:
            return any(c.dep_ == "xcomp" for c in verb.children)
        if lemma in self.g.undergoing_verbs:  # "Y suffered attacks by X": the attacks tell it
            return any(c.dep_ == "dobj" and c.i in self.nouns for c in verb.children)
        if lemma in self.g.aiming_verbs:  # "the sanctions are aimed at Y": the sanctions'
            return any(c.dep_ == "nsubjpass" and c.i in self.nouns for c in verb.children)
        return lemma in self.g.company_verbs and any(
            c.dep_ == "prep"
            and self.lowers[c.i] == "in"
            and any(g.dep_ == "pcomp" for g in c.children)
            for c in verb.children
        )

    def _read_noun(self, noun: Token) -> Reading | None:
        if noun.dep_ == "compound" and noun.head.pos_ in {"NOUN", "PROPN"}:
            return None  # "war crimes", "attack helicopters": a kind of thing, no event
        # Listed by the word as written ("clashes", "talks") or by its lemma ("strike").
        keys = dict.fromkeys((self.lemmas[noun.i], self.lowers[noun.i]))
        for sense in (s for key in keys for s in self.d.nouns.get(key, ())):
            words = sense.words
            first = noun.i - len(words) + 1
            if first < 0 or sense.code is None:
                continue
            span = range(first, noun.i + 1)
            if all(
                w in (self.lowers[i], self.lemmas[i])
                for w, i in zip(words[:-1], span, strict=False)
            ):
                return Reading(noun, sense.code, sense, set(span), noun=True)
        return self._read_gerund(noun)

    def _read_gerund(self, noun: Token) -> Reading | None:
        """A verb's "-ing" form used as a noun ("the retaking of Mosul by Iraqi forces",
        "the shelling of Y") reads as the verb, with a noun's roles."""
        word = self.lowers[noun.i]
        if not word.endswith("ing") or len(word) < 6:
            return None
        stem = word[:-3]
        for base in (stem, stem + "e", stem[:-1]):
            for sense in self.d.verbs.get(base, ()):
                if sense.code:
                    return Reading(noun, sense.code, sense, {noun.i}, noun=True)
        return None

    # -- actors and parse lookups every reader uses -----------------------------------

    def actors_at(self, token: Token, depth: int = 0) -> list[Mention]:
        """The actors a noun phrase names: the head's mention and its coordinated ones, else
        its possessor or modifier, else the object of its "of"/"from" phrase."""
        found = who.own(self, token, depth)
        for conj in token.conjuncts:
            if conj.i > token.i:
                for mention in who.own(self, conj, depth):
                    if mention not in found:
                        found.append(mention)
        return found

    def determined(self, noun: Token, words: Collection[str]) -> bool:
        """Whether one of `words` is the noun's determiner ("the resolution", "this attack")."""
        return any(c.dep_ == "det" and self.lowers[c.i] in words for c in noun.children)

    def others(self, found: list[Mention]) -> list[Mention]:
        """Candidates for a target other than the source itself ("closed its border": not a
        target; the search goes on)."""
        return [m for m in found if m.actor.iri not in self.acting]

    def prep_objects(self, head: Token, preps: Collection[str], after: int = -1) -> Iterator[Token]:
        """The objects of `head`'s prepositions among `preps` (those after token `after`)."""
        for prep in head.children:
            if prep.dep_ == "prep" and prep.i > after and self.lowers[prep.i] in preps:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and not self.behest(pobj):
                        yield pobj

    def behest(self, noun: Token) -> bool:
        """ "at Y's request", "on the orders of Y": whose will, not whom it hit."""
        return self.lemmas[noun.i] in self.g.behest_nouns

    def objects(self, verb: Token) -> Iterator[Token]:
        """The verb's direct objects, those coordinated with the first included."""
        for noun in (c for c in verb.children if c.dep_ == "dobj"):
            yield noun
            yield from (c for c in noun.subtree if c.dep_ == "conj" and c.head.i != verb.i)

    def violent_object(self, verb: Token, deps: set[str]) -> tuple[Token, Reading] | None:
        """The verb's first object (of `deps`) that is a violent event noun, with its reading."""
        for noun in (c for c in verb.children if c.dep_ in deps):
            reading = self.nouns.get(noun.i)
            if reading is not None and reading.code[:2] in VIOLENT_ROOTS:
                return noun, reading
        return None

    # -- the sentence -----------------------------------------------------------------

    def readings(self) -> list[Reading]:
        nouns = self.nouns
        for token in self.doc:
            if token.i not in self.by_token and token.pos_ in {"NOUN", "PROPN"}:
                reading = self._read_noun(token)
                if reading is not None:
                    nouns[token.i] = reading
        verbs: list[Reading] = []
        consumed: set[int] = set()
        for token in self.doc:
            if token.i in consumed or token.i in self.by_token:
                continue
            if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "ADJ" and token.tag_ == "VBN"):
                reading = self._read_verb(token)
                if reading is None or special.lends_to_noun(self, reading, nouns):
                    continue
                verbs.append(reading)
                consumed |= reading.used
        read = {v.token.i for v in verbs}
        for token in self.doc:  # "stopped its cooperation with Y": the stop is the event
            if token.i not in read and (found := special.halted_object(self, token)) is not None:
                verbs.append(Reading(token, found[2], found[1].sense))
        self.consumed = consumed
        apart = {
            i
            for v in verbs
            for i in v.used & set(nouns)
            if who.done_by_another(self, self.doc[i], v.token)
            or special.blamed_for(self, self.doc[i], v)
        }
        return verbs + [r for i, r in nouns.items() if i not in consumed or i in apart]

    def code(self) -> list[Coded]:
        readings = self.readings()
        self.read_tokens = {r.token.i for r in readings}
        found: dict[int, list[Coded]] = {}
        # Readings with no one acted upon (`Coded.fallback`) stand aside while the sentence
        # is read: they give way to everything, and stand only in a text with nothing else.
        fallbacks: dict[int, list[Coded]] = {}
        for reading in readings:
            for event in self._read_roles(reading):
                kept = fallbacks if event.fallback else found
                kept.setdefault(reading.token.i, []).append(event)
        yields = clauses.gives_way(self, readings)
        clauses.aim_at_outcomes(self, found, fallbacks, yields)
        for i, others in yields.items():
            if i in self.attributions and not any(found.get(j) for j in others):
                # "X agreed to set up a centre, officials said": the attribution carried
                # the head's reading; with it gone, the reading is the sentence's event
                for j in others:
                    found[j], fallbacks[j] = found.get(j, []) + fallbacks.get(j, []), []
            if any(found.get(j) for j in others if j != i):
                fallbacks[i] = []
                if not clauses.speaks_of_another(self, i, found.get(i, [])):
                    found[i] = []
            elif any(fallbacks.get(j) for j in others if j != i):
                fallbacks[i] = []
        judged: dict[int, list[Coded]] = {}
        for verb, judgement in judgements(self):
            judged.setdefault(verb, []).append(judgement)
        for verb in set(judged) | self.judging:  # a judgement is what the verb reports
            # ("called the raid a crime": no appeal, 020, nor a call, 041)
            found[verb] = fallbacks[verb] = []
        demands = list(clauses.bare_demands(self, found)) + list(clauses.bare_refusals(self, found))
        demands += clauses.foretold_penalties(self, found)
        events = [event for r in readings for event in found.get(r.token.i, ())]
        events.extend(event for events in judged.values() for event in events)
        events.extend(clauses.accusations(self))
        events.extend(demands)
        events.extend(event for r in readings for event in fallbacks.get(r.token.i, ()))
        who.record_issued(self)
        return clauses.fold(clauses.unique(events))

    def _read_roles(self, reading: Reading) -> Iterator[Coded]:
        token = reading.token
        self.violent = reading.code[:2] in VIOLENT_ROOTS
        if token.i in self.absorbed:
            return iter(())
        if reading.noun:
            sources, targets = whom.noun_roles(self, token, reading.sense)
            start = min(reading.used)
        else:
            sources, passive = who.subject(self, token)
            if len(sources) == 1 and self.lemmas[token.i] in self.g.reciprocal_verbs:
                sources = who.sides(self, token) or sources
            self.acting = {m.actor.iri for m in sources}
            self.acting_codes = {m.actor.code for m in sources if m.actor.code}
            targets = (
                whom.passive_target(self, token, reading.code)
                if passive
                else whom.object_targets(self, token, reading.sense, reading.code)
            )
            start = token.i
        modality = moods.modality(self, token)
        code = reading.code
        if not reading.noun and (fought := special.countered(self, token)):
            code, targets = self.g.counter_code, fought
        elif not reading.noun and (eased := special.eased(self, token)) is not None:
            code, targets = self.g.deescalation_code, eased  # "halted its offensive on Y"
        elif not reading.noun and (halted := special.halted(self, reading)) is not None:
            code, targets = halted  # "suspended its aid to Y": relations reduced (16)
        elif not reading.noun and (withdrawn := special.withdrawn(self, token)) is not None:
            code, targets = withdrawn  # "withdrew its inspectors from Y" (1662)
        elif code[:2] in {"18", "19"} and who.from_the_air(self, token):
            code = self.g.aerial_code  # "jets bombed Y", "a drone struck Y"
        elif (
            not reading.noun and self.violent and (means := special.means(self, token)) is not None
        ):
            code = means  # "wounded Y in a bomb attack": a bombing (183), one event
        if self.violent and not targets:
            targets = whom.struck_where(self, token, sources)  # "attacks throughout Iraq"
        if code[:2] < "10":
            # "met reporters": the press at large is no party to talks or cooperation
            # (journalists arrested or killed are acted upon)
            targets = [t for t in targets if not special.the_press(self, t)]
        if code[:2] == "04":  # "reporters traveling with X": company, no consultation (but
            sources = [m for m in sources if not special.the_press(self, m)]  # journalists appeal)
        lemma = self.lemmas[token.i]
        speaking = lemma in self.g.speech_verbs or lemma in self.g.light_verbs
        if not reading.noun and speaking and special.public(self, token):
            # "told reporters", "issued a statement", "held a news conference": a public
            # statement, an event of its own; the press heard it, it is no target
            if special.joint(self, token):
                sources = sources[:1]  # "X, Y and Z issued a joint statement": one statement
            about = [t for t in targets if not special.press(self, t)]  # "a statement on Y" stays
            return self._pairs(reading, "010", sources, about, start, modality, public=True)
        if (
            code[:2] == "05"
            and targets
            and lemma in self.g.backing_verbs
            and all((t.actor.sector or "").lower() in self.g.armed_sectors for t in targets)
        ):
            code = self.g.armed_backing_code  # "supports Iraqi forces in their fight": not words
        if code == "043" and lemma in self.g.welcoming_verbs and not special.visitor(self, token):
            code = self.g.welcoming_code  # "welcomed Y's decision": approval, not a visit
        if code in self.g.crowd_codes and sources and all(_crowd(m) for m in sources):
            code = self.g.crowd_codes[code]  # "students protested": a demonstration
        if special.commits_to_pattern(self, reading) and modality == "asserted":
            modality = "intended"  # "agreed to a ceasefire": the ceasefire is what they mean
        speaker = None if reading.noun else moods.demanded_by(self, token)
        if speaker is not None:  # "X said Y must withdraw": X demands that Y withdraw
            targets, (sources, _passive) = sources, who.subject(self, speaker)
            code = "10" + self.g.intent_codes.get(code[:2], "030")[2:]
            modality = moods.modality(self, speaker)
        elif (refuser := None if reading.noun else moods.refused_by(self, token)) is not None:
            code = self.g.refusal_codes.get(code[:2], "120")  # "refused to withdraw from Y"
            modality = moods.modality(self, refuser)
        elif (wisher := None if reading.noun else moods.wanted_by(self, token)) is not None:
            targets, (sources, _passive) = sources, who.subject(self, wisher)
            code = "02" + self.g.intent_codes.get(code[:2], "030")[2:]
            modality = moods.modality(self, wisher)
        elif (threat := special.conditional_threat(self, reading, modality)) is not None:
            code = threat  # "will withdraw its troops unless Y holds elections"
        elif (
            modality == "intended"
            and code[:2] in self.g.threat_codes
            and moods.announced(self, token)
        ):
            code = self.g.threat_codes[code[:2]]  # "will expel Y's diplomats": a threat
        elif modality == "negated" and "03" <= code[:2] <= "08" and moods.announced(self, token):
            # "will not accept refugees", "said it would not meet them": cooperation refused
            code, modality = self.g.refusal_codes.get(code[:2], "120"), "asserted"
        elif modality == "intended":
            code = self.g.intent_codes.get(code[:2], code)
        elif special.commits_to_nothing_known(self, reading):
            code = "030"  # "agreed to set up a centre": its act unknown, the intent stated
        return self._pairs(reading, code, sources, targets, start, modality)

    def _pairs(
        self,
        reading: Reading,
        code: str,
        sources: list[Mention],
        targets: list[Mention],
        start: int,
        modality: str,
        public: bool = False,
    ) -> Iterator[Coded]:
        end = reading.token.i + 1
        if not sources:
            return
        # "X and Y will meet": what they mean to do together, each with the other; but
        # "X and Y will ask banks to ...", "X and Y threatened to ...": each on its own
        together = modality == "intended" and code[:2] not in self.g.untargeted_roots
        if not targets and len(sources) > 1 and together:
            code = self.g.intent_codes.get(code[:2], "030")
        if not targets:
            mutual = code[:2] in self.g.symmetric_roots or (
                self.lemmas[reading.token.i] in self.g.reciprocal_verbs
            )
            if (mutual or together) and len(sources) > 1:
                for a in sources:
                    for b in sources:
                        if a.actor.iri != b.actor.iri:
                            yield Coded(code, start, end, a, b, modality)
                return
            # With no one acted upon, the CAMEO dictionary's readings are fallbacks, reported
            # only by a text with no other event (PETRARCH codes a source and a target or
            # nothing); evkg's own senses that stand alone, and acts that need no target
            # (threats, protests), are events.
            from_cameo = not reading.sense.curated
            untargeted = code[:2] in self.g.untargeted_roots
            fallback = not (untargeted or public) and (
                reading.sense.needs_target or reading.noun or from_cameo
            )
            for source in sources:
                yield Coded(code, start, end, source, None, modality, fallback)
            return
        for source in sources:
            for target in targets:
                if source.actor.iri != target.actor.iri and not self._own_care(
                    code, source, target
                ):
                    yield Coded(code, start, end, source, target, modality)

    def _own_care(self, code: str, source: Mention, target: Mention) -> bool:
        """ "The United States will protect U.S. personnel": a state's aid or protection of
        its own organs is no act between actors."""
        giver, cared = source.actor, target.actor
        if code not in self.g.care_codes or not giver.code or giver.code != cared.code:
            return False
        governs = giver.kind == "state" or (giver.sector or "").upper() == "GOV"
        organ = cared.kind != "state" and (cared.sector or "").lower() in self.g.own_means_sectors
        return governs and organ


def _crowd(mention: Mention) -> bool:
    """People named by what they are ("students", "workers"), no body that speaks."""
    return not mention.named and not mention.pronoun and mention.actor.kind == "other"


def code_parsed(
    doc: Doc, mentions: list[Mention], wheres: Collection[Mention] = (), told: Told | None = None
) -> list[Coded]:
    """The events of one parsed sentence; `mentions` (and `wheres`, the states named as
    where it happens) index into `doc`; `told` is what the text told before it, which the
    sentence adds the documents it names the issuers of to."""
    return SentenceCoder(doc, mentions, wheres, told).code()
