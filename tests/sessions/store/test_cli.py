"""``equals sessions file|import|list|search|show`` and ``equals users …`` via CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import equals.cli.sessions_store  # noqa: F401  (registers the commands)
from equals.cli import app

from ..conftest import EXAMPLE, FIXTURES

runner = CliRunner()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_file_list_search_show(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    code, out, _ = run("sessions", "file", str(EXAMPLE), "--event", "IGF", "--year", "2016", *db)
    assert code == 0 and "session 1: created" in out
    code, out, _ = run("sessions", "file", str(EXAMPLE), "--event", "IGF", *db)
    assert code == 0 and "unchanged" in out
    code, out, err = run("sessions", "file", str(EXAMPLE), "--strict", "--event", "X", *db)
    assert code == 1 and "no-rapporteur" in err

    code, out, _ = run("sessions", "list", "--area", "leadership", "--format", "json", *db)
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == [1]
    assert rows[0]["areas"] == ["access", "skills", "leadership"]
    code, out, _ = run("sessions", "list", "--stakeholder", "academia", "-f", "json", *db)
    assert json.loads(out) == []
    code, _, err = run("sessions", "list", "--area", "nowhere", *db)
    assert code == 2 and "leadership" in err

    code, out, _ = run("sessions", "search", "digital divide", "-f", "json", *db)
    (hit,) = json.loads(out)
    assert "<mark>" in hit["snippet_html"] and hit["id"] == 1
    code, out, _ = run("sessions", "search", "digital divide", *db)
    assert code == 0 and "[1] EQUALS" in out

    code, out, _ = run("sessions", "show", "1", "-f", "json", *db)
    rec = json.loads(out)
    assert rec["revisions"][0]["actor"].startswith("cli:")
    assert len([r for r in rec["roles"] if r["role"] == "speaker"]) == 7
    code, out, _ = run("sessions", "show", "1", *db)
    assert code == 0 and "revision 1" in out and "Doreen Bogdan-Martin" in out
    code, _, err = run("sessions", "show", "99", *db)
    assert code == 2 and "unknown session" in err


def test_import_exit_code_and_summary(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text((FIXTURES / "igf2018-short.txt").read_text())
    (folder / "bad.docx").write_bytes(b"not a docx")
    code, out, err = run("sessions", "import", str(folder), *db)
    assert code == 1
    assert "2 file(s): 1 imported, 0 with warnings, 0 unchanged, 1 failed" in out
    assert "failed" in err and "bad.docx" in err
    (folder / "bad.docx").unlink()
    code, out, _ = run("sessions", "import", str(folder), "-f", "json", *db)
    assert code == 0 and json.loads(out)["unchanged"] == 1
    code, _, err = run("sessions", "import", str(tmp_path / "missing"), *db)
    assert code == 2


def test_users_add_token_and_file_as_user(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    code, out, _ = run("users", "add", "amina", "--password-stdin", *db, input="long enough pw\n")
    assert code == 0 and "amina created (rapporteur)" in out
    code, _, err = run("users", "add", "amina", "--password-stdin", *db, input="long enough pw\n")
    assert code == 2 and "already exists" in err
    code, _, err = run("users", "add", "bob", "--password-stdin", *db, input="short\n")
    assert code == 2 and "at least 8" in err
    code, out, _ = run(
        "users", "add", "root", "--role", "admin", *db, input="prompted pw 1\nprompted pw 1\n"
    )
    assert code == 0 and "(admin)" in out
    code, _, err = run("users", "add", "pe", "--role", "partner-editor", "--password-stdin", *db,
                       input="long enough pw\n")  # fmt: skip
    assert code == 2 and "--organization" in err
    code, out, _ = run("users", "token", "amina", *db)
    assert code == 0 and out.startswith("eqh_") and len(out.strip()) > 40
    code, out, _ = run("users", "list", "-f", "json", *db)
    assert {u["name"]: u["roles"] for u in json.loads(out)} == {
        "amina": ["rapporteur"],
        "root": ["admin"],
    }
    code, out, _ = run("sessions", "file", str(EXAMPLE), "--user", "amina", *db)
    assert code == 0
    code, out, _ = run("sessions", "show", "1", "-f", "json", *db)
    assert json.loads(out)["revisions"][0]["actor"] == "amina"
    code, _, err = run("sessions", "file", str(EXAMPLE), "--user", "nobody", *db)
    assert code == 2 and "unknown user" in err
    code, out, _ = run("users", "revoke", "amina", *db)
    assert code == 0 and "1 token(s) revoked" in out


def test_import_dry_run_prints_each_file_and_writes_nothing(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(EXAMPLE.read_text("utf-8"))
    (folder / "b.txt").write_text((FIXTURES / "unknown-layout.txt").read_text())
    code, out, err = run("sessions", "import", str(folder), "--dry-run", *db)
    assert code == 1  # b.txt cannot be filed (no title, no date)
    assert "dry run, nothing written: 2 file(s)" in out
    assert "would import" in err and "layout igf-2016-workshop (78%)" in err
    assert "warning " in err
    code, out, _ = run("sessions", "list", "--format", "json", *db)
    assert json.loads(out) == []
    code, out, _ = run("sessions", "import", str(folder), "--dry-run", "-f", "json", *db)
    rec = json.loads(out)
    assert rec["dry_run"] and rec["items"][0]["layout"] == "igf-2016-workshop"
    assert rec["items"][0]["fields_found"] and rec["items"][1]["warnings"]


def test_people_candidates_merge_split_and_grants(tmp_path: Path) -> None:
    from equals.auth import Role, create_user
    from equals.store import Store

    from .conftest import report_text

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = ["--db", url]
    for i, (speaker, year) in enumerate(
        (
            ("Paul Mitchell, Microsoft – Private Sector", 2016),
            ("P. Mitchell, Microsoft – Private Sector", 2019),
        )
    ):
        f = tmp_path / f"r{i}.txt"
        f.write_text(report_text(f"Session {i}", date=f"9 December {year}", speakers=[speaker]))
        assert run("sessions", "file", str(f), *db)[0] == 0
    store = Store(url)
    create_user(store, "amina", "correct horse battery", roles=[Role.RAPPORTEUR])
    create_user(store, "root", "correct horse battery", roles=[Role.ADMIN])
    store.dispose()
    code, out, _ = run("sessions", "people", "mitchell", "-f", "json", *db)
    ids = {p["name"]: p["id"] for p in json.loads(out)}
    full, short = ids["Paul Mitchell"], ids["P. Mitchell"]
    code, out, _ = run("sessions", "candidates", "-f", "json", *db)
    (c,) = [c for c in json.loads(out) if "Mitchell" in c["a"]]
    assert c["confidence"] == 0.8 and "same organisation: Microsoft" in c["reasons"]
    code, _, err = run("sessions", "merge", str(short), str(full), "--user", "amina", *db)
    assert code == 2 and "only an admin" in err
    code, out, _ = run("sessions", "merge", str(short), str(full), "--user", "root", *db)
    assert code == 0 and f"merged into {full}" in out
    code, out, _ = run("sessions", "people", "--id", str(short), "-f", "json", *db)
    assert json.loads(out)[0]["id"] == full and json.loads(out)[0]["years"] == [2016, 2019]
    assert run("sessions", "split", str(short), *db)[0] == 0
    code, _, err = run("sessions", "merge", "999", str(full), *db)
    assert code == 2 and "unknown person" in err
    code, out, _ = run("sessions", "grant", "1", "amina", *db)
    assert code == 0 and "editors: amina" in out
    code, _, err = run("sessions", "grant", "1", "amina", "--user", "amina", *db)
    assert code == 2 and "only the owner" in err
    code, out, _ = run("sessions", "revoke", "1", "amina", *db)
    assert code == 0 and "revoked" in out


def test_titles_names_and_queries_print_as_typed_never_as_markup(tmp_path: Path) -> None:
    """Report text is user text: Rich markup in it is printed literally (no lost brackets,
    no MarkupError), in `show`, `search` and `users add`."""
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    report = tmp_path / "markup.txt"
    report.write_text(
        "Session Title: [bold]Gender[/x] and [red]access\n"
        "Date: 6 December 2016\n"
        "Key Issues raised: Women [/] online.\n",
        encoding="utf-8",
    )
    code, out, err = run("sessions", "file", str(report), "--event", "IGF", *db)
    assert code == 0, err
    code, out, err = run("sessions", "show", "1", *db)
    assert code == 0, err
    assert "[bold]Gender[/x] and [red]access" in out
    code, out, err = run("sessions", "search", "[/x]", *db)
    assert code in (0, 2) and "MarkupError" not in out + err
    code, out, err = run("users", "add", "[b]ad[/b]", "--role", "rapporteur", *db, input="pw\n")
    assert "MarkupError" not in out + err
