"""Logging: one format, a level from --log-level or $EQUALS_LOG_LEVEL, startup and init
summaries, a warning for a generated secret key, and every 5xx with its traceback."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equals.archive.importer import import_folder
from equals.auth import Actor
from equals.cli import app as cli_app
from equals.core.errors import ValidationError
from equals.logs import configure_logging
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app


def test_format_names_time_level_and_logger_and_keeps_markup_as_text() -> None:
    stream = io.StringIO()
    configure_logging("debug", stream=stream)
    logging.getLogger("equals.test").info("query [bold]%s[/x]", "KEM")
    line = stream.getvalue().strip().splitlines()[-1]
    assert line.endswith("INFO    equals.test: query [bold]KEM[/x]")
    assert line[:4].isdigit()  # ISO timestamp first
    configure_logging("warning", stream=stream)
    logging.getLogger("equals.test").info("not shown")
    assert "not shown" not in stream.getvalue()


def test_a_closed_stderr_from_an_earlier_cli_run_is_never_written_to(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A test runner swaps sys.stderr for each CLI run and closes it after; records logged
    later go to the current stderr, not to the closed one."""
    import sys

    closed = io.StringIO()
    saved = sys.stderr
    sys.stderr = closed
    try:
        configure_logging("info")
    finally:
        sys.stderr = saved
    closed.close()
    logging.getLogger("equals.test").warning("after the run")
    assert "after the run" in capsys.readouterr().err


def test_log_level_setting_is_validated() -> None:
    assert Settings.from_env({"EQUALS_LOG_LEVEL": "DEBUG"}, db_url="sqlite://").log_level == "debug"
    with pytest.raises(ValidationError, match="EQUALS_LOG_LEVEL"):
        Settings.from_env({"EQUALS_LOG_LEVEL": "verbose"}, db_url="sqlite://")


def test_cli_log_level_option_rejects_unknown_levels() -> None:
    result = CliRunner().invoke(cli_app, ["--log-level", "loud", "--version"])
    assert result.exit_code == 2
    ok = CliRunner().invoke(cli_app, ["--log-level", "debug", "--version"])
    assert ok.exit_code == 0 and "equals-hub" in ok.output


def test_startup_logs_init_summary_and_secret_warning(
    loaded_db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="equals")
    with TestClient(create_app(Settings(db_url=loaded_db_url))):
        pass
    messages = [r.getMessage() for r in caplog.records]
    assert any("starting on sqlite:///" in m for m in messages)
    assert any("no secret key set" in m for m in messages)
    assert any("bundled data already up to date" in m for m in messages)
    warned = [r for r in caplog.records if "no secret key" in r.getMessage()]
    assert warned[0].levelno == logging.WARNING


def test_a_server_error_is_logged_with_its_traceback_and_answered_without_one(
    loaded_db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(db_url=loaded_db_url, secret_key="k" * 32))

    def boom() -> None:
        raise RuntimeError("database exploded")

    app.add_api_route("/api/v1/boom", boom)
    app.add_api_route("/boom", boom)
    caplog.set_level(logging.ERROR, logger="equals")
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom")
        response = client.get("/api/v1/boom")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "Something went wrong" in page.text and "exploded" not in page.text
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal-error"
    assert "exploded" not in response.text and "Traceback" not in response.text
    record = next(r for r in caplog.records if "GET /api/v1/boom failed" in r.getMessage())
    assert record.exc_info is not None and "database exploded" in str(record.exc_info[1])


def test_a_session_import_is_logged_with_its_summary(
    fresh_store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    caplog.set_level(logging.INFO, logger="equals")
    import_folder(fresh_store, folder, actor=Actor.cli(), event="IGF", dry_run=True)
    line = next(r.getMessage() for r in caplog.records if "session import" in r.getMessage())
    assert "dry run" in line and "1 file(s)" in line and "1 failed" in line
