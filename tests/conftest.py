"""Fixtures several test modules share."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api_server import seed_store


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seeds, built once for the session; servers serve copies of it
    (modules that need another kind of seeded store define their own)."""
    path = tmp_path_factory.mktemp("seeded") / "store"
    seed_store(path)
    return path
