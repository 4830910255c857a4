"""Findings keep one English message (stored, exported) and render in the reader's language."""

from __future__ import annotations

from equals.core.i18n import use_language
from equals.sessions import parse_report, validate_report
from equals.sessions.model import to_record
from equals.sessions.record_io import from_record

TEXT = """Title: Women online
Date: sometime soon
Time: 10:00
Key issues:
- Access is low. Skills are lacking too.
"""


def test_findings_render_in_the_current_language_and_keep_english() -> None:
    report = parse_report(TEXT.encode(), format="text")
    with use_language("fr"):
        result = validate_report(report)
    by_code = {f.code: f for f in result.findings}
    date = by_code["unparsed-date"]  # a parser warning, carried into the validation
    assert date.message == "cannot read a date in 'sometime soon'"
    assert date.to_record()["message"] == date.message
    with use_language("fr"):
        assert date.text() == "impossible de lire une date dans 'sometime soon'"
        assert by_code["no-end-time"].shown()["message"] == "l’horaire n’indique pas de fin"
    with use_language("es"):
        assert by_code["no-rapporteur"].text() == (
            "no se nombra a ningún relator ni encargado de las notas"
        )
        sentences = by_code["key-issue-not-one-sentence"].text()
        assert sentences == "el elemento 1 tiene 2 frases: 'Access is low. Skills are lacking too.'"
    assert by_code["no-end-time"].text() == "the time gives no end"  # English by default


def test_a_stored_report_validates_the_same_and_falls_back_to_english() -> None:
    report = parse_report(TEXT.encode(), format="text")
    again = from_record(to_record(report))
    assert again.warnings == report.warnings  # message ids are not part of their identity
    with use_language("fr"):
        stored = {f.code: f.text() for f in validate_report(again).findings}
    # The parser's warning was read back without its message id: its English text shows.
    assert stored["unparsed-date"] == "cannot read a date in 'sometime soon'"
    assert stored["no-end-time"] == "l’horaire n’indique pas de fin"
