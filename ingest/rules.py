"""The rule coder: triggers in a sentence, with their source and target actors, read from
the shallow shape of the clause (EVKG_CODER=rules). No longer the default: the parse coder
of `ingest.coding` reads text it was not written for better; this one is kept as the
baseline the benchmarks and the evaluation compare with, and needs no trained model.

No parser runs here: the blank pipeline gives tokens only. Roles come from the shallow
shape of the clause, as in the classic event coders:

- a verb's source is the nearest actor to its left that is not inside a prepositional
  phrase ("X, head of Y, condemned" -> X), the first of coordinated actors, or, for a
  passive verb, the actor after "by";
- a verb's target is its direct object or the actor after one of its prepositions;
- a noun's source is its owner ("the U.S. drone strike", "Iran's attack"), the subject of a
  light verb ("Iran responded with a missile strike"), or the one blamed for it;
- "that killed Y", ", injuring Y" complete the attack before them instead of starting one;
- negated and hypothetical clauses ("did not attack", "would strike") report no event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Span

from ingest import grammar
from ingest.mentions import Mention
from ingest.rule_triggers import Form, trigger_matcher
from ingest.text import matches_in, words

BE = {"is", "are", "was", "were", "be", "been", "being", "'s", "’s", "get", "got", "gets"}
ADVERB_SKIP = {
    "also",
    "still",
    "reportedly",
    "allegedly",
    "then",
    "later",
    "already",
    "not",
    "further",
    "again",
    "just",
    "recently",
    "previously",
    "repeatedly",
    "once",
}
NEGATION = {
    "not",
    "n't",
    "never",
    "no",
    "neither",
    "nor",
    "without",
    "denied",
    "deny",
    "denies",
    "refused",
    "declined",
}
IRREALIS = {
    "would",
    "could",
    "might",
    "may",
    "should",
    "will",
    "'d",
    "wo",
    "must",
    "can",
    "if",
    "whether",
    "unless",
    "shall",
}
DETERMINERS = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "our",
    "another",
    "any",
    "some",
    "each",
    "every",
    "two",
    "three",
    "several",
    "new",
    "more",
    "first",
    "latest",
    "recent",
    "last",
    "deadly",
    "fatal",
}
PREPOSITIONS = {
    "of",
    "in",
    "on",
    "at",
    "for",
    "to",
    "with",
    "against",
    "from",
    "by",
    "into",
    "within",
    "among",
    "near",
    "over",
    "under",
    "about",
    "between",
    "inside",
    "across",
    "throughout",
    "toward",
    "towards",
    "around",
    "outside",
    "without",
    "during",
    "after",
    "before",
    "since",
    "like",
    "along",
    "beyond",
    "upon",
}
CLAUSE_BREAK = {
    ",",
    ";",
    ":",
    "—",
    "–",
    "that",
    "which",
    "who",
    "whom",
    "while",
    "because",
    "but",
    "when",
    "although",
    "though",
    "until",
    "if",
    "whether",
    "saying",
    "according",
    "as",
    "where",
    "after",
    "before",
    "following",
    "amid",
    "despite",
    "“",
    "”",
    '"',
    "(",
    ")",
    "[",
    "]",
}
HARD_BREAK = {";", ":", "—", "–"}
LIGHT_VERBS = {
    "launch",
    "launched",
    "launches",
    "launching",
    "conduct",
    "conducted",
    "conducts",
    "conducting",
    "carry",
    "carried",
    "carries",
    "carrying",
    "stage",
    "staged",
    "stages",
    "mount",
    "mounted",
    "mounts",
    "give",
    "gave",
    "gives",
    "given",
    "giving",
    "provide",
    "provided",
    "provides",
    "providing",
    "restart",
    "restarted",
    "restarts",
    "resume",
    "resumed",
    "resumes",
    "continue",
    "continued",
    "continues",
    "order",
    "ordered",
    "orders",
    "approve",
    "approved",
    "authorize",
    "authorized",
    "authorise",
    "authorised",
    "claimed",
    "claim",
    "claims",
    "held",
    "hold",
    "holds",
    "made",
    "make",
    "makes",
    "issued",
    "issue",
    "issues",
    "began",
    "begin",
    "begins",
    "started",
    "start",
    "starts",
    "waged",
    "wage",
    "wages",
    "out",
    "with",
    "offered",
    "offer",
    "offers",
    "extended",
    "extend",
    "expanded",
    "increased",
    "stepped",
    "up",
    "suspended",
    "pursued",
    "announced",
}
QUANTIFIERS = {
    "dozens",
    "hundreds",
    "thousands",
    "scores",
    "some",
    "many",
    "several",
    "most",
    "all",
    "one",
    "two",
    "three",
    "four",
    "five",
    "none",
    "members",
    "each",
    "both",
    "any",
    "few",
    "number",
    "group",
    "leaders",
    "leader",
    "head",
    "heads",
}


@dataclass(kw_only=True)
class Coded(grammar.Coded):
    """An event found in a sentence, before dates and places are attached, with the
    dictionary form that coded it. Its modality is always asserted: this coder reports
    nothing it does not read as asserted."""

    form: Form


def _choose_form(forms: list[Form], doc: Doc, start: int, mention_ends: set[int]) -> Form:
    """A word that can be a verb or a noun ("strike", "attack"): decide from its left."""
    verbs = [f for f in forms if f.pos == "verb"]
    nouns = [f for f in forms if f.pos == "noun"]
    if not verbs:
        return nouns[0]
    if not nouns:
        return verbs[0]
    prev = doc[start - 1] if start > 0 else None
    if prev is None:
        return nouns[0]
    lower = prev.lower_
    base_verbs = [f for f in verbs if f.tense == "base"]
    if lower == "to":
        return base_verbs[0] if base_verbs else nouns[0]
    if lower in BE or lower in ADVERB_SKIP or lower in IRREALIS or lower.endswith("ly"):
        return verbs[0]
    if lower == "turn" and start > 1 and doc[start - 2].lower_ == "in":
        return verbs[0]  # "in turn pause"
    nxt = doc[start + 1].lower_ if start + 1 < len(doc) else ""
    if nxt in DETERMINERS - {"that"} and lower not in DETERMINERS:
        return verbs[0]
    if lower in DETERMINERS or prev.like_num or lower in {"'s", "’s"}:
        return nouns[0]
    if start in mention_ends:  # "militants attack", "U.S. strike": ambiguous; a subject
        verb_tenses = {f.tense for f in verbs}  # before an -ed/-s form is a clause
        return verbs[0] if verb_tenses & {"past", "s"} else nouns[0]
    if prev.is_alpha and not prev.is_stop and prev.lower_ not in PREPOSITIONS:
        return nouns[0]  # "drone strike", "rocket attack"
    return verbs[0] if any(f.tense in {"past", "ing", "s"} for f in verbs) else nouns[0]


class SentenceCoder:
    """Codes the events of one sentence."""

    def __init__(self, doc: Doc, sent: Span, mentions: list[Mention]) -> None:
        self.doc = doc
        self.sent = sent
        self.mentions = mentions
        self.by_start = {m.start: m for m in mentions}
        self.by_end = {m.end: m for m in mentions}
        self.in_mention = {i for m in mentions for i in range(m.start, m.end)}
        self.texts, self.lowers = words(doc)  # doc[i].text / .lower_ without a Token each
        self.events: list[Coded] = []

    # -- scanning helpers -------------------------------------------------------------

    def _leftward(self, start: int, reach: int = 6) -> range:
        """The indices of the `reach` words before `start`, nearest first, within the
        sentence: where a noun's owner or governing verb is looked for."""
        return range(start - 1, max(self.sent.start, start - reach) - 1, -1)

    def _subject(self, before: int) -> Mention | None:
        """The nearest actor to the left that heads its phrase."""
        relative = self._relative_antecedent(before)
        if relative is not False:
            return relative
        i = before
        candidate: Mention | None = None
        while i > self.sent.start:
            i -= 1
            if self.texts[i] in HARD_BREAK:
                break
            mention = self.by_end.get(i + 1)
            if mention is None:
                continue
            prev = self.lowers[mention.start - 1] if mention.start > self.sent.start else ""
            between = self.lowers[mention.end : before]
            next_to_verb = all(
                w in BE | ADVERB_SKIP | {"have", "has", "had", "to", "in", "turn"}
                or w.endswith("ly")
                for w in between
            )
            if prev in PREPOSITIONS and prev not in {"by"} and not next_to_verb:
                i = mention.start
                candidate = candidate or None
                continue
            candidate = self._apposition_head(mention)
            # "X and Y did": the first of coordinated actors.
            while candidate.start - 2 >= self.sent.start and self.lowers[candidate.start - 1] in {
                "and",
                "or",
            }:
                earlier = self.by_end.get(candidate.start - 1)
                if earlier is None:
                    break
                candidate = earlier
            break
        return candidate

    def _relative_antecedent(self, before: int) -> Mention | None | Literal[False]:
        """ "X, which hosts Y": the subject is what stands before "which" (or nothing).

        False when the verb does not open a relative clause.
        """
        i = before - 1
        while i > self.sent.start and self.lowers[i] in ADVERB_SKIP | BE | {
            "have",
            "has",
            "had",
        }:
            i -= 1
        if i <= self.sent.start or self.lowers[i] not in {"which", "who", "that"}:
            return False
        k = i - 1
        if k > self.sent.start and self.texts[k] == ",":
            k -= 1
        mention = self.by_end.get(k + 1)
        if self.lowers[i] == "that" and mention is None:
            return False  # "said that X ...": a complement, not a relative clause
        return mention

    def _apposition_head(self, mention: Mention) -> Mention:
        """ "Kataib Hezbollah, an Iran-backed militia, fired": the name, not the description."""
        k = mention.start - 1
        while k > self.sent.start and self.lowers[k] in DETERMINERS:
            k -= 1
        if k > self.sent.start and self.texts[k] == ",":
            head = self.by_end.get(k)
            if head is not None:
                return head
        return mention

    def _object(self, after: int, form: Form) -> Mention | None:
        """The target after a trigger: its direct object or a prepositional object."""
        entry = form.entry
        gap: list[str] = []
        i = after
        while i < self.sent.end:
            token = self.doc[i]
            mention = self.by_start.get(i)
            if mention is not None:
                # "U.S. Ambassador Alina Romanowski": the person, not the modifier before her.
                while mention.end in self.by_start and self.texts[mention.end][:1].isupper():
                    mention = self.by_start[mention.end]
                prev = gap[-1] if gap else ""
                if prev in entry.preps or (not entry.adjacent and set(gap) & set(entry.preps)):
                    return mention
                direct = prev not in PREPOSITIONS or prev == "of"
                if entry.object and direct and (not entry.adjacent or len(gap) <= 4):
                    return mention
                if entry.adjacent:
                    return None
                gap.append("<actor>")
                i = mention.end
                continue
            lower = token.lower_
            if lower in CLAUSE_BREAK or lower in HARD_BREAK:
                return None
            if entry.adjacent and (
                len(gap) > 4
                or (lower in PREPOSITIONS and lower != "of" and lower not in entry.preps)
            ):
                return None
            if entry.adjacent and lower == "of" and (not gap or gap[-1] not in QUANTIFIERS):
                return None  # "the resignation of X": X is not the object
            gap.append(lower)
            i += 1
        return None

    def _agent_by(self, after: int, reach: int = 6) -> Mention | None:
        """The actor after "by" in a passive clause ("was killed by X", "an attack by X")."""
        for i in range(after, min(after + reach, self.sent.end)):
            lower = self.lowers[i]
            if lower in CLAUSE_BREAK:
                return None
            if lower == "by" and i + 1 < self.sent.end:
                for j in range(i + 1, min(i + 5, self.sent.end)):
                    if j in self.by_start:
                        return self.by_start[j]
                return None
        return None

    def _owner(self, start: int) -> Mention | None:
        """The actor that owns a noun: "the U.S. drone strike", "its full range of support"."""
        for i in self._leftward(start):
            mention = self.by_end.get(i + 1)
            if mention is not None:
                return mention
            lower = self.lowers[i]
            if lower in PREPOSITIONS - {"of"} or not (
                self.doc[i].is_alpha or lower in {"'s", "’s", "-"}
            ):
                return None
            if lower in LIGHT_VERBS or lower in BE:
                return None
        return None

    def _governor(self, start: int) -> int | None:
        """Index of a light verb governing a noun phrase that starts near `start`."""
        for i in self._leftward(start):
            lower = self.lowers[i]
            if lower in LIGHT_VERBS:
                j = i
                while j > self.sent.start and self.lowers[j - 1] in LIGHT_VERBS | {
                    "out",
                    "with",
                }:
                    j -= 1
                return j
            if not (
                lower in DETERMINERS
                or (self.doc[i].is_alpha and not self.doc[i].is_stop and lower not in PREPOSITIONS)
            ):
                return None
        return None

    def _negated_or_hypothetical(self, start: int, subject: Mention | None) -> bool:
        floor = subject.start - 2 if subject is not None else start - 4
        window = self.lowers[max(self.sent.start, floor, start - 8) : start]
        return any(w in NEGATION or w in IRREALIS for w in window)

    # -- coding ---------------------------------------------------------------------

    def code(self) -> list[Coded]:
        matcher = trigger_matcher()
        spans = matches_in(self.sent, matcher.matcher)
        matches = []
        used: set[int] = set()
        for match_id, s, e in sorted(spans, key=lambda m: (-(m[2] - m[1]), m[1])):
            if not used.isdisjoint(range(s, e)) or self.in_mention.issuperset(range(s, e)):
                continue
            used.update(range(s, e))
            matches.append((s, e, matcher.forms[self.doc.vocab.strings[match_id]]))
        consumed: set[int] = set()
        mention_ends = set(self.by_end)
        for start, end, forms in sorted(matches, key=lambda m: m[0]):
            if start in consumed:
                continue
            form = _choose_form(forms, self.doc, start, mention_ends)
            coded = (
                self._verb(form, start, end) if form.pos == "verb" else self._noun(form, start, end)
            )
            if coded is None:
                continue
            if coded.target is not None:
                for s2, _e2, _forms in matches:
                    if end <= s2 < coded.target.start:
                        consumed.add(s2)
            self.events.append(coded)
        return [e for e in self.events if self._keep(e)]

    def _keep(self, event: Coded) -> bool:
        if event.source is None:
            return False
        if event.target is not None and event.target.actor.iri == event.source.actor.iri:
            return False
        # A noun alone ("the strike") reports an event only with someone it was done to.
        needs_target = event.form.entry.needs_target or event.form.pos == "noun"
        return event.target is not None or not needs_target

    def _previous_attack(self, before: int) -> Coded | None:
        for event in reversed(self.events):
            if event.end <= before and event.root in {"18", "19", "20"}:
                return event
        return None

    def _verb(self, form: Form, start: int, end: int) -> Coded | None:
        prev = self.lowers[start - 1] if start > self.sent.start else ""
        entry = form.entry
        # "strike that killed Y", "strike on X, injuring Y": complete the attack.
        if entry.completes:
            link = prev if prev in {"that", "which", ","} else None
            attack = self._previous_attack(start)
            if link and attack is not None and (link == "," or attack.end >= start - 3):
                if attack.target is None:
                    attack.target = self._object(end, form)
                return None
        # "threatening to expel X": the embedded verb gives its target to the main one.
        if prev == "to" and start - 2 >= self.sent.start:
            for event in reversed(self.events):
                if event.end in {start - 1, start - 2} and event.form.pos == "verb":
                    if event.target is None:
                        event.target = self._object(end, form)
                    return None
        passive = form.tense in {"past", "participle"} and self._be_before(start)
        if passive:
            target = self._subject(self._clause_start(start))
            source = self._agent_by(end)
            if source is None:
                source = self._attack_owner_after(end)
            coded = Coded(form.entry.code, start, end, source, target, form=form)
        else:
            source = self._controller(start, prev)
            if (
                source is not None
                and source.pronoun
                and entry.speech
                and source.actor.kind != "person"
            ):
                return None
            if self._negated_or_hypothetical(start, source):
                return None
            coded = Coded(form.entry.code, start, end, source, self._object(end, form), form=form)
        return coded

    def _controller(self, start: int, prev: str) -> Mention | None:
        """Who does a verb: in "X praised Y and urged Z", the subject of the verb before it;
        otherwise the nearest actor on the left."""
        coordinated = prev in {"and", "but", "then"}
        if coordinated and self.events and self.events[-1].form.pos == "verb":
            last = self.events[-1]
            if last.source is not None and last.end <= start:
                return last.source
        return self._subject(start - 1 if prev == "to" else start)

    def _clause_start(self, start: int) -> int:
        i = start
        while i > self.sent.start and self.lowers[i - 1] in BE | ADVERB_SKIP:
            i -= 1
        return i

    def _be_before(self, start: int) -> bool:
        i = start - 1
        while i >= self.sent.start and self.lowers[i] in ADVERB_SKIP:
            i -= 1
        return i >= self.sent.start and self.lowers[i] in BE

    def _attack_owner_after(self, end: int) -> Mention | None:
        """ "was killed in a U.S. drone strike": the strike's owner did it."""
        for i in range(end, min(end + 6, self.sent.end)):
            mention = self.by_start.get(i)
            if mention is not None and self.lowers[i - 1] not in {"in", "by", "a", "an", "the"}:
                return None
            if mention is not None:
                return mention
        return None

    def _noun(self, form: Form, start: int, end: int) -> Coded | None:
        owner = self._owner(start)
        source = owner
        if source is None:
            source = self._agent_by(end, reach=2)
        if source is None:
            governor = self._governor(start)
            if governor is not None:
                subject = self._subject(governor)
                if subject is not None and not self._negated_or_hypothetical(governor, subject):
                    source = subject
        if source is None:
            blame = self._blamed_for(start)
            if blame is not None:
                source = blame
        target = self._object(end, form) if form.entry.preps else None
        if source is None:
            return None
        return Coded(form.entry.code, start, end, source, target, form=form)

    def _blamed_for(self, start: int) -> Mention | None:
        """ "blamed X for an attack": X is the attack's source."""
        i = start
        while i > self.sent.start and start - i < 5:
            i -= 1
            if self.lowers[i] == "for":
                for event in reversed(self.events):
                    if event.root == "11" and event.target is not None and event.end <= i:
                        return event.target
                return None
        return None


def code_sentence(doc: Doc, sent: Span, mentions: list[Mention]) -> list[Coded]:
    return SentenceCoder(doc, sent, mentions).code()
