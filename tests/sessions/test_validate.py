"""Validation against the template's guidance: stable codes, severity, field."""

from __future__ import annotations

from equals.sessions import CATALOGUE, Severity, load_template, parse_report, validate_report

from .conftest import FIXTURES


def codes(text: str) -> list[tuple[str, str | None]]:
    return [(f.code, f.field) for f in validate_report(parse_report(text)).findings]


def test_catalogue_codes_are_stable() -> None:
    assert {
        "missing-required-field",
        "key-issue-not-one-sentence",
        "paragraph-count",
        "no-rapporteur",
        "speaker-without-affiliation",
        "unparsed-date",
    } <= set(CATALOGUE)
    assert all(c.description for c in CATALOGUE.values())


def test_missing_fields_report() -> None:
    result = validate_report(parse_report(FIXTURES / "missing-fields.txt"))
    assert not result.valid
    found = {(f.code, f.field) for f in result.findings}
    assert {
        ("missing-required-field", "time"),
        ("missing-required-field", "organizers"),
        ("missing-required-field", "moderators"),
        ("missing-required-field", "discussions"),
        ("missing-required-field", "suggestions"),
        ("no-rapporteur", "rapporteurs"),
        ("key-issue-not-one-sentence", "key_issues"),
        ("unparsed-date", "date"),
        ("speaker-without-affiliation", "speakers"),
    } <= found
    missing = [f for f in result.findings if f.code == "missing-required-field"]
    assert all(f.severity is Severity.ERROR for f in missing)
    assert result.to_record()["valid"] is False


def test_paragraph_count_and_clean_report() -> None:
    result = validate_report(parse_report(FIXTURES / "label-variants.txt"))
    assert result.valid
    assert "paragraph-count" not in result.codes()
    assert "no-rapporteur" not in result.codes()


def test_time_checks() -> None:
    assert ("end-before-start", "time") in codes("Time: 14:00-13:00")
    assert ("no-end-time", "time") in codes("Time: 14:00")
    assert ("unparsed-time", "time") in codes("Time: after lunch")


def test_2018_word_and_item_limits() -> None:
    text = (FIXTURES / "igf2018-short.txt").read_text()
    result = validate_report(parse_report(text))
    assert result.valid, result.findings
    long = text.replace(
        "Participants agreed that community networks lower costs.", "word " * 151
    ).replace("- Women must", "- One.\n- Two.\n- Women must")
    found = codes(long)
    assert ("too-many-words", "discussions") in found
    assert ("too-many-items", "key_issues") in found


def test_women_cannot_exceed_participants() -> None:
    text = (
        (FIXTURES / "igf2018-short.txt").read_text().replace("participants: 60", "participants: 20")
    )
    assert ("women-exceed-participants", "women") in codes(text)


def test_validate_against_another_template() -> None:
    report = parse_report(FIXTURES / "label-variants.txt")
    result = validate_report(report, load_template("igf-2018-session"))
    assert result.template == "igf-2018-session"
    assert ("missing-required-field", "theme") in {(f.code, f.field) for f in result.findings}


def test_new_layouts_validate_on_their_own_terms() -> None:
    def codes(name: str) -> list[str]:
        return [f.code for f in validate_report(parse_report(FIXTURES / name)).findings]

    # Session page speakers are "Name, Stakeholder group, Regional group": no organisation
    # is asked for; only the free-form additional speaker lacks a group.
    assert codes("session-page-2019.txt") == ["speaker-without-stakeholder-group"]
    assert codes("report-2019.txt") == []
    # "roughly half were women" is a stated share, not a bad count.
    assert codes("short-report-2021.md") == []
    assert codes("session-page-2022.html") == ["active-content-removed"]
    assert "unknown-layout" in codes("unknown-layout.txt")


def test_findings_are_problems_of_the_one_registry() -> None:
    """Session-report findings use the platform's problem type and registered codes."""
    from equals.core.problems import REGISTRY, Problem
    from equals.core.problems import Severity as CoreSeverity
    from equals.sessions import parse_report, validate_report

    report = validate_report(parse_report("Session Title: Only a title\n"))
    problems = report.problems()
    assert problems and all(isinstance(p, Problem) for p in problems)
    assert all(p.code in REGISTRY for p in problems)
    missing = next(p for p in problems if p.code == "no-rapporteur")
    assert missing.severity is CoreSeverity.ERROR
    assert REGISTRY["no-rapporteur"].meaning.startswith("No rapporteur")
