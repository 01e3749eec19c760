"""The vocabularies extraction reads: actors, agent nouns, places, CAMEO codes, triggers.

Actors, agents, places and CAMEO live in `ontology/*.ttl`; the trigger dictionary is a
data file beside this module. All are loaded once per process.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ingest.model import Actor, Place

ONTOLOGY_DIR = Path(
    os.environ.get("EVKG_ONTOLOGY_DIR") or Path(__file__).resolve().parent.parent / "ontology"
)
TRIGGERS_FILE = Path(__file__).resolve().parent / "dictionaries" / "triggers.yaml"

EVKG = Namespace("https://evkg.org/ontology#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

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
    (re.compile(r"(?<=[^aeiou])e(?=[^aeiouy]$)"), "i"),  # Qasem/Qasim, Hakem/Hakim
]
# Arabic article forms assimilated to the next letter ("ad-Din", "ash-Sham", "el-Sisi").
ARTICLES = frozenset({"el", "ad", "ar", "as", "ash", "at", "az", "an", "ath", "ud", "ul", "ed"})
_APOSTROPHES = re.compile(r"['’‘`´ʿʾʻʼ]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_SPLIT = re.compile(r"[\s\-‐‑–—_/]+")
_WORD_KEYS: dict[str, str] = {}


def word_key(word: str) -> str:
    """One word's key: case-folded, without diacritics, apostrophes or punctuation, and
    with the spelling rules above applied."""
    key = _WORD_KEYS.get(word)
    if key is None:
        text = unicodedata.normalize("NFKD", word)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
        text = _NOT_ALNUM.sub("", _APOSTROPHES.sub("", text))
        for pattern, replacement in _WORD_FOLDS:
            text = pattern.sub(replacement, text)
        key = text
        if len(_WORD_KEYS) < 500_000:
            _WORD_KEYS[word] = key
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


@dataclass(frozen=True)
class ActorEntry:
    """A gazetteer actor with what linking needs beyond its public face."""

    actor: Actor
    demonyms: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    backed_by: tuple[str, ...] = ()


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
    triggers: list[dict] = field(default_factory=list)


def _texts(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, predicate))


def _one(graph: Graph, subject: URIRef, predicate: URIRef) -> str | None:
    values = _texts(graph, subject, predicate)
    return values[0] if values else None


def _parse(name: str) -> Graph:
    graph = Graph()
    path = ONTOLOGY_DIR / name
    if path.exists():
        graph.parse(path, format="turtle")
    return graph


def _load_actors(vocab: Vocabulary) -> None:
    graph = _parse("actors.ttl") + _parse("evkg.ttl")
    kinds = {s: str(o) for s, o in graph.subject_objects(SKOS.notation)}
    sem_actor = URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Actor")
    for subject in sorted(set(graph.subjects(RDF.type, sem_actor))):
        label = _one(graph, subject, SKOS.prefLabel) or _one(graph, subject, RDFS.label)
        if not label:
            continue
        kind = next(iter(graph.objects(subject, EVKG.actorKind)), None)
        actor = Actor(
            iri=str(subject),
            label=label,
            aliases=tuple(_texts(graph, subject, SKOS.altLabel)),
            code=_one(graph, subject, EVKG.countryCode),
            sector=_one(graph, subject, EVKG.sector),
            kind=kinds.get(kind) if kind is not None else None,
        )
        vocab.actors[str(subject)] = ActorEntry(
            actor=actor,
            demonyms=tuple(_texts(graph, subject, EVKG.demonym)),
            part_of=tuple(_texts(graph, subject, EVKG.partOf)),
            backed_by=tuple(_texts(graph, subject, EVKG.backedBy)),
        )


def _load_agents(vocab: Vocabulary) -> None:
    graph = _parse("agents.ttl")
    for subject in sorted(set(graph.subjects(EVKG.sector, None))):
        sector = _one(graph, subject, EVKG.sector)
        label = _one(graph, subject, SKOS.prefLabel)
        forms = {label or ""} | set(_texts(graph, subject, SKOS.altLabel))
        forms = tuple(sorted(f.lower() for f in forms if f))
        if sector and forms:
            vocab.agents.append(AgentNoun(forms=forms, sector=sector, label=label or forms[0]))


def _load_places(vocab: Vocabulary) -> None:
    graph = _parse("places.ttl")
    sem_place = URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Place")
    for subject in sorted(set(graph.subjects(RDF.type, sem_place))):
        label = _one(graph, subject, SKOS.prefLabel) or _one(graph, subject, RDFS.label)
        if not label:
            continue
        aliases = tuple(_texts(graph, subject, SKOS.altLabel))
        code = _one(graph, subject, EVKG.countryCode)
        vocab.places[str(subject)] = (Place(str(subject), label), aliases, code)


def _load_cameo(vocab: Vocabulary) -> None:
    graph = _parse("cameo.ttl")
    for subject, code in graph.subject_objects(EVKG.cameoCode):
        vocab.cameo[str(code)] = CameoCode(
            code=str(code),
            label=_one(graph, subject, SKOS.prefLabel) or str(code),
            goldstein=float(_one(graph, subject, EVKG.goldstein) or 0.0),
            quad_class=int(_one(graph, subject, EVKG.quadClass) or 0),
        )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    vocab = Vocabulary()
    _load_actors(vocab)
    _load_agents(vocab)
    _load_places(vocab)
    _load_cameo(vocab)
    vocab.triggers = load_triggers(TRIGGERS_FILE)
    return vocab


def load_triggers(path: Path) -> list[dict]:
    """The trigger dictionary, checked: a typo there would silently lose events."""
    with path.open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["triggers"]
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}: entry {number} ({entry.get('code')})"
        if not isinstance(entry.get("code"), str):
            raise ValueError(f"{where}: code must be a quoted string")
        for key in ("verbs", "nouns", "preps"):
            values = entry.get(key, [])
            if not all(isinstance(v, str) for v in values):
                # YAML reads a bare on/off/yes/no as a boolean: quote such words.
                raise ValueError(f"{where}: every item of {key} must be a quoted string")
    return entries
