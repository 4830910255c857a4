"""Fixtures for session reports: the real IGF 2016 example and DOCX files built in code."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "igf2016-equals-workshop-report.txt"
# The keys `equals sessions parse --format json` must print (issue 4's contract).
CONTRACT = frozenset(
    {
        "title",
        "date",
        "start_time",
        "end_time",
        "organizers",
        "moderators",
        "rapporteurs",
        "speakers",
        "key_issues",
        "presentations",
        "discussions",
        "suggestions",
        "warnings",
    }
)

# The example report's fields as a real Word table would hold them (label | value).
EXAMPLE_ROWS: list[tuple[str, list[str]]] = [
    ("Session Title", ["EQUALS: The need for collaboration on the global gender digital divide"]),
    ("Date", ["9 December 2016"]),
    ("Time", ["10.15 – 11.15am"]),
    ("Session Organizer", ["ITU & UN Women"]),
    ("Chair/Moderator", ["Doreen Bogdan-Martin"]),
    ("Rapporteur/Notetaker", []),
    (
        "List of Speakers and their institutional affiliations",
        [
            "Microsoft, Paul Mitchell – Private Sector",
            "GSMA, Claire Sibthorpe– Private Sector",
            "UNWOMEN, Lara Blanco – International Organization",
        ],
    ),
    ("Key Issues raised (1 sentence per issue):", ["Access, skills and leadership matter."]),
    (
        "If there are Presentations during the workshop session, please provide a "
        "1-paragraph summary for each Presentation",
        ["A presentation on EQUALS."],
    ),
    (
        "Please describe the Discussions that took place during the workshop session: "
        "(3 paragraphs)",
        ["First paragraph.", "Second paragraph.", "Third paragraph."],
    ),
    (
        "Please describe any Participant suggestions regarding the way forward/ potential "
        "next steps /key takeaways: (3 paragraphs)",
        ["One suggestion."],
    ),
]


def docx_table(
    rows: Sequence[tuple[str, Sequence[str]]], *, heading: str = "IGF 2016 Workshop Report"
) -> bytes:
    """A Word document with a merged heading row and a two-column label | value table."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    merged = table.rows[0].cells[0].merge(table.rows[0].cells[1])
    merged.text = heading
    for label, values in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = values[0] if values else ""
        for v in values[1:]:
            cells[1].add_paragraph(v)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_paragraphs(lines: Sequence[tuple[str, str]]) -> bytes:
    """A Word document of styled paragraphs: ("Heading 2" | "Normal", text)."""
    document = docx.Document()
    for style, text in lines:
        if style.startswith("Heading"):
            document.add_heading(text, level=int(style.split()[1]))
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def example_docx(tmp_path: Path) -> Path:
    path = tmp_path / "report.docx"
    path.write_bytes(docx_table(EXAMPLE_ROWS))
    return path
