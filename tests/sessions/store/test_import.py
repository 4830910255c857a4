"""Importing a folder: parse and validate all first, one transaction per file, a summary of
imported / warned / unchanged / failed, and a failed file changes nothing."""

from __future__ import annotations

from pathlib import Path

from equals.archive.importer import ImportItem, ImportStatus, import_folder
from equals.archive.repository import list_sessions
from equals.auth import Actor
from equals.store import Store

from ..conftest import EXAMPLE, EXAMPLE_ROWS, FIXTURES, docx_table
from .conftest import SESSION_TABLES, install_poison, report_text, table_rows


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        p = folder / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return folder


def test_import_summary(store: Store, tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        {
            "a-example.txt": EXAMPLE.read_text(encoding="utf-8"),
            "b-clean.md": (FIXTURES / "igf2018-short.txt").read_text(encoding="utf-8"),
            "c-table.docx": docx_table(
                [(label, v) for label, v in EXAMPLE_ROWS if label != "Session Title"]
                + [("Session Title", ["Word table session"])]
            ),
            "d-corrupt.docx": b"PK\x03\x04 not really a zip",
            "e-undated.txt": "Session Title: No date here\nKey Issues raised: One.\n",
            "notes.csv": "ignored,file\n",
        },
    )
    summary = import_folder(store, folder, actor=Actor.cli(), event="IGF")
    status = {Path(i.path).name: i.status for i in summary.items}
    assert status == {
        "a-example.txt": ImportStatus.WARNED,  # no rapporteur: filed, with its findings
        "b-clean.md": ImportStatus.IMPORTED,
        "c-table.docx": ImportStatus.WARNED,
        "d-corrupt.docx": ImportStatus.FAILED,
        "e-undated.txt": ImportStatus.FAILED,
    }
    rec = summary.to_record()
    assert (rec["files"], rec["imported"], rec["warned"], rec["failed"]) == (5, 1, 2, 2)
    example = next(i for i in summary.items if i.path.endswith("a-example.txt"))
    assert "no-rapporteur" in example.codes and example.session_id is not None
    assert "DOCX" in next(i.message for i in summary.failed if "corrupt" in i.path)
    assert {(s.event, s.year) for s in list_sessions(store)} == {("IGF", 2016), ("IGF", 2018)}

    again = import_folder(store, folder, actor=Actor.cli(), event="IGF")
    assert again.count(ImportStatus.UNCHANGED) == 3 and again.count(ImportStatus.FAILED) == 2
    # With the year given, the undated report is filed too.
    given = import_folder(store, folder, actor=Actor.cli(), event="IGF", year=2016)
    undated = next(i for i in given.items if i.path.endswith("e-undated.txt"))
    assert undated.status is ImportStatus.WARNED


def test_strict_import_fails_invalid_reports(store: Store, tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"example.txt": EXAMPLE.read_text(encoding="utf-8")})
    summary = import_folder(store, folder, actor=Actor.cli(), strict=True)
    assert [i.status for i in summary.items] == [ImportStatus.FAILED]
    assert "no-rapporteur" in summary.items[0].message
    assert list_sessions(store) == []


def test_a_failed_file_changes_nothing_and_the_others_are_filed(
    store: Store, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, {"1-kept.txt": report_text("Kept session")})
    import_folder(store, folder, actor=Actor.cli())
    install_poison(store, "Poison")
    before = table_rows(store, SESSION_TABLES)
    poison = report_text("Poison pill", speakers=["Zed Poisonperson, Poison Org – Civil Society"])
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "2-poison.txt").write_text(poison, encoding="utf-8")
    # A new event, person and organisation: all written, then rolled back.
    summary = import_folder(store, alone, actor=Actor.cli(), event="Poison Fest")
    assert [i.status for i in summary.items] == [ImportStatus.FAILED]
    assert table_rows(store, SESSION_TABLES) == before

    (folder / "2-poison.txt").write_text(poison, encoding="utf-8")
    _folder(tmp_path, {"3-new.txt": report_text("Another session")})
    summary = import_folder(store, folder, actor=Actor.cli())
    assert [(Path(i.path).name, i.status) for i in summary.items] == [
        ("1-kept.txt", ImportStatus.UNCHANGED),
        ("2-poison.txt", ImportStatus.FAILED),
        ("3-new.txt", ImportStatus.WARNED),
    ]
    assert "poisoned report" in summary.failed[0].message
    assert sorted(s.title for s in list_sessions(store)) == ["Another session", "Kept session"]


def test_each_file_reports_layout_confidence_fields_and_warnings(
    store: Store, tmp_path: Path
) -> None:
    folder = _folder(
        tmp_path,
        {
            "a-2016.txt": EXAMPLE.read_text(encoding="utf-8"),
            "b-2018.txt": (FIXTURES / "igf2018-short.txt").read_text(encoding="utf-8"),
            "c-2015.txt": (FIXTURES / "workshop-2015.txt").read_text(encoding="utf-8"),
            "d-unknown.txt": (FIXTURES / "unknown-layout.txt").read_text(encoding="utf-8"),
        },
    )
    summary = import_folder(store, folder, actor=Actor.cli(), dry_run=True)
    by = {Path(i.path).name: i for i in summary.items}
    # The layouts are those the parser detects for these fixtures (tests/sessions/fixtures).
    assert {n: i.layout for n, i in by.items()} == {
        "a-2016.txt": "igf-2016-workshop",
        "b-2018.txt": "igf-2018-session",
        "c-2015.txt": "igf-2015-workshop",
        "d-unknown.txt": "igf-2016-workshop",
    }
    assert by["a-2016.txt"].confidence is not None and by["a-2016.txt"].confidence > 0.5
    assert "title" in by["a-2016.txt"].fields and "key_issues" in by["a-2016.txt"].fields
    assert by["d-unknown.txt"].confidence == 0.0 and by["d-unknown.txt"].fields == ()
    assert by["d-unknown.txt"].warnings and by["d-unknown.txt"].status is ImportStatus.FAILED
    rec = summary.to_record()
    assert rec["dry_run"] is True
    assert set(rec["items"][0]) >= {"layout", "confidence", "fields_found", "warnings"}


def test_dry_run_writes_nothing_and_predicts_the_import(store: Store, tmp_path: Path) -> None:
    file_first = import_folder(
        store, _folder(tmp_path, {"a.txt": EXAMPLE.read_text("utf-8")}), actor=Actor.cli()
    )
    assert file_first.items[0].status is ImportStatus.WARNED
    folder = _folder(
        tmp_path,
        {
            "b.txt": report_text("Dry run session"),
            "c.txt": (FIXTURES / "igf2018-short.txt").read_text(encoding="utf-8"),
        },
    )
    before = table_rows(store, SESSION_TABLES)
    dry = import_folder(store, folder, actor=Actor.cli(), dry_run=True)
    assert table_rows(store, SESSION_TABLES) == before  # nothing written, not even the audit
    real = import_folder(store, folder, actor=Actor.cli())

    def outcome(items: tuple[ImportItem, ...]) -> list[tuple[object, ...]]:
        return [(Path(i.path).name, i.status, i.revision, i.created) for i in items]

    assert outcome(dry.items) == outcome(real.items)
    assert [i.status for i in real.items] == [
        ImportStatus.UNCHANGED, ImportStatus.WARNED, ImportStatus.IMPORTED,
    ]  # fmt: skip
    assert dry.items[0].session_id == real.items[0].session_id  # an existing session
    assert dry.items[1].session_id is None  # a new one: its id is not known before
    again = import_folder(store, folder, actor=Actor.cli(), dry_run=True)
    assert {i.status for i in again.items} == {ImportStatus.UNCHANGED}


def test_a_saved_igf_web_page_is_imported_like_any_report(store: Store, tmp_path: Path) -> None:
    """IGF session pages are saved as HTML: a folder import reads them (layout detected)."""
    page = (FIXTURES / "session-page-2022.html").read_text(encoding="utf-8")
    folder = _folder(tmp_path, {"ws-page.html": page, "ws-page-copy.htm": page})
    summary = import_folder(store, folder, actor=Actor.cli(), event="IGF")
    assert len(summary.items) == 2 and not summary.failed
    first = summary.items[0]
    assert first.session_id is not None
    assert summary.items[1].status is ImportStatus.UNCHANGED  # the same report, filed once
