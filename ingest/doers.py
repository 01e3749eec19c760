"""Who does an act: the source of a verb (its subject, the "by" agent of a passive, the
subject it shares or the object that controls it, the noun a relative clause hangs on) and
of an event noun (its possessor or modifier, its "by" phrase, the subject of the light verb
that carries it), and the doer of an earlier act a noun points back to ("this attack").

Apart from the coder's class (`ingest.coding`), which each function takes first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from spacy.tokens import Token

from ingest import modality as moods
from ingest import targets as whom
from ingest.antecedents import DEFINITE
from ingest.grammar import MODIFIERS, VIOLENT_ROOTS
from ingest.people import name_words

if TYPE_CHECKING:
    from ingest.coding import SentenceCoder
    from ingest.mentions import Mention

__all__ = [
    "accused_of",
    "agent_of",
    "done_by_another",
    "from_the_air",
    "joined_in",
    "noun_doer",
    "others_doing",
    "own",
    "pointed_doer",
    "reacts_to",
    "record_issued",
    "sides",
    "subject",
]

PASSIVE_AUX = {"auxpass"}


def sides(coder: SentenceCoder, verb: Token) -> list[Mention]:
    """ "Indian and Pakistani troops clashed": the two sides a subject's coordinated
    modifiers name, for acts done to each other (as one of them alone, the subject is
    the modifiers' common noun, each side's)."""
    sides: list[Mention] = []
    for subject in (c for c in verb.children if c.dep_ == "nsubj"):
        for modifier in (c for c in subject.children if c.dep_ in MODIFIERS):
            for side in (modifier, *modifier.conjuncts):
                mention = coder.by_token.get(side.i)
                if mention is not None and mention not in sides:
                    sides.append(mention)
    return sides if len(sides) > 1 else []


def own(coder: SentenceCoder, token: Token, depth: int) -> list[Mention]:
    mention = coder.by_token.get(token.i)
    if mention is not None:
        return [mention]
    if depth > 2 or coder.lemmas[token.i] in coder.g.relation_nouns:
        return []  # "U.S.-Iran tensions" are neither side's
    for dep in MODIFIERS:
        for child in token.children:
            if child.dep_ == dep and child.i in coder.by_token:
                return coder.actors_at(child, depth + 1)
    for child in token.children:  # "militia weapons caches": the compound's own modifier
        if child.dep_ == "compound" and child.i not in coder.by_token:
            found = own(coder, child, depth + 1)
            if found:
                return found
    preps = {"of", "from"}
    if (
        coder.lemmas[token.i] in coder.g.speaker_nouns
        or coder.lowers[token.i] in coder.g.speaker_nouns
    ):
        preps.add("for")  # "a spokesman for Hamas"
    for child in token.children:
        if child.dep_ == "prep" and coder.lowers[child.i] in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found = coder.actors_at(pobj, depth + 1)
                    if found:
                        return found
    holder = _holder(coder, token)
    if holder:
        return holder
    for clause in token.children:  # "six sites, which included X's depots": X's
        if clause.dep_ == "relcl" and coder.lemmas[clause.i] in coder.g.inclusion_verbs:
            for part in clause.children:
                if part.dep_ == "dobj":
                    found = coder.actors_at(part, depth + 1)
                    if found:
                        return found
    if token.dep_ == "appos":
        return []
    for child in token.children:
        if child.dep_ == "appos":
            return own(coder, child, depth + 1)
    return []


def _holder(coder: SentenceCoder, token: Token) -> list[Mention]:
    """ "sites used by X", "X-controlled areas": places and things named by who holds
    them stand for that actor."""
    for child in token.children:
        if coder.lemmas[child.i] not in coder.g.holder_participles:
            continue
        if child.dep_ == "acl":
            for pobj in _agent_objects(child):
                found = coder.actors_at(pobj)  # "used by X militants": X's
                if found:
                    return found
        elif child.dep_ == "amod":  # "Houthi-controlled"
            for holder in child.children:
                if holder.i in coder.by_token:
                    return coder.actors_at(holder)
    return []


def subject(coder: SentenceCoder, verb: Token, seen: int = 0) -> tuple[list[Mention], bool]:
    """(source actors, whether the verb is passive) of a verb."""
    passive = any(c.dep_ in PASSIVE_AUX or c.dep_ == "nsubjpass" for c in verb.children)
    if passive:
        for pobj in _agent_objects(verb):
            # "was hit by rockets fired by X": the weapon's own doer
            return coder.actors_at(pobj) or agent_of(coder, pobj), True
        if coder.lemmas[verb.i] in coder.g.intent_verbs:  # "X is committed to opening"
            return [
                m for c in verb.children if c.dep_ == "nsubjpass" for m in coder.actors_at(c)
            ], False
        return [], True
    if seen > 4:
        return [], False
    for child in verb.children:
        if child.dep_ in {"nsubj", "csubj"}:
            if child.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
                return _head_actors(coder, verb, seen), False
            found = coder.actors_at(child)
            if not found and child.i in coder.nouns:  # "an attack by X killed Y": X
                found = whom.noun_roles(coder, child, coder.nouns[child.i].sense, seen + 1)[0]
            if not found and (issuer := _issuer(coder, child)) is not None:
                found = [issuer]  # "The resolution demands ...": who adopted it
            return found, False
    head = verb.head
    if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ != "VBN"):
        return _head_actors(coder, verb, seen), False
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return [], True
    if verb.dep_ == "conj" and head.pos_ in {"VERB", "AUX"}:
        return subject(coder, head, seen + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        governor = head.head
        if coder.lowers[head.i] in coder.g.object_control_preps:
            objects = [c for c in governor.children if c.dep_ in {"dobj", "dative"}]
            if objects:
                return coder.actors_at(objects[0]), False
        if governor.pos_ in {"VERB", "AUX"}:
            return subject(coder, governor, seen + 1)
    if verb.dep_ == "ccomp":  # "told Y the coalition restarted ...", parsed as 2 objects
        stranded = _stranded_subject(coder, verb)
        if stranded is not None:
            return coder.actors_at(stranded), False
    # "X is ready to send": the adjective's subject is its copula's
    if verb.dep_ in {"xcomp", "advcl", "ccomp", "acomp"} and head.pos_ in {
        "VERB",
        "AUX",
        "ADJ",
    }:
        if verb.dep_ == "xcomp":  # "asked Y to leave", "called on Y to leave": Y
            asked = moods.asked(coder, head)
            if asked is not None:
                return coder.actors_at(asked), False
        return subject(coder, head, seen + 1)
    return [], False


def _issuer(coder: SentenceCoder, noun: Token) -> Mention | None:
    """Who issued the document a definite noun names ("the resolution", "the
    statement"), told in an earlier sentence (`Told.issuers`)."""
    if not coder.determined(noun, DEFINITE):
        return None
    return coder.told.issuers.get(coder.lemmas[noun.i])


def record_issued(coder: SentenceCoder) -> None:
    """ "X adopted a resolution", "X issued a statement": X is what "the resolution" or
    "the statement" speaks for in the sentences after."""
    for noun in coder.doc:
        if noun.dep_ == "dobj" and coder.lemmas[noun.i] in name_words().document_nouns:
            sources, passive = subject(coder, noun.head)
            if sources and not passive:
                coder.told.issuers[coder.lemmas[noun.i]] = sources[0]


def _stranded_subject(coder: SentenceCoder, verb: Token) -> Token | None:
    """A clause's subject the parser hung on the verb above as a second object: the
    object that ends just before the clause's verb (quotes and commas aside)."""
    objects = [c for c in verb.head.children if c.dep_ in {"dobj", "dative"}]
    if len(objects) < 2:
        return None
    before = verb.i - 1
    while before >= 0 and coder.doc[before].is_punct:
        before -= 1
    last = objects[-1]
    if last.right_edge.i != before or last.i > verb.i:
        return None
    word = coder.doc[before]  # the noun that ends the object: the clause's own subject
    return word if word.pos_ in {"NOUN", "PROPN"} else None


def _head_actors(coder: SentenceCoder, verb: Token, seen: int) -> list[Mention]:
    """Who does what a relative clause or participle says of its noun: the noun itself,
    the doer of the event it names ("the attack that killed Y"), or whoever acted on it
    ("passed a resolution calling for Y")."""
    head = verb.head
    found = coder.actors_at(head) or _own_doers(coder, head)  # "a decision by Y to leave"
    if found:
        return found
    if head.i in coder.nouns:
        return whom.noun_roles(coder, head, coder.nouns[head.i].sense, seen + 1)[0]
    if head.dep_ in {"dobj", "attr"} and head.head.pos_ in {"VERB", "AUX"}:
        if head.dep_ == "dobj" and reacts_to(coder, head.head):
            return []  # "X condemned the plan to expel Y": whose plan, it does not say
        return subject(coder, head.head, seen + 1)[0]
    return []


def pointed_doer(coder: SentenceCoder, noun: Token, pointed: bool = False) -> list[Mention]:
    """The doers of the act an event noun names: its own ("Y's attack", "attacks by
    Y"), else, for a violent act that points back ("this attack", "the shelling";
    `pointed` when the sentence points at it otherwise), the doer of the last violent
    act told before."""
    reading = coder.nouns.get(noun.i)
    if reading is None:
        return []
    sources = _own_doers(coder, noun)
    pointed = pointed or coder.determined(noun, coder.g.pointing_words)
    violent = reading.code[:2] in VIOLENT_ROOTS
    if not sources and pointed and violent and coder.told.struck_before is not None:
        return [coder.told.struck_before]
    return sources


def agent_of(coder: SentenceCoder, noun: Token) -> list[Mention]:
    """The doer a noun's "by"/"from" phrase names ("attacks by militias"), or that of
    the participle that qualifies it ("the sanctions imposed by the EU")."""
    for pobj in coder.prep_objects(noun, coder.g.agent_preps):
        found = coder.actors_at(pobj)
        if found:
            return found
    for acl in noun.children:
        # "the sanctions imposed by the EU", "an offer that was made by X"
        passive = acl.dep_ == "relcl" and any(c.dep_ == "auxpass" for c in acl.children)
        if (acl.dep_ == "acl" and acl.tag_ == "VBN") or passive:
            for pobj in _agent_objects(acl):
                found = coder.actors_at(pobj)
                if found:
                    return found
    return []


def noun_doer(coder: SentenceCoder, noun: Token, light: Token | None, seen: int) -> list[Mention]:
    """The doer of an event noun that names none itself, from the verb it hangs on."""
    if light is not None and accused_of(coder, noun):
        return [m for c in light.head.children if c.dep_ == "nsubj" for m in coder.actors_at(c)]
    taker = light.head if light is not None and light.pos_ == "NOUN" else light
    if taker is not None and any(p.i == noun.i for p in joined_in(coder, taker)):
        # "X took part in the attacks", "X was involved in the killing": X's, even passive
        return [
            m
            for c in taker.children
            if c.dep_ in {"nsubj", "nsubjpass"}
            for m in coder.actors_at(c)
        ]
    if light is None or light.pos_ not in {"VERB", "AUX"}:
        return []
    if noun.dep_ == "nsubjpass" and coder.lemmas[light.i] in coder.g.light_verbs:
        # "the strike was carried out by X", "was launched by X": X's
        return [m for o in _agent_objects(light) for m in coder.actors_at(o)]
    prep = noun.head if noun.dep_ == "pobj" else None
    if prep is not None and coder.lemmas[light.i] in coder.g.accusation_verbs:
        # "blamed X for the attack", "X was blamed for the attack"
        accused = [c for c in light.children if c.dep_ in {"dobj", "dative", "nsubjpass"}]
        if accused:
            return coder.actors_at(accused[0])  # "blamed X for the attack"
    if noun.dep_ == "dobj" and (
        reacts_to(coder, light) or coder.lemmas[light.i] in coder.g.naming_verbs
    ):
        # "Iran protested the sanctions", "X called the killing a crime": whose act,
        # the verb does not say
        return []
    if (
        noun.dep_ == "dobj"
        or (light.dep_ == "relcl" and light.head.i == noun.i)
        or (prep is not None and coder.lowers[prep.i] in coder.g.instrument_preps)
    ):
        source, passive = subject(coder, light, seen + 1)
        return [] if passive else source
    return []


def accused_of(coder: SentenceCoder, noun: Token) -> bool:
    """ "X is responsible for the attack", "X was guilty of the killings"."""
    prep = noun.head
    return (
        noun.dep_ == "pobj"
        and prep.dep_ == "prep"
        and prep.head.dep_ == "acomp"
        and coder.lemmas[prep.head.i] in coder.g.accusation_adjectives
    )


def joined_in(coder: SentenceCoder, verb: Token) -> list[Token]:
    """ "X engaged in ethnic cleansing", "X took part in the attacks", "X was involved in
    the killing": what a verb of taking part names after "in"; it lends its subject to
    those nouns as a light verb does."""
    holders = [verb]
    if coder.lemmas[verb.i] not in coder.g.participation_verbs:
        holders += [
            c
            for c in verb.children
            if c.dep_ == "dobj" and coder.lemmas[c.i] in coder.g.participation_nouns
        ]
        if len(holders) == 1:
            return []
    return [p for h in holders for p in coder.prep_objects(h, {"in"})]


def reacts_to(coder: SentenceCoder, verb: Token) -> bool:
    """A verb that is an event of its own about another's act (a judgement, a protest):
    its subject is not the doer of the act it names."""
    senses = coder.d.verbs.get(coder.lemmas[verb.i]) or ()
    code = next((s.code for s in senses if s.code), "")
    return coder.lemmas[verb.i] not in coder.g.light_verbs and code[:2] in coder.g.reaction_roots


def _own_doers(coder: SentenceCoder, noun: Token) -> list[Mention]:
    """The doers an event noun names itself: its possessor or modifier ("Y's attack",
    "the Y strikes"), else its "by" phrase."""
    return [
        m
        for c in noun.children
        if c.dep_ in MODIFIERS and c.i in coder.by_token
        for m in coder.actors_at(c)
    ] or [m for o in coder.prep_objects(noun, coder.g.doer_preps) for m in coder.actors_at(o)]


def others_doing(coder: SentenceCoder, noun: Token, verb: Token) -> list[Mention]:
    """The doers an event noun names itself (its possessor or modifier, its "by"
    phrase) other than the subject of the verb it hangs on."""
    subjects = {m.actor.iri for m in subject(coder, verb)[0]}
    return [m for m in _own_doers(coder, noun) if m.actor.iri not in subjects]


def done_by_another(coder: SentenceCoder, token: Token, verb: Token) -> bool:
    """ "X vowed to stop attacks by Y", "X condemned Y's invasion of Z": an event noun
    that a verb's pattern read, whose own doer is not the verb's subject, is an event
    of its own too."""
    return bool(others_doing(coder, token, verb))


def from_the_air(coder: SentenceCoder, verb: Token) -> bool:
    """Whether the act's doer is an aircraft ("Israeli jets bombed", "drones struck",
    "was targeted by drones")."""
    doers = [c for c in verb.children if c.dep_ == "nsubj"] + list(_agent_objects(verb))
    return any(coder.lemmas[c.i] in coder.g.aircraft for c in doers)


def _agent_objects(verb: Token) -> Iterator[Token]:
    """The objects of a passive verb's or participle's "by" phrase."""
    for agent in verb.children:
        if agent.dep_ == "agent":
            for pobj in agent.children:
                if pobj.dep_ == "pobj":
                    yield pobj
