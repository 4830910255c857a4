"""Other layouts: plain ``Label: value`` text, Markdown, Word tables and paragraphs, the 2018
short form; and files that cannot be read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from equals.core.vocabulary import StakeholderGroup as G
from equals.sessions import UnreadableReportError, parse_report

from .conftest import EXAMPLE_ROWS, FIXTURES, docx_paragraphs, docx_table


def test_label_variants_text() -> None:
    r = parse_report(FIXTURES / "label-variants.txt")
    assert r.format == "text"
    assert r.title == "Closing the mobile gender gap in rural areas"
    assert (r.date, r.start_time, r.end_time) == ("2017-12-06", "10:15", "11:15")
    assert [o.name for o in r.organizers] == ["GSMA", "Web Foundation"]
    assert [p.name for p in r.moderators] == ["Amina Diallo"]
    assert [p.name for p in r.rapporteurs] == ["Tomás Herrera"]
    assert [p.name for p in r.speakers] == ["Paul Mitchell", "Grace Wanjiru", "Jane Doe"]
    assert r.speakers[1].region == "African Group"
    assert r.key_issues == (
        "Handset affordability keeps rural women offline.",
        "Digital literacy programmes rarely reach women farmers.",
    )
    assert r.presentations == (
        "GSMA presented its latest Mobile Gender Gap findings for rural areas.",
    )
    assert len(r.discussions) == 3 and len(r.suggestions) == 3
    assert r.warnings == ()


def test_markdown_bold_labels() -> None:
    r = parse_report(FIXTURES / "bold-labels.md")
    assert r.format == "markdown"
    assert r.title == "Women in cybersecurity careers"
    assert [o.id for o in r.organizers] == ["un-women", "itu"]
    assert [p.name for p in r.moderators] == ["Maria Rossi"]
    assert r.moderators[0].organization is not None
    assert r.moderators[0].organization.name == "ITU"
    assert [(p.name, p.stakeholder_group) for p in r.speakers] == [
        ("Ana Souza", G.TECHNICAL_COMMUNITY),
        ("Kwame Mensah", G.INTERGOVERNMENTAL),
    ]
    # Markdown: lines of one paragraph are joined; blank lines separate paragraphs.
    assert r.discussions[0] == (
        "Mentoring programmes were described by several speakers. "
        "They were said to work best when paired with hiring targets."
    )
    assert len(r.discussions) == 3


def test_markdown_headings_title_from_h1() -> None:
    r = parse_report(FIXTURES / "headings.md")
    assert r.title == "Digital skills for girls in the Pacific"
    assert (r.date, r.start_time, r.end_time) == ("2016-12-09", "09:00", "10:00")
    assert [o.name for o in r.organizers] == ["ITU", "UNESCO"]
    assert [p.organization.name for p in r.speakers if p.organization] == [
        "University of the South Pacific",
        "Ministry of ICT",
    ]
    assert r.speakers[1].country == "Samoa"
    assert len(r.key_issues) == 2


def test_markdown_table() -> None:
    text = (
        "| Field | Value |\n|---|---|\n| **Session Title** | Coding clubs |\n"
        "| Date | 2016-12-07 |\n| Chair/Moderator | Ada Lovelace |\n"
    )
    r = parse_report(text, format="markdown")
    assert (r.title, r.date, [p.name for p in r.moderators]) == (
        "Coding clubs",
        "2016-12-07",
        ["Ada Lovelace"],
    )
    assert r.extra[0].label == "Field"  # the header row is kept, and reported
    assert [w.code for w in r.warnings] == ["unknown-label"]


def test_docx_table(example_docx: Path) -> None:
    r = parse_report(example_docx)
    assert r.format == "docx" and r.template == "igf-2016-workshop"
    assert r.heading == "IGF 2016 Workshop Report"
    assert r.title == EXAMPLE_ROWS[0][1][0]
    assert (r.date, r.start_time, r.end_time) == ("2016-12-09", "10:15", "11:15")
    assert [o.name for o in r.organizers] == ["ITU", "UN Women"]
    assert [p.name for p in r.speakers] == ["Paul Mitchell", "Claire Sibthorpe", "Lara Blanco"]
    assert r.speakers[2].organization is not None
    assert r.speakers[2].organization.id == "un-women"
    assert r.discussions == ("First paragraph.", "Second paragraph.", "Third paragraph.")
    assert r.presentations == ("A presentation on EQUALS.",)
    assert r.warnings == ()


def test_docx_paragraph_style() -> None:
    data = docx_paragraphs(
        [
            ("Heading 1", "IGF 2016 Workshop Report"),
            ("Normal", "Session Title: Girls in ICT"),
            ("Normal", "Date: 7 December 2016"),
            ("Heading 2", "List of speakers"),
            ("Normal", "Paul Mitchell, Microsoft – Private Sector"),
            ("Heading 2", "Discussions"),
            ("Normal", "One."),
            ("Normal", "Two."),
        ]
    )
    r = parse_report(data)
    assert (r.title, r.date) == ("Girls in ICT", "2016-12-07")
    assert [p.name for p in r.speakers] == ["Paul Mitchell"]
    assert r.discussions == ("One.", "Two.")


def test_2018_short_form() -> None:
    r = parse_report(FIXTURES / "igf2018-short.txt")
    assert r.template == "igf-2018-session"
    assert (r.date, r.start_time, r.end_time) == ("2018-11-13", "15:00", "16:30")
    values = {e.id: e.value for e in r.extra}
    assert values["theme"] == "Digital Inclusion & Accessibility"
    assert values["subtheme"] == "Community networks"
    assert values["participants"] == 60 and values["women"] == 35
    assert values["policy_recommendations"] == ("Regulators should license community networks.",)
    assert len(r.key_issues) == 2
    assert r.warnings == ()


def test_2018_fields_in_a_2016_report_are_kept() -> None:
    r = parse_report("IGF 2016 Workshop Report\nSession Title: X\nTheme: Access\n")
    assert r.template == "igf-2016-workshop"
    assert (r.extra[0].id, r.extra[0].value) == ("theme", "Access")
    assert [w.code for w in r.warnings] == ["field-not-in-template"]


def test_missing_fields() -> None:
    r = parse_report(FIXTURES / "missing-fields.txt")
    assert r.title == "Untitled draft report"
    assert r.date is None and r.date_text == "sometime in December"
    assert [w.code for w in r.warnings] == ["unparsed-date"]
    assert r.moderators == () and "moderators" in r.present


def test_unplaced_text_is_kept_and_reported() -> None:
    r = parse_report("Some stray words first.\nSession Title: T\n")
    assert r.unplaced == ("Some stray words first.",)
    assert [(w.code, w.text) for w in r.warnings] == [("unplaced-text", "Some stray words first.")]


def test_text_given_directly_or_as_bytes() -> None:
    assert parse_report("Session Title: T").title == "T"
    assert parse_report(b"Session Title: T").title == "T"
    assert parse_report("Session Title: T".encode("utf-16")).title == "T"
    assert parse_report("Session Title: Caf\xe9".encode("cp1252")).title == "Café"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.txt", None, "no such file"),
        ("garbage.bin", bytes(range(256)) * 4, "binary"),
        ("corrupt.docx", b"PK\x03\x04 not really a zip", "DOCX"),
        ("empty-zip.docx", None, "DOCX"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes | None, reason: str) -> None:
    path = tmp_path / name
    if name == "empty-zip.docx":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "hi")
        content = buf.getvalue()
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnreadableReportError) as info:
        parse_report(path)
    assert info.value.code == "unreadable-report"
    assert str(path) in str(info.value) and reason in str(info.value)


def test_docx_bytes_round_trip_of_table_helper() -> None:
    assert parse_report(docx_table([("Session Title", ["T"])])).title == "T"
