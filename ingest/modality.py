"""Modality: how a sentence puts an event it reports (CAMEO codes the act; this says whether
it is told as done, denied, only supposed, intended or alleged).

One of `asserted`, `negated` ("did not attack"), `hypothetical` ("would target ... if"),
`intended` ("plans to", "will"), `claimed` ("officials believe X was behind"), `denied`
("Iran denies the allegations"), read from negation, modal verbs, conditions and the verb
that governs the clause; with the readers of the governing verbs a coder needs besides
(who demands, asks, refuses or wants an act; whether a future act is announced). The word
classes are data in `dictionaries/grammar.yaml`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from ingest import doers as who
from ingest import targets as whom

if TYPE_CHECKING:
    from ingest.coding import SentenceCoder

__all__ = [
    "announced",
    "asked",
    "demanded_by",
    "infinitive",
    "modality",
    "refused_by",
    "subjunctive",
    "wanted_by",
]


def modality(coder: SentenceCoder, token: Token) -> str:
    g = coder.g
    for child in token.children:
        lower = coder.lowers[child.i]
        if child.dep_ == "neg" or (child.dep_ == "det" and lower == "no"):
            return "negated"
    if token.dep_ == "pcomp" and coder.lowers[token.head.i] in g.negators:
        return "negated"  # "without taking", "without consulting Y"
    if token.dep_ in {"relcl", "acl"} and token.head.head.dep_ == "prep":
        accuser = token.head.head.head  # "blamed X for an attack that killed Y"
        if coder.lemmas[accuser.i] in g.accusation_verbs:
            return "claimed"
    pledged = token.dep_ == "ccomp" and coder.lemmas[token.head.i] in g.intent_verbs
    for child in token.children:
        lower = coder.lowers[child.i]
        if child.dep_ == "aux" and lower in g.obligation_aux and pledged:
            return "intended"  # "agreed that their countries should cooperate"
        if child.dep_ == "aux" and (lower in g.future_aux or _reported_future(coder, child)):
            return "intended"
        if child.dep_ == "aux" and lower in g.hypothetical_aux:
            return "hypothetical"
        if child.dep_ == "mark" and lower in g.conditional_marks:
            return "hypothetical"
        if child.dep_ == "advcl" and any(
            c.dep_ == "mark" and coder.lowers[c.i] in g.conditional_marks for c in child.children
        ):
            return "hypothetical"
        if child.dep_ == "advmod" and lower in g.claim_adverbs:
            return "claimed"
    if token.pos_ == "NOUN" and who.accused_of(coder, token):
        return "claimed"
    if token.pos_ == "NOUN":
        noun = token
        through_prep = token.head.dep_ == "prep"
        token = token.head
        if token.dep_ == "prep":
            token = token.head
        if token.pos_ not in {"VERB", "AUX"}:
            return "asserted"
        if through_prep and coder.lemmas[token.i] in g.accusation_verbs:
            return "claimed"  # "blamed X for the attack": the blame's word for it
        if through_prep and coder.lemmas[token.i] in g.intent_verbs:
            return "intended"  # "agreed to a ceasefire", "committed to talks"
        if whom.undergone_by(coder, noun) is not None:
            return modality(coder, token)  # "will face sanctions from X": to come
        lent = coder.lemmas[token.i] in g.light_verbs or any(
            p.i == noun.i for p in who.joined_in(coder, token)
        )
        if not lent and (
            who.reacts_to(coder, token)
            or noun.dep_ != "dobj"
            or who.done_by_another(coder, noun, token)
        ):
            # "will investigate the killing": the killing took place; "will end attacks by
            # Y": Y's attacks go on. But "will send aid": the aid is to come.
            return "asserted"
        inherited = modality(coder, token)
        if inherited != "asserted":
            return inherited
    node, steps = token, 0
    while node.dep_ in {"xcomp", "ccomp", "pcomp", "conj", "advcl", "acomp", "acl"} and steps < 5:
        dep, below = node.dep_, node
        if dep == "pcomp" and coder.lowers[node.head.i] in g.instrument_preps:
            break  # "trying to win by attacking Y": the means is done, whatever the aim
        node = node.head
        if node.dep_ == "prep":
            node = node.head
        steps += 1
        lemma = coder.lemmas[node.i]
        if dep in {"xcomp", "conj"} or (dep == "advcl" and infinitive(coder, token)):
            # "would stay to watch Y", "will meet and sign": the governor's mood carries.
            for aux in node.children:
                if aux.dep_ == "aux" and coder.lowers[aux.i] in g.future_aux:
                    return "intended"
                if aux.dep_ == "aux" and coder.lowers[aux.i] in g.hypothetical_aux:
                    return "hypothetical"
        if dep == "advcl" and infinitive(coder, below) and lemma in g.offer_verbs:
            return "hypothetical"  # "offered aid to Y to fight Z": if Y accepts
        if dep == "advcl" and infinitive(coder, below) and lemma in g.commitment_verbs:
            return "intended"  # "have sworn to fight", parsed as a purpose clause
        to_infinitive = dep == "xcomp" or (dep == "advcl" and infinitive(coder, below))
        if lemma in g.failure_verbs and (
            to_infinitive or (dep == "acl" and infinitive(coder, below))
        ):
            # "failed to take Y", "Y's failure to stop": not done; "did not fail to": done
            return "asserted" if any(c.dep_ == "neg" for c in node.children) else "negated"
        if to_infinitive and lemma in g.litotes_verbs:
            # "hesitated to strike": not done; "did not hesitate to strike": done
            negated = any(c.dep_ == "neg" for c in node.children)
            return "asserted" if negated else "hypothetical"
        if dep == "conj" or dep == "advcl":
            continue
        if lemma in g.deny_verbs:
            return "denied"
        if lemma in g.doubt_verbs:
            return "claimed"
        if (
            dep == "acl"
            and lemma in g.request_nouns
            and (
                infinitive(coder, below)
                or any(c.dep_ == "mark" and coder.lowers[c.i] == "that" for c in below.children)
            )
        ):
            return "hypothetical"  # "rejected calls to halt": only asked for
        if lemma in g.request_verbs and (
            (dep == "xcomp" and asked(coder, node) is not None)
            or (dep == "ccomp" and (infinitive(coder, below) or subjunctive(coder, below)))
        ):
            return "hypothetical"  # "urged Y to stop", "demanded that Y stop": asked of Y
        if (
            dep in {"xcomp", "pcomp"}
            and lemma in g.intent_verbs
            and not any(c.dep_ == "nsubj" for c in below.children)
        ):
            return "intended"  # "looking to expand", not "look at how X fought"
        if any(c.dep_ == "neg" for c in node.children) and dep == "xcomp":
            return "negated"
    return "asserted"


def demanded_by(coder: SentenceCoder, verb: Token) -> Token | None:
    """The verb of saying whose complement obliges its subject ("said Iraq must
    withdraw", "insisted that Iran should stop", "declared X has to leave"): CAMEO
    codes that as the speaker's demand (root 10), addressed to the obliged."""
    clause = verb
    if verb.dep_ == "xcomp" and coder.lemmas[verb.head.i] in coder.g.obligation_verbs:
        clause = verb.head  # "has to leave", "needs to stop"
    elif not any(
        c.dep_ == "aux" and coder.lowers[c.i] in coder.g.obligation_aux for c in verb.children
    ):
        return None
    if clause.dep_ == "ccomp" and coder.lemmas[clause.head.i] in coder.g.speech_verbs:
        return clause.head
    return None


def asked(coder: SentenceCoder, verb: Token) -> Token | None:
    """Whom a verb of asking addresses: its object, or "call on Y", "appeal to Y"."""
    for child in verb.children:
        if child.dep_ in {"dobj", "dative"}:
            return child
        if child.dep_ == "prep" and coder.lowers[child.i] in {"on", "upon", "to"}:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def refused_by(coder: SentenceCoder, verb: Token) -> Token | None:
    """The verb of refusal whose complement this is ("refused to withdraw")."""
    head = verb.head
    if verb.dep_ == "xcomp" and coder.lemmas[head.i] in coder.g.refusal_verbs:
        return head
    return None


def wanted_by(coder: SentenceCoder, verb: Token) -> Token | None:
    """The verb of wishing that asks the complement of its object ("X wants Y to pay"):
    CAMEO codes that as X's appeal to Y (root 02)."""
    head = verb.head
    if coder.lemmas[head.i] not in coder.g.wish_verbs:
        return None
    if verb.dep_ == "xcomp" and asked(coder, head) is not None:
        return head
    if verb.dep_ == "ccomp" and infinitive(coder, verb):  # parsed "wants [Y to pay]"
        return head
    return None


def announced(coder: SentenceCoder, verb: Token) -> bool:
    """ "will/shall impose", "said it would impose", "announced it is ready to impose":
    the act stated in the future."""
    if any(
        c.dep_ == "aux" and (coder.lowers[c.i] in coder.g.future_aux or _reported_future(coder, c))
        for c in verb.children
    ):
        return True
    node = verb
    for _step in range(3):  # "... that it is prepared to impose": the intent reported
        if node.dep_ == "ccomp":
            return coder.lemmas[node.head.i] in coder.g.speech_verbs
        if node.dep_ not in {"xcomp", "acomp"}:
            return False
        node = node.head
        # "will not hesitate to strike": not hesitating is meaning to
        litotes = coder.lemmas[node.i] in coder.g.litotes_verbs and any(
            c.dep_ == "neg" for c in node.children
        )
        if litotes:
            return announced(coder, node)
        if node.dep_ != "acomp" and coder.lemmas[node.i] not in coder.g.plan_words:
            return False  # "sought to evict": an effort, not an announcement
    return False


def _reported_future(coder: SentenceCoder, aux: Token) -> bool:
    """ "said they would blockade": "would" in a clause a verb of saying reports is the
    future seen from the past, not a supposition."""
    clause = aux.head
    if clause.dep_ != "ccomp" or coder.lemmas[clause.head.i] not in coder.g.speech_verbs:
        return False
    if coder.lowers[aux.i] == "would":
        return True
    if coder.lowers[aux.i] not in coder.g.offer_aux:
        return False
    # "X indicated it can supply Y": what the speaker can do, offered
    doers = {m.actor.iri for m in who.subject(coder, clause)[0]}
    return bool(doers) and doers <= {m.actor.iri for m in who.subject(coder, clause.head)[0]}


def subjunctive(coder: SentenceCoder, verb: Token) -> bool:
    """ "demanded that Iran release": a clause with a subject and a verb in its bare form
    is what is asked, not what was done ("told us that Iran released": done)."""
    return verb.tag_ == "VB" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)


def infinitive(coder: SentenceCoder, verb: Token) -> bool:
    return any(c.dep_ == "aux" and coder.lowers[c.i] == "to" for c in verb.children)
