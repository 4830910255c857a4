"""``equals sessions …`` through Typer's CliRunner (the acceptance contract)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import equals.cli.sessions  # noqa: F401  (registers the sessions commands)
from equals.cli import app

from .conftest import CONTRACT, EXAMPLE, FIXTURES

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_help() -> None:
    for args in (
        ["sessions"],
        ["sessions", "parse"],
        ["sessions", "validate"],
        ["sessions", "detect"],
        ["sessions", "analyse"],
        ["sessions", "export"],
        ["sessions", "templates"],
    ):
        code, out, _ = run(*args, "--help")
        assert code == 0 and "Usage" in out, args


def test_parse_json_contract() -> None:
    code, out, _ = run("sessions", "parse", str(EXAMPLE), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= CONTRACT
    assert data["date"] == "2016-12-09"
    assert (data["start_time"], data["end_time"]) == ("10:15", "11:15")
    assert data["organizers"] == ["ITU", "UN Women"]
    assert data["moderators"] == ["Doreen Bogdan-Martin"]
    assert data["rapporteurs"] == []
    assert len(data["speakers"]) == 7
    assert data["speakers"][0] == {
        "name": "Paul Mitchell",
        "organization": "Microsoft",
        "stakeholder_group": "private_sector",
    }
    assert all(s["organization"] and s["stakeholder_group"] for s in data["speakers"])
    assert data["warnings"] == []
    assert {a["area"] for a in data["action_areas"]} == {"access", "skills", "leadership"}


def test_parse_defaults_to_json_and_reads_docx(example_docx: Path) -> None:
    code, out, _ = run("sessions", "parse", str(example_docx))
    assert code == 0 and json.loads(out)["organizers"] == ["ITU", "UN Women"]


def test_parse_markdown() -> None:
    code, out, _ = run("sessions", "parse", str(EXAMPLE), "--format", "markdown")
    assert code == 0
    assert out.startswith("# IGF 2016 Workshop Report Template")
    assert "## Chair/Moderator\n\n- Doreen Bogdan-Martin" in out


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("missing.txt", None),
        ("garbage.txt", b"\x00\x01\x02\xff" * 100),
        ("bad.docx", b"PK\x03\x04"),
    ],
)
def test_unreadable_file_exits_2(tmp_path: Path, name: str, content: bytes | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    for command in ("parse", "validate"):
        code, out, err = run("sessions", command, str(path))
        assert code == 2
        assert out == ""
        assert str(path) in " ".join(err.split())
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) <= 3


def test_validate_example_reports_its_missing_rapporteur() -> None:
    # The real IGF 2016 report names no rapporteur: the form requires one, so exit 1.
    code, out, _ = run("sessions", "validate", str(EXAMPLE), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False
    assert [(f["code"], f["severity"], f["field"]) for f in data["findings"]] == [
        ("no-rapporteur", "error", "rapporteurs"),
        ("paragraph-count", "warning", "suggestions"),
    ]


def test_validate_missing_fields_exits_1() -> None:
    code, out, _ = run("sessions", "validate", str(FIXTURES / "missing-fields.txt"))
    assert code == 1
    assert "missing-required-field" in out and "organizers" in out
    code, out, _ = run("sessions", "validate", str(FIXTURES / "missing-fields.txt"), "-f", "json")
    assert code == 1
    assert {"code", "severity", "field", "message"} == set(json.loads(out)["findings"][0])


def test_analyse_many() -> None:
    code, out, _ = run(
        "sessions", "analyse", str(EXAMPLE), str(FIXTURES / "igf2018-short.txt"), "-f", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["overall"]["sessions"] == 2
    assert data["reports"][1]["diversity"]["gender"]["women"] == 35


def test_export(tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    code, _, _ = run("sessions", "export", str(EXAMPLE), "--to", "docx", "-o", str(target))
    assert code == 0
    code, out, _ = run("sessions", "parse", str(target))
    assert json.loads(out)["title"].startswith("EQUALS")
    code, out, _ = run("sessions", "export", str(EXAMPLE), "--to", "markdown")
    assert code == 0 and out.startswith("# IGF 2016")
    code, _, err = run("sessions", "export", str(EXAMPLE), "--to", "docx")
    assert code == 2 and "--output" in err


def test_templates() -> None:
    code, out, _ = run("sessions", "templates")
    assert code == 0 and "igf-2018-session" in out
    code, out, _ = run("sessions", "templates", "igf-2016-workshop")
    assert code == 0 and "Rapporteur/Notetaker" in out
    code, _, err = run("sessions", "templates", "nope")
    assert code == 2 and "nope" in err
    code, _, err = run("sessions", "parse", str(EXAMPLE), "--template", "nope")
    assert code == 2 and "nope" in err


def test_detect_reports_each_file_and_exits_2_on_an_unreadable_one(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = [FIXTURES / "session-page-2019.txt", FIXTURES / "unknown-layout.txt", empty]
    code, out, _ = run("sessions", "detect", *map(str, files), "-f", "json")
    assert code == 2
    rows = json.loads(out)
    assert [r["layout"] for r in rows] == ["igf-session-page", "unknown", None]
    assert rows[0]["igf"] == "IGF 2019 WS #267" and rows[0]["confidence"] >= 0.5
    assert "speakers" in rows[0]["fields"] and rows[0]["warnings"] == []
    assert rows[1]["confidence"] == 0.0 and "unknown-layout" in rows[1]["warnings"]
    assert rows[2]["error"] == f"{empty}: cannot read session report: the file is empty"
    code, out, _ = run("sessions", "detect", str(FIXTURES / "report-2019.txt"))
    assert code == 0 and "igf-2019-report" in out
    code, out, _ = run(
        "sessions", "detect", str(FIXTURES / "report-2019.txt"), "--template", "igf-2016-workshop",
        "-f", "json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)[0]["forced"] is True


def test_parse_empty_file_exits_2(tmp_path: Path) -> None:
    # Issue 10: `sessions parse` of an empty file exited 0.
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n")
    code, out, err = run("sessions", "parse", str(empty))
    assert code == 2 and out == ""
    assert " ".join(err.split()) == f"error: {empty}: cannot read session report: the file is empty"
