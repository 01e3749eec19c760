"""The vocabularies extraction reads: actors, agent nouns, places, CAMEO codes, triggers.

Actors, agents, places and CAMEO live in `ontology/*.ttl` (the actor gazetteer is the
hand-written actors.ttl plus the generated countries.ttl, international.ttl and
armed_groups.ttl); the trigger dictionary is a data file beside this module
(`ingest.resources` finds them all, in a checkout or an installed wheel). All are loaded
once per process; a file that is missing or does not parse is a `VocabularyError` that
names it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph
import yaml

from ingest.model import Actor, Place
from ingest.resources import (
    ACTOR_FILES,
    VOCABULARY_FILES,
    MissingVocabulary,
    VocabularyError,
    data_files,
    dictionaries_dir,
    ontology_dir,
)
from ingest.settings import get_settings
from ontology.namespaces import EVKG, RDF, RDFS, SEM, SKOS

__all__ = ["ACTOR_FILES", "VOCABULARY_FILES", "MissingVocabulary", "VocabularyError"]

GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"

# -- the key names are matched on ------------------------------------------------------

# Spelling rules applied to each word, in order: transliterations of one Arabic or
# Persian name differ in vowels, doubled letters and q/k ("Kata'ib Hizballah", "Kataeb
# Hezbollah"; "Qassem", "Qasim"); folding them lets one alias match them all.
_WORD_FOLDS = [
    (re.compile(r"ck"), "k"),
    (re.compile(r"q"), "k"),
    (re.compile(r"[eio]zb"), "izb"),  # hezb/hizb/hozb
    (re.compile(r"[aeiou]llah"), "allah"),  # -ollah/-ullah/-allah
    (re.compile(r"ou|oo"), "u"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"ae|ai|ay|ei"), "ai"),  # Kataeb/Kataib, Qaeda/Qaida, Shaykh/Sheikh
    (re.compile(r"(\w)\1+"), r"\1"),  # doubled letters
    (re.compile(r"(?<=^...)(?<=[^aeiou])e(?=[^aeiouy]$)"), "i"),  # Qasem/Qasim; not OPEC
]
# Arabic article forms assimilated to the next letter ("ad-Din", "ash-Sham", "el-Sisi").
ARTICLES = frozenset({"el", "ad", "ar", "as", "ash", "at", "az", "an", "ath", "ud", "ul", "ed"})
_APOSTROPHES = re.compile(r"['’‘`´ʿʾʻʼ]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_SPLIT = re.compile(r"[\s\-‐‑–—_/]+")
WORD_KEYS: dict[str, str] = {}  # word -> word_key(word), filled as words are met


def word_key(word: str) -> str:
    """One word's key: case-folded, without diacritics, apostrophes or punctuation, and
    with the spelling rules above applied."""
    key = WORD_KEYS.get(word)
    if key is None:
        text = unicodedata.normalize("NFKD", word)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
        text = _NOT_ALNUM.sub("", _APOSTROPHES.sub("", text))
        for pattern, replacement in _WORD_FOLDS:
            text = pattern.sub(replacement, text)
        key = text
        if len(WORD_KEYS) < 500_000:
            WORD_KEYS[word] = key
    return key


def name_words(name: str) -> list[str]:
    """The word keys of a name: words split at blanks and hyphens, an article written
    before a hyphen read as "al" ("ad-Din" = "al-Din"), empty keys left out."""
    parts = [p for p in _SPLIT.split(name.strip()) if p]
    hyphened = re.findall(r"(\S+?)[\-‐‑–—]", name)
    out = []
    for index, part in enumerate(parts):
        key = word_key(part)
        if part.lower() in ARTICLES and part in hyphened and index + 1 < len(parts):
            key = "al"
        if key:
            out.append(key)
    return out


def name_key(name: str) -> str:
    """The key a name is matched on: its word keys run together, so "al-Sadr", "al Sadr"
    and "Al Sadr" are one key, and so are "Kata'ib Hizballah" and "Kataeb Hezbollah"."""
    return "".join(name_words(name))


def is_exact_name(name: str) -> bool:
    """Short all-capital names ("US", "IS", "KH") are matched as written, not on their key."""
    return len(name) <= 4 and name.isupper()


@dataclass
class NameIndex:
    """Actor names by key, for matching token runs: the IRIs each key names, the keys of
    names' first words (a run that is none of them cannot grow into a name), and the keys of
    names written in lower case (which match whatever the case of the text)."""

    keys: dict[str, list[str]] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)
    caseless: set[str] = field(default_factory=set)

    def add(self, iri: str, name: str) -> None:
        words = name_words(name)
        key = "".join(words)
        if len(key) < 2:
            return
        iris = self.keys.setdefault(key, [])
        if iri not in iris:
            iris.append(iri)
        if name == name.lower():
            self.caseless.add(key)
        so_far = ""
        for word in words[:-1]:
            so_far += word
            self.prefixes.add(so_far)
            if word.endswith("s") and len(word) > 2:
                self.prefixes.add(so_far[:-1])  # "Iraq's": the tokenizer splits off "'s"
        if len(words) == 1 and key.endswith("s") and len(key) > 2:
            self.prefixes.add(key[:-1])


def name_index(actors: dict[str, ActorEntry]) -> NameIndex:
    index = NameIndex()
    for iri, entry in actors.items():
        for name in sorted({entry.actor.label, *entry.actor.aliases}):
            if not is_exact_name(name):
                index.add(iri, name)
    return index


@dataclass(frozen=True)
class ActorEntry:
    """A gazetteer actor with what linking needs beyond its public face."""

    actor: Actor
    demonyms: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    backed_by: tuple[str, ...] = ()
    generated: bool = False  # from a generated gazetteer (countries.ttl ...), not actors.ttl


@dataclass(frozen=True)
class CameoCode:
    code: str
    label: str
    goldstein: float
    quad_class: int


@dataclass(frozen=True)
class AgentNoun:
    """A generic noun for a kind of actor ("officials", "troops") and its sector."""

    forms: tuple[str, ...]
    sector: str
    label: str


@dataclass
class Vocabulary:
    actors: dict[str, ActorEntry] = field(default_factory=dict)
    agents: list[AgentNoun] = field(default_factory=list)
    places: dict[str, tuple[Place, tuple[str, ...], str | None]] = field(default_factory=dict)
    cameo: dict[str, CameoCode] = field(default_factory=dict)
    triggers: list[dict[str, Any]] = field(default_factory=list)
    # The actor names matched on their key (actor_names): worked out once and kept with the
    # vocabulary on disk, as the linker would otherwise fold 30,000 names at every start.
    names: NameIndex | None = None


RDF_TYPE = f"{RDF}type"
RDFS_LABEL = f"{RDFS}label"

# Subject IRI -> predicate IRI -> object values (IRIs and literal lexical forms).
Index = dict[str, dict[str, list[str]]]


# The generated gazetteers' office holders carry dated roles (role: nodes, about half
# their triples) that linking does not read: they are cut from the text before parsing,
# both the links ("; evkg:role role:a, role:b") and the roles' own lines ("role:a ... .").
_ROLES = re.compile(
    rb";\s*evkg:role\s+role:[^\s,;]+(?:\s*,\s*role:[^\s,;]+)*|^role:[^\n]*$", re.MULTILINE
)


def _parse(name: str, into: Index | None = None, wanted: frozenset[str] | None = None) -> Index:
    """A vocabulary file's triples about named subjects, indexed by subject (only the
    `wanted` predicates if given).

    pyoxigraph's parser: rdflib took seconds on the generated gazetteers. A missing or
    unparsable file is an error that names it (an empty gazetteer would silently find no
    actors)."""
    path = ontology_dir() / name
    if not path.is_file():
        raise MissingVocabulary(f"vocabulary file missing: {path}")
    index: Index = {} if into is None else into
    text = path.read_bytes()
    if b"evkg:role" in text:
        # Cut the roles but keep their line breaks, so a parse error's line is the file's.
        text = _ROLES.sub(lambda m: b"\n" * m.group().count(b"\n"), text)
    named = pyoxigraph.NamedNode
    try:
        for subject, predicate, obj, _graph in pyoxigraph.parse(
            input=text, format=pyoxigraph.RdfFormat.TURTLE
        ):
            if type(subject) is not named:
                continue  # blank nodes: not needed for linking
            predicate = predicate.value
            if wanted is not None and predicate not in wanted:
                continue
            if type(obj) is pyoxigraph.BlankNode:
                continue
            by_predicate = index.get(subject.value)
            if by_predicate is None:
                by_predicate = index[subject.value] = {}
            values = by_predicate.get(predicate)
            if values is None:
                by_predicate[predicate] = [obj.value]
            else:
                values.append(obj.value)
    except SyntaxError as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise VocabularyError(f"vocabulary file {path} does not parse: {first_line}") from error
    return index


def _texts(index: Index, subject: str, predicate: str) -> list[str]:
    return sorted(index.get(subject, {}).get(predicate, ()))


def _one(index: Index, subject: str, predicate: str) -> str | None:
    values = index.get(subject, {}).get(predicate)
    return min(values) if values else None


def _subjects(index: Index, rdf_type: str) -> list[str]:
    return sorted(s for s, p in index.items() if rdf_type in p.get(RDF_TYPE, ()))


ACTOR_PREDICATES = frozenset(
    {
        RDF_TYPE,
        RDFS_LABEL,
        SKOS + "prefLabel",
        SKOS + "altLabel",
        EVKG + "demonym",
        EVKG + "actorKind",
        EVKG + "countryCode",
        EVKG + "sector",
        EVKG + "partOf",
        EVKG + "backedBy",
    }
)


def _load_actors(vocab: Vocabulary) -> None:
    index: Index = {}
    hand: set[str] = set()
    for name in ACTOR_FILES:
        _parse(name, index, ACTOR_PREDICATES)
        if name == ACTOR_FILES[0]:
            hand = {s for s, p in index.items() if SKOS + "prefLabel" in p}
    ontology = _parse("evkg.ttl")
    kinds = {s: v[0] for s, p in ontology.items() if (v := p.get(SKOS + "notation"))}
    sem_actor = SEM + "Actor"
    subjects = sorted(s for s, p in index.items() if sem_actor in p.get(RDF_TYPE, ()))
    # Hand-written actors first: where two share a name or a country code, theirs wins.
    subjects.sort(key=lambda s: s not in hand)
    pref, alt, demonym = SKOS + "prefLabel", SKOS + "altLabel", EVKG + "demonym"
    kind_p, code_p, sector_p = EVKG + "actorKind", EVKG + "countryCode", EVKG + "sector"
    part_p, backer_p = EVKG + "partOf", EVKG + "backedBy"
    empty: list[str] = []

    def first(values: list[str] | None) -> str | None:
        if not values:
            return None
        return values[0] if len(values) == 1 else min(values)

    def listed(values: list[str]) -> tuple[str, ...]:
        return tuple(values) if len(values) < 2 else tuple(sorted(set(values)))

    for subject in subjects:
        props = index[subject]
        label = first(props.get(pref)) or first(props.get(RDFS_LABEL))
        if not label:
            continue
        kind = props.get(kind_p)
        actor = Actor(
            iri=subject,
            label=label,
            aliases=listed(props.get(alt, empty)),
            code=first(props.get(code_p)),
            sector=first(props.get(sector_p)),
            kind=kinds.get(kind[0]) if kind else None,
        )
        vocab.actors[subject] = ActorEntry(
            actor=actor,
            demonyms=listed(props.get(demonym, empty)),
            part_of=listed(props.get(part_p, empty)),
            backed_by=listed(props.get(backer_p, empty)),
            generated=subject not in hand,
        )


def _load_agents(vocab: Vocabulary) -> None:
    index = _parse(
        "agents.ttl", wanted=frozenset({EVKG + "sector", SKOS + "prefLabel", SKOS + "altLabel"})
    )
    for subject in sorted(s for s, p in index.items() if EVKG + "sector" in p):
        sector = _one(index, subject, EVKG + "sector")
        label = _one(index, subject, SKOS + "prefLabel")
        names = {label or ""} | set(_texts(index, subject, SKOS + "altLabel"))
        forms = tuple(sorted(n.lower() for n in names if n))
        if sector and forms:
            vocab.agents.append(AgentNoun(forms=forms, sector=sector, label=label or forms[0]))


def _load_places(vocab: Vocabulary) -> None:
    index = _parse("places.ttl")
    for subject in _subjects(index, SEM + "Place"):
        label = _one(index, subject, SKOS + "prefLabel") or _one(index, subject, RDFS_LABEL)
        if not label:
            continue
        aliases = tuple(_texts(index, subject, SKOS + "altLabel"))
        code = _one(index, subject, EVKG + "countryCode")
        vocab.places[subject] = (Place(subject, label), aliases, code)


def _load_cameo(vocab: Vocabulary) -> None:
    index = _parse("cameo.ttl")
    for subject, props in index.items():
        for code in props.get(EVKG + "cameoCode", ()):
            vocab.cameo[code] = CameoCode(
                code=code,
                label=_one(index, subject, SKOS + "prefLabel") or code,
                goldstein=float(_one(index, subject, EVKG + "goldstein") or 0.0),
                quad_class=int(_one(index, subject, EVKG + "quadClass") or 0),
            )


def _cache_path() -> Path:
    """Where the parsed vocabulary is kept, named for what it was built from: the files'
    paths, sizes and times, and the code that reads them. Every file must exist."""
    digest = hashlib.sha256()
    for path in [*(ontology_dir() / n for n in VOCABULARY_FILES), triggers_file()]:
        if not path.is_file():
            raise MissingVocabulary(f"vocabulary file missing: {path}")
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for module in (Path(__file__), Path(__file__).with_name("model.py")):
        digest.update(module.read_bytes())
    return get_settings().cache_dir / f"vocabulary-{digest.hexdigest()[:24]}.pickle"


def _build() -> Vocabulary:
    vocab = Vocabulary()
    _load_actors(vocab)
    _load_agents(vocab)
    _load_places(vocab)
    _load_cameo(vocab)
    vocab.triggers = load_triggers(triggers_file())
    return vocab


def triggers_file() -> Path:
    return dictionaries_dir() / "triggers.yaml"


def require() -> None:
    """Stop here, with a `VocabularyError` naming the file, unless every vocabulary file is
    present and parses: what a command or the service checks before it starts. Cheap when
    the parsed vocabulary is cached for these very files (it parsed then); else it parses
    them once and caches the result, which the extraction workers then read."""
    data_files()  # the dictionaries too, each of which must exist
    if not _cache_path().is_file():
        vocabulary()


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabularies, parsed once per process; the parsed form is also kept on disk
    (in the folder of EVKG_CACHE_DIR) so the next process need not parse 20,000 actors
    again. A cache that cannot be read or written is ignored."""
    cache = _cache_path()
    try:
        with cache.open("rb") as handle:
            vocab = pickle.load(handle)
        if isinstance(vocab, Vocabulary):
            return vocab
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    vocab = _build()
    _save(vocab, cache)
    return vocab


def _save(vocab: Vocabulary, cache: Path) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        week_ago = time.time() - 7 * 86400
        for stale in cache.parent.glob("vocabulary-*.pickle"):
            if stale != cache and stale.stat().st_mtime < week_ago:
                stale.unlink(missing_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(vocab, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(cache)
    except OSError:
        pass


def actor_names(vocab: Vocabulary) -> NameIndex:
    """The vocabulary's name index, built on first use (by the linker) and then kept with
    the vocabulary on disk."""
    if vocab.names is None:
        vocab.names = name_index(vocab.actors)
        if vocab is vocabulary():
            _save(vocab, _cache_path())
    return vocab.names


def load_triggers(path: Path) -> list[dict[str, Any]]:
    """The trigger dictionary, checked: a typo there would silently lose events."""
    try:
        with path.open(encoding="utf-8") as handle:
            entries: list[dict[str, Any]] = yaml.safe_load(handle)["triggers"]
    except FileNotFoundError as error:
        raise MissingVocabulary(f"vocabulary file missing: {path}") from error
    except (yaml.YAMLError, TypeError, KeyError) as error:
        problem = " ".join(str(error).split()) or type(error).__name__
        raise VocabularyError(f"dictionary {path} does not parse: {problem}") from error
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}: entry {number} ({entry.get('code')})"
        if not isinstance(entry.get("code"), str):
            raise VocabularyError(f"{where}: code must be a quoted string")
        for key in ("verbs", "nouns", "preps"):
            values = entry.get(key, [])
            if not all(isinstance(v, str) for v in values):
                # YAML reads a bare on/off/yes/no as a boolean: quote such words.
                raise VocabularyError(f"{where}: every item of {key} must be a quoted string")
    return entries
