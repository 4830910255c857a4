"""Input rules of the archive, one place for every adapter (API, pages, CLI, import).

- an event year is 1990–2100 (the IGF began in 2006; the range leaves room for other events);
- stored text holds no NUL character and no lone UTF-16 surrogate (neither can be stored in
  PostgreSQL text nor encoded as UTF-8);
- a search has at most :data:`MAX_SEARCH_TERMS` terms (SQLite's FTS5 parser has a fixed stack).

Each rule raises :class:`equals.core.errors.ValidationError` naming the field (HTTP 422, CLI
exit 2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from equals.core.errors import ValidationError
from equals.core.i18n import Msg

YEAR_MIN, YEAR_MAX = 1990, 2100
MAX_SEARCH_TERMS = 32
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def check_year(value: int | None, location: str = "year") -> int | None:
    """``value`` if it is a plausible event year (or None)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not YEAR_MIN <= value <= YEAR_MAX:
        shown = str(value)
        shown = shown if len(shown) <= 24 else shown[:20] + "…"
        raise ValidationError(
            Msg(
                "the year must be between %(first)s and %(last)s, not %(value)s",
                first=YEAR_MIN,
                last=YEAR_MAX,
                value=shown,
            ),
            location=location,
            code="invalid-year",
        )
    return value


def parse_year(text: str | None, location: str = "year") -> int | None:
    """A year typed into a form or URL: ASCII digits only; empty means none."""
    text = (text or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        shown = text if len(text) <= 24 else text[:20] + "…"
        raise ValidationError(
            Msg(
                "the year must be a number between %(first)s and %(last)s, not %(value)s",
                first=YEAR_MIN,
                last=YEAR_MAX,
                value=repr(shown),
            ),
            location=location,
            code="invalid-year",
        )
    return check_year(int(text), location)


def report_year(date: str | None) -> int | None:
    """The year of an ISO date from a report, if it is a valid event year."""
    if not date or not date[:4].isascii() or not date[:4].isdigit():
        return None
    year = int(date[:4])
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def event_year(report: Any) -> int | None:
    """The event year a report gives: its date's year, else its IGF session line's year."""
    year = report_year(getattr(report, "date", None))
    igf = getattr(report, "igf", None)
    if year is None and igf is not None and isinstance(igf.year, int):
        year = igf.year if YEAR_MIN <= igf.year <= YEAR_MAX else None
    return year


def bad_character(text: str) -> str | None:
    """A description of the first character that cannot be stored, or None."""
    m = _BAD_TEXT.search(text)
    if m is None:
        return None
    ch = m.group()
    if ch == "\x00":
        return Msg("a NUL character at position %(position)s", position=m.start() + 1)
    return Msg(
        "a lone UTF-16 surrogate (%(char)s) at position %(position)s",
        char=f"U+{ord(ch):04X}",
        position=m.start() + 1,
    )


def check_text(value: str | None, location: str) -> str | None:
    """``value`` if it can be stored as text; else a ValidationError naming ``location``."""
    if value is None:
        return None
    problem = bad_character(value)
    if problem is not None:
        raise ValidationError(
            Msg("contains %(problem)s; remove it and try again", problem=problem),
            location=location,
            code="invalid-text",
        )
    return value


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, f"{path}.{k}" if path else str(k))
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def check_texts(value: Any, location: str = "") -> None:
    """Check every string in a JSON-like value (a report record, a request body)."""
    for path, text in _strings(value, location):
        check_text(text, path or "text")
