"""Dates and time ranges as reports write them, to ISO 8601 (``2016-12-09``, ``10:15``)."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ),
        start=1,
    )
    for name in names.split()
}
_ORD = r"(?:st|nd|rd|th)?"
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_YMD = re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)")
_DMY_WORDS = re.compile(rf"(?<!\d)(\d{{1,2}}){_ORD}\s*(?:of\s+)?([A-Za-z]{{3,9}})\.?,?\s+(\d{{4}})")
_MDY_WORDS = re.compile(rf"\b([A-Za-z]{{3,9}})\.?\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``: ``9 December 2016``, ``Dec 9, 2016``, ``2016-12-09``,
    ``Friday, 9th of December 2016``, ``09/12/2016`` (day first unless that is impossible)."""
    for rx in (_ISO, _YMD):
        if (m := rx.search(text)) and (d := _make(int(m[1]), int(m[2]), int(m[3]))):
            return d
    if m := _DMY_WORDS.search(text):
        month = _MONTHS.get(m[2].lower())
        if month and (d := _make(int(m[3]), month, int(m[1]))):
            return d
    if m := _MDY_WORDS.search(text):
        month = _MONTHS.get(m[1].lower())
        if month and (d := _make(int(m[3]), month, int(m[2]))):
            return d
    if m := _NUMERIC.search(text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        return _make(y, b, a) if a > 12 or b <= 12 else _make(y, a, b)
    return None


_T = r"(\d{1,2})(?:[:.h](\d{2}))?\s*([ap]\.?\s?m\b\.?)?"
_RANGE = re.compile(
    rf"(?<![\d:.])(?:{_T})\s*(?:-|–|—|to|until|till)\s*(?:{_T})(?![\d])", re.IGNORECASE
)
_SINGLE = re.compile(rf"(?<![\d:./-])(?:{_T})(?![\d/-])", re.IGNORECASE)


def _minutes(h: int, m: int, meridiem: str | None) -> int | None:
    if m >= 60:
        return None
    if meridiem:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if meridiem.lower().startswith("p") else 0)
    elif h > 24:
        return None
    return (h % 24) * 60 + m


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_time_range(text: str) -> tuple[str | None, str | None]:
    """Start and end as ``HH:MM``: ``10:15-11:15``, ``10.15 – 11.15am``,
    ``10.15 am to 11.15 am``, ``3pm-4:30pm``. A meridiem given only at the end applies to the
    start too when that keeps start before end. A single time gives only the start."""
    for m in _RANGE.finditer(text):
        h1, m1, p1, h2, m2, p2 = m.groups()
        if not (m1 or m2 or p1 or p2):
            continue  # "2016-12" or "1-2": not a clock range
        end = _minutes(int(h2), int(m2 or 0), p2)
        if end is None:
            continue
        start = _minutes(int(h1), int(m1 or 0), p1 or p2)
        if not p1 and p2 and start is not None and start > end:
            start = _minutes(int(h1), int(m1 or 0), "am" if p2.lower().startswith("p") else "pm")
        if start is None:
            continue
        if not (p1 or p2) and end < start and int(h2) < 12:
            end += 12 * 60
        return _fmt(start), _fmt(end)
    for m in _SINGLE.finditer(text):
        h, mm, p = m.groups()
        if not (mm or p):
            continue
        if (start := _minutes(int(h), int(mm or 0), p)) is not None:
            return _fmt(start), None
    return None, None
