"""Dates and times as reports write them, to ISO 8601."""

from __future__ import annotations

import datetime as dt

import pytest

from equals.sessions.dates import parse_date, parse_time_range


@pytest.mark.parametrize(
    "text",
    [
        "9 December 2016",
        "Dec 9, 2016",
        "December 9th, 2016",
        "2016-12-09",
        "Friday, 9th of December 2016",
        "09/12/2016",
        "9 Dec. 2016",
    ],
)
def test_dates(text: str) -> None:
    assert parse_date(text) == dt.date(2016, 12, 9)


def test_day_first_unless_impossible() -> None:
    assert parse_date("12/25/2016") == dt.date(2016, 12, 25)
    assert parse_date("05/06/2016") == dt.date(2016, 6, 5)


@pytest.mark.parametrize("text", ["sometime in December", "", "31 February 2016", "2016"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:15-11:15", ("10:15", "11:15")),
        ("10:15 – 11:15", ("10:15", "11:15")),
        ("10.15 – 11.15am", ("10:15", "11:15")),
        ("10.15 am to 11.15 am", ("10:15", "11:15")),
        ("3pm-4:30pm", ("15:00", "16:30")),
        ("11:00 - 1:00pm", ("11:00", "13:00")),
        ("15:00–16:30 CET", ("15:00", "16:30")),
        ("10h15-11h15", ("10:15", "11:15")),
        ("9 December 2016, 10:15-11:15", ("10:15", "11:15")),
        ("11.15am", ("11:15", None)),
        ("2016-12-09", (None, None)),
        ("morning", (None, None)),
    ],
)
def test_time_ranges(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_time_range(text) == expected
