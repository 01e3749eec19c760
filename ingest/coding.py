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
  ("carried out strikes");
- target: the indirect or direct object, else the object of one of the sense's
  prepositions; an object that is no actor lends its own possessor or preposition
  ("condemned Turkey's incursion", "provided aid to Iraqis");
- coordinated actors are parties to one event (its co-sources and co-targets: "X, Y and Z
  delivered aid to W"); symmetric and reciprocal events ("X and Y met", "X and Y
  exchanged fire") go both ways;
- a quotation's sentences are its speaker's (`ingest.quotes`): "This attack was
  reckless." judges the last violent act's doer;
- modality from negation, modal verbs, conditions and the verb that governs the clause
  (`asserted`, `negated`, `hypothetical`, `intended`, `claimed`, `denied`:
  `ingest.modality`).

Word classes (light verbs, modal words, verbs of intent, belief and denial) are data in
`dictionaries/grammar.yaml`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.tokens import Doc, Token

from ingest import modality as moods
from ingest.actors import DEFINITE, Mention
from ingest.grammar import VIOLENT_ROOTS, Coded, grammar
from ingest.judgements import judgements
from ingest.people import name_words
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
MODIFIERS = ("poss", "compound", "amod", "nmod", "npadvmod")
PASSIVE_AUX = {"auxpass"}


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
class _Reading:
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
        self.nouns: dict[int, _Reading] = {}  # event nouns by token, once read
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

    def _read_verb(self, verb: Token) -> _Reading | None:
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
            return _Reading(verb, code, sense, used)
        for sense in senses:
            if sense.code:
                return _Reading(verb, sense.code, sense)
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

    def _read_noun(self, noun: Token) -> _Reading | None:
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
                return _Reading(noun, sense.code, sense, set(span), noun=True)
        return self._read_gerund(noun)

    def _read_gerund(self, noun: Token) -> _Reading | None:
        """A verb's "-ing" form used as a noun ("the retaking of Mosul by Iraqi forces",
        "the shelling of Y") reads as the verb, with a noun's roles."""
        word = self.lowers[noun.i]
        if not word.endswith("ing") or len(word) < 6:
            return None
        stem = word[:-3]
        for base in (stem, stem + "e", stem[:-1]):
            for sense in self.d.verbs.get(base, ()):
                if sense.code:
                    return _Reading(noun, sense.code, sense, {noun.i}, noun=True)
        return None

    # -- actors -----------------------------------------------------------------------

    def actors_at(self, token: Token, depth: int = 0) -> list[Mention]:
        """The actors a noun phrase names: the head's mention and its coordinated ones, else
        its possessor or modifier, else the object of its "of"/"from" phrase."""
        found = self._own(token, depth)
        for conj in token.conjuncts:
            if conj.i > token.i:
                for mention in self._own(conj, depth):
                    if mention not in found:
                        found.append(mention)
        return found

    def _sides(self, verb: Token) -> list[Mention]:
        """ "Indian and Pakistani troops clashed": the two sides a subject's coordinated
        modifiers name, for acts done to each other (as one of them alone, the subject is
        the modifiers' common noun, each side's)."""
        sides: list[Mention] = []
        for subject in (c for c in verb.children if c.dep_ == "nsubj"):
            for modifier in (c for c in subject.children if c.dep_ in MODIFIERS):
                for side in (modifier, *modifier.conjuncts):
                    mention = self.by_token.get(side.i)
                    if mention is not None and mention not in sides:
                        sides.append(mention)
        return sides if len(sides) > 1 else []

    def _own(self, token: Token, depth: int) -> list[Mention]:
        mention = self.by_token.get(token.i)
        if mention is not None:
            return [mention]
        if depth > 2 or self.lemmas[token.i] in self.g.relation_nouns:
            return []  # "U.S.-Iran tensions" are neither side's
        for dep in MODIFIERS:
            for child in token.children:
                if child.dep_ == dep and child.i in self.by_token:
                    return self.actors_at(child, depth + 1)
        for child in token.children:  # "militia weapons caches": the compound's own modifier
            if child.dep_ == "compound" and child.i not in self.by_token:
                found = self._own(child, depth + 1)
                if found:
                    return found
        preps = {"of", "from"}
        if (
            self.lemmas[token.i] in self.g.speaker_nouns
            or self.lowers[token.i] in self.g.speaker_nouns
        ):
            preps.add("for")  # "a spokesman for Hamas"
        for child in token.children:
            if child.dep_ == "prep" and self.lowers[child.i] in preps:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = self.actors_at(pobj, depth + 1)
                        if found:
                            return found
        holder = self._holder(token)
        if holder:
            return holder
        for clause in token.children:  # "six sites, which included X's depots": X's
            if clause.dep_ == "relcl" and self.lemmas[clause.i] in self.g.inclusion_verbs:
                for part in clause.children:
                    if part.dep_ == "dobj":
                        found = self.actors_at(part, depth + 1)
                        if found:
                            return found
        if token.dep_ == "appos":
            return []
        for child in token.children:
            if child.dep_ == "appos":
                return self._own(child, depth + 1)
        return []

    def _holder(self, token: Token) -> list[Mention]:
        """ "sites used by X", "X-controlled areas": places and things named by who holds
        them stand for that actor."""
        for child in token.children:
            if self.lemmas[child.i] not in self.g.holder_participles:
                continue
            if child.dep_ == "acl":
                for pobj in _agent_objects(child):
                    found = self.actors_at(pobj)  # "used by X militants": X's
                    if found:
                        return found
            elif child.dep_ == "amod":  # "Houthi-controlled"
                for holder in child.children:
                    if holder.i in self.by_token:
                        return self.actors_at(holder)
        return []

    def _subject(self, verb: Token, seen: int = 0) -> tuple[list[Mention], bool]:
        """(source actors, whether the verb is passive) of a verb."""
        passive = any(c.dep_ in PASSIVE_AUX or c.dep_ == "nsubjpass" for c in verb.children)
        if passive:
            for pobj in _agent_objects(verb):
                # "was hit by rockets fired by X": the weapon's own doer
                return self.actors_at(pobj) or self._agent_of(pobj), True
            if self.lemmas[verb.i] in self.g.intent_verbs:  # "X is committed to opening"
                return [
                    m for c in verb.children if c.dep_ == "nsubjpass" for m in self.actors_at(c)
                ], False
            return [], True
        if seen > 4:
            return [], False
        for child in verb.children:
            if child.dep_ in {"nsubj", "csubj"}:
                if child.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
                    return self._head_actors(verb, seen), False
                found = self.actors_at(child)
                if not found and child.i in self.nouns:  # "an attack by X killed Y": X
                    found = self._noun_roles(child, self.nouns[child.i].sense, seen + 1)[0]
                if not found and (issuer := self._issuer(child)) is not None:
                    found = [issuer]  # "The resolution demands ...": who adopted it
                return found, False
        head = verb.head
        if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ != "VBN"):
            return self._head_actors(verb, seen), False
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return [], True
        if verb.dep_ == "conj" and head.pos_ in {"VERB", "AUX"}:
            return self._subject(head, seen + 1)
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            governor = head.head
            if self.lowers[head.i] in self.g.object_control_preps:
                objects = [c for c in governor.children if c.dep_ in {"dobj", "dative"}]
                if objects:
                    return self.actors_at(objects[0]), False
            if governor.pos_ in {"VERB", "AUX"}:
                return self._subject(governor, seen + 1)
        if verb.dep_ == "ccomp":  # "told Y the coalition restarted ...", parsed as 2 objects
            stranded = self._stranded_subject(verb)
            if stranded is not None:
                return self.actors_at(stranded), False
        # "X is ready to send": the adjective's subject is its copula's
        if verb.dep_ in {"xcomp", "advcl", "ccomp", "acomp"} and head.pos_ in {
            "VERB",
            "AUX",
            "ADJ",
        }:
            if verb.dep_ == "xcomp":  # "asked Y to leave", "called on Y to leave": Y
                asked = moods.asked(self, head)
                if asked is not None:
                    return self.actors_at(asked), False
            return self._subject(head, seen + 1)
        return [], False

    def _issuer(self, noun: Token) -> Mention | None:
        """Who issued the document a definite noun names ("the resolution", "the
        statement"), told in an earlier sentence (`Told.issuers`)."""
        if not self._determined(noun, DEFINITE):
            return None
        return self.told.issuers.get(self.lemmas[noun.i])

    def _record_issued(self) -> None:
        """ "X adopted a resolution", "X issued a statement": X is what "the resolution" or
        "the statement" speaks for in the sentences after."""
        for noun in self.doc:
            if noun.dep_ == "dobj" and self.lemmas[noun.i] in name_words().document_nouns:
                sources, passive = self._subject(noun.head)
                if sources and not passive:
                    self.told.issuers[self.lemmas[noun.i]] = sources[0]

    def _stranded_subject(self, verb: Token) -> Token | None:
        """A clause's subject the parser hung on the verb above as a second object: the
        object that ends just before the clause's verb (quotes and commas aside)."""
        objects = [c for c in verb.head.children if c.dep_ in {"dobj", "dative"}]
        if len(objects) < 2:
            return None
        before = verb.i - 1
        while before >= 0 and self.doc[before].is_punct:
            before -= 1
        last = objects[-1]
        if last.right_edge.i != before or last.i > verb.i:
            return None
        word = self.doc[before]  # the noun that ends the object: the clause's own subject
        return word if word.pos_ in {"NOUN", "PROPN"} else None

    def _head_actors(self, verb: Token, seen: int) -> list[Mention]:
        """Who does what a relative clause or participle says of its noun: the noun itself,
        the doer of the event it names ("the attack that killed Y"), or whoever acted on it
        ("passed a resolution calling for Y")."""
        head = verb.head
        found = self.actors_at(head) or self._own_doers(head)  # "a decision by Y to leave"
        if found:
            return found
        if head.i in self.nouns:
            return self._noun_roles(head, self.nouns[head.i].sense, seen + 1)[0]
        if head.dep_ in {"dobj", "attr"} and head.head.pos_ in {"VERB", "AUX"}:
            if head.dep_ == "dobj" and self._reacts_to(head.head):
                return []  # "X condemned the plan to expel Y": whose plan, it does not say
            return self._subject(head.head, seen + 1)[0]
        return []

    def _passive_target(self, verb: Token, code: str = "") -> list[Mention]:
        for child in verb.children:
            if child.dep_ == "nsubjpass":
                if code[:2] in self.g.doer_target_roots:  # "Y's plan was rejected by X"
                    return self.actors_at(child) or self._others(self._agent_of(child))
                return self.actors_at(child)
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return self.actors_at(verb.head)
        if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
            return self._passive_target(verb.head)
        return []

    def _object_targets(self, head: Token, sense: Sense, code: str = "") -> list[Mention]:
        """The target of a verb or noun: objects first, then its prepositions'."""
        children = list(head.children)
        if sense.object or head.pos_ != "NOUN":
            for dep in ("dative", "dobj", "attr", "oprd"):
                for child in children:
                    if child.dep_ == dep and not self._own_means(child):
                        found = []
                        if code[:2] in self.g.doer_target_roots:  # "condemned attacks by Y"
                            found = self._others(self._agent_of(child))
                        found = found or self._others(self.actors_at(child))
                        if code[:2] in self.g.doer_target_roots and not found:
                            found = self._others(self.pointed_doer(child))  # "this attack"
                        found = found or self._others(self._through(child))
                        if found:
                            return found
        preps = [c for c in children if c.dep_ in {"prep", "dative"}]
        for child in children:
            if child.dep_ == "dobj":
                preps.extend(c for c in child.children if c.dep_ == "prep")
        wanted = list(sense.preps) + [p for p in self.g.target_preps if p not in sense.preps]
        for prep_word in wanted:
            for prep in preps:
                if self.lowers[prep.i] != prep_word:
                    continue
                for pobj in prep.children:
                    if pobj.dep_ in {"pobj", "pcomp"} and not self._behest(pobj):
                        found = self._others(self.actors_at(pobj) or self._through(pobj))
                        if found:
                            return found
        for child in children:  # "threatened to secede from Y", "vowed to strike Y"
            if child.dep_ == "xcomp" or (
                child.dep_ == "advcl" and any(self.lowers[c.i] == "to" for c in child.children)
            ):
                return self._object_targets(child, sense, code)
        for child in children:  # "demanded that X withdraw", "urged that X stop"
            if child.dep_ == "ccomp" and code[:2] in self.g.clause_target_roots:
                for subject in child.children:
                    if subject.dep_ in {"nsubj", "nsubjpass"}:
                        return self._others(self.actors_at(subject))
        if code[:2] in self.g.condition_target_roots:  # "threatened to strike unless X ..."
            return self._others(self._condition_subject(head))
        return []

    def pointed_doer(self, noun: Token, pointed: bool = False) -> list[Mention]:
        """The doers of the act an event noun names: its own ("Y's attack", "attacks by
        Y"), else, for a violent act that points back ("this attack", "the shelling";
        `pointed` when the sentence points at it otherwise), the doer of the last violent
        act told before."""
        reading = self.nouns.get(noun.i)
        if reading is None:
            return []
        sources = self._own_doers(noun)
        pointed = pointed or self._determined(noun, self.g.pointing_words)
        violent = reading.code[:2] in VIOLENT_ROOTS
        if not sources and pointed and violent and self.told.struck_before is not None:
            return [self.told.struck_before]
        return sources

    def _determined(self, noun: Token, words: Collection[str]) -> bool:
        """Whether one of `words` is the noun's determiner ("the resolution", "this attack")."""
        return any(c.dep_ == "det" and self.lowers[c.i] in words for c in noun.children)

    def _own_means(self, noun: Token) -> bool:
        """ "withdrew its troops from Y", "sent (their) forces to Y": the source's own body,
        moved or used, is no target (the search goes on to the prepositions)."""
        mention = self.by_token.get(noun.i)
        if mention is None:
            return False
        # "sent troops to Y": a bare agent noun (its soldiers and officials, not its
        # demonstrators or civilians); whose country the linker guessed from the story,
        # but what a peaceful act sends somewhere is the source's own
        bare = all(t.is_lower for t in self.doc[mention.start : mention.end])
        sector = (mention.actor.sector or "").lower()
        sent = any(
            c.dep_ == "prep" and self.lowers[c.i] in self.g.destination_preps
            for c in (*noun.children, *noun.head.children)
        )
        if bare and sent and sector in self.g.own_means_sectors and not self.violent:
            return True
        if mention.actor.code not in self.acting_codes:
            return False
        own = any(
            c.dep_ == "poss" and c.pos_ == "PRON" and self.lowers[c.i] in {"its", "their", "our"}
            for c in noun.children
        )
        return own or (bare and sector in self.g.own_means_sectors)

    def _others(self, found: list[Mention]) -> list[Mention]:
        """Candidates for a target other than the source itself ("closed its border": not a
        target; the search goes on)."""
        return [m for m in found if m.actor.iri not in self.acting]

    def _condition_subject(self, head: Token) -> list[Mention]:
        """Who a threat or ultimatum is addressed to: the subject of its condition."""
        for clause in head.children:
            if clause.dep_ != "advcl" or not any(
                c.dep_ == "mark" and self.lowers[c.i] in self.g.conditional_marks
                for c in clause.children
            ):
                continue
            for subject in clause.children:
                if subject.dep_ in {"nsubj", "nsubjpass"}:
                    return self.actors_at(subject)
        return []

    def _through(self, noun: Token, depth: int = 0) -> list[Mention]:
        """An object that is no actor may still name one: its preposition's object, or
        that one's ("suspended part of its aid to Y", "a suspension of air links with Y")."""
        fight = self.nouns.get(noun.i)
        if fight is not None and fight.code[:2] in VIOLENT_ROOTS and not self.violent:
            return []  # "protection ... in the fight against Y": Y is the enemy, not helped
        for pobj in self._prep_objects(noun, self.g.target_preps):
            found = self.actors_at(pobj)
            if not found and depth < 1:
                found = self._through(pobj, depth + 1)
            if found:
                return found
        if depth < 1:  # "sanctions related to weapons on Y": a participle's phrase
            for acl in noun.children:
                if acl.dep_ == "acl" and acl.tag_ == "VBN":
                    found = self._through(acl, depth)  # the participle is the noun's own
                    if found:
                        return found
        return []

    # -- nominal events ---------------------------------------------------------------

    def _noun_roles(
        self, noun: Token, sense: Sense, seen: int = 0
    ) -> tuple[list[Mention], list[Mention]]:
        source: list[Mention] = []
        for child in noun.children:
            if child.dep_ in MODIFIERS and child.i in self.by_token:
                source = self.actors_at(child)
                break
        if not source:
            source = self._agent_of(noun)
        # "clashes between X and Y", "talks between X and Y", "clashes erupted between X and Y"
        sided = [noun] + ([noun.head] if noun.dep_ == "nsubj" else [])
        if not source:
            for pobj in (p for head in sided for p in self._prep_objects(head, self.g.sides_preps)):
                sides = self.actors_at(pobj)
                if len({m.actor.iri for m in sides}) > 1:
                    reading = self.nouns.get(noun.i)
                    code = reading.code if reading is not None else sense.code or ""
                    if code[:2] in self.g.symmetric_roots:
                        return sides, []  # "talks between X and Y": each side's, both ways
                    return sides[:1], sides[1:]
        if (undergoer := self._undergone_by(noun)) is not None:
            # "Y suffered attacks by X": Y is struck, whatever the noun's own phrases say
            sufferers, passive = self._subject(undergoer, seen + 1)
            source = source or [  # "faced fire from X", the "from" hung on the verb
                m
                for o in self._prep_objects(undergoer, self.g.agent_preps)
                for m in self.actors_at(o)
            ]
            hit = set() if passive else {m.actor.iri for m in sufferers}
            return [m for m in source if m.actor.iri not in hit], [] if passive else sufferers
        target: list[Mention] = []
        wanted = list(sense.preps) + [p for p in self.g.target_preps if p not in sense.preps]
        anchor = noun  # "launched artillery and rocket fire": "fire" stands where "artillery" does
        while anchor.dep_ == "conj" and anchor.head.pos_ in {"NOUN", "PROPN"}:
            anchor = anchor.head
        of = anchor.head  # "restarted its full range of support to Y": the range stands in
        if (
            anchor.dep_ == "pobj"
            and self.lowers[of.i] == "of"
            and of.head.dep_ == "dobj"
            and self.lemmas[of.head.head.i] in self.g.light_verbs
        ):
            anchor = of.head
        light = self._light_clause(anchor)  # its own clause's verb before the governing one
        if light is None and anchor.dep_ in {"dobj", "pobj", "nsubjpass"}:
            light = anchor.head
            if light.dep_ == "prep":
                light = light.head
        heads = [noun] if light is None else [noun, light]
        # "attacks by X on Y" parsed with "on Y" hanging on X: still the attack's target
        doers = list(self._prep_objects(noun, self.g.doer_preps))
        for prep_word in wanted:
            if prep_word in self.g.agent_preps:
                continue
            also = doers if prep_word in self.g.pointed_preps else []
            for head in heads + also:
                for pobj in self._prep_objects(head, {prep_word}, after=noun.i):
                    target = self.actors_at(pobj) or self._through(pobj, 1)
                    if not source:  # "an attack on Y by X", the "by" read as Y's
                        source = self._agent_of(pobj)
                    if target:
                        break
                if target:
                    break
            if target:
                break
        if not source and seen < 4:
            source = self._noun_doer(anchor, light, seen)
        if not target and seen < 4:
            target = self._outcome_target(noun)
        if not target and (sense.code or "")[:2] in self.g.clause_target_roots:
            target = self._clause_subject(noun)  # "a demand that Y return ..."
        return source, target

    def _undergone_by(self, noun: Token) -> Token | None:
        """ "Y suffered attacks by X", "Y came under fire from X": the verb whose subject
        undergoes the act an event noun names, or None."""
        head = noun.head
        if noun.dep_ == "dobj" and self.lemmas[head.i] in self.g.undergoing_verbs:
            return head
        if (
            noun.dep_ == "pobj"
            and self.lowers[head.i] in self.g.undergoing_preps
            and head.head.pos_ in {"VERB", "AUX"}
        ):
            return head.head
        return None

    def _reacts_to(self, verb: Token) -> bool:
        """A verb that is an event of its own about another's act (a judgement, a protest):
        its subject is not the doer of the act it names."""
        senses = self.d.verbs.get(self.lemmas[verb.i]) or ()
        code = next((s.code for s in senses if s.code), "")
        return self.lemmas[verb.i] not in self.g.light_verbs and code[:2] in self.g.reaction_roots

    def _joined_in(self, verb: Token) -> list[Token]:
        """ "X engaged in ethnic cleansing", "X took part in the attacks", "X was involved in
        the killing": what a verb of taking part names after "in"; it lends its subject to
        those nouns as a light verb does."""
        holders = [verb]
        if self.lemmas[verb.i] not in self.g.participation_verbs:
            holders += [
                c
                for c in verb.children
                if c.dep_ == "dobj" and self.lemmas[c.i] in self.g.participation_nouns
            ]
            if len(holders) == 1:
                return []
        return [p for h in holders for p in self._prep_objects(h, {"in"})]

    def _light_clause(self, noun: Token) -> Token | None:
        """ "the sanctions (that) X reimposed on Y": a relative clause of a light verb with
        no object of its own stands where a governing verb would."""
        return next((c for c in noun.children if self._relative_light(c)), None)

    def _relative_light(self, verb: Token) -> bool:
        """A light verb in a relative clause whose object is the noun it qualifies."""
        return (
            verb.dep_ == "relcl"
            and self.lemmas[verb.i] in self.g.light_verbs
            and all(c.tag_ == "WDT" for c in verb.children if c.dep_ in {"dobj", "attr"})
        )

    def _clause_subject(self, noun: Token) -> list[Mention]:
        """Whom a noun of saying is about: the subject of its "that" clause."""
        for clause in noun.children:
            if clause.dep_ in {"acl", "ccomp"} and any(
                c.dep_ == "mark" and self.lowers[c.i] == "that" for c in clause.children
            ):
                for subject in clause.children:
                    if subject.dep_ in {"nsubj", "nsubjpass"}:
                        return self.actors_at(subject)
        return []

    def _agent_of(self, noun: Token) -> list[Mention]:
        """The doer a noun's "by"/"from" phrase names ("attacks by militias"), or that of
        the participle that qualifies it ("the sanctions imposed by the EU")."""
        for pobj in self._prep_objects(noun, self.g.agent_preps):
            found = self.actors_at(pobj)
            if found:
                return found
        for acl in noun.children:
            # "the sanctions imposed by the EU", "an offer that was made by X"
            passive = acl.dep_ == "relcl" and any(c.dep_ == "auxpass" for c in acl.children)
            if (acl.dep_ == "acl" and acl.tag_ == "VBN") or passive:
                for pobj in _agent_objects(acl):
                    found = self.actors_at(pobj)
                    if found:
                        return found
        return []

    def _prep_objects(
        self, head: Token, preps: Collection[str], after: int = -1
    ) -> Iterator[Token]:
        """The objects of `head`'s prepositions among `preps` (those after token `after`)."""
        for prep in head.children:
            if prep.dep_ == "prep" and prep.i > after and self.lowers[prep.i] in preps:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and not self._behest(pobj):
                        yield pobj

    def _behest(self, noun: Token) -> bool:
        """ "at Y's request", "on the orders of Y": whose will, not whom it hit."""
        return self.lemmas[noun.i] in self.g.behest_nouns

    def _accused_of(self, noun: Token) -> bool:
        """ "X is responsible for the attack", "X was guilty of the killings"."""
        prep = noun.head
        return (
            noun.dep_ == "pobj"
            and prep.dep_ == "prep"
            and prep.head.dep_ == "acomp"
            and self.lemmas[prep.head.i] in self.g.accusation_adjectives
        )

    def _outcome_target(self, noun: Token) -> list[Mention]:
        """Whom an event noun struck, told by the verb of its outcome: "the strike that
        killed Y", "the strike, which wounded Y", "an attack by X killed Y"."""
        verbs = [c for c in noun.children if c.dep_ in {"relcl", "acl"} and c.pos_ == "VERB"]
        if noun.dep_ == "nsubj" and noun.head.pos_ == "VERB":
            verbs.append(noun.head)
        for verb in verbs:
            for child in verb.children:
                if child.dep_ == "dobj":
                    found = self.actors_at(child)
                    if found:
                        return found
        prep = noun.head
        if noun.dep_ == "pobj" and self.lowers[prep.i] in self.g.outcome_preps:
            for child in prep.head.children:  # "Y was killed in an attack by X"
                if child.dep_ == "nsubjpass":
                    return self.actors_at(child)
        return []

    def _noun_doer(self, noun: Token, light: Token | None, seen: int) -> list[Mention]:
        """The doer of an event noun that names none itself, from the verb it hangs on."""
        if light is not None and self._accused_of(noun):
            return [m for c in light.head.children if c.dep_ == "nsubj" for m in self.actors_at(c)]
        taker = light.head if light is not None and light.pos_ == "NOUN" else light
        if taker is not None and any(p.i == noun.i for p in self._joined_in(taker)):
            # "X took part in the attacks", "X was involved in the killing": X's, even passive
            return [
                m
                for c in taker.children
                if c.dep_ in {"nsubj", "nsubjpass"}
                for m in self.actors_at(c)
            ]
        if light is None or light.pos_ not in {"VERB", "AUX"}:
            return []
        if noun.dep_ == "nsubjpass" and self.lemmas[light.i] in self.g.light_verbs:
            # "the strike was carried out by X", "was launched by X": X's
            return [m for o in _agent_objects(light) for m in self.actors_at(o)]
        prep = noun.head if noun.dep_ == "pobj" else None
        if prep is not None and self.lemmas[light.i] in self.g.accusation_verbs:
            # "blamed X for the attack", "X was blamed for the attack"
            accused = [c for c in light.children if c.dep_ in {"dobj", "dative", "nsubjpass"}]
            if accused:
                return self.actors_at(accused[0])  # "blamed X for the attack"
        if noun.dep_ == "dobj" and (
            self._reacts_to(light) or self.lemmas[light.i] in self.g.naming_verbs
        ):
            # "Iran protested the sanctions", "X called the killing a crime": whose act,
            # the verb does not say
            return []
        if (
            noun.dep_ == "dobj"
            or (light.dep_ == "relcl" and light.head.i == noun.i)
            or (prep is not None and self.lowers[prep.i] in self.g.instrument_preps)
        ):
            source, passive = self._subject(light, seen + 1)
            return [] if passive else source
        return []

    # -- the sentence -----------------------------------------------------------------

    def readings(self) -> list[_Reading]:
        nouns = self.nouns
        for token in self.doc:
            if token.i not in self.by_token and token.pos_ in {"NOUN", "PROPN"}:
                reading = self._read_noun(token)
                if reading is not None:
                    nouns[token.i] = reading
        verbs: list[_Reading] = []
        consumed: set[int] = set()
        for token in self.doc:
            if token.i in consumed or token.i in self.by_token:
                continue
            if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "ADJ" and token.tag_ == "VBN"):
                reading = self._read_verb(token)
                if reading is None or self._lends_to_noun(reading, nouns):
                    continue
                verbs.append(reading)
                consumed |= reading.used
        read = {v.token.i for v in verbs}
        for token in self.doc:  # "stopped its cooperation with Y": the stop is the event
            if token.i not in read and (found := self._halted_object(token)) is not None:
                verbs.append(_Reading(token, found[2], found[1].sense))
        self.consumed = consumed
        apart = {
            i
            for v in verbs
            for i in v.used & set(nouns)
            if self._done_by_another(self.doc[i], v.token) or self._blamed_for(self.doc[i], v)
        }
        return verbs + [r for i, r in nouns.items() if i not in consumed or i in apart]

    def _blamed_for(self, noun: Token, verb: _Reading) -> bool:
        """ "X was blamed for the attack", "blamed X for the attack": the violent act an
        accusation names is an event of its own, X's by the accuser's word (claimed)."""
        return (
            self.lemmas[verb.token.i] in self.g.accusation_verbs
            and self.nouns[noun.i].code[:2] in VIOLENT_ROOTS
            and noun.dep_ == "pobj"
        )

    def _done_by_another(self, token: Token, verb: Token) -> bool:
        """ "X vowed to stop attacks by Y", "X condemned Y's invasion of Z": an event noun
        that a verb's pattern read, whose own doer is not the verb's subject, is an event
        of its own too."""
        return bool(self._others_doing(token, verb))

    def _others_doing(self, noun: Token, verb: Token) -> list[Mention]:
        """The doers an event noun names itself (its possessor or modifier, its "by"
        phrase) other than the subject of the verb it hangs on."""
        subjects = {m.actor.iri for m in self._subject(verb)[0]}
        return [m for m in self._own_doers(noun) if m.actor.iri not in subjects]

    def _own_doers(self, noun: Token) -> list[Mention]:
        """The doers an event noun names itself: its possessor or modifier ("Y's attack",
        "the Y strikes"), else its "by" phrase."""
        return [
            m
            for c in noun.children
            if c.dep_ in MODIFIERS and c.i in self.by_token
            for m in self.actors_at(c)
        ] or [m for o in self._prep_objects(noun, self.g.doer_preps) for m in self.actors_at(o)]

    def _from_the_air(self, verb: Token) -> bool:
        """Whether the act's doer is an aircraft ("Israeli jets bombed", "drones struck",
        "was targeted by drones")."""
        doers = [c for c in verb.children if c.dep_ == "nsubj"] + list(_agent_objects(verb))
        return any(self.lemmas[c.i] in self.g.aircraft for c in doers)

    def _eased(self, verb: Token) -> list[Mention] | None:
        """ "X halted its offensive (on Y)", "X suspended air strikes": a stop to one's own
        violent act de-escalates (087), aimed where the act was; None when not one."""
        if self.lemmas[verb.i] not in self.g.halt_verbs:
            return None
        found = self._violent_object(verb, {"dobj"})
        if found is None or self._others_doing(found[0], verb):
            return None  # none, or another's: fought off, `_countered`
        noun, reading = found
        # the halt is what is told, not the offensive again (verb readings are read before
        # noun readings, `readings`, so the noun's turn finds it set aside)
        self.absorbed.add(noun.i)
        return self._others(self._noun_roles(noun, reading.sense)[1])

    def _halted_object(self, verb: Token) -> tuple[Token, _Reading, str] | None:
        """ "X suspended its aid to Y", "X halted talks and trade with Y": the first object
        of a verb of stopping that is X's own cooperation, its reading and the code of
        stopping it (grammar.yaml, halted_codes)."""
        if self.lemmas[verb.i] not in self.g.halt_verbs:
            return None
        for noun in self._objects(verb):
            reading = self.nouns.get(noun.i)
            if reading is None or self._others_doing(noun, verb):
                continue
            codes = self.g.halted_codes
            code = codes.get(reading.code) or codes.get(reading.code[:2])
            if code is not None:
                return noun, reading, code
        return None

    def _objects(self, verb: Token) -> Iterator[Token]:
        """The verb's direct objects, those coordinated with the first included."""
        for noun in (c for c in verb.children if c.dep_ == "dobj"):
            yield noun
            yield from (c for c in noun.subtree if c.dep_ == "conj" and c.head.i != verb.i)

    def _halted(self, reading: _Reading) -> tuple[str, list[Mention]] | None:
        """The code and targets of a stop to one's own cooperation (`_halted_object`), the
        objects stopped set aside as told; None when the verb stops no such act, or its own
        pattern read it already ("suspended military aid": 1622)."""
        found = self._halted_object(reading.token)
        if found is None or found[0].i in reading.used:
            return None
        noun, stopped, code = found
        self.absorbed |= {o.i for o in self._objects(reading.token)}
        targets = self._noun_roles(noun, stopped.sense)[1]
        return code, self._others(targets) or self._object_targets(
            reading.token, stopped.sense, code
        )

    def _withdrawn(self, verb: Token) -> tuple[str, list[Mention]] | None:
        """ "X withdrew its inspectors and aid workers from Y": the code of withdrawing
        those people (grammar.yaml, withdrawn_codes) and whom it is done to, the state
        they leave; None when the verb withdraws no such people from anyone named."""
        if self.lemmas[verb.i] not in self.g.withdrawal_verbs:
            return None
        codes = self.g.withdrawn_codes
        code = next(
            (codes[self.lemmas[o.i]] for o in self._objects(verb) if self.lemmas[o.i] in codes),
            None,
        )
        if code is None:
            return None
        left = self._others(
            [
                m
                for head in (verb, *self._objects(verb))
                for o in self._prep_objects(head, {"from"})
                for m in self.actors_at(o) or self._through(o)
            ]
        )
        return (code, left) if left else None

    def _violent_object(self, verb: Token, deps: set[str]) -> tuple[Token, _Reading] | None:
        """The verb's first object (of `deps`) that is a violent event noun, with its reading."""
        for noun in (c for c in verb.children if c.dep_ in deps):
            reading = self.nouns.get(noun.i)
            if reading is not None and reading.code[:2] in VIOLENT_ROOTS:
                return noun, reading
        return None

    def _means(self, verb: Token) -> str | None:
        """ "X wounded Y in a bomb attack", "X killed Y with a car bomb": the code of the
        violent noun a violent verb names as its means, when it says more than the verb's
        root; the noun is then told by the verb's event, not again."""
        for prep in verb.children:
            if prep.dep_ != "prep" or self.lowers[prep.i] not in self.g.means_preps:
                continue
            found = self._violent_object(prep, {"pobj"})
            if found is None or self._others_doing(found[0], verb):
                continue  # "killed in an attack by Y": Y's attack, read as the noun
            noun, reading = found
            self.absorbed.add(noun.i)
            return None if reading.code.endswith("0") else reading.code
        return None

    def _visitor(self, verb: Token) -> bool:
        """Whether the verb's object names an actor itself ("welcomed the Peruvian
        president"), not an act or thing of one ("welcomed Peru's decision")."""
        return any(c.dep_ == "dobj" and c.i in self.by_token for c in verb.children)

    def _struck_where(self, token: Token, sources: list[Mention]) -> list[Mention]:
        """ "X carried out attacks throughout Iraq", "X's operations in Lebanon": a violent
        act with no one named as struck strikes the state where it takes place, unless that
        is the doer's own."""
        heads = [token]
        if token.dep_ in {"dobj", "pobj"}:  # "carried out attacks in Y": the light verb's
            heads.append(token.head.head if token.dep_ == "pobj" else token.head)
        own = {m.actor.code for m in sources}
        for pobj in (p for head in heads for p in self._prep_objects(head, self.g.where_preps)):
            where = self.where_at.get(pobj.i)
            if where is not None and where.actor.code not in own:
                return [where]
        return []

    def _countered(self, verb: Token) -> list[Mention]:
        """ "X repelled an attack by Y", "X stalled Y's offensive": fighting off another's
        violent act is fighting them (19); whom, or none."""
        if self.lemmas[verb.i] not in self.g.counter_verbs:
            return []
        found = self._violent_object(verb, {"dobj", "nsubjpass"})
        return self._others_doing(found[0], verb) if found is not None else []

    def _lends_to_noun(self, reading: _Reading, nouns: dict[int, _Reading]) -> bool:
        """ "carried out strikes", "launched an attack", "the sanctions X reimposed on Y":
        the noun is the event, the light verb only its subject's way to it (unless a
        pattern read the two together into an event of the noun's own kind: "conducted
        attacks" is an attack whatever else a pattern makes of it)."""
        token = reading.token
        if any(o.i in nouns for o in self._joined_in(token)):
            return True  # "took part in the attacks": the attacks, the verb's subject's
        if self.lemmas[token.i] not in self.g.light_verbs:
            return False
        # "the strike was carried out by X": the passive's subject is the light verb's noun
        objects = [c for c in token.children if c.dep_ in {"dobj", "attr", "nsubjpass"}]
        if self._relative_light(token):
            objects = [token.head]  # "the sanctions (that) X reimposed"
        objects += [c for o in objects for c in o.conjuncts]
        return any(
            o.i in nouns
            and (
                o.i not in reading.used
                or (
                    nouns[o.i].code[:2] in VIOLENT_ROOTS and reading.code[:2] != nouns[o.i].code[:2]
                )
            )
            for o in objects
        )

    def _gives_way(self, readings: list[_Reading]) -> dict[int, set[int]]:
        """One event for a verb and the clause it governs: which readings give way to which,
        should those yield an event. "X said Y attacked Z" and "X plans to visit Z" report
        the attack and the visit: a verb of saying or intending read by its default code
        gives way to the event in its complement. "X threatened to strike Z" reports the
        threat: the struck clause gives way to it. An outcome gives way to the attack it
        completes."""
        by_token = {r.token.i: r for r in readings}
        yields: dict[int, set[int]] = {}
        for reading in readings:
            token = reading.token
            if reading.noun:
                continue
            inside = {
                t.i
                for c in token.children
                if c.dep_ in {"ccomp", "xcomp", "parataxis", "advcl"}
                for t in c.subtree
            } & set(by_token)
            if reading.code[:2] == "13":
                for i in inside:
                    if not by_token[i].noun:
                        yields.setdefault(i, set()).add(token.i)
                for threatened in (c for c in token.children if c.dep_ == "dobj"):
                    if threatened.i in by_token and by_token[threatened.i].noun:
                        # "threatened a major incursion into Y": the threat, not the incursion
                        yields.setdefault(threatened.i, set()).add(token.i)
                continue
            lemma = self.lemmas[token.i]
            bare = not reading.used
            refused = {c.i for c in token.children if c.dep_ == "xcomp"} & set(by_token)
            if refused and lemma in self.g.refusal_verbs:  # "refused to withdraw from Y"
                yields.setdefault(token.i, set()).update(refused)
            elif lemma in self.g.speech_verbs and self._public(token):
                continue  # "X told reporters Y attacked Z": the statement and the attack
            elif (
                bare
                and inside
                and (
                    lemma in self.g.speech_verbs
                    or lemma in self.g.intent_verbs
                    or lemma in self.g.decision_verbs  # "voted to expel Y": the expulsion
                )
            ):
                yields.setdefault(token.i, set()).update(inside)
                if lemma in self.g.speech_verbs:
                    self.attributions.add(token.i)
            elif (
                bare
                and lemma in self.g.speech_verbs
                and token.dep_ in {"parataxis", "ccomp"}
                and token.head.i in by_token
            ):
                yields.setdefault(token.i, set()).add(token.head.i)  # "..., officials said."
                self.attributions.add(token.i)
        for reading in readings:
            noun = self._completes(reading, by_token)
            if noun is not None:
                yields.setdefault(reading.token.i, set()).add(noun)
        return yields

    def _the_press(self, mention: Mention) -> bool:
        """Whether a mention is the press at large by its head noun ("reporters", "Syrian
        journalists"), not an outlet."""
        return mention.actor.kind != "media" and self.lemmas[mention.end - 1] in self.g.press_words

    def _press(self, mention: Mention) -> bool:
        """Whether a mention names the press at large ("reporters", "Pentagon reporters":
        the press covering the Pentagon), not an outlet ("an interview with CBS News", "CBS
        reporters": CBS is the target)."""
        if mention.actor.kind == "media":
            return False
        last = self.doc[mention.end - 1]
        words = [*range(mention.start, mention.end)]
        if last.dep_ in MODIFIERS:
            words.append(last.head.i)
        elif mention.named:
            return False
        return any(self.lemmas[i] in self.g.press_words for i in words)

    def _joint(self, verb: Token) -> bool:
        """Whether the verb's object is an act named joint ("a joint statement")."""
        return any(
            self.lemmas[m.i] in self.g.joint_words
            for o in verb.children
            if o.dep_ in {"dobj", "attr"}
            for m in o.children
            if m.dep_ in {"amod", "compound"}
        )

    def _public(self, verb: Token) -> bool:
        """Said to the press ("told reporters", "said in a statement", "briefed the
        media"): a public statement, CAMEO's 010, whatever else the verb reports."""
        for child in verb.children:
            if child.dep_ in {"dobj", "dative"}:
                heard = [child]
            elif child.dep_ == "prep":
                heard = [c for c in child.children if c.dep_ == "pobj"]
            else:
                continue
            for word in heard:
                words = [word, *(c for c in word.children if c.dep_ == "compound")]
                if any(self.lemmas[w.i] in self.g.press_words for w in words):
                    return True
        return False

    def _completes(self, reading: _Reading, by_token: dict[int, _Reading]) -> int | None:
        """ "An attack by X killed Y", "the strike that killed Y": the killing is the attack's
        outcome, one event with the noun (which takes Y as its target), not a second one:
        the noun's token, if so."""
        token = reading.token
        if reading.noun or reading.code[:2] not in VIOLENT_ROOTS:
            return None
        if token.dep_ == "advcl" and token.tag_ == "VBG":
            attack = self._attack_of_clause(token.head, by_token)
            if attack is not None:
                self.outcomes[token.i] = attack
            return attack
        noun: Token | None = token.head
        if token.dep_ not in {"relcl", "acl"}:
            noun = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if noun is None or noun.i in self.consumed:
            return None
        event = self.nouns.get(noun.i)
        if event is None or event.code[:2] not in VIOLENT_ROOTS:
            return None
        source, target = self._noun_roles(noun, event.sense)
        # else the verb keeps what the noun cannot carry
        return noun.i if source and target else None

    def _attack_of_clause(self, verb: Token, by_token: dict[int, _Reading]) -> int | None:
        """ "X shelled the town, killing Y", "X responded with a strike on Z, injuring Y": the
        participle tells what the clause's attack did, one event with it: the attack's
        token, verb or noun, if the clause reports one."""
        if verb.i in by_token and by_token[verb.i].code[:2] in VIOLENT_ROOTS:
            return verb.i
        near = [c for c in verb.children if c.dep_ in {"dobj", "prep", "agent"}]
        near += [g for c in near if c.dep_ in {"prep", "agent"} for g in c.children]
        return next(
            (
                c.i
                for c in near
                if c.i in self.nouns
                and c.i not in self.consumed
                and self.nouns[c.i].code[:2] in VIOLENT_ROOTS
            ),
            None,
        )

    def _accusations(self) -> Iterator[Coded]:
        """ "X was behind the attack", "X was responsible for": 112 from whoever says so."""
        for token in self.doc:
            if self.lemmas[token.i] != "be":
                continue
            cue = next(
                (
                    c
                    for c in token.children
                    if (c.dep_ == "prep" and self.lowers[c.i] in self.g.accusation_preps)
                    or (c.dep_ == "acomp" and self.lemmas[c.i] in self.g.accusation_adjectives)
                ),
                None,
            )
            if cue is None:
                continue
            accused = [m for c in token.children if c.dep_ == "nsubj" for m in self.actors_at(c)]
            if not accused:
                continue
            if token.dep_ == "ROOT" and self.told.speaker is not None:
                speakers, passive = [self.told.speaker], False  # quoted: "Y was behind it."
            elif token.dep_ == "ccomp":
                speakers, passive = self._subject(token.head)
            else:
                continue
            if passive:
                continue
            for speaker in speakers:
                for target in accused:
                    yield Coded("112", cue.i, cue.i + 1, speaker, target)

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
        yields = self._gives_way(readings)
        self._aim_at_outcomes(found, fallbacks, yields)
        for i, others in yields.items():
            if i in self.attributions and not any(found.get(j) for j in others):
                # "X agreed to set up a centre, officials said": the attribution carried
                # the head's reading; with it gone, the reading is the sentence's event
                for j in others:
                    found[j], fallbacks[j] = found.get(j, []) + fallbacks.get(j, []), []
            if any(found.get(j) for j in others if j != i):
                fallbacks[i] = []
                if not self._speaks_of_another(i, found.get(i, [])):
                    found[i] = []
            elif any(fallbacks.get(j) for j in others if j != i):
                fallbacks[i] = []
        judged: dict[int, list[Coded]] = {}
        for verb, judgement in judgements(self):
            judged.setdefault(verb, []).append(judgement)
        for verb in set(judged) | self.judging:  # a judgement is what the verb reports
            # ("called the raid a crime": no appeal, 020, nor a call, 041)
            found[verb] = fallbacks[verb] = []
        demands = list(self._bare_demands(found)) + list(self._bare_refusals(found))
        demands += self._foretold_penalties(found)
        events = [event for r in readings for event in found.get(r.token.i, ())]
        events.extend(event for events in judged.values() for event in events)
        events.extend(self._accusations())
        events.extend(demands)
        events.extend(event for r in readings for event in fallbacks.get(r.token.i, ()))
        self._record_issued()
        return _fold(_unique(events))

    def _speaks_of_another(self, verb: int, said: list[Coded]) -> bool:
        """ "Pompeo said Iran would face sanctions": a person named in the text who says, in
        the sentence's main clause, what another actor did or will do makes a statement
        about them (010 to them) besides the act reported; "..., officials said" and
        statements with no one spoken of, or only the speaker's own side ("Kirby said U.S.
        aircraft struck Y"), give way to what they report."""
        return (
            verb in self.attributions
            and self.doc[verb].dep_ == "ROOT"
            and any(
                e.target is not None
                and e.source is not None
                and e.source.named
                and e.source.actor.kind == "person"
                and e.target.actor.code != e.source.actor.code
                for e in said
            )
        )

    def _aim_at_outcomes(
        self,
        found: dict[int, list[Coded]],
        fallbacks: dict[int, list[Coded]],
        yields: dict[int, set[int]],
    ) -> None:
        """ "X shelled the town, wounding Y": an attack aimed at no actor takes the one its
        outcome names, one event (the outcome gives way to it, `_completes`); when neither
        names one, both stand (the toll is the more telling code)."""
        for outcome, attack in self.outcomes.items():
            hit = [e.target for e in found.get(outcome, ()) if e.target is not None]
            events = found.get(attack) or fallbacks.get(attack) or []
            if any(e.target is not None for e in events):
                continue
            if not hit:
                yields.get(outcome, set()).discard(attack)
                continue
            found[attack] = [
                replace(e, target=t, fallback=False)
                for e in events
                for t in hit
                if e.source is None or e.source.actor.iri != t.actor.iri
            ]
            fallbacks[attack] = []

    def _bare_refusals(self, found: dict[int, list[Coded]]) -> Iterator[Coded]:
        """ "X refused to allow Y's planes to land", "X declined to receive Y": a rejection
        (120) of X's aimed at whom the refused act concerns, when that act is no event the
        dictionary knows (one it knows takes its refusal code, `_read_roles`)."""
        for verb in self.doc:
            if found.get(verb.i) or verb.dep_ != "xcomp" or verb.pos_ not in {"VERB", "AUX"}:
                continue
            refuser = moods.refused_by(self, verb)
            if refuser is None or found.get(refuser.i):
                continue
            sources, passive = self._subject(refuser)
            if passive:
                continue
            own = {s.actor.iri for s in sources}
            concerned = [
                m
                for c in verb.children
                if c.dep_ in {"dobj", "dative"}
                for m in self.actors_at(c)
                if m.actor.iri not in own
            ]
            for source in sources:
                for target in concerned:
                    yield Coded(
                        "120",
                        refuser.i,
                        refuser.i + 1,
                        source,
                        target,
                        moods.modality(self, refuser),
                    )

    def _bare_demands(self, found: dict[int, list[Coded]]) -> Iterator[Coded]:
        """ "X said Y must drop its barriers", "X insisted Y should go": a demand (100) of
        X's on Y whatever the obliged act, when that act is no event the dictionary knows
        (one it knows is read as the demand of that act, `_read_roles`). The demand is what
        the verb of saying reports: its plain statement (01) gives way."""
        for verb in self.doc:
            if found.get(verb.i) or verb.pos_ not in {"VERB", "AUX"}:
                continue
            speaker = moods.demanded_by(self, verb)
            if speaker is None or any(e.root != "01" for e in found.get(speaker.i, ())):
                continue
            obliged, passive = self._subject(verb)
            sources, speaker_passive = self._subject(speaker)
            if passive or speaker_passive:
                continue
            modality = moods.modality(self, speaker)
            if sources and obliged:
                found[speaker.i] = []
            for source in sources:
                for target in obliged:
                    if source.actor.iri != target.actor.iri:
                        yield Coded("100", speaker.i, speaker.i + 1, source, target, modality)

    def _foretold_penalties(self, found: dict[int, list[Coded]]) -> list[Coded]:
        """ "X said Y will pay a heavy price", "X warned that Y would face consequences": a
        threat (130) of X's to Y, whatever the penalty; X's plain statement gives way."""
        threats: list[Coded] = []
        for noun in self.doc:
            verb = noun.head
            if (
                noun.dep_ != "dobj"
                or self.lemmas[noun.i] not in self.g.penalty_nouns
                or self.lemmas[verb.i] not in self.g.penalty_verbs
                or verb.dep_ != "ccomp"
                or self.lemmas[verb.head.i] not in self.g.speech_verbs
                or moods.modality(self, verb) not in {"intended", "hypothetical"}
            ):
                continue
            speaker = verb.head
            targets, passive = self._subject(verb)
            sources, speaker_passive = self._subject(speaker)
            if passive or speaker_passive or not targets:
                continue
            if sources:
                found[speaker.i] = []
            threats += [
                Coded("130", speaker.i, speaker.i + 1, s, t, moods.modality(self, speaker))
                for s in sources
                for t in targets
                if s.actor.iri != t.actor.iri
            ]
        return threats

    def _read_roles(self, reading: _Reading) -> Iterator[Coded]:
        token = reading.token
        self.violent = reading.code[:2] in VIOLENT_ROOTS
        if token.i in self.absorbed:
            return iter(())
        if reading.noun:
            sources, targets = self._noun_roles(token, reading.sense)
            start = min(reading.used)
        else:
            sources, passive = self._subject(token)
            if len(sources) == 1 and self.lemmas[token.i] in self.g.reciprocal_verbs:
                sources = self._sides(token) or sources
            self.acting = {m.actor.iri for m in sources}
            self.acting_codes = {m.actor.code for m in sources if m.actor.code}
            targets = (
                self._passive_target(token, reading.code)
                if passive
                else self._object_targets(token, reading.sense, reading.code)
            )
            start = token.i
        modality = moods.modality(self, token)
        code = reading.code
        if not reading.noun and (fought := self._countered(token)):
            code, targets = self.g.counter_code, fought
        elif not reading.noun and (eased := self._eased(token)) is not None:
            code, targets = self.g.deescalation_code, eased  # "halted its offensive on Y"
        elif not reading.noun and (halted := self._halted(reading)) is not None:
            code, targets = halted  # "suspended its aid to Y": relations reduced (16)
        elif not reading.noun and (withdrawn := self._withdrawn(token)) is not None:
            code, targets = withdrawn  # "withdrew its inspectors from Y" (1662)
        elif code[:2] in {"18", "19"} and self._from_the_air(token):
            code = self.g.aerial_code  # "jets bombed Y", "a drone struck Y"
        elif not reading.noun and self.violent and (means := self._means(token)) is not None:
            code = means  # "wounded Y in a bomb attack": a bombing (183), one event
        if self.violent and not targets:
            targets = self._struck_where(token, sources)  # "attacks throughout Iraq"
        if code[:2] < "10":
            # "met reporters": the press at large is no party to talks or cooperation
            # (journalists arrested or killed are acted upon)
            targets = [t for t in targets if not self._the_press(t)]
        if code[:2] == "04":  # "reporters traveling with X": company, no consultation (but
            sources = [m for m in sources if not self._the_press(m)]  # journalists appeal)
        lemma = self.lemmas[token.i]
        speaking = lemma in self.g.speech_verbs or lemma in self.g.light_verbs
        if not reading.noun and speaking and self._public(token):
            # "told reporters", "issued a statement", "held a news conference": a public
            # statement, an event of its own; the press heard it, it is no target
            if self._joint(token):
                sources = sources[:1]  # "X, Y and Z issued a joint statement": one statement
            about = [t for t in targets if not self._press(t)]  # "a statement on Y" stays
            return self._pairs(reading, "010", sources, about, start, modality, public=True)
        if (
            code[:2] == "05"
            and targets
            and lemma in self.g.backing_verbs
            and all((t.actor.sector or "").lower() in self.g.armed_sectors for t in targets)
        ):
            code = self.g.armed_backing_code  # "supports Iraqi forces in their fight": not words
        if code == "043" and lemma in self.g.welcoming_verbs and not self._visitor(token):
            code = self.g.welcoming_code  # "welcomed Y's decision": approval, not a visit
        if code in self.g.crowd_codes and sources and all(_crowd(m) for m in sources):
            code = self.g.crowd_codes[code]  # "students protested": a demonstration
        if self._commits_to_pattern(reading) and modality == "asserted":
            modality = "intended"  # "agreed to a ceasefire": the ceasefire is what they mean
        speaker = None if reading.noun else moods.demanded_by(self, token)
        if speaker is not None:  # "X said Y must withdraw": X demands that Y withdraw
            targets, (sources, _passive) = sources, self._subject(speaker)
            code = "10" + self.g.intent_codes.get(code[:2], "030")[2:]
            modality = moods.modality(self, speaker)
        elif (refuser := None if reading.noun else moods.refused_by(self, token)) is not None:
            code = self.g.refusal_codes.get(code[:2], "120")  # "refused to withdraw from Y"
            modality = moods.modality(self, refuser)
        elif (wisher := None if reading.noun else moods.wanted_by(self, token)) is not None:
            targets, (sources, _passive) = sources, self._subject(wisher)
            code = "02" + self.g.intent_codes.get(code[:2], "030")[2:]
            modality = moods.modality(self, wisher)
        elif (threat := self._conditional_threat(reading, modality)) is not None:
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
        elif self._commits_to_nothing_known(reading):
            code = "030"  # "agreed to set up a centre": its act unknown, the intent stated
        return self._pairs(reading, code, sources, targets, start, modality)

    def _conditional_threat(self, reading: _Reading, modality: str) -> str | None:
        """The threat code of an act announced on a condition (grammar.yaml,
        conditional_threat_codes), or None. One only supposed ("Iran would attack if ...",
        with no one saying Iran will) stays what it is, hypothetical."""
        if reading.noun or modality != "intended":
            return None
        root = reading.code[:2]
        if root == "13":
            return None
        for clause in reading.token.children:
            if clause.dep_ != "advcl":
                continue
            marks = {self.lowers[c.i] for c in clause.children if c.dep_ == "mark"}
            if not marks & self.g.conditional_marks:
                continue
            unmet = marks & self.g.threat_marks or any(c.dep_ == "neg" for c in clause.children)
            if unmet or "10" <= root <= "20":
                codes = self.g.threat_codes | self.g.conditional_threat_codes
                return codes.get(root, "130")
        return None

    def _commits_to_pattern(self, reading: _Reading) -> bool:
        """A verb of commitment that a pattern read with what it commits to ("agree to a
        ceasefire", "pledge aid"): the code is the act's, its mood an intent."""
        return (
            not reading.noun
            and bool(reading.used)
            and self.lemmas[reading.token.i] in self.g.commitment_verbs
            and reading.code[:2] not in {"03", "13"}
        )

    def _commits_to_nothing_known(self, reading: _Reading) -> bool:
        """A verb of commitment whose infinitive complement is no event of the dictionary's:
        what it reports is the commitment itself."""
        token = reading.token
        if reading.noun or reading.used or self.lemmas[token.i] not in self.g.commitment_verbs:
            return False
        if reading.code[:2] in {"03", "13"}:
            return False
        complements = [c for c in token.children if c.dep_ == "xcomp" and moods.infinitive(self, c)]
        return bool(complements) and not any(c.i in self.read_tokens for c in complements)

    def _pairs(
        self,
        reading: _Reading,
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


def _agent_objects(verb: Token) -> Iterator[Token]:
    """The objects of a passive verb's or participle's "by" phrase."""
    for agent in verb.children:
        if agent.dep_ == "agent":
            for pobj in agent.children:
                if pobj.dep_ == "pobj":
                    yield pobj


def _crowd(mention: Mention) -> bool:
    """People named by what they are ("students", "workers"), no body that speaks."""
    return not mention.named and not mention.pronoun and mention.actor.kind == "other"


def _fold(events: list[Coded]) -> list[Coded]:
    """One act told with coordinated parties ("X, Y and Z delivered aid to W", "urged the
    government and the parties to ...") is one event: readings of one trigger, code and
    mood that share a source or a target fold into the first, the others its co-sources
    or co-targets. Acts done to each other ("X and Y met": X -> Y, Y -> X) stay apart."""
    out: list[Coded] = []
    for event in events:
        host = next((e for e in out if _joins(e, event)), None)
        if host is None:
            out.append(event)
            continue
        if event.source is not None and _iri(event.source) not in _parties(host, "source"):
            host.co_sources.append(event.source)
        if event.target is not None and _iri(event.target) not in _parties(host, "target"):
            host.co_targets.append(event.target)
    return out


def _parties(event: Coded, role: str) -> set[str | None]:
    """The actors (IRIs) of an event's sources or targets, the coordinated ones too."""
    if role == "source":
        return {_iri(m) for m in [event.source, *event.co_sources]}
    return {_iri(m) for m in [event.target, *event.co_targets]}


def _joins(host: Coded, event: Coded) -> bool:
    """Whether `event` is another party's share in `host`'s act (`_fold`)."""
    if (host.start, host.end, host.code, host.modality) != (
        event.start,
        event.end,
        event.code,
        event.modality,
    ):
        return False
    sources, targets = _parties(host, "source"), _parties(host, "target")
    if _iri(event.source) in targets or _iri(event.target) in sources:
        return False  # the other way round: done to each other
    return _iri(event.source) in sources or _iri(event.target) in targets


def _iri(mention: Mention | None) -> str | None:
    return mention.actor.iri if mention is not None else None


def _unique(events: list[Coded]) -> list[Coded]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for event in events:
        key = (
            event.root,
            event.source.actor.iri if event.source else None,
            event.target.actor.iri if event.target else None,
            event.modality,
        )
        if key not in seen:
            seen.add(key)
            out.append(event)
    return out


def code_parsed(
    doc: Doc, mentions: list[Mention], wheres: Collection[Mention] = (), told: Told | None = None
) -> list[Coded]:
    """The events of one parsed sentence; `mentions` (and `wheres`, the states named as
    where it happens) index into `doc`; `told` is what the text told before it, which the
    sentence adds the documents it names the issuers of to."""
    return SentenceCoder(doc, mentions, wheres, told).code()
