"""How the readings of one sentence become its events: which reading gives way to which (a
verb of saying to the clause it reports, an outcome to the attack it completes), events a
clause tells with no trigger of its own (accusations, demands and refusals of acts the
dictionary lacks, foretold penalties), and the parties of one act folded into one event.

Each takes the coder (`ingest.coding`) first: out of its class, which stays short.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from spacy.tokens import Token

from ingest import doers as who
from ingest import modality as moods
from ingest import senses as special
from ingest import targets as whom
from ingest.grammar import VIOLENT_ROOTS, Coded

if TYPE_CHECKING:
    from ingest.coding import Reading, SentenceCoder
    from ingest.mentions import Mention

__all__ = [
    "accusations",
    "aim_at_outcomes",
    "bare_demands",
    "bare_refusals",
    "fold",
    "foretold_penalties",
    "gives_way",
    "speaks_of_another",
    "unique",
]


def gives_way(coder: SentenceCoder, readings: list[Reading]) -> dict[int, set[int]]:
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
        lemma = coder.lemmas[token.i]
        bare = not reading.used
        refused = {c.i for c in token.children if c.dep_ == "xcomp"} & set(by_token)
        if refused and lemma in coder.g.refusal_verbs:  # "refused to withdraw from Y"
            yields.setdefault(token.i, set()).update(refused)
        elif lemma in coder.g.speech_verbs and special.public(coder, token):
            continue  # "X told reporters Y attacked Z": the statement and the attack
        elif (
            bare
            and inside
            and (
                lemma in coder.g.speech_verbs
                or lemma in coder.g.intent_verbs
                or lemma in coder.g.decision_verbs  # "voted to expel Y": the expulsion
            )
        ):
            yields.setdefault(token.i, set()).update(inside)
            if lemma in coder.g.speech_verbs:
                coder.attributions.add(token.i)
        elif (
            bare
            and lemma in coder.g.speech_verbs
            and token.dep_ in {"parataxis", "ccomp"}
            and token.head.i in by_token
        ):
            yields.setdefault(token.i, set()).add(token.head.i)  # "..., officials said."
            coder.attributions.add(token.i)
    for reading in readings:
        noun = _completes(coder, reading, by_token)
        if noun is not None:
            yields.setdefault(reading.token.i, set()).add(noun)
    return yields


def _completes(coder: SentenceCoder, reading: Reading, by_token: dict[int, Reading]) -> int | None:
    """ "An attack by X killed Y", "the strike that killed Y": the killing is the attack's
    outcome, one event with the noun (which takes Y as its target), not a second one:
    the noun's token, if so."""
    token = reading.token
    if reading.noun or reading.code[:2] not in VIOLENT_ROOTS:
        return None
    if token.dep_ == "advcl" and token.tag_ == "VBG":
        attack = _attack_of_clause(coder, token.head, by_token)
        if attack is not None:
            coder.outcomes[token.i] = attack
        return attack
    noun: Token | None = token.head
    if token.dep_ not in {"relcl", "acl"}:
        noun = next((c for c in token.children if c.dep_ == "nsubj"), None)
    if noun is None or noun.i in coder.consumed:
        return None
    event = coder.nouns.get(noun.i)
    if event is None or event.code[:2] not in VIOLENT_ROOTS:
        return None
    source, target = whom.noun_roles(coder, noun, event.sense)
    # else the verb keeps what the noun cannot carry
    return noun.i if source and target else None


def _attack_of_clause(
    coder: SentenceCoder, verb: Token, by_token: dict[int, Reading]
) -> int | None:
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
            if c.i in coder.nouns
            and c.i not in coder.consumed
            and coder.nouns[c.i].code[:2] in VIOLENT_ROOTS
        ),
        None,
    )


def speaks_of_another(coder: SentenceCoder, verb: int, said: list[Coded]) -> bool:
    """ "Pompeo said Iran would face sanctions": a person named in the text who says, in
    the sentence's main clause, what another actor did or will do makes a statement
    about them (010 to them) besides the act reported; "..., officials said" and
    statements with no one spoken of, or only the speaker's own side ("Kirby said U.S.
    aircraft struck Y"), give way to what they report."""
    return (
        verb in coder.attributions
        and coder.doc[verb].dep_ == "ROOT"
        and any(
            e.target is not None
            and e.source is not None
            and e.source.named
            and e.source.actor.kind == "person"
            and e.target.actor.code != e.source.actor.code
            for e in said
        )
    )


def aim_at_outcomes(
    coder: SentenceCoder,
    found: dict[int, list[Coded]],
    fallbacks: dict[int, list[Coded]],
    yields: dict[int, set[int]],
) -> None:
    """ "X shelled the town, wounding Y": an attack aimed at no actor takes the one its
    outcome names, one event (the outcome gives way to it, `_completes`); when neither
    names one, both stand (the toll is the more telling code)."""
    for outcome, attack in coder.outcomes.items():
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


def accusations(coder: SentenceCoder) -> Iterator[Coded]:
    """ "X was behind the attack", "X was responsible for": 112 from whoever says so."""
    for token in coder.doc:
        if coder.lemmas[token.i] != "be":
            continue
        cue = next(
            (
                c
                for c in token.children
                if (c.dep_ == "prep" and coder.lowers[c.i] in coder.g.accusation_preps)
                or (c.dep_ == "acomp" and coder.lemmas[c.i] in coder.g.accusation_adjectives)
            ),
            None,
        )
        if cue is None:
            continue
        accused = [m for c in token.children if c.dep_ == "nsubj" for m in coder.actors_at(c)]
        if not accused:
            continue
        if token.dep_ == "ROOT" and coder.told.speaker is not None:
            speakers, passive = [coder.told.speaker], False  # quoted: "Y was behind it."
        elif token.dep_ == "ccomp":
            speakers, passive = who.subject(coder, token.head)
        else:
            continue
        if passive:
            continue
        for speaker in speakers:
            for target in accused:
                yield Coded("112", cue.i, cue.i + 1, speaker, target)


def bare_refusals(coder: SentenceCoder, found: dict[int, list[Coded]]) -> Iterator[Coded]:
    """ "X refused to allow Y's planes to land", "X declined to receive Y": a rejection
    (120) of X's aimed at whom the refused act concerns, when that act is no event the
    dictionary knows (one it knows takes its refusal code, `SentenceCoder._read_roles`)."""
    for verb in coder.doc:
        if found.get(verb.i) or verb.dep_ != "xcomp" or verb.pos_ not in {"VERB", "AUX"}:
            continue
        refuser = moods.refused_by(coder, verb)
        if refuser is None or found.get(refuser.i):
            continue
        sources, passive = who.subject(coder, refuser)
        if passive:
            continue
        own = {s.actor.iri for s in sources}
        concerned = [
            m
            for c in verb.children
            if c.dep_ in {"dobj", "dative"}
            for m in coder.actors_at(c)
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
                    moods.modality(coder, refuser),
                )


def bare_demands(coder: SentenceCoder, found: dict[int, list[Coded]]) -> Iterator[Coded]:
    """ "X said Y must drop its barriers", "X insisted Y should go": a demand (100) of
    X's on Y whatever the obliged act, when that act is no event the dictionary knows
    (one it knows is read as the demand of that act, `SentenceCoder._read_roles`). The
    demand is what the verb of saying reports: its plain statement (01) gives way."""
    for verb in coder.doc:
        if found.get(verb.i) or verb.pos_ not in {"VERB", "AUX"}:
            continue
        speaker = moods.demanded_by(coder, verb)
        if speaker is None or any(e.root != "01" for e in found.get(speaker.i, ())):
            continue
        obliged, passive = who.subject(coder, verb)
        sources, speaker_passive = who.subject(coder, speaker)
        if passive or speaker_passive:
            continue
        modality = moods.modality(coder, speaker)
        if sources and obliged:
            found[speaker.i] = []
        for source in sources:
            for target in obliged:
                if source.actor.iri != target.actor.iri:
                    yield Coded("100", speaker.i, speaker.i + 1, source, target, modality)


def foretold_penalties(coder: SentenceCoder, found: dict[int, list[Coded]]) -> list[Coded]:
    """ "X said Y will pay a heavy price", "X warned that Y would face consequences": a
    threat (130) of X's to Y, whatever the penalty; X's plain statement gives way."""
    threats: list[Coded] = []
    for noun in coder.doc:
        verb = noun.head
        if (
            noun.dep_ != "dobj"
            or coder.lemmas[noun.i] not in coder.g.penalty_nouns
            or coder.lemmas[verb.i] not in coder.g.penalty_verbs
            or verb.dep_ != "ccomp"
            or coder.lemmas[verb.head.i] not in coder.g.speech_verbs
            or moods.modality(coder, verb) not in {"intended", "hypothetical"}
        ):
            continue
        speaker = verb.head
        targets, passive = who.subject(coder, verb)
        sources, speaker_passive = who.subject(coder, speaker)
        if passive or speaker_passive or not targets:
            continue
        if sources:
            found[speaker.i] = []
        threats += [
            Coded("130", speaker.i, speaker.i + 1, s, t, moods.modality(coder, speaker))
            for s in sources
            for t in targets
            if s.actor.iri != t.actor.iri
        ]
    return threats


def fold(events: list[Coded]) -> list[Coded]:
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
    """Whether `event` is another party's share in `host`'s act (`fold`)."""
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


def unique(events: list[Coded]) -> list[Coded]:
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
