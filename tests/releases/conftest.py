"""Fixtures: a database loaded with the bundled data once, copied for each test that writes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from equals.store import Store

DATA = Path(__file__).resolve().parents[2] / "src" / "equals" / "data"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("releases") / "template.db"
    store = Store(f"sqlite:///{path}")
    store.init()
    store.dispose()
    return path


@pytest.fixture
def store(template_db: Path, tmp_path: Path) -> Iterator[Store]:
    """A loaded SQLite store of this test's own (a copy of the template)."""
    path = tmp_path / "equals.db"
    shutil.copy(template_db, path)
    s = Store(f"sqlite:///{path}")
    yield s
    s.dispose()
