"""Participation and gender reflection read into numbers — only what the text states.

Each expected figure below is the hand reading of the sentence beside it (the sentences are
written for these tests in the phrasings IGF reports use). Shares are women / participants.
"""

from __future__ import annotations

from typing import Any

import pytest

from equals.sessions import parse_report
from equals.sessions.analysis import gender_balance
from equals.sessions.numbers import first_count
from equals.sessions.participation import participation


def figures(fields: dict[str, str]) -> dict[str, Any]:
    p = participation(fields)
    assert p is not None
    r = p.to_record()
    keys = ("participants", "onsite", "online", "women", "women_share", "speakers",
            "women_speakers", "moderators", "women_moderators", "gender_discussed")  # fmt: skip
    out = {k: r[k]["value"] if isinstance(r[k], dict) else r[k] for k in keys}
    out["women_share"] = p.women_share  # unrounded (the record rounds it to 4 decimals)
    return out


def test_prose_with_onsite_online_and_women_of_whom() -> None:
    got = figures(
        {
            "participation": "There were about 80 participants in the room and 20 online, of "
            "whom around 45 were women."
        }
    )
    # total = 80 onsite + 20 online = 100; share = 45 / 100 = 0.45
    assert got["participants"] == 100 and got["onsite"] == 80 and got["online"] == 20
    assert got["women"] == 45 and got["women_share"] == 0.45


def test_joining_online_and_a_percentage_share() -> None:
    got = figures(
        {
            "participation": "Approximately 120 participants attended onsite, with a further 35 "
            "joining online. Women made up around 60% of the audience."
        }
    )
    # 120 + 35 = 155; the share is stated (60 %), no count of women is invented from it
    assert (got["participants"], got["onsite"], got["online"]) == (155, 120, 35)
    assert got["women"] is None and got["women_share"] == 0.6


def test_labelled_counts() -> None:
    got = figures({"participation": "Onsite: 40; Online: 15. Women: 30."})
    assert (got["participants"], got["women"]) == (55, 30)  # 40 + 15
    assert got["women_share"] == pytest.approx(30 / 55)


def test_of_them_women_and_speakers_by_sex() -> None:
    got = figures(
        {
            "participation": "25 participants, 12 of them women; the panel had 2 female and 2 "
            "male speakers."
        }
    )
    assert (got["participants"], got["women"], got["women_share"]) == (25, 12, 0.48)  # 12/25
    assert (got["women_speakers"], got["speakers"]) == (2, 4)  # 2 + 2 speakers


@pytest.mark.parametrize(
    ("text", "women", "speakers"),
    [
        ("3 of the 5 speakers were women.", 3, 5),
        ("Two women speakers out of five.", 2, 5),
        ("The panel had 4 women speakers out of 6.", 4, 6),
        ("Speakers: 5 speakers (3 women).", 3, 5),
    ],
)
def test_women_among_speakers(text: str, women: int, speakers: int) -> None:
    got = figures({"participation": text})
    assert (got["women_speakers"], got["speakers"]) == (women, speakers)
    assert got["women"] is None  # speakers are not the audience


@pytest.mark.parametrize(
    ("text", "women", "moderators"),
    [
        ("The moderator was a woman.", 1, 1),
        ("Both moderators were women.", 2, 2),
        ("The onsite moderator was a man.", 0, 1),
    ],
)
def test_moderators_as_stated(text: str, women: int, moderators: int) -> None:
    got = figures({"gender_issues": text})
    assert (got["women_moderators"], got["moderators"]) == (women, moderators)


def test_form_answers() -> None:
    got = figures({"participants": "75", "women": "40 (estimate)", "gender_issues": "No"})
    assert (got["participants"], got["women"]) == (75, 40)
    assert got["women_share"] == pytest.approx(40 / 75) and got["gender_discussed"] is False


def test_a_percentage_in_the_women_field_is_a_share() -> None:
    got = figures({"participants": "80", "women": "About 50%"})
    assert got["women"] is None and got["women_share"] == 0.5


def test_fractions() -> None:
    got = figures({"participation": "Over 100 people, more than half of them women."})
    assert got["participants"] == 100 and got["women_share"] == 0.5
    assert (
        figures({"participation": "About 60 people; half of the women left early."})["women_share"]
        is None
    )  # "half of the women" is not a share of participants


def test_never_from_names() -> None:
    got = figures(
        {"participation": "The session was attended by Mary Smith, Jane Doe and John Roe."}
    )
    assert all(v is None for v in got.values())
    report = parse_report(
        "Session Title: T\nChair/Moderator: Mary Smith\nList of Speakers: Jane Doe, UN Women\n"
    )
    assert report.participation is None  # names alone state nothing about gender


@pytest.mark.parametrize(
    ("text", "discussed"),
    [
        ("No", False),
        ("N/A", False),
        ("Gender was not discussed in this session.", False),
        ("The session did not specifically address gender issues.", False),
        ("There was no discussion of gender.", False),
        ("Gender was the core of the session.", True),
        ("Substantially", True),
    ],
)
def test_gender_reflection(text: str, discussed: bool) -> None:
    assert figures({"gender_issues": text})["gender_discussed"] is discussed


def test_missing_says_what_is_not_stated() -> None:
    p = participation({"participants": "30"})
    assert p is not None
    assert p.missing == ("women", "women_speakers", "women_moderators", "gender_reflection")
    assert participation({}) is None


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "approximate"),
    [
        ("60", 60, 60, 60, False),
        ("Approximately 45 (30 onsite)", 45, 45, 45, True),
        ("about 40-50 people", 45, 40, 50, True),  # (40 + 50) // 2
        ("41 to 50", 45, 41, 50, True),  # (41 + 50) // 2 = 45 (rounded down)
        ("forty-five", 45, 45, 45, False),
        ("1,200 participants", 1200, 1200, 1200, False),
        ("60+", 60, 60, 60, True),
    ],
)
def test_counts(text: str, value: int, low: int, high: int, approximate: bool) -> None:
    c = first_count(text)
    assert c is not None
    assert (c.value, c.low, c.high, c.approximate) == (value, low, high, approximate)


@pytest.mark.parametrize("text", ["none", "often more", "", "50-40", "99999999"])
def test_not_counts(text: str) -> None:
    assert first_count(text) is None


def test_gender_balance_uses_the_stated_counts() -> None:
    report = parse_report(
        "IGF 2021 Short Report\nSession Title: T\nKey Takeaways: K.\nCall to Action: C.\n"
        "Session Report: S.\n"
        "Estimate the overall number of the participants present at the session: about 70\n"
        "Estimate the overall number of women and gender-diverse people present at the "
        "session: 42\n"
    )
    stated = gender_balance(report)
    assert (stated.participants, stated.women) == (70, 42)
    assert stated.women_share == pytest.approx(0.6)  # 42 / 70


def test_gender_balance_from_the_2019_prose() -> None:
    from .conftest import FIXTURES

    # report-2019.txt: "about 80 participants in the room and 20 online, of whom around 45
    # were women" → 80 + 20 = 100 participants, 45 women.
    stated = gender_balance(parse_report(FIXTURES / "report-2019.txt"))
    assert (stated.participants, stated.women) == (100, 45)
    assert stated.women_share == pytest.approx(0.45)
