"""Judgements: what a speaker calls another's act ("X called Y's strike illegal", "X said
the Y attack was reckless") is X's disapproval (111) or praise (051) of Y; how a speaker
says it feels about another ("X is worried about Y's buildup", "X said it was confident
that Y would ...") is a pessimistic (012) or optimistic (013) comment on Y.

News reports condemnation this way more often than with "condemn": the verb is one of
naming or saying, the event is in the word that judges. Without this, the verb reads as a
plain statement (010) or, for "call", an appeal (020). Which words judge, and which verbs
name, are data in `dictionaries/grammar.yaml`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from spacy.tokens import Token

from ingest import doers as who
from ingest import modality as moods
from ingest.grammar import Coded

if TYPE_CHECKING:
    from ingest.coding import SentenceCoder
    from ingest.mentions import Mention

__all__ = ["judgements"]

PREDICATE_EDGES = {"oprd", "xcomp", "ccomp", "attr", "acomp", "appos"}
DISAPPROVE, PRAISE = "111", "051"
PESSIMISTIC, OPTIMISTIC = "012", "013"


def judgements(coder: SentenceCoder) -> Iterator[tuple[int, Coded]]:
    """Each judgement in the sentence with the token of the verb that makes it."""
    g = coder.g
    for verb in coder.doc:
        lemma = coder.lemmas[verb.i]
        if lemma not in g.naming_verbs and lemma not in g.speech_verbs:
            continue
        found = False
        for judged, predicate in _judged(coder, verb):
            code = _verdict(coder, predicate)
            if code is None:
                continue
            found = True
            coder.judging.add(verb.i)  # what it names is a verdict, whoever it falls on
            yield from _verb_judges(coder, verb, code, predicate, _doers(coder, judged, predicate))
        if not found and lemma in g.naming_verbs:
            yield from _named_by_surface(coder, verb)
    yield from _quoted_verdicts(coder)
    yield from _moods(coder)


def _quoted_verdicts(coder: SentenceCoder) -> Iterator[tuple[int, Coded]]:
    """ "This attack was reckless.", a sentence of a quotation whose speaker is named
    where it opens or closes (`ingest.quotes`): the speaker's judgement."""
    speaker = coder.told.speaker
    if speaker is None:
        return
    for copula in coder.doc:
        if copula.dep_ != "ROOT" or coder.lemmas[copula.i] != "be":
            continue
        modality = moods.modality(coder, copula)
        for judged, predicate in _predicated(coder, copula):
            code = _verdict(coder, predicate)
            if code is None:
                continue
            targets = _doers(coder, judged, predicate)
            yield from _pairs(copula.i, code, predicate, [speaker], targets, modality)


def _verb_judges(
    coder: SentenceCoder, verb: Token, code: str, word: Token, targets: list[Mention]
) -> Iterator[tuple[int, Coded]]:
    sources, passive = who.subject(coder, verb)
    if not passive:
        yield from _pairs(verb.i, code, word, sources, targets, moods.modality(coder, verb))


def _pairs(
    at: int,
    code: str,
    word: Token,
    sources: list[Mention],
    targets: list[Mention],
    modality: str,
) -> Iterator[tuple[int, Coded]]:
    """A judgement `word` from each source on each other target, told by the token `at`."""
    for source in sources:
        for target in targets:
            if source.actor.iri != target.actor.iri:
                yield at, Coded(code, word.i, word.i + 1, source, target, modality)


def _named_by_surface(coder: SentenceCoder, verb: Token) -> Iterator[tuple[int, Coded]]:
    """ "called Y's move practically worthless", which a small parser may read with "move"
    for the sentence's head: by the words' order, an actor named right after the verb of
    naming and a word that judges a few words on, with no verb between."""
    doc = coder.doc
    after = doc[verb.i + 1 : min(len(doc), verb.i + 10)]
    target = next((coder.by_token[t.i] for t in after[:3] if t.i in coder.by_token), None)
    if target is None:
        return
    for token in after:
        if token.i >= target.end and token.pos_ in {"VERB", "AUX"}:
            return
        if token.i >= target.end and token.pos_ in {"ADJ", "NOUN"}:
            code = _verdict(coder, token)
            if code is not None:
                yield from _verb_judges(coder, verb, code, token, [target])
                return


def _judged(coder: SentenceCoder, verb: Token) -> Iterator[tuple[Token, Token]]:
    """(what is judged, the word that judges it) under a verb of naming or saying."""
    naming = coder.lemmas[verb.i] in coder.g.naming_verbs
    if naming:  # "called the strike illegal", "described the raid as a crime"
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            for holder in (verb, obj):
                for c in holder.children:
                    if c.dep_ in PREDICATE_EDGES and c.i > obj.i:
                        yield obj, c
                    elif c.dep_ == "prep" and coder.lowers[c.i] == "as":
                        yield from ((obj, p) for p in c.children if p.dep_ == "pobj")
    for clause in verb.children:  # "said the attack was reckless"
        if clause.dep_ == "ccomp" and coder.lemmas[clause.i] == "be":
            yield from _predicated(coder, clause)


def _predicated(coder: SentenceCoder, copula: Token) -> Iterator[tuple[Token, Token]]:
    """(subject, predicate) of a copula: "the attack" and "reckless" in "the attack was
    reckless"."""
    subjects = [c for c in copula.children if c.dep_ == "nsubj"]
    for predicate in (c for c in copula.children if c.dep_ in {"acomp", "attr"}):
        yield from ((s, predicate) for s in subjects)


def _verdict(coder: SentenceCoder, predicate: Token) -> str | None:
    """111 for a word of disapproval in the predicate, 051 for one of praise."""
    words = {coder.lemmas[t.i] for t in predicate.subtree} | {
        coder.lowers[t.i] for t in predicate.subtree
    }
    negated = [*predicate.subtree, *(predicate.head.children if predicate.dep_ != "oprd" else ())]
    if any(t.dep_ == "neg" for t in negated):
        return None  # "was not illegal": no verdict to code
    if coder.lemmas[predicate.i] in coder.g.accusation_adjectives and any(
        c.dep_ == "prep" for c in predicate.children
    ):
        return None  # "responsible for the attack": an accusation (112), no praise
    if words & coder.g.disapproval_words:
        return DISAPPROVE
    if words & coder.g.approval_words:
        return PRAISE
    return None


def _doers(coder: SentenceCoder, judged: Token, predicate: Token) -> list[Mention]:
    """Whose act is judged: an actor named by the noun phrase ("Turkey's incursion", "the
    Russian strikes"), else the doer the event noun's own roles give. An attack the
    sentence points back to ("This attack was reckless", "This was an unprovoked attack")
    is that of the doer of the last violent act the text told, if any."""
    if judged.i in coder.nouns:  # "the killing of Y": Y was killed, the killer is judged
        return who.pointed_doer(coder, judged)
    found = coder.actors_at(judged)
    if found:
        return found
    if coder.lowers[judged.i] in coder.g.pointing_words and predicate.i in coder.nouns:
        # "This was an unprovoked attack": the attack is what is judged
        return who.pointed_doer(coder, predicate, pointed=True)
    return who.pointed_doer(coder, judged)


def _moods(coder: SentenceCoder) -> Iterator[tuple[int, Coded]]:
    """ "X is worried about Y", "X said it was confident that Y would ...": 012 or 013."""
    g = coder.g
    for copula in coder.doc:
        if coder.lemmas[copula.i] not in g.copulas:
            continue
        for mood in (c for c in copula.children if c.dep_ == "acomp"):
            words = {coder.lemmas[mood.i], coder.lowers[mood.i]}
            if words & g.pessimism_words:
                code = PESSIMISTIC
            elif words & g.optimism_words:
                code = OPTIMISTIC
            else:
                continue
            if any(c.dep_ == "neg" for c in copula.children):
                continue  # "not worried": no comment to code
            sources = [m for c in copula.children if c.dep_ == "nsubj" for m in coder.actors_at(c)]
            said = copula.dep_ == "ccomp" and coder.lemmas[copula.head.i] in g.speech_verbs
            if said and not sources:
                sources = who.subject(coder, copula.head)[0]
            modality = moods.modality(coder, copula)
            for source in sources:
                for target in _about(coder, mood):
                    if source.actor.iri != target.actor.iri:
                        yield (
                            copula.head.i if said else copula.i,
                            Coded(code, mood.i, mood.i + 1, source, target, modality),
                        )


def _about(coder: SentenceCoder, mood: Token) -> list[Mention]:
    """Whom a feeling concerns: its preposition's object ("worried about Y's plans") or the
    subject of its clause ("confident that Y would")."""
    for child in mood.children:
        if child.dep_ == "prep":
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                found = coder.actors_at(pobj)
                if found:
                    return found
        if child.dep_ == "ccomp":
            for subject in (c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}):
                found = coder.actors_at(subject)
                if found:
                    return found
    return []
