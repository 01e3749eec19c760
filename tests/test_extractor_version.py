"""The extractor's version covers what decides its output besides the code: every
vocabulary and dictionary file and the coder setting. Editing one re-extracts the stored
documents on the next ingestion, without `--force`."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import OxigraphStore
from ingest import rdf, resources, settings, vocab
from ingest.model import SourceDocument
from ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parents[1]
TEXT = (
    "BAGHDAD, Jan. 3 - The United States killed Qassem Soleimani in a drone strike at "
    "Baghdad airport on Friday. Iran vowed revenge."
)


def _forget() -> None:
    """Drop what the process keeps of the vocabularies, settings and version."""
    rdf.extractor_version.cache_clear()
    settings.get_settings.cache_clear()
    vocab.vocabulary.cache_clear()


@pytest.fixture
def copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """Editable copies of the ontology and dictionaries folders, in use for the test."""
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology, ignore=shutil.ignore_patterns("sources"))
    dictionaries = tmp_path / "dictionaries"
    shutil.copytree(ROOT / "ingest" / "dictionaries", dictionaries)
    monkeypatch.setenv("EVKG_ONTOLOGY_DIR", str(ontology))
    monkeypatch.setenv("EVKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EVKG_CODER", "rules")
    monkeypatch.setattr(resources, "dictionaries_dir", lambda: dictionaries)
    monkeypatch.setattr(vocab, "dictionaries_dir", lambda: dictionaries)
    _forget()
    yield ontology, dictionaries
    monkeypatch.undo()
    _forget()


def _version() -> str:
    _forget()
    return rdf.extractor_version()


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_the_version_is_the_code_s_and_a_digest(copies: tuple[Path, Path]) -> None:
    version = _version()
    assert re.fullmatch(rf"{rdf.EXTRACTOR_VERSION}-[0-9a-f]{{12}}", version)
    assert _version() == version  # the same files, the same version


@pytest.mark.parametrize(
    ("folder", "name", "edit"),
    [
        ("ontology", "actors.ttl", "\n# an edit\n"),
        ("ontology", "countries.ttl", "\n# an edit\n"),
        ("ontology", "cameo.ttl", "\n# an edit\n"),
        ("dictionaries", "triggers.yaml", "\n# an edit\n"),
        ("dictionaries", "cameo_verbs.yaml", "\n# an edit\n"),
        ("dictionaries", "grammar.yaml", "\n# an edit\n"),
    ],
)
def test_editing_a_vocabulary_or_dictionary_changes_the_version(
    copies: tuple[Path, Path], folder: str, name: str, edit: str
) -> None:
    ontology, dictionaries = copies
    before = _version()
    _append((ontology if folder == "ontology" else dictionaries) / name, edit)
    assert _version() != before


def test_the_coder_setting_changes_the_version(
    copies: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = _version()
    monkeypatch.setenv("EVKG_CODER", "parse")
    parse = _version()
    monkeypatch.setenv("EVKG_SPACY_MODEL", "en_core_web_md")
    other_model = _version()
    assert len({rules, parse, other_model}) == 3
    # The model matters to the parse coder only.
    monkeypatch.setenv("EVKG_CODER", "rules")
    assert _version() == rules


def test_an_edited_gazetteer_re_extracts_stored_documents(
    copies: tuple[Path, Path], tmp_path: Path
) -> None:
    ontology, _ = copies
    doc = SourceDocument(text=TEXT, file="soleimani.txt")
    store = OxigraphStore(tmp_path / "store")
    try:
        first = ingest(store, [doc], jobs=1)
        assert (first.new, first.unchanged) == (1, 0)
        again = ingest(store, [doc], jobs=1)
        assert (again.new, again.unchanged, again.replaced) == (0, 1, 0)
        stored = store.content_hashes([doc.iri])[doc.iri]
        assert stored == rdf.graph_hash(doc) != doc.content_hash

        _append(ontology / "actors.ttl", "\n# a new alias would go here\n")
        _forget()
        edited = ingest(store, [doc], jobs=1)
        assert (edited.new, edited.unchanged, edited.replaced) == (0, 0, 1)
        assert store.content_hashes([doc.iri])[doc.iri] == rdf.graph_hash(doc) != stored
        runs = store.select(
            "SELECT DISTINCT ?run WHERE { GRAPH ?g { "
            "?run a <http://www.w3.org/ns/prov#Activity> } }"
        )
        assert [str(row["run"]).rsplit("-", 1)[-1] for row in runs] == [
            rdf.extractor_version().rsplit("-", 1)[-1]
        ]
    finally:
        store.close()
