"""Where the data files extraction reads are, in a checkout or an installed wheel, and one
digest of them.

The vocabularies are the `ontology` package (the repository's `ontology/` folder, installed
with its Turtle files) and the dictionaries are `ingest/dictionaries/`: both are found with
`importlib.resources`, so an installed evkg reads its own copies whatever the working
directory. The setting `EVKG_ONTOLOGY_DIR` points the gazetteers at another folder (for
tests and for trying an edited vocabulary without reinstalling).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from ingest.settings import get_settings

__all__ = [
    "DICTIONARY_FILES",
    "VOCABULARY_FILES",
    "VocabularyError",
    "MissingVocabulary",
    "dictionaries_dir",
    "ontology_dir",
    "vocabulary_digest",
]

# The actor gazetteer: the hand-written file first (its entries win), then the generated.
ACTOR_FILES = ("actors.ttl", "countries.ttl", "international.ttl", "armed_groups.ttl")
# Files extraction reads from the ontology folder, and from the dictionaries folder.
VOCABULARY_FILES = (*ACTOR_FILES, "evkg.ttl", "agents.ttl", "places.ttl", "cameo.ttl")
DICTIONARY_FILES = ("triggers.yaml", "cameo_verbs.yaml", "grammar.yaml", "mentions.yaml")


class VocabularyError(ValueError):
    """A vocabulary or dictionary file is missing or does not parse: extraction cannot
    start. The message is one line that names the file."""


class MissingVocabulary(VocabularyError, FileNotFoundError):
    """A vocabulary or dictionary file does not exist."""


def _package_dir(package: str) -> Path:
    """A package's folder on disk (evkg is installed unzipped, as pip does)."""
    return Path(str(files(package)))


def ontology_dir() -> Path:
    """The folder of the vocabularies: the ontology_dir setting, else the `ontology`
    package's."""
    return get_settings().ontology_dir or _package_dir("ontology")


def dictionaries_dir() -> Path:
    return _package_dir("ingest") / "dictionaries"


def data_files() -> list[Path]:
    """Every file extraction reads, in a fixed order; a missing one is an error."""
    paths = [ontology_dir() / name for name in VOCABULARY_FILES]
    paths += [dictionaries_dir() / name for name in DICTIONARY_FILES]
    for path in paths:
        if not path.is_file():
            raise MissingVocabulary(f"vocabulary file missing: {path}")
    return paths


@lru_cache(maxsize=4)
def _digest(stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _size, _mtime in stamp:
        path = Path(name)
        digest.update(f"{path.name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def vocabulary_digest() -> str:
    """SHA-256 over the names and contents of every file extraction reads (about 8 MB,
    hashed once per process while the files stay as they are): any edit to a gazetteer,
    the ontology, CAMEO or a dictionary changes it."""
    stamp = []
    for path in data_files():
        stat = path.stat()
        stamp.append((str(path), stat.st_size, stat.st_mtime_ns))
    return _digest(tuple(stamp))
