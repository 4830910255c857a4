"""Session messages in the reader's language (issue 12).

Findings filed with a revision keep their message ids and values beside the English messages
(``report_revisions.messages``, migration 0011), so a stored finding reads in French or Spanish
on the session page and in ``equals sessions show``; rows filed before (no message id) show
their English message. Errors of reading, importing and filing reports are ``Msg`` messages:
English in ``str`` (logs, the API), translated where a person reads them. The translations
checked are the catalogues' own (``src/equals/locales``: ``forms``, ``cli``,
``sessions-errors``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import update
from typer.testing import CliRunner

import equals.cli.sessions_store  # noqa: F401  (registers the commands)
from equals.archive.errors import ReportNotFiledError
from equals.archive.filing import EventRef, file_report
from equals.archive.repository import get_session, session_report
from equals.auth import Actor, Role, create_user
from equals.cli import app
from equals.core.errors import EditConflictError, ValidationError, message_of
from equals.core.i18n import use_language
from equals.sessions import UnreadableReportError, parse_report
from equals.settings import Settings
from equals.store import Store
from equals.store.tables.sessions import report_revisions
from equals.web.app import create_app

from .store.conftest import report_text
from .store.conftest import store as store

runner = CliRunner()
ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "COLUMNS": "240"}
# A report with a parser warning (the date), validation findings with values (the speaker) and
# without (no end time).
TEXT = report_text(
    "Women online", date="sometime soon", time="10:15", speakers=("Ana Ruiz",), rapporteur=""
)
DATE_EN = "cannot read a date in 'sometime soon'"
DATE_FR = "impossible de lire une date dans 'sometime soon'"
DATE_ES = "no se puede leer una fecha en 'sometime soon'"
SPEAKER_EN = "speaker 1 (Ana Ruiz) has no organisation"
SPEAKER_FR = "l’intervenant·e 1 (Ana Ruiz) n’a pas d’organisation"
END_EN = "the time gives no end"
END_FR = "l’horaire n’indique pas de fin"


def _file(store: Store) -> int:
    filed = file_report(store, parse_report(TEXT), actor=Actor.cli(), event=EventRef("IGF", 2016))
    return filed.session_id


def _forget_message_ids(store: Store) -> None:
    """Make every revision look filed before migration 0011 (no message ids stored)."""
    with store.transaction() as conn:
        conn.execute(update(report_revisions).values(messages=None))


def test_a_stored_finding_reads_in_the_readers_language(store: Store) -> None:
    sid = _file(store)
    detail = get_session(store, sid)
    by_code = {f.code: f for f in detail.findings()}
    assert {"unparsed-date", "no-end-time", "speaker-without-affiliation"} <= set(by_code)
    # Stored English stays English: the record, the API's JSON.
    assert by_code["unparsed-date"].message == DATE_EN
    stored = {f["code"]: f["message"] for f in detail.to_record()["validation"]["findings"]}
    assert stored["speaker-without-affiliation"] == SPEAKER_EN
    assert "msgid" not in json.dumps(detail.to_record())
    with use_language("fr"):
        assert by_code["unparsed-date"].text() == DATE_FR  # a parser warning, carried over
        assert by_code["speaker-without-affiliation"].text() == SPEAKER_FR
        assert by_code["no-end-time"].text() == END_FR
        assert detail.to_record()["validation"]["findings"][0]["message"].isascii()
    with use_language("es"):
        assert by_code["unparsed-date"].text() == DATE_ES
    # The report's parser warnings keep their message ids too.
    (warning,) = session_report(store, sid).warnings
    assert (warning.msgid, dict(warning.params)) == (
        "cannot read a date in %(value)r",
        {"value": "sometime soon"},
    )


def test_findings_stored_without_message_ids_stay_english(store: Store) -> None:
    sid = _file(store)
    _forget_message_ids(store)
    with use_language("fr"):
        texts = {f.code: f.text() for f in get_session(store, sid).findings()}
        warnings = session_report(store, sid).warnings
    assert texts["unparsed-date"] == DATE_EN and texts["no-end-time"] == END_EN
    assert [w.msgid for w in warnings] == [""]


def test_message_ids_that_do_not_match_the_findings_are_ignored(store: Store) -> None:
    sid = _file(store)
    with store.transaction() as conn:
        conn.execute(update(report_revisions).values(messages='{"findings": [null]}'))
    with use_language("es"):
        texts = {f.code: f.text() for f in get_session(store, sid).findings()}
    assert texts["speaker-without-affiliation"] == SPEAKER_EN


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[Store, str]]:
    url = f"sqlite:///{tmp_path / 'messages.db'}"
    s = Store(url)
    s.migrate()
    yield s, url
    s.dispose()


def _show(url: str, lang: str, *more: str) -> str:
    result = runner.invoke(
        app, ["--lang", lang, "sessions", "show", "1", "--db", url, *more], env=ENV
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_sessions_show_prints_stored_findings_in_the_readers_language(
    db: tuple[Store, str],
) -> None:
    store, url = db
    _file(store)
    out = _show(url, "fr")
    assert f"erreur unparsed-date (date): {DATE_FR}" in out
    assert f"avertissement no-end-time (time): {END_FR}" in out
    out = _show(url, "es")
    assert f"error unparsed-date (date): {DATE_ES}" in out
    assert "advertencia speaker-without-affiliation (speakers)" in out
    out = _show(url, "en")
    assert f"warning no-end-time (time): {END_EN}" in out
    # JSON stays English.
    rec = json.loads(_show(url, "fr", "--format", "json"))
    messages = {f["code"]: f["message"] for f in rec["validation"]["findings"]}
    assert messages["unparsed-date"] == DATE_EN
    assert {f["severity"] for f in rec["validation"]["findings"]} == {"error", "warning"}
    # A revision filed before message ids were stored: its English message, in any language.
    _forget_message_ids(store)
    out = _show(url, "fr")
    assert f"erreur unparsed-date (date): {DATE_EN}" in out
    assert f"avertissement no-end-time (time): {END_EN}" in out


def test_the_session_page_shows_stored_findings_in_its_language(db: tuple[Store, str]) -> None:
    store, url = db
    sid = _file(store)
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        fr = client.get(f"/fr/sessions/{sid}")
        es = client.get(f"/es/sessions/{sid}")
        en = client.get(f"/sessions/{sid}")
    assert fr.status_code == es.status_code == en.status_code == 200
    assert escape(DATE_FR) in fr.text and SPEAKER_FR in fr.text
    assert escape(DATE_EN) not in fr.text and SPEAKER_EN not in fr.text
    assert escape(DATE_ES) in es.text
    assert escape(DATE_EN) in en.text and SPEAKER_EN in en.text


def test_validate_shows_severities_in_the_readers_language(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    fr = runner.invoke(app, ["--lang", "fr", "sessions", "validate", str(path)], env=ENV)
    assert fr.exit_code == 1
    lines = fr.stdout.splitlines()
    assert any("unparsed-date" in ln and "erreur" in ln for ln in lines)
    assert any("no-end-time" in ln and "avertissement" in ln for ln in lines)
    assert not any("warning" in ln for ln in lines)
    es = runner.invoke(app, ["--lang", "es", "sessions", "validate", str(path)], env=ENV)
    assert any("no-end-time" in ln and "advertencia" in ln for ln in es.stdout.splitlines())
    # JSON and CSV keep the English severities.
    js = runner.invoke(app, ["--lang", "fr", "sessions", "validate", str(path), "-f", "json"])
    assert {f["severity"] for f in json.loads(js.stdout)["findings"]} == {"error", "warning"}
    csv = runner.invoke(app, ["--lang", "es", "sessions", "validate", str(path), "-f", "csv"])
    assert "no-end-time,warning,time,the time gives no end" in csv.stdout


def test_an_unreadable_report_is_explained_in_the_readers_language(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    fr = runner.invoke(app, ["--lang", "fr", "sessions", "validate", str(pdf)], env=ENV)
    assert fr.exit_code == 2
    assert (
        f"{pdf}: impossible de lire le rapport de session : un fichier PDF : enregistrez ou "
        "exportez d’abord le rapport en DOCX, HTML ou texte"
    ) in " ".join(fr.stderr.split())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    es = runner.invoke(app, ["--lang", "es", "sessions", "parse", str(empty)], env=ENV)
    assert es.exit_code == 2
    assert "no se puede leer el informe de sesión: el archivo está vacío" in es.stderr
    en = runner.invoke(app, ["sessions", "parse", str(empty)], env=ENV)
    assert f"{empty}: cannot read session report: the file is empty" in en.stderr
    # The exception itself stays English (logs, the API).
    with use_language("fr"):
        with pytest.raises(UnreadableReportError) as caught:
            parse_report(pdf)
        assert str(caught.value).startswith(f"{pdf}: cannot read session report: a PDF file")
        assert message_of(caught.value).startswith(f"{pdf}: impossible de lire le rapport")


def test_an_import_reports_each_file_in_the_readers_language(db: tuple[Store, str]) -> None:
    _, url = db
    folder = Path(url.removeprefix("sqlite:///")).parent / "reports"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    undated = "Title: Women online\nDate: sometime soon\nTime: 10:00\n"  # no year anywhere
    (folder / "undated.txt").write_text(undated, encoding="utf-8")
    args = ["sessions", "import", str(folder), "--db", url]
    fr = runner.invoke(app, ["--lang", "fr", *args, "--dry-run"], env=ENV)
    assert fr.exit_code == 1
    text = " ".join(fr.stderr.split())
    assert "impossible de lire le rapport de session : le fichier est vide" in text
    assert "aucune date dans le rapport : indiquez l’année de l’événement (1990–2100)" in text
    assert f"unparsed-date : {DATE_FR}" in text  # the parser's warning
    es = runner.invoke(app, ["--lang", "es", *args, "--dry-run"], env=ENV)
    assert "el informe no tiene fecha: indique el año del evento (1990–2100)" in es.stderr
    # JSON stays English.
    js = runner.invoke(app, ["--lang", "fr", *args, "--dry-run", "-f", "json"], env=ENV)
    items = {Path(i["path"]).name: i for i in json.loads(js.stdout)["items"]}
    assert items["empty.txt"]["message"].endswith("cannot read session report: the file is empty")
    assert items["undated.txt"]["message"] == (
        "no date in the report: give the event's year (1990–2100)"
    )
    assert f"unparsed-date: {DATE_EN}" in items["undated.txt"]["warnings"]


def test_archive_errors_are_english_in_str_and_translated_for_people(store: Store) -> None:
    report = parse_report(TEXT)
    with pytest.raises(ReportNotFiledError) as caught:
        file_report(store, report, actor=Actor.cli(), event=EventRef("IGF", 2016), strict=True)
    assert str(caught.value) == ("the report has validation errors: no-rapporteur, unparsed-date")
    with use_language("fr"):
        assert message_of(caught.value) == (
            "le rapport comporte des erreurs de validation\xa0: no-rapporteur, unparsed-date"
        )
    with pytest.raises(ValidationError) as bad:
        file_report(store, report, actor=Actor.cli(), event=EventRef("IGF\x00", 2016))
    assert str(bad.value) == (
        "event: contains a NUL character at position 4; remove it and try again"
    )
    with use_language("es"):
        assert message_of(bad.value) == (
            "event: contiene un carácter NUL en la posición 4; elimínelo e inténtelo de nuevo"
        )
    sid = _file(store)
    with pytest.raises(EditConflictError) as conflict:
        file_report(store, parse_report(TEXT + "More.\n"), actor=Actor.cli(), session_id=sid,
                    expected_version=0)  # fmt: skip
    assert str(conflict.value).startswith(f"session {sid} changed since version 0")
    with use_language("fr"):
        assert message_of(conflict.value).startswith(f"session {sid}\xa0: une version plus récente")


def test_merge_candidates_give_their_reasons_in_the_readers_language(
    db: tuple[Store, str],
) -> None:
    store, url = db
    for title, year, speaker in (
        ("Leadership", 2016, "Paul Mitchell, Microsoft – Private Sector"),
        ("Leadership two", 2019, "P. Mitchell, Microsoft – Private Sector"),
    ):
        text = report_text(title, date=f"9 December {year}", speakers=[speaker])
        file_report(store, parse_report(text), actor=Actor.cli(), event=EventRef("IGF", year))
    args = ["sessions", "candidates", "--db", url]
    fr = runner.invoke(app, ["--lang", "fr", *args], env=ENV)
    text = " ".join(fr.stdout.split())
    assert "une initiale pour le prénom, même nom de famille; même organisation : Microsoft" in text
    es = runner.invoke(app, ["--lang", "es", *args], env=ENV)
    assert "misma organización: Microsoft" in " ".join(es.stdout.split())
    js = runner.invoke(app, ["--lang", "fr", *args, "-f", "json"], env=ENV)
    (c,) = [c for c in json.loads(js.stdout) if "Mitchell" in c["a"]]
    assert c["reasons"].startswith(
        "an initial for the first name, same surname; same organisation: Microsoft"
    )
    # An admin sees them on the people page, in the page's language.
    create_user(store, "root", "correct horse battery", roles=[Role.ADMIN])
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        login = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
        assert token is not None
        creds = {"name": "root", "password": "correct horse battery", "csrf_token": token[1]}
        assert client.post("/login", data=creds, follow_redirects=False).status_code == 303
        page = client.get("/fr/sessions/people").text
    assert (
        "une initiale pour le prénom, même nom de famille; même organisation\xa0: Microsoft" in page
    )


def test_archive_errors_on_the_pages_are_in_the_pages_language(db: tuple[Store, str]) -> None:
    _, url = db
    many = " ".join(f"w{i}" for i in range(40))
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        year = client.get("/fr/sessions/participation", params={"year": "abc"})
        search = client.get("/es/sessions", params={"q": many})
        api = client.get("/api/v1/sessions/search", params={"q": many})
    assert year.status_code == 422
    assert escape("year: l’année doit être un nombre entre 1990 et 2100, et non 'abc'") in (
        year.text
    )
    assert search.status_code == 422
    assert "la búsqueda tiene 40 términos; use como máximo 32 palabras" in search.text
    assert api.status_code == 422  # the API stays English
    assert "the search has 40 terms; use at most 32 words" in api.text


def test_a_broken_template_file_is_explained_in_the_readers_language() -> None:
    from equals.core.errors import DataFileError
    from equals.sessions.template import ReportTemplate

    broken = {"id": "t", "title": "T", "fields": [{"id": "a", "label": "A", "kind": "text"}]}
    with pytest.raises(DataFileError) as caught:
        ReportTemplate.from_descriptor({**broken, "colour": "red", "years": [2016]})
    assert str(caught.value) == "template 't': unknown key(s) colour"
    with use_language("fr"):
        assert message_of(caught.value) == "template 't': clé(s) inconnue(s)\xa0: colour"
    with pytest.raises(DataFileError) as caught:
        ReportTemplate.from_descriptor({**broken, "years": [2016]})
    with use_language("es"):
        assert message_of(caught.value) == "template 't': years debe ser [primero, último]"
