"""Whom an act is done to: a verb's objects, else its prepositions' (an object that is no
actor lends its own), a passive's subject, the subject of a threat's condition, the state
a violent act takes place in; and the roles of an event noun (`noun_roles`: its doer and
whom it struck, "clashes between X and Y", "Y suffered attacks by X").

The coder (`ingest.coding`) comes first in every call; its class stays short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from ingest import doers as who
from ingest.grammar import MODIFIERS, VIOLENT_ROOTS
from ingest.triggers import Sense

if TYPE_CHECKING:
    from ingest.coding import SentenceCoder
    from ingest.mentions import Mention

__all__ = [
    "noun_roles",
    "object_targets",
    "passive_target",
    "relative_light",
    "struck_where",
    "through",
    "undergone_by",
]


def passive_target(coder: SentenceCoder, verb: Token, code: str = "") -> list[Mention]:
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            if code[:2] in coder.g.doer_target_roots:  # "Y's plan was rejected by X"
                return coder.actors_at(child) or coder.others(who.agent_of(coder, child))
            return coder.actors_at(child)
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return coder.actors_at(verb.head)
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        return passive_target(coder, verb.head)
    return []


def object_targets(
    coder: SentenceCoder, head: Token, sense: Sense, code: str = ""
) -> list[Mention]:
    """The target of a verb or noun: objects first, then its prepositions'."""
    children = list(head.children)
    if sense.object or head.pos_ != "NOUN":
        for dep in ("dative", "dobj", "attr", "oprd"):
            for child in children:
                if child.dep_ == dep and not _own_means(coder, child):
                    found = []
                    if code[:2] in coder.g.doer_target_roots:  # "condemned attacks by Y"
                        found = coder.others(who.agent_of(coder, child))
                    found = found or coder.others(coder.actors_at(child))
                    if code[:2] in coder.g.doer_target_roots and not found:
                        found = coder.others(who.pointed_doer(coder, child))  # "this attack"
                    found = found or coder.others(through(coder, child))
                    if found:
                        return found
    preps = [c for c in children if c.dep_ in {"prep", "dative"}]
    for child in children:
        if child.dep_ == "dobj":
            preps.extend(c for c in child.children if c.dep_ == "prep")
    wanted = list(sense.preps) + [p for p in coder.g.target_preps if p not in sense.preps]
    for prep_word in wanted:
        for prep in preps:
            if coder.lowers[prep.i] != prep_word:
                continue
            for pobj in prep.children:
                if pobj.dep_ in {"pobj", "pcomp"} and not coder.behest(pobj):
                    found = coder.others(coder.actors_at(pobj) or through(coder, pobj))
                    if found:
                        return found
    for child in children:  # "threatened to secede from Y", "vowed to strike Y"
        if child.dep_ == "xcomp" or (
            child.dep_ == "advcl" and any(coder.lowers[c.i] == "to" for c in child.children)
        ):
            return object_targets(coder, child, sense, code)
    for child in children:  # "demanded that X withdraw", "urged that X stop"
        if child.dep_ == "ccomp" and code[:2] in coder.g.clause_target_roots:
            for subject in child.children:
                if subject.dep_ in {"nsubj", "nsubjpass"}:
                    return coder.others(coder.actors_at(subject))
    if code[:2] in coder.g.condition_target_roots:  # "threatened to strike unless X ..."
        return coder.others(_condition_subject(coder, head))
    return []


def _own_means(coder: SentenceCoder, noun: Token) -> bool:
    """ "withdrew its troops from Y", "sent (their) forces to Y": the source's own body,
    moved or used, is no target (the search goes on to the prepositions)."""
    mention = coder.by_token.get(noun.i)
    if mention is None:
        return False
    # "sent troops to Y": a bare agent noun (its soldiers and officials, not its
    # demonstrators or civilians); whose country the linker guessed from the story,
    # but what a peaceful act sends somewhere is the source's own
    bare = all(t.is_lower for t in coder.doc[mention.start : mention.end])
    sector = (mention.actor.sector or "").lower()
    sent = any(
        c.dep_ == "prep" and coder.lowers[c.i] in coder.g.destination_preps
        for c in (*noun.children, *noun.head.children)
    )
    if bare and sent and sector in coder.g.own_means_sectors and not coder.violent:
        return True
    if mention.actor.code not in coder.acting_codes:
        return False
    own = any(
        c.dep_ == "poss" and c.pos_ == "PRON" and coder.lowers[c.i] in {"its", "their", "our"}
        for c in noun.children
    )
    return own or (bare and sector in coder.g.own_means_sectors)


def _condition_subject(coder: SentenceCoder, head: Token) -> list[Mention]:
    """Who a threat or ultimatum is addressed to: the subject of its condition."""
    for clause in head.children:
        if clause.dep_ != "advcl" or not any(
            c.dep_ == "mark" and coder.lowers[c.i] in coder.g.conditional_marks
            for c in clause.children
        ):
            continue
        for subject in clause.children:
            if subject.dep_ in {"nsubj", "nsubjpass"}:
                return coder.actors_at(subject)
    return []


def through(coder: SentenceCoder, noun: Token, depth: int = 0) -> list[Mention]:
    """An object that is no actor may still name one: its preposition's object, or
    that one's ("suspended part of its aid to Y", "a suspension of air links with Y")."""
    fight = coder.nouns.get(noun.i)
    if fight is not None and fight.code[:2] in VIOLENT_ROOTS and not coder.violent:
        return []  # "protection ... in the fight against Y": Y is the enemy, not helped
    for pobj in coder.prep_objects(noun, coder.g.target_preps):
        found = coder.actors_at(pobj)
        if not found and depth < 1:
            found = through(coder, pobj, depth + 1)
        if found:
            return found
    if depth < 1:  # "sanctions related to weapons on Y": a participle's phrase
        for acl in noun.children:
            if acl.dep_ == "acl" and acl.tag_ == "VBN":
                found = through(coder, acl, depth)  # the participle is the noun's own
                if found:
                    return found
    return []


def noun_roles(
    coder: SentenceCoder, noun: Token, sense: Sense, seen: int = 0
) -> tuple[list[Mention], list[Mention]]:
    source: list[Mention] = []
    for child in noun.children:
        if child.dep_ in MODIFIERS and child.i in coder.by_token:
            source = coder.actors_at(child)
            break
    if not source:
        source = who.agent_of(coder, noun)
    # "clashes between X and Y", "talks between X and Y", "clashes erupted between X and Y"
    sided = [noun] + ([noun.head] if noun.dep_ == "nsubj" else [])
    if not source:
        for pobj in (p for head in sided for p in coder.prep_objects(head, coder.g.sides_preps)):
            sides = coder.actors_at(pobj)
            if len({m.actor.iri for m in sides}) > 1:
                reading = coder.nouns.get(noun.i)
                code = reading.code if reading is not None else sense.code or ""
                if code[:2] in coder.g.symmetric_roots:
                    return sides, []  # "talks between X and Y": each side's, both ways
                return sides[:1], sides[1:]
    if (undergoer := undergone_by(coder, noun)) is not None:
        # "Y suffered attacks by X": Y is struck, whatever the noun's own phrases say
        sufferers, passive = who.subject(coder, undergoer, seen + 1)
        source = source or [  # "faced fire from X", the "from" hung on the verb
            m
            for o in coder.prep_objects(undergoer, coder.g.agent_preps)
            for m in coder.actors_at(o)
        ]
        hit = set() if passive else {m.actor.iri for m in sufferers}
        return [m for m in source if m.actor.iri not in hit], [] if passive else sufferers
    target: list[Mention] = []
    wanted = list(sense.preps) + [p for p in coder.g.target_preps if p not in sense.preps]
    anchor = noun  # "launched artillery and rocket fire": "fire" stands where "artillery" does
    while anchor.dep_ == "conj" and anchor.head.pos_ in {"NOUN", "PROPN"}:
        anchor = anchor.head
    of = anchor.head  # "restarted its full range of support to Y": the range stands in
    if (
        anchor.dep_ == "pobj"
        and coder.lowers[of.i] == "of"
        and of.head.dep_ == "dobj"
        and coder.lemmas[of.head.head.i] in coder.g.light_verbs
    ):
        anchor = of.head
    light = _light_clause(coder, anchor)  # its own clause's verb before the governing one
    if light is None and anchor.dep_ in {"dobj", "pobj", "nsubjpass"}:
        light = anchor.head
        if light.dep_ == "prep":
            light = light.head
    heads = [noun] if light is None else [noun, light]
    # "attacks by X on Y" parsed with "on Y" hanging on X: still the attack's target
    doers = list(coder.prep_objects(noun, coder.g.doer_preps))
    for prep_word in wanted:
        if prep_word in coder.g.agent_preps:
            continue
        also = doers if prep_word in coder.g.pointed_preps else []
        for head in heads + also:
            for pobj in coder.prep_objects(head, {prep_word}, after=noun.i):
                target = coder.actors_at(pobj) or through(coder, pobj, 1)
                if not source:  # "an attack on Y by X", the "by" read as Y's
                    source = who.agent_of(coder, pobj)
                if target:
                    break
            if target:
                break
        if target:
            break
    if not source and seen < 4:
        source = who.noun_doer(coder, anchor, light, seen)
    if not target and seen < 4:
        target = _outcome_target(coder, noun)
    if not target and (sense.code or "")[:2] in coder.g.clause_target_roots:
        target = _clause_subject(coder, noun)  # "a demand that Y return ..."
    return source, target


def undergone_by(coder: SentenceCoder, noun: Token) -> Token | None:
    """ "Y suffered attacks by X", "Y came under fire from X": the verb whose subject
    undergoes the act an event noun names, or None."""
    head = noun.head
    if noun.dep_ == "dobj" and coder.lemmas[head.i] in coder.g.undergoing_verbs:
        return head
    if (
        noun.dep_ == "pobj"
        and coder.lowers[head.i] in coder.g.undergoing_preps
        and head.head.pos_ in {"VERB", "AUX"}
    ):
        return head.head
    return None


def _light_clause(coder: SentenceCoder, noun: Token) -> Token | None:
    """ "the sanctions (that) X reimposed on Y": a relative clause of a light verb with
    no object of its own stands where a governing verb would."""
    return next((c for c in noun.children if relative_light(coder, c)), None)


def relative_light(coder: SentenceCoder, verb: Token) -> bool:
    """A light verb in a relative clause whose object is the noun it qualifies."""
    return (
        verb.dep_ == "relcl"
        and coder.lemmas[verb.i] in coder.g.light_verbs
        and all(c.tag_ == "WDT" for c in verb.children if c.dep_ in {"dobj", "attr"})
    )


def _clause_subject(coder: SentenceCoder, noun: Token) -> list[Mention]:
    """Whom a noun of saying is about: the subject of its "that" clause."""
    for clause in noun.children:
        if clause.dep_ in {"acl", "ccomp"} and any(
            c.dep_ == "mark" and coder.lowers[c.i] == "that" for c in clause.children
        ):
            for subject in clause.children:
                if subject.dep_ in {"nsubj", "nsubjpass"}:
                    return coder.actors_at(subject)
    return []


def _outcome_target(coder: SentenceCoder, noun: Token) -> list[Mention]:
    """Whom an event noun struck, told by the verb of its outcome: "the strike that
    killed Y", "the strike, which wounded Y", "an attack by X killed Y"."""
    verbs = [c for c in noun.children if c.dep_ in {"relcl", "acl"} and c.pos_ == "VERB"]
    if noun.dep_ == "nsubj" and noun.head.pos_ == "VERB":
        verbs.append(noun.head)
    for verb in verbs:
        for child in verb.children:
            if child.dep_ == "dobj":
                found = coder.actors_at(child)
                if found:
                    return found
    prep = noun.head
    if noun.dep_ == "pobj" and coder.lowers[prep.i] in coder.g.outcome_preps:
        for child in prep.head.children:  # "Y was killed in an attack by X"
            if child.dep_ == "nsubjpass":
                return coder.actors_at(child)
    return []


def struck_where(coder: SentenceCoder, token: Token, sources: list[Mention]) -> list[Mention]:
    """ "X carried out attacks throughout Iraq", "X's operations in Lebanon": a violent
    act with no one named as struck strikes the state where it takes place, unless that
    is the doer's own."""
    heads = [token]
    if token.dep_ in {"dobj", "pobj"}:  # "carried out attacks in Y": the light verb's
        heads.append(token.head.head if token.dep_ == "pobj" else token.head)
    own = {m.actor.code for m in sources}
    for pobj in (p for head in heads for p in coder.prep_objects(head, coder.g.where_preps)):
        where = coder.where_at.get(pobj.i)
        if where is not None and where.actor.code not in own:
            return [where]
    return []
