"""Shared fixtures: a loaded evidence database, an API client, a live server.

The loaded database is built once per test session (per xdist worker) from the real bundled
data into a temporary SQLite file; tests that change data use ``fresh_store`` instead.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from equals.evidence.queries import Evidence
from equals.settings import Settings
from equals.store import Store

pytest_plugins = ["tests.pg"]  # the throwaway PostgreSQL server (fixture pg_url)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip locally when a tool is missing, but fail in CI: CI must run every test."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI speaks the language of ``LC_ALL``/``LC_MESSAGES``/``LANG``: tests that pin
    English output must not follow the developer's locale. Tests of other languages set
    these themselves (or pass ``--lang``)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def loaded_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("db") / "equals.db"
    url = f"sqlite:///{path}"
    store = Store(url)
    store.init()
    store.dispose()
    return url


@pytest.fixture(scope="session")
def loaded_store(loaded_db_url: str) -> Iterator[Store]:
    store = Store(loaded_db_url)
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def evidence(loaded_store: Store) -> Evidence:
    return Evidence(loaded_store)


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    """An empty SQLite store of its own (migrated, no data)."""
    store = Store(f"sqlite:///{tmp_path / 'fresh.db'}")
    store.migrate()
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def app_settings(loaded_db_url: str) -> Settings:
    return Settings(db_url=loaded_db_url)


@pytest.fixture(scope="session")
def client(app_settings: Settings) -> Iterator[TestClient]:
    from equals.web.app import create_app

    with TestClient(create_app(app_settings)) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The real app for ``settings`` under uvicorn on a free loopback port; yields its URL."""
    import uvicorn

    from equals.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(app_settings: Settings) -> Iterator[str]:
    """The real app under uvicorn on a loopback port, over the loaded database."""
    with serve(app_settings) as url:
        yield url


CHROMIUM = os.environ.get("EQUALS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (no Playwright browser download)."""
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
