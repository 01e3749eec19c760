"""Build ontology/countries.ttl, ontology/international.ttl and ontology/armed_groups.ttl
from the PETRARCH2 actor dictionaries in ontology/sources/.

Why: the hand-written gazetteer (actors.ttl) covers one conflict. The Phoenix actor
dictionaries list every state (names, capital, adjectives of origin, provinces, cities),
its organs ("AFGHAN_NATIONAL_SECURITY_FORCES [AFGMIL]"), its office holders with dated
roles ("[USAGOV 010120-090120]"), and the international bodies (IGO, UN, NGO codes). This
script turns them into sem:Actor entries in the vocabulary actors.ttl uses.

Dictionary syntax read here (PETRARCH2 documentation, "Actor Dictionary"): a record is a
primary phrase, optionally with a code in brackets, then synonym lines starting with `+`,
then date restrictions on lines starting with a tab: `[CODE]` (default), `[CODE <DATE]`
(before), `[CODE >DATE]` (after), `[CODE DATE-DATE]` (between). Words are joined by `_`
or blanks; `#` starts a comment. Dates are YYYYMMDD or YYMMDD, where YY 00-30 is 20YY and
31-99 is 19YY; a date PETRARCH cannot read (bad day, 7 digits) is skipped as PETRARCH
skips it. A primary phrase with no code and nothing after it shares the codes of the next
record, as in PETRARCH: it is another name of the same actor ("YELTSIN" before
"RUSSIAN_PRESIDENT_YELTSIN [...]").

Choices:
- A state is the first record whose current code is a bare 3-letter country code (later
  records with the same code and a name containing the state's are merged into it); its
  other records with that code (a region, a city) are not the state and are left out.
  Historical states (SUN, CSK, DDR, SCG, YUG) are states with their former ISO codes.
- A state's names are the primary name and the synonyms that are spellings of it or of a
  word of it (similar strings, or forms such as "Republic of X"); adjectives of origin
  (-an, -ian, -ese, -ish, -i, -ic, ... sharing a stem with a name, or listed in
  IRREGULAR_DEMONYMS) become evkg:demonym; the capital (CAPITALS, checked against the
  synonyms) becomes an altLabel; provinces, cities and landmarks are left out.
- Records with a country code and a sector ("[AFGMIL]") are the state's organs, linked by
  evkg:partOf; records from CountryInfo, or with dated roles and a name without
  organisation words, are people. A person keeps the full name and the name without
  middle names or initials, and evkg:role for each dated role; only people with a role
  ending after 1990, or open-ended, are kept.
- International records are kept when coded IGO (international organisations, UNO for UN
  bodies, EUR for European ones) or NGO; multinational companies (MNC) are left out.
- An actor already in actors.ttl (a state with the same country code, or any actor with a
  name in common) keeps its IRI: only aliases, demonyms and roles it lacks are added, and
  no alias that actors.ttl gives to another actor is ever added (a hand-written entry
  wins); it gets only names that share a word with its own (a person's: the surname), as a
  record lumps a body with its leaders ("ISIL" with its emirs). Names are compared on
  `ingest.vocab.name_key`, the key the linker matches on.
- Every record of the non-state armed groups file (Phoenix.MilNonState) is an armed group
  (sector REB unless its code names another armed sector) whose country code is the state
  its code names ("[LKAREB]"); a record coded for no state (IMG, INT, a region such as
  MEA or SEA, KKL for unknown) is based in the state a parenthesis of its name or a later
  segment of its code names ("(EL_SALVADOR)", "[IMGSEAMUSASFMYS]"), else it is
  transnational (IMG, as actors.ttl codes al-Qaeda). A parenthesised acronym
  ("_(LTTE)_") is another name. The file's last section (KEDS, names ending in "__")
  mixes leaders with groups and spells one group many ways: there, only names with a word
  of a group's name ("FRONT", "LASHKAR") are groups, and a spelling close to a group
  already built is merged into it. Leaders listed among a group's synonyms ("JOSEPH_KONY"
  for the Lord's Resistance Army: a person's name whose first word is the given name of a
  person of the gazetteers), descriptions ("AL_QAEDA_LINKED_ABU_SAYYAF"), single
  common words ("YOUTH_") and the fictional villains of the test entries are left out.
  A new group takes no name a state, its organs, an international body or actors.ttl
  already has ("EPA"); two groups of one name in two states are told apart by the state
  ("National Liberation Army (Bolivia)").
- An alias that two generated actors would share is left off both (an armed group's
  only, when the other is of countries.ttl or international.ttl).

The hand-written tables these choices use (state names, capitals, exonyms, irregular
demonyms, the words that tell an organisation, a title or a description from a name) are
data, kept in ontology/sources/actor_tables.yaml with what each is and where it comes from.

Usage: python tools/build_actors.py [--out-dir DIR] [--check]
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_agents import CAMEO_TO_PLOVER  # noqa: E402

from ingest.vocab import ARTICLES, is_exact_name, name_key, name_words, word_key  # noqa: E402

SOURCES = ROOT / "ontology" / "sources"
COUNTRIES_SOURCE = SOURCES / "Phoenix.Countries.actors.txt"
INTERNATIONAL_SOURCE = SOURCES / "Phoenix.International.actors.txt"
ARMED_GROUPS_SOURCE = SOURCES / "Phoenix.MilNonState.actors.txt"
HAND = ROOT / "ontology" / "actors.ttl"
OUT_DIR = ROOT / "ontology"
COUNTRIES_OUT = "countries.ttl"
INTERNATIONAL_OUT = "international.ttl"
ARMED_GROUPS_OUT = "armed_groups.ttl"

ACTOR = "https://evkg.org/id/actor/"
EVKG = "https://evkg.org/ontology#"
SEM_ACTOR = URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Actor")

# People whose every role ended before this are left out (the file stays small).
ROLE_CUTOFF = dt.date(1991, 1, 1)

# The hand-written tables the rules below apply (capitals, exonyms, demonyms, word classes)
# are data: ontology/sources/actor_tables.yaml, which says what each is and where it comes
# from. Each is kept here under its key in upper case (GROUP_WORDS adds ORG_WORDS to its own).
TABLES_FILE = SOURCES / "actor_tables.yaml"


def only_strings(value: object) -> bool:
    """Whether every key and entry of a table is a string (YAML reads an unquoted `on`
    as True and `null` as None)."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and only_strings(item) for key, item in value.items())
    if isinstance(value, list):
        return all(only_strings(item) for item in value)
    return isinstance(value, str)


def read_tables(path: Path = TABLES_FILE) -> dict[str, Any]:
    """The tables of the file by name, each a list or a mapping of strings."""
    with path.open(encoding="utf-8") as handle:
        tables: dict[str, Any] = yaml.safe_load(handle)
    wrong = sorted(name for name, table in tables.items() if not only_strings(table))
    if wrong:
        raise ValueError(f"{path}: entries that are not strings (quote them) in {wrong}")
    return tables


TABLES = read_tables()

CODE_FIXES: dict[str, str] = TABLES["code_fixes"]
NOT_STATES: frozenset[str] = frozenset(TABLES["not_states"])
STATE_NAMES: dict[str, str] = TABLES["state_names"]
CAPITALS: dict[str, list[str]] = TABLES["capitals"]
EXONYMS: dict[str, tuple[list[str], list[str]]] = {
    code: (entry.get("names", []), entry.get("demonyms", []))
    for code, entry in TABLES["exonyms"].items()
}
IRREGULAR_DEMONYMS: frozenset[str] = frozenset(TABLES["irregular_demonyms"])
DEMONYM_SUFFIXES: tuple[str, ...] = tuple(TABLES["demonym_suffixes"])
STATE_FORM_WORDS: frozenset[str] = frozenset(TABLES["state_form_words"])
ORG_WORDS: frozenset[str] = frozenset(TABLES["org_words"])
TITLE_WORDS: frozenset[str] = frozenset(TABLES["title_words"])
DESCRIPTION_WORDS: frozenset[str] = frozenset(TABLES["description_words"])
MID_TITLES: frozenset[str] = frozenset(TABLES["mid_titles"])
PARTICLES: frozenset[str] = frozenset(TABLES["particles"])
LOWER_WORDS: frozenset[str] = frozenset(TABLES["lower_words"])
KIND_BY_SECTOR: dict[str, str] = TABLES["kind_by_sector"]
GENERIC_WORDS = frozenset(word_key(word) for word in TABLES["generic_words"])


# -- the non-state armed groups file -----------------------------------------------------

ARMED_SECTORS: tuple[str, ...] = tuple(TABLES["armed_sectors"])
FICTIONAL: frozenset[str] = frozenset(TABLES["fictional"])
DESCRIPTION_OF_GROUP: frozenset[str] = frozenset(TABLES["description_of_group"])
GROUP_WORDS = ORG_WORDS | frozenset(TABLES["group_words"])
GROUP_NAMES_IN_DICTIONARY: frozenset[str] = frozenset(TABLES["group_names_in_dictionary"])
NAMES_NEWS_GIVES_OTHERS: frozenset[str] = frozenset(TABLES["names_news_gives_others"])

# How close (difflib ratio of word keys) each word of a KEDS spelling must be to the word of
# a group's name to be another spelling of it ("LASKAR_I_TOIBA" for "LASHKAR_E_TAYYIBA").
SPELLING_RATIO = 0.6


def plover_sectors() -> set[str]:
    lines = (SOURCES / "plover_sector_codes.tsv").read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0] for line in lines[1:] if line.strip()}


PLOVER = plover_sectors()


def english_words() -> frozenset[str]:
    """English words (WordNet's, as the lemma index of the parser's spaCy model lists
    them): a single one of them is no group's name."""
    from spacy.pipeline import Lemmatizer

    from ingest.parser import model

    lemmatizer = model().get_pipe("lemmatizer")
    assert isinstance(lemmatizer, Lemmatizer)
    table = lemmatizer.lookups.get_table("lemma_index")
    return frozenset(word.lower() for words in table.values() for word in words)


def is_common_word(name: str, words: frozenset[str]) -> bool:
    """A one-word name that is an English word or its plural ("Tigers", "Lightning"). An
    acronym of up to four capitals is matched only as written ("IRA", "ETA"), so it may be
    one (WordNet lists "IRA" and "eta"), and so may one without a vowel ("PDFLP") and a
    hyphened name ("Lashkar-e-Taiba", which WordNet lists as the group it is)."""
    low = name.lower()
    if (
        not name.isalpha()
        or low in GROUP_NAMES_IN_DICTIONARY
        or is_exact_name(name)
        or not re.search(r"[aeiouy]", low)
    ):
        return False
    forms = {low, low[:-1] if low.endswith("s") else low, low[:-2] if low.endswith("es") else low}
    return bool(forms & words)


# ---------------------------------------------------------------------------
# Reading the dictionaries
# ---------------------------------------------------------------------------


@dataclass
class Role:
    code: str
    start: dt.date | None = None
    end: dt.date | None = None
    dated: bool = False  # a restriction was given (else the record's default code)


@dataclass
class Record:
    line: int
    names: list[str]  # primary phrase(s) first, then synonyms, as in the file
    roles: list[Role] = field(default_factory=list)
    comment: str = ""
    heads: int = 1  # how many of `names` are primary phrases
    bad_dates: int = 0


def parse_date(text: str) -> dt.date | None:
    """A PETRARCH date: YYMMDD (YY 00-30 is 20YY) or, from 8 digits on, YYYYMMDD."""
    digits = text.strip()
    if not digits.isdigit():
        return None
    try:
        if len(digits) <= 7:
            year = int(digits[:2])
            year += 2000 if year <= 30 else 1900
            return dt.date(year, int(digits[2:4]), int(digits[4:]))
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def parse_code(text: str) -> Role | None | str:
    """One bracketed code with its restriction; "bad" if the restriction is unreadable."""
    code, _, rest = text.strip().partition(" ")
    code, rest = code.strip(), rest.strip()
    if not code or code == "---":
        return None
    if not rest:
        return Role(code)
    if rest[0] in "<>":
        date = parse_date(rest[1:].strip()[:8].split()[0] if rest[1:].strip() else "")
        if date is None:
            return "bad"
        if rest[0] == "<":
            return Role(code, end=date, dated=True)
        return Role(code, start=date, dated=True)
    if "-" in rest:
        first, _, second = rest.partition("-")
        start, end = parse_date(first), parse_date(second)
        if start is None or end is None or end < start:
            return "bad"
        return Role(code, start=start, end=end, dated=True)
    return "bad"


BRACKETS = re.compile(r"\[([^\]]*)\]")


def read_records(path: Path) -> list[Record]:
    """The records of a PETRARCH actor dictionary, in file order."""
    records: list[Record] = []
    current: Record | None = None

    def add_codes(text: str) -> None:
        assert current is not None  # codes follow a record's first line
        for inner in BRACKETS.findall(text):
            role = parse_code(inner)
            if role == "bad":
                current.bad_dates += 1
            elif isinstance(role, Role):
                current.roles.append(role)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = re.sub(r"<!--.*?-->", "", raw)
        if not line.strip() or line.lstrip().startswith(("#", "<")):
            continue
        body, hash_, comment = line.partition("#")
        if line[0] in "\t " and current is not None:
            if "[" in body:
                add_codes(body)
            elif body.strip() and not body.strip().startswith("["):
                # A synonym written on an indented line ("\tJOHN_MCCLOY_ [..]").
                current.names.append(body.split("[")[0].strip())
                add_codes(body)
            continue
        if line[0] == "+":
            if current is not None:
                current.names.append(body[1:].split("[")[0].strip())
                add_codes(body[1:])
            continue
        name = body.split("[")[0].strip()
        if not name:
            continue
        if (
            current is not None
            and not current.roles
            and len(current.names) == current.heads
            and not current.bad_dates
        ):
            # The previous primary phrase had no code and no synonyms: same actor.
            current.names.append(name)
            current.heads += 1
            current.comment += comment
        else:
            current = Record(number, [name], comment=comment)
            records.append(current)
        add_codes(body)
    return [r for r in records if any(n for n in r.names)]


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


def words_of(name: str) -> list[str]:
    """The words of a dictionary phrase, upper case: `_` and blanks separate them. A
    leading article goes ("THE_SECURITY_COUNCIL" is the Security Council a text names
    after "the"; kept, it would be a second actor of that name)."""
    words = [w for w in re.split(r"[_\s]+", name.strip().strip("_").upper()) if w]
    return words[1:] if len(words) > 1 and words[0] == "THE" else words


def is_acronym(word: str) -> bool:
    letters = re.sub(r"[^A-Z]", "", word)
    return bool(letters) and (
        "." in word or len(letters) <= 2 or not re.search(r"[AEIOUY]", letters)
    )


def _cap(part: str) -> str:
    low = part.lower()
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + low[2:].capitalize()
    if len(low) > 2 and low[1] == "'" and low[0] in "od":
        return low[0].upper() + "'" + low[2:].capitalize()
    return low.capitalize()


def readable(words: list[str], acronyms: bool = True) -> str:
    """Title case for upper-case dictionary words: "AL-ASSAD" -> "al-Assad"."""
    out = []
    for index, word in enumerate(words):
        if re.fullmatch(r"[IVX]+", word) and index > 0:
            out.append(word)
        elif word.lower() in LOWER_WORDS and index > 0:
            out.append(word.lower())
        elif acronyms and is_acronym(word):
            out.append(word)
        else:
            parts = word.split("-")
            shown = []
            for k, part in enumerate(parts):
                low = part.lower()
                if low in LOWER_WORDS and (index > 0 or k > 0 or len(parts) > 1):
                    shown.append(low)
                else:
                    shown.append(_cap(part))
            out.append("-".join(shown))
    text = " ".join(out)
    return text[:1].upper() + text[1:] if text[:2] not in {"al", "el"} else text


def person_names(names: list[str]) -> list[str]:
    """Names a person record gives: titles stripped, descriptions dropped, the full name
    and the name without middle names or initials."""
    out: list[str] = []
    for name in names:
        if "," in name or "(" in name:
            continue
        words = words_of(name)
        while words and (words[0] in TITLE_WORDS or re.fullmatch(r"(?:[A-Z]\.){2,}", words[0])):
            words = words[1:]  # "PRESIDENT", "C.I.A."
        if len(words) < 2 or any(w in DESCRIPTION_WORDS or w in MID_TITLES for w in words):
            continue  # "SOVIET_LEADER_LEONID_BREZHNEV", "CIA_DIRECTOR_LEON_PANETTA"
        if any(not re.fullmatch(r"[A-Z][A-Z.'\-]*", w) for w in words):
            continue
        full = readable(words, acronyms=False)
        out.append(full)
        lowered = {w.lower() for w in words}
        if len(words) >= 3 and not lowered & PARTICLES:
            out.append(readable([words[0], words[-1]], acronyms=False))
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------
# Codes
# ---------------------------------------------------------------------------


def split_code(code: str) -> tuple[str, list[str]]:
    """ "USAGOVMIL" -> ("USA", ["GOV", "MIL"]); "IGOUNOKID" -> ("UNO", ["KID"])."""
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    if parts and parts[0] == "IGO":
        rest = parts[1:]
        if rest and rest[0] == "UNO":
            return "UNO", rest[1:]
        if rest and rest[0] == "EUR":
            return "EUR", rest[1:]
        return "IGO", rest
    if not parts:
        return "", []
    return CODE_FIXES.get(parts[0], parts[0]), parts[1:]


def plover(segments: list[str]) -> str | None:
    for segment in segments:
        sector = CAMEO_TO_PLOVER.get(segment, segment)
        if sector in PLOVER:
            return sector
    return None


def current_role(roles: list[Role]) -> Role | None:
    """The role that holds now: open-ended first, then the latest dated, then the default."""
    open_ended = [r for r in roles if r.dated and r.start and r.end is None]
    if open_ended:
        return max(open_ended, key=lambda r: r.start or dt.date.min)  # all have a start
    dated = [r for r in roles if r.dated]
    if dated:
        return max(dated, key=lambda r: (r.end or dt.date.max, r.start or dt.date.min))
    return roles[0] if roles else None


def latest_role(roles: list[Role]) -> Role | None:
    """A person's latest office: the dated role that ends last (open-ended counts as last)."""
    dated = [r for r in roles if r.dated]
    if not dated:
        return roles[0] if roles else None
    return max(
        dated,
        key=lambda r: (
            r.end or dt.date.max,
            r.start or dt.date.min,
            split_code(r.code)[1][:1] != ["ELI"],
        ),
    )


# ---------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------


@dataclass
class Actor:
    slug: str
    label: str | None  # None: an actor of actors.ttl, which keeps its own label
    kind: str | None = None
    code: str | None = None
    sector: str | None = None
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    part_of: str | None = None
    roles: list[Role] = field(default_factory=list)
    file: str = COUNTRIES_OUT


@dataclass
class Hand:
    """What actors.ttl says, for reuse and for the hand-written-wins rule."""

    owner: dict[str, set[str]]  # name key -> slugs
    states: dict[str, str]  # country code -> slug
    kinds: dict[str, str]  # slug -> kind local name
    names: dict[str, set[str]]  # slug -> name keys it already has
    words: dict[str, set[str]]  # slug -> word keys of its names, generic words left out
    surnames: dict[str, str]  # person slug -> the last word key of its label


def read_hand() -> Hand:
    graph = Graph().parse(HAND, format="turtle")
    owner: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    words: dict[str, set[str]] = defaultdict(set)
    surnames: dict[str, str] = {}
    states: dict[str, str] = {}
    kinds: dict[str, str] = {}
    evkg_kind = URIRef(EVKG + "actorKind")
    for subject in graph.subjects(RDF.type, SEM_ACTOR):
        slug = str(subject).removeprefix(ACTOR)
        kind = graph.value(subject, evkg_kind)
        kinds[slug] = str(kind).removeprefix(EVKG) if kind else ""
        for prop in (SKOS.prefLabel, SKOS.altLabel, URIRef(EVKG + "demonym")):
            for label in graph.objects(subject, prop):
                key = name_key(str(label))
                if key:
                    owner[key].add(slug)
                    names[slug].add(key)
                    words[slug].update(set(name_words(str(label))) - GENERIC_WORDS)
        preferred = graph.value(subject, SKOS.prefLabel)
        if kinds[slug] == "Person" and preferred is not None and name_words(str(preferred)):
            surnames[slug] = name_words(str(preferred))[-1]
        code = graph.value(subject, URIRef(EVKG + "countryCode"))
        if kinds[slug] == "State" and code is not None:
            states[str(code)] = slug
    return Hand(owner, states, kinds, names, words, surnames)


def slugify(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("’", "")).strip("-")


def _stem_shared(word: str, names: list[list[str]], least: int = 4) -> bool:
    for name in names:
        for other in name:
            if other in STATE_FORM_WORDS:
                continue
            common = 0
            for a, b in zip(word, other, strict=False):
                if a != b:
                    break
                common += 1
            if common >= min(least, len(other) - 1) and common >= 3:
                return True
    return False


def classify_state_synonym(synonym: str, primary: list[list[str]]) -> str | None:
    """ "name", "demonym" or None (a province, a city, a landmark, a foreign form)."""
    words = words_of(synonym)
    if not words or any(re.search(r"[(),0-9]", w) for w in words):
        return None
    phrase = " ".join(words)
    last = words[-1]
    if phrase in IRREGULAR_DEMONYMS:
        return "demonym"
    base = " ".join(primary[0])
    similar = difflib.SequenceMatcher(None, phrase, base).ratio() >= 0.8
    extends = any(last.startswith(w[:-1]) for p in primary for w in p if len(w) > 3)
    if similar and not extends:
        return "name"  # a spelling of the name ("AFGHANSITAN")
    primary_words = {w for p in primary for w in p}
    if (
        len(words) <= 2
        and last.lower().endswith(DEMONYM_SUFFIXES)
        and not last.endswith(("STAN", "LAND", "IA"))
        and last not in primary_words  # "PORT_SUDAN" is a city
        and (len(words) == 1 or words[0] in primary_words)  # "SOUTH_SUDANESE"
        and _stem_shared(last, primary)
    ):
        return "demonym"
    if similar:
        return "name"
    significant = [w for w in primary[0] if w not in STATE_FORM_WORDS]
    rest = [w for w in words if w not in STATE_FORM_WORDS]
    if rest and significant and set(rest) <= set(primary[0]) and set(significant) <= set(words):
        return "name"  # "UNITED_STATES" for "UNITED_STATES_OF_AMERICA"
    if rest and set(words) - set(rest) and all(_stem_shared(w, primary, 5) for w in rest):
        return "name"  # "REPUBLIC_OF_HUNGARY"
    if len(words) == 1 and len(last) <= 3 and last.isalpha() and len(primary[0]) > 1:
        initials = "".join(w[0] for w in primary[0] if w not in {"OF", "THE", "AND"})
        if last == initials:
            return "name"  # "USA", "UAE"
    return None


class Builder:
    def __init__(self) -> None:
        self.hand = read_hand()
        graph = Graph().parse(HAND, format="turtle")
        self.hand_labels: dict[str, list[str]] = defaultdict(list)
        for subject, label in graph.subject_objects(SKOS.prefLabel):
            self.hand_labels[str(subject).removeprefix(ACTOR)].append(str(label))
        self.actors: dict[str, Actor] = {}  # slug -> actor, in build order
        self.stats: dict[str, int] = defaultdict(int)
        self.state_slugs: dict[str, str] = {}  # country code -> slug
        self.state_names: dict[str, str] = {}  # name key of a state -> its country code
        self.group_keys: dict[str, str] = {}  # name key -> slug of an armed group built here
        self.group_names_seen: list[tuple[list[str], str]] = []  # their names' word keys
        self.english: frozenset[str] = frozenset()
        self.given_names: set[str] = set()  # word keys of the first names of people
        self.taken: set[str] = set()

    # -- identities -----------------------------------------------------------------

    def new_slug(self, label: str, code: str | None) -> str:
        base = slugify(label) or "actor"
        slug = base
        if slug in self.actors or slug in self.hand.kinds:
            slug = f"{base}-{code.lower()}" if code else base
        number = 2
        while slug in self.actors or slug in self.hand.kinds:
            slug = f"{base}-{number}"
            number += 1
        return slug

    def hand_match(self, names: list[str], kinds: set[str] | None = None) -> str | None:
        """The actors.ttl actor one of the names already names (the first name first)."""
        for name in names:
            owners = sorted(
                slug
                for slug in self.hand.owner.get(name_key(name), ())
                if kinds is None or self.hand.kinds.get(slug) in kinds
            )
            if owners:
                return owners[0]
        return None

    def add(self, actor: Actor) -> Actor:
        existing = self.actors.get(actor.slug)
        if existing is None:
            self.actors[actor.slug] = actor
            return actor
        for name in actor.aliases:
            if name not in existing.aliases:
                existing.aliases.append(name)
        for name in actor.demonyms:
            if name not in existing.demonyms:
                existing.demonyms.append(name)
        existing.roles.extend(r for r in actor.roles if r not in existing.roles)
        return existing

    # -- countries --------------------------------------------------------------------

    def build_countries(self, records: list[Record]) -> None:
        states: dict[str, tuple[Record, list[Record]]] = {}
        for record in records:
            if "CountryInfo" in record.comment or not record.roles:
                continue
            role = current_role(record.roles)
            raw = role.code if role else ""
            if len(raw) != 3 or not raw.isalpha() or raw in NOT_STATES:
                continue
            code = CODE_FIXES.get(raw, raw)
            if code not in states:
                states[code] = (record, [])
            else:
                first = words_of(states[code][0].names[0])
                mine = words_of(record.names[0])
                if " ".join(first) in " ".join(mine) or " ".join(mine) in " ".join(first):
                    states[code][1].append(record)
        for code, (record, extra) in states.items():
            self.add_state(code, record, extra)
        state_records = {id(r) for r, extra in states.values()} | {
            id(x) for _, extra in states.values() for x in extra
        }
        for record in records:
            if id(record) in state_records or not record.roles:
                continue
            if "CountryInfo" in record.comment.replace("COUNTRYINFO", "CountryInfo"):
                self.add_person(record, COUNTRIES_OUT)
                continue
            self.add_other(record)

    def add_state(self, code: str, record: Record, extra: list[Record]) -> None:
        primary = [words_of(n) for n in record.names[: record.heads]]
        names: list[str] = []
        demonyms: list[str] = []
        synonyms = record.names[record.heads :] + [n for r in extra for n in r.names]
        for synonym in synonyms:
            kind = classify_state_synonym(synonym, primary)
            if kind == "name":
                names.append(readable(words_of(synonym)))
            elif kind == "demonym":
                demonyms.append(readable(words_of(synonym), acronyms=False))
        label = STATE_NAMES.get(code) or readable(primary[0], acronyms=False)
        capitals = CAPITALS.get(code, [])
        listed = {name_key(s) for s in synonyms}
        capital = next((c for c in capitals if name_key(c) in listed), None)
        if capital:
            self.stats["capitals from the source"] += 1
        elif capitals:
            capital = capitals[0]
            self.stats["capitals from the table"] += 1
        exonyms, exo_demonyms = EXONYMS.get(code, ([], []))
        demonyms += exo_demonyms
        aliases = [readable(p, acronyms=False) for p in primary] + names + exonyms
        if capital:
            aliases.append(capital)
        slug = self.hand.states.get(code)
        if slug is None:
            slug = self.hand_match([label], {"State"})
        actor = Actor(
            slug=slug or self.new_slug(label, code),
            label=None if slug else label,
            kind="State",
            code=code,
            sector="GOV",
            aliases=list(dict.fromkeys(a for a in aliases if a != label)),
            demonyms=list(dict.fromkeys(demonyms)),
        )
        self.state_slugs[code] = actor.slug
        for name in [label, *aliases]:
            self.state_names.setdefault(name_key(name), code)
        self.stats["states"] += 1
        self.add(actor)

    def add_other(self, record: Record) -> None:
        """A record of a country's section that is not the state: an organ, a person or a
        group."""
        role = current_role(record.roles)
        assert role is not None  # the record has roles
        code, segments = split_code(role.code)
        words = words_of(record.names[0])
        dated = any(r.dated for r in record.roles)
        org_like = any(w in ORG_WORDS for w in words) or all(
            len(words_of(n)) == 1 for n in record.names
        )
        if ("ELI" in segments[:1] or dated) and not org_like and person_names(record.names):
            self.add_person(record, COUNTRIES_OUT)
            return
        if not segments or len(code) != 3:
            if code in {"IMG", "IGO", "UNO", "EUR", "NGO"}:
                self.add_body(record, COUNTRIES_OUT)
            return
        sector = plover(segments)
        if sector is None:
            return
        state = self.state_slugs.get(code)
        self.add_body(record, COUNTRIES_OUT, part_of=state)

    # -- people -----------------------------------------------------------------------

    def add_person(self, record: Record, file: str) -> None:
        names = person_names(record.names)
        roles = [r for r in record.roles if r.dated]
        undated = [r for r in record.roles if not r.dated]
        if not names or not record.roles:
            return
        if (
            roles
            and not any(r.end is None or r.end >= ROLE_CUTOFF for r in roles)
            and not (undated and not any(r.end for r in roles))
        ):
            self.stats["people whose roles ended before 1991"] += 1
            return
        if not roles and not undated:
            return
        latest = latest_role(record.roles)
        assert latest is not None  # the record has roles
        code, segments = split_code(latest.code)
        sector = plover(segments) or ("GOV" if code in {"UNO", "EUR", "IGO"} else "ELI")
        if not re.fullmatch(r"[A-Z]{3}", code):
            return
        label = names[0]
        slug = self.hand_match(names, {"Person"})
        if slug is None:
            plain = slugify(label)
            for other in (self.actors.get(plain), self.actors.get(f"{plain}-{code.lower()}")):
                if other is not None and other.kind == "Person" and other.code == code:
                    slug = other.slug
                    break
        actor = Actor(
            slug=slug or self.new_slug(label, code),
            label=None if slug and slug in self.hand.kinds else label,
            kind="Person",
            code=code,
            sector=sector,
            aliases=[n for n in names if n != label],
            roles=roles,
            file=file,
        )
        if slug and slug in self.actors:
            actor.label = self.actors[slug].label
        self.stats["people"] += 1
        self.add(actor)

    # -- organisations -----------------------------------------------------------------

    def add_body(self, record: Record, file: str, part_of: str | None = None) -> None:
        role = current_role(record.roles)
        assert role is not None  # the record has roles
        code, segments = split_code(role.code)
        if not re.fullmatch(r"[A-Z]{3}", code):
            return
        names = []
        for name in record.names:
            words = words_of(name)
            if not words or any(re.search(r"[(),]", w) for w in words):
                continue
            if len(words) == 1 and len(words[0]) <= 6 and words[0].isalpha():
                names.append(words[0])  # an abbreviation: "ASEAN", "UNICEF"
            else:
                names.append(readable(words))
        names = list(dict.fromkeys(n for n in names if name_key(n)))
        if not names:
            return
        sector: str | None
        if code in {"IGO", "UNO", "EUR"}:
            kind, sector = "InternationalOrganisation", plover(segments) or "GOV"
        elif code == "NGO":
            kind, sector = "OtherActor", plover(segments) or "SOC"
        elif code == "IMG":
            kind, sector = "ArmedGroup", "REB"
        else:
            sector = plover(segments)
            kind = KIND_BY_SECTOR.get(sector or "", "OtherActor")
            if "LEG" in segments:
                kind, sector = "Legislature", "LEG"
        label = names[0]
        slug = self.hand_match(names)
        if slug and self.hand.kinds.get(slug) == "Person":
            self.add_person(record, file)  # a leader coded like an office ("[SYRGOV]")
            return
        actor = Actor(
            slug=slug or self.new_slug(label, code if len(code) == 3 else None),
            label=None if slug else label,
            kind=kind,
            code=code,
            sector=sector,
            aliases=names[1:] if not slug else names,
            part_of=part_of if not slug else None,
            file=file,
        )
        self.stats["international bodies" if file == INTERNATIONAL_OUT else "organs"] += 1
        self.add(actor)

    # -- international --------------------------------------------------------------------

    def build_international(self, records: list[Record]) -> None:
        for record in records:
            if not record.roles:
                continue
            role = current_role(record.roles)
            assert role is not None  # the record has roles
            code, segments = split_code(role.code)
            if code not in {"IGO", "UNO", "EUR", "NGO"} and not role.code.startswith("IGO"):
                if (
                    any(r.dated for r in record.roles)
                    and person_names(record.names)
                    and any(split_code(r.code)[0] in {"IGO", "UNO", "EUR"} for r in record.roles)
                ):
                    self.add_person(record, INTERNATIONAL_OUT)
                continue
            words = words_of(record.names[0])
            dated = any(r.dated for r in record.roles)
            org_like = any(w in ORG_WORDS for w in words) or all(
                len(words_of(n)) == 1 for n in record.names
            )
            if (dated or "ELI" in segments) and not org_like and person_names(record.names):
                self.add_person(record, INTERNATIONAL_OUT)
            elif not org_like and len(words) >= 2 and person_names(record.names):
                continue  # a staff member named without a role: not a body
            else:
                self.add_body(record, INTERNATIONAL_OUT)

    # -- non-state armed groups ------------------------------------------------------------

    def build_armed_groups(self, records: list[Record]) -> None:
        self.english = english_words()
        people = [a.label for a in self.actors.values() if a.kind == "Person" and a.label]
        people += [self.hand_labels[s][0] for s in self.hand.surnames if self.hand_labels[s]]
        particles = {word_key(w) for w in LOWER_WORDS | PARTICLES | ARTICLES}
        self.given_names = {
            words[0] for words in map(name_words, people) if len(words) > 1 and len(words[0]) > 2
        } - particles
        # names the states, their organs, the international bodies and actors.ttl have:
        # a new armed group is never named by one of them (its "EPA" is not the agency)
        self.taken = set(self.hand.owner)
        for actor in self.actors.values():
            for name in [actor.label or "", *actor.aliases, *actor.demonyms]:
                self.taken.add(name_key(name))
        for record in records:
            if record.roles:
                self.add_armed_group(record)

    def group_names(self, raw: str) -> tuple[list[str], str | None]:
        """The names one dictionary phrase gives a group, and the state a parenthesis
        names: "LIBERATION_TIGERS_OF_TAMIL_EELAM_(LTTE)_" -> the name and "LTTE";
        "DIRECT_ACTION_(GREECE)_" -> "Direct Action", GRC."""
        inner = ""
        if re.search(r"[_\s]/[_\s]", raw):  # "AUM_SHINRIKYO_/_ALEPH_": two names
            found = [self.group_names(part) for part in re.split(r"[_\s]/[_\s]", raw)]
            hints = [hint for _, hint in found if hint]
            return [n for names, _ in found for n in names], hints[0] if hints else None
        match = re.fullmatch(r"(.*?)\(([^)]*)\)(.*)", raw)
        if match:
            raw, inner = match.group(1) + " " + match.group(3), match.group(2)
        words = [w for w in words_of(raw) if re.search(r"[A-Z0-9]", w)]
        if (
            not words
            or any(re.search(r"[(),+]", w) or ("/" in w and not is_acronym(w)) for w in words)
            or DESCRIPTION_OF_GROUP & {p for w in words for p in w.split("-")}
        ):
            return [], None
        names = [self.group_name(words)]
        home = None
        inner_words = words_of(inner)
        if inner_words:
            home = self.state_names.get(name_key(" ".join(inner_words)))
            if home is None and len(inner_words) == 1 and len(inner_words[0]) <= 8:
                names.append(inner_words[0])  # an acronym: "(LTTE)", "(ETA)"
        return names, home

    @staticmethod
    def group_name(words: list[str]) -> str:
        """A readable name: a short single word, or hyphened short parts, are acronyms
        ("ETA", "FARC-EP"), a longer one is a name ("Hamas", "Ansaru"); inside a longer
        name only words without a vowel are ("DHKP/C"), not "AL" or "NO"."""
        if len(words) == 1:
            parts = words[0].split("-")
            if all(
                p.isalpha()
                and (len(p) <= 4 or not re.search(r"[AEIOUY]", p))
                and p.lower() not in LOWER_WORDS | ARTICLES
                for p in parts
            ):
                return words[0]
        shown = readable(words, acronyms=False).split(" ")
        return " ".join(
            word.upper()
            if not re.search(r"[0-9aeiouyAEIOUY]", word)
            and len(re.sub(r"[^A-Za-z]", "", word)) >= 2
            else word
            for word in shown
        )

    def add_armed_group(self, record: Record) -> None:
        role = current_role(record.roles)
        assert role is not None  # the record has roles
        code, segments = split_code(role.code)
        primary = " ".join(words_of(record.names[0]))
        if primary in FICTIONAL:
            return
        keds = record.names[0].endswith("__")
        heads = record.names[: record.heads]
        if self.hand_match(heads, {"Person"}) or (
            any(r.dated for r in record.roles)
            and not GROUP_WORDS & set(words_of(record.names[0]))
            and person_names(heads)
        ):
            # "SHEIKH_AHMED_YASSIN", whose synonyms also name a spokesman ("SAMI_ABU_ZUHRI"):
            # only names with the surname are the person's
            person = person_names(heads)
            surname = name_words(person[0])[-1] if person else ""
            own = [n for n in record.names if surname in name_words(" ".join(words_of(n)))]
            heads_kept = sum(1 for n in heads if n in own)
            if own and heads_kept:
                self.add_person(replace(record, names=own, heads=heads_kept), ARMED_GROUPS_OUT)
            return
        head_words = {w for n in heads for w in words_of(n)}
        if keds and not (head_words & GROUP_WORDS or is_acronym(record.names[0].strip("_"))):
            short = self.short_name(record.names[0])
            if short is not None:  # "ABU_SAYYAF__": the Abu Sayyaf Group
                self.add(Actor(short[1], None, aliases=[short[0]], file=ARMED_GROUPS_OUT))
                return
            self.stats["armed groups file: people and unclear names left out"] += 1
            return
        names: list[str] = []
        home = code if code in self.state_slugs else None
        for index, raw in enumerate(record.names):
            found, hint = self.group_names(raw)
            if index >= record.heads and found and self.is_leader(raw, head_words):
                self.stats["armed groups file: leaders among synonyms left out"] += 1
                continue
            names += found
            home = home or hint
        names = list(
            dict.fromkeys(
                n
                for n in names
                if len(re.sub(r"[^A-Za-z]", "", n)) >= 3
                and not is_common_word(n, self.english)
                and n.upper() not in NAMES_NEWS_GIVES_OTHERS
            )
        )
        if not names:
            return
        if home is None:
            home = next(
                (
                    CODE_FIXES.get(s, s)
                    for s in segments
                    if s in self.state_slugs and s not in CAMEO_TO_PLOVER and s not in PLOVER
                ),
                "IMG",
            )  # "[IMGSEAMUSASFMYS]": Malaysia; "MUS" is Muslim, not Mauritius
        sector = next(
            (s for s in ARMED_SECTORS if s in {CAMEO_TO_PLOVER.get(x, x) for x in segments}), "REB"
        )
        slug = self.hand_match(names, set(self.hand.kinds.values()) - {"Person", "State"})
        if slug is None:
            names = [n for n in names if name_key(n) not in self.taken]
            if not names:
                return
            slug = self.same_group(names, home, keds)
        label = names[0]
        if slug is None and name_key(label) in self.group_keys and home in self.state_slugs:
            # another group of that name, elsewhere: "National Liberation Army (Bolivia)"
            state = self.state_slugs[home]
            label = f"{label} ({self.actors[state].label or self.hand_labels[state][0]})"
        actor = Actor(
            slug=slug or self.new_slug(label, home),
            label=None if slug else label,
            kind="ArmedGroup",
            code=home,
            sector=sector,
            aliases=names if slug else names[1:],
            file=ARMED_GROUPS_OUT,
        )
        if slug and slug in self.actors and slug not in self.hand.kinds:
            actor.label = self.actors[slug].label
        self.stats["armed groups: records"] += 1
        actor = self.add(actor)
        for name in names:
            self.group_keys.setdefault(name_key(name), actor.slug)
            self.group_names_seen.append((name_words(name), actor.slug))

    def short_name(self, raw: str) -> tuple[str, str] | None:
        """A name and the armed group built before whose name it is but for a last word
        of a group's name: "ABU_SAYYAF" of the "ABU_SAYYAF_GROUP"."""
        words = words_of(raw)
        if not words:
            return None
        key = name_key(" ".join(words))
        for word in sorted(GROUP_WORDS):
            slug = self.group_keys.get(key + word_key(word))
            if slug is not None and len(words) >= 2:
                return self.group_name(words), slug
        return None

    def is_leader(self, raw: str, head_words: set[str]) -> bool:
        """A synonym that names a person, not the group: it reads as a person's name whose
        first word is the given name of a person of the gazetteers ("JOSEPH_KONY",
        "SAYYED_HASSAN_NASRALLAH"), with no word of a group's name and none of the
        group's own ("RED_EAGLES_", "AL_SHABAB" are names of groups)."""
        words = set(words_of(raw))
        people = person_names([raw])
        return (
            bool(people)
            and name_words(people[0])[0] in self.given_names
            and not words & (GROUP_WORDS | head_words)
        )

    def same_group(self, names: list[str], code: str, fuzzy: bool) -> str | None:
        """An armed group already built, based in the same state unless this record names
        none (IMG), that the first name names (a record the file repeats), or, for the KEDS
        section's spellings, whose name is spelt almost alike: word for word, the
        particles aside ("LASKAR_I_TOIBA", "LASHKAR_E_TAYYIBA"). The National Liberation
        Army of Bolivia is not Colombia's."""

        def fits(slug: str) -> bool:
            actor = self.actors.get(slug)
            return code == "IMG" or actor is None or actor.code in {None, "IMG", code}

        key = name_key(names[0])
        if key in self.group_keys or not fuzzy:
            found = self.group_keys.get(key)
            return found if found and fits(found) else None
        words = name_words(names[0])
        best, found = 0.0, None
        for other, slug in self.group_names_seen:
            if (
                fits(slug)
                and len(other) == len(words)
                and all(
                    a == b
                    or (len(a) <= 2 and len(b) <= 2)
                    or difflib.SequenceMatcher(None, a, b).ratio() >= SPELLING_RATIO
                    for a, b in zip(words, other, strict=True)
                )
            ):
                score = difflib.SequenceMatcher(None, key, "".join(other)).ratio()
                if score > best:
                    best, found = score, slug
        return found

    # -- aliases ----------------------------------------------------------------------------

    def settle_aliases(self) -> None:
        """Drop aliases actors.ttl gives to another actor, and those two generated actors
        would share (an armed group's, when the other is a state's organ or an international
        body: the files read before keep theirs); drop what an actor of actors.ttl already
        has."""
        claims: dict[str, set[str]] = defaultdict(set)
        for actor in self.actors.values():
            for name in [actor.label or "", *actor.aliases, *actor.demonyms]:
                key = name_key(name)
                if key:
                    claims[key].add(actor.slug)
        for actor in self.actors.values():
            own = name_key(actor.label or "")
            kept_aliases: list[str] = []
            kept_demonyms: list[str] = []
            seen = {own} | self.hand.names.get(actor.slug, set())
            for target, names in ((kept_aliases, actor.aliases), (kept_demonyms, actor.demonyms)):
                for name in names:
                    key = name_key(name)
                    if not key or key in seen or len(key) < 2:
                        continue
                    hand = self.hand.owner.get(key, set())
                    if hand - {actor.slug}:
                        self.stats["aliases dropped: actors.ttl gives them to another actor"] += 1
                        continue
                    if actor.slug in self.hand.kinds and not self.fits_hand(actor.slug, name):
                        self.stats["aliases dropped: unlike the names actors.ttl gives"] += 1
                        continue
                    rivals = claims[key] - {actor.slug}
                    if actor.file != ARMED_GROUPS_OUT:
                        # the armed groups are read last: they take no name from the rest
                        rivals = {s for s in rivals if self.actors[s].file != ARMED_GROUPS_OUT}
                    if rivals:
                        self.stats["aliases dropped: shared by two generated actors"] += 1
                        continue
                    seen.add(key)
                    target.append(name)
            actor.aliases, actor.demonyms = kept_aliases, kept_demonyms

    def fits_hand(self, slug: str, name: str) -> bool:
        """Whether a source name may be added to an actor of actors.ttl: a dictionary
        record lumps an organisation with its leaders and neighbours ("ISIL" with its
        emirs, the FTC with the Export-Import Bank), so an alias must share a word with
        the names actors.ttl gives (a person's: the surname), or be their initials."""
        words = name_words(name)
        if self.hand.kinds.get(slug) == "State":
            return True  # state names were sorted by classify_state_synonym already
        surname = self.hand.surnames.get(slug)
        if surname is not None:
            return surname in words
        if set(words) & self.hand.words.get(slug, set()):
            return True
        initials = name_key(name)
        return len(words) == 1 and any(
            initials == "".join(w[0] for w in name_words(other))
            for other in self.hand_labels.get(slug, ())
        )

    # -- output -----------------------------------------------------------------------------

    def render(self, file: str) -> str:
        head = HEADERS[file]
        out = [head]
        for actor in self.actors.values():
            if actor.file != file:
                continue
            if actor.label is None and not (actor.aliases or actor.demonyms or actor.roles):
                continue
            out.append(render_actor(actor))
        return "\n".join(out)


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def date_lit(day: dt.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def render_actor(actor: Actor) -> str:
    parts = []
    if actor.label is not None:
        parts.append(f"a sem:Actor ; skos:prefLabel {lit(actor.label)}")
    if actor.aliases:
        parts.append("skos:altLabel " + ", ".join(lit(a) for a in actor.aliases))
    if actor.demonyms:
        parts.append("evkg:demonym " + ", ".join(lit(d) for d in actor.demonyms))
    if actor.label is not None:
        assert actor.code is not None and actor.sector is not None  # a new actor has both
        parts.append(
            f"evkg:actorKind evkg:{actor.kind} ; evkg:countryCode {lit(actor.code)} ; "
            f"evkg:sector {lit(actor.sector)}"
        )
        if actor.part_of:
            parts.append(f"evkg:partOf actor:{actor.part_of}")
    roles = sorted(
        {(r.code, r.start, r.end) for r in actor.roles},
        key=lambda r: (r[1] or dt.date.min, r[2] or dt.date.max, r[0]),
    )
    lines = []
    if roles:
        # Roles are named nodes, role:{actor}_{n} in date order: as blank nodes, 24,000
        # look-alike roles made comparing graphs (rdflib's isomorphism) intractable.
        names = []
        for number, (code, start, end) in enumerate(roles, start=1):
            name = f"role:{actor.slug}_{number}"
            names.append(name)
            inner = [f"evkg:roleCode {lit(code)}"]
            if start:
                inner.append(f"evkg:start {date_lit(start)}")
            if end:
                inner.append(f"evkg:end {date_lit(end)}")
            lines.append(f"{name} " + " ; ".join(inner) + " .\n")
        parts.append("evkg:role " + ", ".join(names))
    return f"actor:{actor.slug} " + " ;\n    ".join(parts) + " .\n" + "".join(lines)


PREFIXES = """@prefix actor: <https://evkg.org/id/actor/> .
@prefix role:  <https://evkg.org/id/role/> .
@prefix evkg:  <https://evkg.org/ontology#> .
@prefix sem:   <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .
"""

HEADERS = {
    COUNTRIES_OUT: PREFIXES
    + """
# evkg actor gazetteer, generated: every state, its organs and its office holders.
# DO NOT EDIT: made by tools/build_actors.py from ontology/sources/Phoenix.Countries.actors.txt
# (PETRARCH2 dictionaries, MIT, Copyright (c) 2014 Open Event Data Alliance; see
# ontology/SOURCES.md). Actors of actors.ttl keep their IRIs and get here only what they
# lack. Roles are the dictionary's dated codes (country + PLOVER/CAMEO sector). Labels are
# skos:prefLabel only (actors.ttl repeats them as rdfs:label; here that would add 20,000
# triples for no reader).
""",
    INTERNATIONAL_OUT: PREFIXES
    + """
# evkg actor gazetteer, generated: international organisations (IGO; UNO for UN bodies,
# EUR for European ones), non-governmental organisations (NGO) and their office holders.
# DO NOT EDIT: made by tools/build_actors.py from
# ontology/sources/Phoenix.International.actors.txt (PETRARCH2 dictionaries, MIT,
# Copyright (c) 2014 Open Event Data; see ontology/SOURCES.md). Labels are
# skos:prefLabel only.
""",
    ARMED_GROUPS_OUT: PREFIXES
    + """
# evkg actor gazetteer, generated: non-state armed groups (rebels, insurgents, terrorist
# organisations) with the state they are based in, or IMG for transnational groups.
# DO NOT EDIT: made by tools/build_actors.py from
# ontology/sources/Phoenix.MilNonState.actors.txt (PETRARCH2 "Phoenix MNSA actor file",
# MIT, Copyright (c) 2014 Open Event Data Alliance; names from the START TOPS database and
# the KEDS project; see ontology/SOURCES.md). Actors of actors.ttl keep their IRIs and get
# here only what they lack. Labels are skos:prefLabel only.
""",
}


def build() -> tuple[dict[str, str], dict[str, int]]:
    builder = Builder()
    countries = read_records(COUNTRIES_SOURCE)
    international = read_records(INTERNATIONAL_SOURCE)
    armed_groups = read_records(ARMED_GROUPS_SOURCE)
    builder.stats["dates PETRARCH cannot read (skipped)"] = sum(
        r.bad_dates for r in countries + international + armed_groups
    )
    builder.build_countries(countries)
    builder.build_international(international)
    builder.build_armed_groups(armed_groups)
    builder.settle_aliases()
    texts = {
        name: builder.render(name) for name in (COUNTRIES_OUT, INTERNATIONAL_OUT, ARMED_GROUPS_OUT)
    }
    return texts, dict(builder.stats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--check", action="store_true", help="fail if the files differ")
    parser.add_argument("--stats", action="store_true", help="print what was built")
    args = parser.parse_args(argv)
    texts, stats = build()
    if args.stats:
        for key, value in sorted(stats.items()):
            print(f"{key}: {value}")
    status = 0
    for name, text in texts.items():
        path = args.out_dir / name
        if args.check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            print(f"{path}: {'up to date' if same else 'OUT OF DATE'}")
            status |= 0 if same else 1
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
