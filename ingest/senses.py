"""Senses a verb takes from what it is said of, beyond its dictionary code: stopping one's
own act or cooperation ("halted its offensive", "suspended its aid"), withdrawing people,
fighting off another's attack, the means of a violent act, a public statement ("told
reporters") and the press at large, joint acts, acts announced on a condition (threats),
commitments; and the light verbs that lend their subject to an event noun.

Kept out of the coder's class (`ingest.coding`, passed first) to keep it readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from ingest import doers as who
from ingest import modality as moods
from ingest import targets as whom
from ingest.grammar import MODIFIERS, VIOLENT_ROOTS

if TYPE_CHECKING:
    from ingest.coding import Reading, SentenceCoder
    from ingest.mentions import Mention

__all__ = [
    "blamed_for",
    "commits_to_nothing_known",
    "commits_to_pattern",
    "conditional_threat",
    "countered",
    "eased",
    "halted",
    "halted_object",
    "joint",
    "lends_to_noun",
    "means",
    "press",
    "public",
    "the_press",
    "visitor",
    "withdrawn",
]


def blamed_for(coder: SentenceCoder, noun: Token, verb: Reading) -> bool:
    """ "X was blamed for the attack", "blamed X for the attack": the violent act an
    accusation names is an event of its own, X's by the accuser's word (claimed)."""
    return (
        coder.lemmas[verb.token.i] in coder.g.accusation_verbs
        and coder.nouns[noun.i].code[:2] in VIOLENT_ROOTS
        and noun.dep_ == "pobj"
    )


def eased(coder: SentenceCoder, verb: Token) -> list[Mention] | None:
    """ "X halted its offensive (on Y)", "X suspended air strikes": a stop to one's own
    violent act de-escalates (087), aimed where the act was; None when not one."""
    if coder.lemmas[verb.i] not in coder.g.halt_verbs:
        return None
    found = coder.violent_object(verb, {"dobj"})
    if found is None or who.others_doing(coder, found[0], verb):
        return None  # none, or another's: fought off, `countered`
    noun, reading = found
    # the halt is what is told, not the offensive again (verb readings are read before
    # noun readings, `SentenceCoder.readings`, so the noun's turn finds it set aside)
    coder.absorbed.add(noun.i)
    return coder.others(whom.noun_roles(coder, noun, reading.sense)[1])


def halted_object(coder: SentenceCoder, verb: Token) -> tuple[Token, Reading, str] | None:
    """ "X suspended its aid to Y", "X halted talks and trade with Y": the first object
    of a verb of stopping that is X's own cooperation, its reading and the code of
    stopping it (grammar.yaml, halted_codes)."""
    if coder.lemmas[verb.i] not in coder.g.halt_verbs:
        return None
    for noun in coder.objects(verb):
        reading = coder.nouns.get(noun.i)
        if reading is None or who.others_doing(coder, noun, verb):
            continue
        codes = coder.g.halted_codes
        code = codes.get(reading.code) or codes.get(reading.code[:2])
        if code is not None:
            return noun, reading, code
    return None


def halted(coder: SentenceCoder, reading: Reading) -> tuple[str, list[Mention]] | None:
    """The code and targets of a stop to one's own cooperation (`halted_object`), the
    objects stopped set aside as told; None when the verb stops no such act, or its own
    pattern read it already ("suspended military aid": 1622)."""
    found = halted_object(coder, reading.token)
    if found is None or found[0].i in reading.used:
        return None
    noun, stopped, code = found
    coder.absorbed |= {o.i for o in coder.objects(reading.token)}
    targets = whom.noun_roles(coder, noun, stopped.sense)[1]
    return code, coder.others(targets) or whom.object_targets(
        coder, reading.token, stopped.sense, code
    )


def withdrawn(coder: SentenceCoder, verb: Token) -> tuple[str, list[Mention]] | None:
    """ "X withdrew its inspectors and aid workers from Y": the code of withdrawing
    those people (grammar.yaml, withdrawn_codes) and whom it is done to, the state
    they leave; None when the verb withdraws no such people from anyone named."""
    if coder.lemmas[verb.i] not in coder.g.withdrawal_verbs:
        return None
    codes = coder.g.withdrawn_codes
    code = next(
        (codes[coder.lemmas[o.i]] for o in coder.objects(verb) if coder.lemmas[o.i] in codes),
        None,
    )
    if code is None:
        return None
    left = coder.others(
        [
            m
            for head in (verb, *coder.objects(verb))
            for o in coder.prep_objects(head, {"from"})
            for m in coder.actors_at(o) or whom.through(coder, o)
        ]
    )
    return (code, left) if left else None


def means(coder: SentenceCoder, verb: Token) -> str | None:
    """ "X wounded Y in a bomb attack", "X killed Y with a car bomb": the code of the
    violent noun a violent verb names as its means, when it says more than the verb's
    root; the noun is then told by the verb's event, not again."""
    for prep in verb.children:
        if prep.dep_ != "prep" or coder.lowers[prep.i] not in coder.g.means_preps:
            continue
        found = coder.violent_object(prep, {"pobj"})
        if found is None or who.others_doing(coder, found[0], verb):
            continue  # "killed in an attack by Y": Y's attack, read as the noun
        noun, reading = found
        coder.absorbed.add(noun.i)
        return None if reading.code.endswith("0") else reading.code
    return None


def visitor(coder: SentenceCoder, verb: Token) -> bool:
    """Whether the verb's object names an actor itself ("welcomed the Peruvian
    president"), not an act or thing of one ("welcomed Peru's decision")."""
    return any(c.dep_ == "dobj" and c.i in coder.by_token for c in verb.children)


def countered(coder: SentenceCoder, verb: Token) -> list[Mention]:
    """ "X repelled an attack by Y", "X stalled Y's offensive": fighting off another's
    violent act is fighting them (19); whom, or none."""
    if coder.lemmas[verb.i] not in coder.g.counter_verbs:
        return []
    found = coder.violent_object(verb, {"dobj", "nsubjpass"})
    return who.others_doing(coder, found[0], verb) if found is not None else []


def lends_to_noun(coder: SentenceCoder, reading: Reading, nouns: dict[int, Reading]) -> bool:
    """ "carried out strikes", "launched an attack", "the sanctions X reimposed on Y":
    the noun is the event, the light verb only its subject's way to it (unless a
    pattern read the two together into an event of the noun's own kind: "conducted
    attacks" is an attack whatever else a pattern makes of it)."""
    token = reading.token
    if any(o.i in nouns for o in who.joined_in(coder, token)):
        return True  # "took part in the attacks": the attacks, the verb's subject's
    if coder.lemmas[token.i] not in coder.g.light_verbs:
        return False
    # "the strike was carried out by X": the passive's subject is the light verb's noun
    objects = [c for c in token.children if c.dep_ in {"dobj", "attr", "nsubjpass"}]
    if whom.relative_light(coder, token):
        objects = [token.head]  # "the sanctions (that) X reimposed"
    objects += [c for o in objects for c in o.conjuncts]
    return any(
        o.i in nouns
        and (
            o.i not in reading.used
            or (nouns[o.i].code[:2] in VIOLENT_ROOTS and reading.code[:2] != nouns[o.i].code[:2])
        )
        for o in objects
    )


def the_press(coder: SentenceCoder, mention: Mention) -> bool:
    """Whether a mention is the press at large by its head noun ("reporters", "Syrian
    journalists"), not an outlet."""
    return mention.actor.kind != "media" and coder.lemmas[mention.end - 1] in coder.g.press_words


def press(coder: SentenceCoder, mention: Mention) -> bool:
    """Whether a mention names the press at large ("reporters", "Pentagon reporters":
    the press covering the Pentagon), not an outlet ("an interview with CBS News", "CBS
    reporters": CBS is the target)."""
    if mention.actor.kind == "media":
        return False
    last = coder.doc[mention.end - 1]
    words = [*range(mention.start, mention.end)]
    if last.dep_ in MODIFIERS:
        words.append(last.head.i)
    elif mention.named:
        return False
    return any(coder.lemmas[i] in coder.g.press_words for i in words)


def joint(coder: SentenceCoder, verb: Token) -> bool:
    """Whether the verb's object is an act named joint ("a joint statement")."""
    return any(
        coder.lemmas[m.i] in coder.g.joint_words
        for o in verb.children
        if o.dep_ in {"dobj", "attr"}
        for m in o.children
        if m.dep_ in {"amod", "compound"}
    )


def public(coder: SentenceCoder, verb: Token) -> bool:
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
            if any(coder.lemmas[w.i] in coder.g.press_words for w in words):
                return True
    return False


def conditional_threat(coder: SentenceCoder, reading: Reading, modality: str) -> str | None:
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
        marks = {coder.lowers[c.i] for c in clause.children if c.dep_ == "mark"}
        if not marks & coder.g.conditional_marks:
            continue
        unmet = marks & coder.g.threat_marks or any(c.dep_ == "neg" for c in clause.children)
        if unmet or "10" <= root <= "20":
            codes = coder.g.threat_codes | coder.g.conditional_threat_codes
            return codes.get(root, "130")
    return None


def commits_to_pattern(coder: SentenceCoder, reading: Reading) -> bool:
    """A verb of commitment that a pattern read with what it commits to ("agree to a
    ceasefire", "pledge aid"): the code is the act's, its mood an intent."""
    return (
        not reading.noun
        and bool(reading.used)
        and coder.lemmas[reading.token.i] in coder.g.commitment_verbs
        and reading.code[:2] not in {"03", "13"}
    )


def commits_to_nothing_known(coder: SentenceCoder, reading: Reading) -> bool:
    """A verb of commitment whose infinitive complement is no event of the dictionary's:
    what it reports is the commitment itcoder."""
    token = reading.token
    if reading.noun or reading.used or coder.lemmas[token.i] not in coder.g.commitment_verbs:
        return False
    if reading.code[:2] in {"03", "13"}:
        return False
    complements = [c for c in token.children if c.dep_ == "xcomp" and moods.infinitive(coder, c)]
    return bool(complements) and not any(c.i in coder.read_tokens for c in complements)
