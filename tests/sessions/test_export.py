"""Exports: JSON contract, Markdown and DOCX on the template, both re-parsing to the same
structured report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from equals.sessions import parse_report, to_docx, to_json, to_markdown, to_record

from .conftest import CONTRACT, EXAMPLE, FIXTURES

STRUCTURED = (
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
    "extra",
    "unplaced",
    "warnings",
)
REPORTS = [
    EXAMPLE,
    FIXTURES / "label-variants.txt",
    FIXTURES / "bold-labels.md",
    FIXTURES / "headings.md",
    FIXTURES / "igf2018-short.txt",
]


def structured(record: dict[str, object]) -> dict[str, object]:
    return {k: record[k] for k in STRUCTURED}


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_docx_round_trip(path: Path) -> None:
    report = parse_report(path)
    again = parse_report(to_docx(report))
    assert again.format == "docx" and again.template == report.template
    assert structured(to_record(again)) == structured(to_record(report))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_markdown_round_trip(path: Path) -> None:
    report = parse_report(path)
    again = parse_report(to_markdown(report), format="markdown")
    assert structured(to_record(again)) == structured(to_record(report))


def test_json_has_the_contract_keys() -> None:
    data = json.loads(to_json(parse_report(EXAMPLE)))
    assert CONTRACT | {"template", "action_areas"} <= set(data)
    assert set(data["speakers"][0]) == {"name", "organization", "stakeholder_group"}
    assert [p["role"] for p in data["people"]] == ["moderator"] + ["speaker"] * 7


def test_markdown_is_laid_out_on_the_template() -> None:
    md = to_markdown(parse_report(EXAMPLE))
    assert md.startswith("# IGF 2016 Workshop Report Template\n")
    assert "## List of Speakers and their institutional affiliations\n\n- Paul Mitchell, " in md
    assert "- Lara Blanco, UN Women – Intergovernmental Organization" in md


@pytest.mark.parametrize(
    "name",
    [
        "session-page-2019.txt",
        "session-page-2022.html",
        "report-2019.txt",
        "short-report-2021.md",
        "workshop-2015.txt",
    ],
)
def test_every_layout_round_trips_through_markdown_and_docx(name: str) -> None:
    def people(rec: dict[str, object]) -> list[dict[str, object]]:
        return [{k: v for k, v in p.items() if k != "raw"} for p in rec["people"]]  # type: ignore[attr-defined]

    before = to_record(parse_report(FIXTURES / name))
    for data, fmt in ((to_markdown(parse_report(FIXTURES / name)), "markdown"), (None, None)):
        report = parse_report(FIXTURES / name)
        after = to_record(parse_report(data if data is not None else to_docx(report), format=fmt))
        for key in ("template", "title", "organizers", "key_issues", "discussions",
                    "suggestions", "igf", "participation"):  # fmt: skip
            assert before[key] == after[key], (key, fmt)
        # roles ("Online Moderator"), regions and honorifics ("Dr.") survive the export
        assert people(before) == people(after), fmt
