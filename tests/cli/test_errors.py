"""One CLI error path: library errors print ``error: …`` (never as Rich markup) and exit by
type — 2 for bad input, 3 when the database cannot be reached; never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from equals.cli import app
from equals.cli.common import OutputFormat, ProblemGroup, emit
from equals.core.errors import DatabaseUnavailableError, UnknownCountryError, ValidationError
from equals.store import Store, StoreError

runner = CliRunner()


@pytest.mark.parametrize("code", ["[/x]", "[bold]KEM", "[red]", "[link=http://x]KEN[/link]", "]["])
def test_user_text_is_never_markup(loaded_db_url: str, code: str) -> None:
    result = runner.invoke(app, ["country", code, "--db", loaded_db_url])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no MarkupError traceback
    assert f"error: unknown country {code!r}" in result.stderr
    assert "Traceback" not in result.output


def test_table_cells_and_titles_are_printed_as_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    emit(
        [{"name": "[bold]Bold[/bold] [/x]", "n": "[1]"}],
        OutputFormat.table,
        ["name", "n"],
        title="[italic]T[/]",
    )
    printed = capsys.readouterr().out
    assert "[bold]Bold[/bold] [/x]" in printed and "[1]" in printed and "[italic]T[/]" in printed


def _group(exc: Exception) -> typer.Typer:
    demo = typer.Typer(cls=ProblemGroup)

    @demo.command()
    def boom() -> None:
        raise exc

    @demo.command()
    def other() -> None:
        pass

    return demo


@pytest.mark.parametrize(
    ("exc", "exit_code"),
    [
        (UnknownCountryError("[b]KEM", suggestions=["KEN"]), 2),
        (ValidationError("not a year", location="data.csv: year"), 2),
        (DatabaseUnavailableError("db: cannot connect"), 3),
        (StoreError("db: the database is not initialised"), 3),
    ],
)
def test_an_uncaught_library_error_ends_in_one_line(exc: Exception, exit_code: int) -> None:
    result = runner.invoke(_group(exc), ["boom"])
    assert result.exit_code == exit_code
    assert result.stderr.strip() == f"error: {exc}"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nobody listens


@pytest.mark.parametrize("command", [["country", "KEN"], ["init"], ["gaps", "internet_use"]])
def test_unreachable_postgres_is_reported_as_such_not_as_uninitialised(
    command: list[str],
) -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/equals"
    result = runner.invoke(app, [*command, "--db", url])
    assert result.exit_code == 3, result.output
    assert "cannot connect to the database" in result.stderr
    assert "not initialised" not in result.output and "loading the bundled data" not in (
        result.output
    )


def test_unopenable_sqlite_file_is_reported_as_such(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.db"
    folder.mkdir()  # a directory where the database file should be
    result = runner.invoke(app, ["country", "KEN", "--db", f"sqlite:///{folder}"])
    assert result.exit_code == 3
    assert "cannot connect to the database (unable to open database file)" in result.stderr


def test_a_bad_database_url_is_bad_input() -> None:
    result = runner.invoke(app, ["sources", "--db", "not a url"])
    assert result.exit_code == 2
    assert "not a usable database URL" in result.stderr


def test_an_empty_database_is_still_initialised_on_first_use(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result = runner.invoke(app, ["sources", "--format", "csv", "--db", url])
    assert result.exit_code == 0
    assert "Database not initialised: loading the bundled data first" in result.stderr
    assert Store(url).is_initialised()


def test_problems_command_lists_and_explains_codes() -> None:
    listing = runner.invoke(app, ["problems", "--format", "json"])
    assert listing.exit_code == 0
    import json

    codes = {r["code"]: r for r in json.loads(listing.stdout)}
    assert {"unknown-country", "database-unavailable", "unknown-column", "no-rapporteur"} <= set(
        codes
    )
    assert all(r["meaning"] for r in codes.values())
    one = runner.invoke(app, ["problems", "unknown-itu-indicator"])
    assert one.exit_code == 0 and "No ITU household/individual ICT indicator" in one.stdout
    assert "UnknownItuIndicatorError" in one.stdout
    bad = runner.invoke(app, ["problems", "unknown-countyr"])
    assert bad.exit_code == 2 and "did you mean: unknown-country" in bad.stderr


def test_problems_markdown_is_the_docs_page() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "problems.md").read_text("utf-8")
    result = runner.invoke(app, ["problems", "--markdown"])
    assert result.exit_code == 0 and result.stdout == page
