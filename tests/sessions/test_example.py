"""The real IGF 2016 EQUALS workshop report parses completely (fixtures/README.md)."""

from __future__ import annotations

import pytest

from equals.core.vocabulary import StakeholderGroup
from equals.sessions import ParsedReport, parse_report, to_record, validate_report

from .conftest import EXAMPLE


@pytest.fixture(scope="module")
def report() -> ParsedReport:
    return parse_report(EXAMPLE)


def test_header_fields(report: ParsedReport) -> None:
    assert report.template == "igf-2016-workshop"
    assert report.heading == "IGF 2016 Workshop Report Template"
    assert report.title == (
        "EQUALS: The need for collaboration on the global gender digital divide"
    )
    assert report.date == "2016-12-09"
    assert (report.start_time, report.end_time) == ("10:15", "11:15")
    assert report.time_text == "10.15 – 11.15am"


def test_roles(report: ParsedReport) -> None:
    assert [o.name for o in report.organizers] == ["ITU", "UN Women"]
    assert [o.id for o in report.organizers] == ["itu", "un-women"]
    assert [p.name for p in report.moderators] == ["Doreen Bogdan-Martin"]
    assert report.rapporteurs == ()


def test_seven_speakers_in_order(report: ParsedReport) -> None:
    got = [
        (p.name, p.organization.name if p.organization else None, p.stakeholder_group)
        for p in report.speakers
    ]
    assert got == [
        ("Paul Mitchell", "Microsoft", StakeholderGroup.PRIVATE_SECTOR),
        ("Claire Sibthorpe", "GSMA", StakeholderGroup.PRIVATE_SECTOR),
        ("Yolanda Martínez Mancilla", "Government of Mexico", StakeholderGroup.GOVERNMENT),
        ("Nanjira Sambuli", "Web Foundation", StakeholderGroup.CIVIL_SOCIETY),
        ("Cecile Barayre", "UNCTAD", StakeholderGroup.INTERGOVERNMENTAL),
        ("Jac SM Kee", "APC", StakeholderGroup.CIVIL_SOCIETY),  # wrapped "Civil / Society"
        ("Lara Blanco", "UN Women", StakeholderGroup.INTERGOVERNMENTAL),  # "UNWOMEN"
    ]
    assert report.speakers[5].raw.endswith("Jac SM Kee Civil Society")
    assert report.speakers[3].organization is not None
    assert report.speakers[3].organization.raw == (
        "Web Foundation (Alliance for Affordable Internet)"
    )


def test_prose_fields(report: ParsedReport) -> None:
    assert report.key_issues == (
        "The key issue raised during the panel was how to approach the challenges related to "
        "the gender digital divide in areas of access, skills, and leadership.",
    )
    assert len(report.presentations) == 1
    assert report.presentations[0].startswith(
        "There was a brief introductory presentation on EQUALS: The global partnership"
    )
    assert report.presentations[0].endswith("research- based approach was highlighted.")
    assert len(report.discussions) == 3
    assert report.discussions[0].startswith("The discussion was led by a panel")
    assert report.discussions[1].startswith("The second major area of discussion")
    assert report.discussions[2].startswith("The third big aspect focused")
    assert report.discussions[2].endswith("not achievable by single entities.")
    assert len(report.suggestions) == 1
    assert report.suggestions[0].startswith("The Equals session focused on access, skills")
    assert report.suggestions[0].endswith("cultural norms, safety and risks.")


def test_nothing_unplaced(report: ParsedReport) -> None:
    assert report.warnings == ()
    assert report.unplaced == ()
    assert report.extra == ()


def test_every_word_of_the_file_is_in_the_output(report: ParsedReport) -> None:
    import json
    import re

    text = EXAMPLE.read_text("utf-8")
    dumped = json.dumps(to_record(report), ensure_ascii=False)
    values = [ln.split("\t", 1)[1] for ln in text.splitlines() if "\t" in ln]
    for word in re.findall(r"[^\W\d_]{3,}", " ".join(values)):
        assert word in dumped, word


def test_validation(report: ParsedReport) -> None:
    result = validate_report(report)
    assert not result.valid  # no rapporteur named: an error on the IGF form
    assert result.codes() == ["no-rapporteur", "paragraph-count"]
    assert result.findings[1].field == "suggestions"
