"""The parse coder's word classes (`dictionaries/grammar.yaml`) and what it yields."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # the linker reads the grammar's word classes too
    from ingest.mentions import Mention

__all__ = ["MODIFIERS", "VIOLENT_ROOTS", "Coded", "Grammar", "grammar"]

# CAMEO's roots of violence: assault, fight, mass violence.
VIOLENT_ROOTS = frozenset({"18", "19", "20"})
# Dependents of a noun that name whose it is ("Turkey's incursion", "U.S. airstrikes").
MODIFIERS = ("poss", "compound", "amod", "nmod", "npadvmod")

GRAMMAR_FILE = Path(__file__).resolve().parent / "dictionaries" / "grammar.yaml"


@dataclass(frozen=True)
class Grammar:
    light_verbs: frozenset[str]
    hypothetical_aux: frozenset[str]
    future_aux: frozenset[str]
    offer_aux: frozenset[str]
    conditional_marks: frozenset[str]
    intent_verbs: frozenset[str]
    commitment_verbs: frozenset[str]
    claim_verbs: frozenset[str]
    doubt_verbs: frozenset[str]
    claim_adverbs: frozenset[str]
    deny_verbs: frozenset[str]
    negators: frozenset[str]
    accusation_preps: frozenset[str]
    accusation_adjectives: frozenset[str]
    accusation_verbs: frozenset[str]
    instrument_preps: frozenset[str]
    speech_verbs: frozenset[str]
    press_words: frozenset[str]
    inclusion_verbs: frozenset[str]
    own_means_sectors: frozenset[str]
    care_codes: frozenset[str]
    backing_verbs: frozenset[str]
    armed_sectors: frozenset[str]
    armed_backing_code: str
    welcoming_verbs: frozenset[str]
    welcoming_code: str
    counter_verbs: frozenset[str]
    counter_code: str
    aircraft: frozenset[str]
    aerial_code: str
    halt_verbs: frozenset[str]
    deescalation_code: str
    joint_words: frozenset[str]
    relation_nouns: frozenset[str]
    penalty_verbs: frozenset[str]
    undergoing_verbs: frozenset[str]
    undergoing_preps: frozenset[str]
    aiming_verbs: frozenset[str]
    destination_preps: frozenset[str]
    withdrawal_verbs: frozenset[str]
    withdrawn_codes: dict[str, str]
    pointing_words: frozenset[str]
    reciprocal_verbs: frozenset[str]
    penalty_nouns: frozenset[str]
    target_preps: tuple[str, ...]
    pointed_preps: frozenset[str]
    where_preps: frozenset[str]
    agent_preps: frozenset[str]
    doer_preps: frozenset[str]
    object_control_preps: frozenset[str]
    symmetric_roots: frozenset[str]
    sides_preps: frozenset[str]
    clause_target_roots: frozenset[str]
    condition_target_roots: frozenset[str]
    doer_target_roots: frozenset[str]
    outcome_preps: frozenset[str]
    means_preps: frozenset[str]
    failure_verbs: frozenset[str]
    company_verbs: frozenset[str]
    offer_verbs: frozenset[str]
    participation_verbs: frozenset[str]
    participation_nouns: frozenset[str]
    decision_verbs: frozenset[str]
    obligation_aux: frozenset[str]
    obligation_verbs: frozenset[str]
    request_verbs: frozenset[str]
    wish_verbs: frozenset[str]
    refusal_verbs: frozenset[str]
    request_nouns: frozenset[str]
    untargeted_roots: frozenset[str]
    naming_verbs: frozenset[str]
    disapproval_words: frozenset[str]
    approval_words: frozenset[str]
    copulas: frozenset[str]
    pessimism_words: frozenset[str]
    speaker_nouns: frozenset[str]
    holder_participles: frozenset[str]
    plan_words: frozenset[str]
    litotes_verbs: frozenset[str]
    reaction_roots: frozenset[str]
    behest_nouns: frozenset[str]
    optimism_words: frozenset[str]
    intent_codes: dict[str, str]
    refusal_codes: dict[str, str]
    threat_codes: dict[str, str]
    conditional_threat_codes: dict[str, str]
    crowd_codes: dict[str, str]
    halted_codes: dict[str, str]
    threat_marks: frozenset[str]


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    with GRAMMAR_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    values: dict[str, Any] = {}
    for name, kind in Grammar.__annotations__.items():  # strings: annotations are postponed
        if kind.startswith("dict"):
            values[name] = dict(data[name])  # CAMEO codes by word
        elif kind == "str":
            values[name] = str(data[name])  # a CAMEO code
        else:
            words = [str(w).lower() for w in data[name]]
            values[name] = tuple(words) if "tuple" in kind else frozenset(words)
    return Grammar(**values)


@dataclass
class Coded:
    """An event found in a parsed sentence (token indices are the sentence's own)."""

    code: str
    start: int
    end: int
    source: Mention | None = None
    target: Mention | None = None
    modality: str = "asserted"
    fallback: bool = False  # no one acted upon: kept only when the sentence has nothing else
    # the others coordinated with the source or target ("X, Y and Z delivered aid to W"):
    # one act, one event, with every party to it
    co_sources: list[Mention] = field(default_factory=list)
    co_targets: list[Mention] = field(default_factory=list)

    @property
    def root(self) -> str:
        return self.code[:2]
