"""Fixtures several test modules share."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import OxigraphStore
from tests.api_server import seed_store


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seeds, built once for the session; servers serve copies of it
    (modules that need another kind of seeded store define their own)."""
    path = tmp_path_factory.mktemp("seeded") / "store"
    seed_store(path)
    return path


@pytest.fixture
def seeded_store(seeded: Path, tmp_path: Path) -> Iterator[OxigraphStore]:
    """A writable copy of the seeded store, opened in this process."""
    shutil.copytree(seeded, tmp_path / "seeded-store")
    opened = OxigraphStore(tmp_path / "seeded-store")
    yield opened
    opened.close()
