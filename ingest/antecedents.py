"""Pronouns and definite descriptions resolved against the actors mentioned before (the
linker's fifth shape, `ingest.actors`): "he", "its allies", "we" in a quotation, "the
president", "the group", "the militia", "both men". The functions that need the
gazetteer's organs take the linker (`ingest.actors.ActorLinker`) as their first argument;
it is imported for types only, as the linker imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from ingest.grammar import grammar
from ingest.mention_context import ORG_HEADS, TITLES, names_follow
from ingest.mentions import Found, Mention, Resolver, slug
from ingest.model import Actor
from ingest.people import name_words
from ingest.quotes import QUOTES, speech_forms
from ingest.text import words as _words
from ontology.namespaces import ID

if TYPE_CHECKING:
    from ingest.actors import ActorLinker

__all__ = [
    "ADJECTIVAL",
    "COLLECTIVE_KINDS",
    "DEFINITE",
    "Earlier",
    "FIRST_PERSON",
    "GROUP_PRONOUNS",
    "LIST_MARKS",
    "PERSON_PRONOUNS",
    "POSSESSIVE_PRONOUNS",
    "PRONOUNS",
    "SALIENCE_WINDOW",
    "SECTOR_FAMILIES",
    "THING_PRONOUNS",
    "bare_agent",
    "head_antecedent",
    "last",
    "resolve",
    "same_family",
    "thing_after_actor",
    "titled_antecedent",
]


PERSON_PRONOUNS = {"he": "sg", "him": "sg", "his": "sg", "she": "sg", "her": "sg"}
THING_PRONOUNS = {"it": "sg", "its": "sg"}
GROUP_PRONOUNS = {"they": "pl", "them": "pl", "their": "pl"}
COLLECTIVE_KINDS = {"armed-group", "militia"}  # bodies "they" takes up, named in the singular
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her"}
ADJECTIVAL = name_words().adjectival_agents
FIRST_PERSON = {"we", "us", "our"}
PRONOUNS = {
    *PERSON_PRONOUNS,
    *THING_PRONOUNS,
    *GROUP_PRONOUNS,
    *POSSESSIVE_PRONOUNS,
    *FIRST_PERSON,
}

# How far back a generic noun ("the group") looks for the actor it takes up, in mentions.
SALIENCE_WINDOW = 10
# Sectors a generic noun may take up from a named actor: "militants" after the PKK.
SECTOR_FAMILIES = [{"REB", "UAF", "PRM", "IMG", "INS"}, {"GOV", "LEG", "JUD"}, {"MIL", "COP"}]
DEFINITE = {"the", "this", "that"}
LIST_MARKS = frozenset({",", "and", "or"})


def resolve(
    linker: ActorLinker,
    doc: Doc,
    i: int,
    resolver: Resolver,
    agents: Found,
    mentions: list[Mention],
) -> Mention | None:
    lower = _words(doc)[1][i]
    if lower not in PRONOUNS:
        return None
    earlier = Earlier(resolver.history, mentions, doc)
    if lower in PERSON_PRONOUNS:
        # A pronoun most often takes up the subject: the sentence's first person.
        here = [m for m in mentions if m.end <= i and m.actor.kind == "person" and not m.pronoun]
        actor = min(here, key=lambda m: m.start).actor if here else None
        actor = actor or last(earlier, i, lambda m: m.actor.kind == "person")
        return Mention(i, i + 1, actor, pronoun=True) if actor else None
    if lower in FIRST_PERSON:
        # "We condemn ...", in a quotation: the speaker named before it.
        opening = next((k for k in range(i - 1, -1, -1) if doc[k].text in QUOTES), None)
        if opening is not None:
            actor = _quoted_speaker(doc, i, mentions, earlier) or last(
                earlier, opening, lambda m: m.actor.kind is not None
            )
        else:  # outside quotation: the body that issues the text, first named in it
            actor = next(
                (
                    m.actor
                    for m in earlier.before(i)
                    if m.actor.kind not in {"person", None} and not m.pronoun
                ),
                None,
            )
        return Mention(i, i + 1, actor, pronoun=True) if actor else None
    if lower in POSSESSIVE_PRONOUNS:
        owned = _possessed_agent(linker, doc, i, earlier, agents)
        if owned:
            return owned
    if lower in THING_PRONOUNS:
        if (
            lower == "it"
            and i + 1 < len(doc)
            and doc[i + 1].lower_ in {"is", "was", "'s", "’s"}
            and not _disposed(doc, i + 2)
        ):
            return None  # "it is natural that": no antecedent ("it is ready to": one)
        if thing_after_actor(doc, doc[i].sent.start, i, mentions, resolver):
            return None  # "according to the report. It said ...": the report
        actor = last(earlier, i, _it_could_mean)
        return Mention(i, i + 1, actor, pronoun=True) if actor else None
    if lower in GROUP_PRONOUNS:
        # "the militia ... their attacks": a group is "they" as its members are
        actor = last(earlier, i, lambda m: m.plural or m.actor.kind in COLLECTIVE_KINDS)
        return Mention(i, i + 1, actor, pronoun=True, plural=True) if actor else None
    return None


def titled_antecedent(
    linker: ActorLinker, doc: Doc, i: int, resolver: Resolver, mentions: list[Mention]
) -> Mention | None:
    """ "the president", "the general": the last person introduced with that title."""
    earlier = Earlier(resolver.history, mentions, doc)
    for width in (2, 1):
        words = doc[i + 1 : i + 1 + width].text.lower()
        if words in TITLES and words not in {"leader", "chief"}:
            wanted = {words.rstrip("."), _expand(words)}

            # "the secretary" takes up "Defense Secretary X", "the colonel" "Army Col. X".
            def titled(m: Mention, w: set[str] = wanted) -> bool:
                return m.title is not None and _has_title(m.title, w)

            actor = last(earlier, i, titled)
            if actor:
                return Mention(i, i + 1 + width, actor)
    return None


def bare_agent(
    linker: ActorLinker,
    doc: Doc,
    span: tuple[int, int, str],
    resolver: Resolver,
    mentions: list[Mention],
) -> Mention | None:
    """ "the militia", "various militias": the last actor of that sector, else the
    agents of the country the story is about."""
    start, end, form = span
    if names_follow(doc, end, len(doc)):
        return None  # "Secretary of State Antony Blinken": a title
    agent = linker.agent_nouns[form]
    earlier = Earlier(resolver.history, mentions, doc)
    plural = form.endswith("s")
    following = doc[end] if end < len(doc) else None
    if form in ADJECTIVAL and following is not None and following.is_lower and following.is_alpha:
        return None  # "military aid", "security situation"
    if _indefinite(doc, start):
        return None  # "a (new) commander": someone new, not anyone named before
    if _possessed(doc, start) and form not in name_words().relational_agents:
        return None  # "its troops (from Y)": whose, the pronoun says
    group = _group_name(doc, start, end, mentions)
    if group is not None:
        # "Shia Turkomen", "Sunni Arabs": a people named by faith and name, of the
        # country the story is about.
        name = doc[start:group].text
        code = resolver.focus.most_common(1)[0][0] if resolver.focus else None
        people = Actor(f"{ID}actor/{slug(name)}", name, (), code, agent.sector, "other")
        return Mention(start, group, people, plural=True)
    pair = _pair_before(doc, start, earlier)
    if pair is not None:
        # "Both men", "the two leaders": the pair of people just named; the first of
        # them stands for both.
        return Mention(start - (1 if doc[start - 1].lower_ == "both" else 2), end, pair)
    if (
        start >= 1
        and doc[start - 1].lower_ in name_words().international
        and not any(m.end == start - 1 for m in mentions)
    ):
        # "the international group": the international body named last, or no country.
        actor = last(
            earlier,
            start,
            lambda m: m.actor.kind == "international-organisation",
            window=SALIENCE_WINDOW,
        )
        if actor is None:
            noun = doc[start - 1 : end].text.lower()
            actor = Actor(f"{ID}actor/{slug(noun)}", noun, (), None, agent.sector, "other")
        return Mention(start - 1, end, actor, plural=plural)
    owner = _owner_after(doc, end, mentions)
    if owner is not None and owner.actor.kind != "state":
        return Mention(start, end, owner.actor, plural=plural)  # "fighters of Hezbollah"
    if owner is not None:
        # "the militaries of the United States", "troops from Chad": that state's.
        linked = linker.organ(owner.actor.code or "", agent, doc[start:end].text)
        if linked.kind == "other":  # composed: the text's words are one of its names
            phrase = doc[start : owner.end].text
            linked = replace(linked, aliases=tuple(sorted({*linked.aliases, phrase})))
        return Mention(start, end, linked, plural=plural)
    partner = _list_partner(doc, start, mentions)
    # "Iraqi officials and groups", "the Iraqi government, political leaders and
    # security officials": the country carries over a list.
    if partner is not None and partner.actor.code and partner.actor.kind != "person":
        return Mention(
            start,
            end,
            linker.organ(partner.actor.code, agent, doc[start:end].text),
            plural=plural,
        )
    actor = last(
        earlier,
        start,
        lambda m: (
            same_family(m.actor.sector, agent.sector)
            and m.actor.kind not in {"state", "person"}
            # a faith names one community: "Sunnis" are not the Shia named before
            and (agent.sector != "REL" or agent.label in m.actor.label.lower())
            # the police are no army: a police noun takes up only a police force
            and (agent.sector != "COP" or m.actor.sector == "COP")
        ),
        window=SALIENCE_WINDOW,
    )
    if actor is None and resolver.focus:
        code = resolver.focus.most_common(1)[0][0]
        actor = linker.organ(code, agent, doc[start:end].text)
    if actor is None:
        # "The militants": named only by what they are; kept, with no country.
        noun = doc[start:end].text.lower()
        actor = Actor(f"{ID}actor/{slug(noun)}", noun, (), None, agent.sector, "other")
    return Mention(start, end, actor, plural=plural)


def _possessed_agent(
    linker: ActorLinker, doc: Doc, i: int, earlier: Earlier, agents: Found
) -> Mention | None:
    """ "its allies", "their forces": the owner's agents of that kind."""
    for a_start, a_end, form in agents:
        following = doc[a_end] if a_end < len(doc) else None
        if form in ADJECTIVAL and following is not None and following.is_lower:
            continue  # "its military operations"
        between = range(i + 1, a_start)
        # "their own forces", not "their fight with Islamic State": modifiers between
        preps = grammar().target_preps
        if i < a_start <= i + 3 and all(
            doc[k].is_alpha and doc[k].lower_ not in preps for k in between
        ):
            plural = doc[i].lower_ == "their"
            owner = last(
                earlier,
                i,
                (lambda m: m.plural) if plural else _it_could_mean,
            )
            if owner is None or not owner.code:
                return None
            agent = linker.agent_nouns[form]
            surface = f"{owner.label} {doc[a_start:a_end].text}"
            return Mention(
                i, a_end, linker.organ(owner.code, agent, surface), plural=form.endswith("s")
            )
    return None


def head_antecedent(doc: Doc, i: int, earlier: Earlier) -> Mention | None:
    """ "the group", "this council", "the coalition": the body named last whose name ends
    in that noun ("the Ukraine Contact Group", "the Security Council")."""
    noun = doc[i + 1]
    if not (noun.is_lower and noun.is_alpha) or noun.lower_ not in ORG_HEADS:
        return None
    wanted = noun.lower_.removesuffix("s")

    def headed(mention: Mention) -> bool:
        # by its name's last word, or the head before "of" ("Department of the Treasury"),
        # or as the text named it ("the Treasury Department")
        label = mention.actor.label.lower().split()
        heads = {label[-1]} | {
            w for w, after in zip(label, label[1:], strict=False) if after == "of"
        }
        if mention.doc is not None:
            heads.add(mention.doc[mention.end - 1].lower_)
        return any(h.removesuffix("s") == wanted for h in heads)

    actor = last(
        earlier,
        i,
        lambda m: not m.pronoun and m.actor.kind not in {"state", "person"} and headed(m),
        window=SALIENCE_WINDOW,
    )
    return Mention(i, i + 2, actor, plural=noun.lower_.endswith("s")) if actor else None


def _list_partner(doc: Doc, start: int, mentions: list[Mention]) -> Mention | None:
    """The actor named first in the list a generic noun at `start` closes ("Iraqi officials
    and groups", "the Iraqi government, political leaders and security officials"): across
    list marks and up to two items of lower-case words, each closed by a list mark."""
    ends = {m.end: m for m in mentions}
    k, items = start - 1, 0
    while k >= 0 and doc[k].lower_ in LIST_MARKS:
        while k >= 0 and doc[k].lower_ in LIST_MARKS:
            k -= 1
        if k + 1 in ends:
            return ends[k + 1]
        while k >= 0 and doc[k].is_lower and doc[k].is_alpha and k + 1 not in ends:
            k -= 1  # an item with no actor: "political leaders"
        items += 1
        if items > 2:
            return None
    return None


def _group_name(doc: Doc, start: int, end: int, mentions: list[Mention]) -> int | None:
    """Where a capitalised agent noun with one capitalised word after it ends as a people's
    name ("Shia Turkomen", "Sunni Arabs"); None if the word is taken or a name goes on."""
    if end + 1 > len(doc) or end - start != 1 or not doc[start].text[:1].isupper():
        return None
    word = doc[end] if end < len(doc) else None
    if word is None or not (word.is_alpha and word.text[:1].isupper()):
        return None
    if any(m.start <= end < m.end for m in mentions) or word.lower_ in TITLES:
        return None
    return end + 1


def _pair_before(doc: Doc, start: int, earlier: Earlier) -> Actor | None:
    """After "both" or "the two": the first of the last two people named, if two were."""
    lowers = _words(doc)[1]
    both = start >= 1 and lowers[start - 1] == "both"
    two = start >= 2 and lowers[start - 2] == "the" and lowers[start - 1] == "two"
    if not (both or two):
        return None
    people: list[Actor] = []
    for mention in reversed(earlier.before(start)[-SALIENCE_WINDOW:]):
        if mention.actor.kind == "person" and all(p.iri != mention.actor.iri for p in people):
            people.append(mention.actor)
        if len(people) == 2:
            return people[1]
    return None


def _possessed(doc: Doc, start: int) -> bool:
    """Whether "its" opens the noun phrase ending at `start` ("its troops", "its own elite
    forces"): one owner, the pronoun's. ("their" may stand for actors joined by "and",
    whose agents the coder reads from the subject.)"""
    k = start - 1
    while k >= max(0, start - 3) and doc[k].is_alpha and doc[k].is_lower:
        if doc[k].lower_ == "its":
            return True
        k -= 1
    return False


def _indefinite(doc: Doc, start: int) -> bool:
    """Whether the noun phrase ending at `start` opens with "a", "an" or "one" ("a
    sustainable long-term settlement"): its lower-case modifiers are skipped."""
    for k in range(start - 1, max(start - 6, -1), -1):
        word = doc[k].lower_
        if word in {"a", "an", "one"}:
            return True
        if not (doc[k].is_lower and (doc[k].is_alpha or "-" in word)) or doc[k].is_stop:
            return False
    return False


def same_family(named: str | None, generic: str) -> bool:
    if named == generic:
        return True
    return any(named in family and generic in family for family in SECTOR_FAMILIES)


def _expand(word: str) -> str:
    word = word.lower().rstrip(".")
    return {
        "gen": "general",
        "col": "colonel",
        "adm": "admiral",
        "sen": "senator",
        "lt": "lieutenant",
        "maj": "major",
        "brig": "brigadier",
    }.get(word, word)


@dataclass
class Earlier:
    """Mentions before a point: earlier sentences' and this sentence's up to the point."""

    history: list[Mention]
    current: list[Mention]
    doc: Doc | None = None  # the paragraph `before` counts in

    def before(self, index: int) -> list[Mention]:
        """Earlier sentences' mentions, less those of this paragraph at or after `index`
        (a quotation opened sentences ago: what it names is no speaker before it)."""
        here = sorted((m for m in self.current if m.end <= index), key=lambda m: m.start)
        done = [m for m in self.history if m.doc is not self.doc or m.end <= index]
        return done + here


def _disposed(doc: Doc, i: int) -> bool:
    """ "(it is) ready/prepared/willing to ...": a word of the subject's own disposition."""
    if i < len(doc) and doc[i].lower_ in {"not", "now", "also", "still", "fully"}:
        i += 1
    return i < len(doc) and doc[i].lower_ in grammar().intent_verbs


def _quoted_speaker(doc: Doc, i: int, mentions: list[Mention], earlier: Earlier) -> Actor | None:
    """ "'... notified us ...,' Esper said": the speaker a quotation is attributed to after
    it closes, in the same sentence: the name before the verb of saying ("Esper said"), a
    person's pronoun there ("she told reporters": the person last named), or a person's
    name after it ("said Esper"; "told reporters" names the hearers)."""
    end = doc[i].sent.end
    closing = next((k for k in range(i + 1, end) if doc[k].text in QUOTES), None)
    if closing is None:
        return None
    speech = speech_forms()
    lowers = _words(doc)[1]
    named = [m for m in mentions if m.start > closing and not m.pronoun and m.actor.kind]
    for k in range(closing + 1, end):
        if lowers[k] not in speech:
            continue
        before = [m for m in named if k - 3 <= m.end <= k]
        if before:
            return before[-1].actor
        if lowers[k - 1] in PERSON_PRONOUNS:
            return last(earlier, i, lambda m: m.actor.kind == "person")
        after = [m for m in named if k < m.start <= k + 3 and m.actor.kind == "person"]
        if after:
            return after[0].actor
    return None


def _it_could_mean(mention: Mention) -> bool:
    """Whether "it"/"its" may take up the mention: a body, not a person or a plural."""
    return mention.actor.kind not in {"person", None} and not mention.plural


def thing_after_actor(
    doc: Doc, start: int, end: int, mentions: list[Mention], resolver: Resolver
) -> bool:
    """Whether, up to `end`, a document noun ("the report") came after the last actor that
    "it" could take up; with neither in doc[start:end], what earlier sentences left."""
    things = name_words().document_nouns
    thing = max((k for k in range(start, end) if doc[k].lower_ in things), default=None)
    actor = max(
        (m.end for m in mentions if start <= m.start and m.end <= end and _it_could_mean(m)),
        default=None,
    )
    if thing is None and actor is None:
        return resolver.thing_last
    return thing is not None and (actor is None or thing >= actor)


def last(
    earlier: Earlier,
    before: int,
    predicate: Callable[[Mention], bool],
    window: int | None = None,
) -> Actor | None:
    """The most recent actor that fits, within the last `window` mentions if given."""
    mentions = earlier.before(before)
    if window is not None:
        mentions = mentions[-window:]
    for mention in reversed(mentions):
        if not mention.pronoun and predicate(mention):
            return mention.actor
    for mention in reversed(mentions):
        if predicate(mention):
            return mention.actor
    return None


def _owner_after(doc: Doc, end: int, mentions: list[Mention]) -> Mention | None:
    """The actor whose agents an "of"/"from" phrase right after an agent noun names
    ("militaries of the United States", "terrorists from the Islamic State")."""
    if end >= len(doc) or doc[end].lower_ not in name_words().owner_preps:
        return None
    for mention in mentions:
        if (
            mention.start in (end + 1, end + 2)
            and not mention.pronoun
            and mention.actor.kind is not None
            and (mention.actor.kind != "state" or mention.actor.code)
            and (mention.start == end + 1 or doc[end + 1].lower_ == "the")
        ):
            return mention
    return None


def _has_title(titles: str, wanted: set[str]) -> bool:
    """Whether a person's titles hold one of `wanted`: "the secretary" takes up "Defense
    Secretary Dr. Jane Roe", "the colonel" "Army Col. John Doe"."""
    written = titles.lower()
    words = written.split()
    return any(_expand(w) in wanted for w in (written, *words)) or any(
        " " in w and w in written for w in wanted
    )
