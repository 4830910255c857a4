"""The IGF identity of a session: year, session type and number (``IGF 2019 WS #267 …``).

IGF pages and reports open with a line such as ``IGF 2019 WS #267 Inclusion online``,
``IGF 2021 Open Forum #40 …``, ``IGF 2022 Lightning Talk #58 …``, ``IGF 2023 DC-Gender …`` or
``IGF 2018 WS #136`` (the title on the next line). :func:`find_igf_id` reads the year, the
session type (as a short code) and number, and the title that follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Short code → the spellings IGF pages use (longest first inside the pattern).
SESSION_TYPES: dict[str, tuple[str, ...]] = {
    "WS": ("WS", "Workshop"),
    "OF": ("OF", "Open Forum"),
    "DC": ("DC", "Dynamic Coalition", "DC Session"),
    "BPF": ("BPF", "Best Practice Forum"),
    "NRI": ("NRI", "NRI Collaborative Session", "NRIs Collaborative Session"),
    "LT": ("LT", "Lightning Talk"),
    "TH": ("TH", "Town Hall"),
    "MS": ("Main Session", "Main Focus Area Session", "High-Level Session", "High Level Session"),
    "D0": ("Day 0 Event", "Day 0", "Pre-Event", "Pre Event"),
    "LA": ("Launch/Award", "Launch and Award", "Launch / Award", "Launch"),
    "NS": ("Networking Session", "Networking"),
    "FS": ("Flash Session", "Flash"),
    "PS": ("Parliamentary Session", "Parliamentary Track"),
    "YS": ("Youth Session", "Youth Track"),
}
_SPELLING = {s.casefold(): code for code, spellings in SESSION_TYPES.items() for s in spellings}
_TYPES = "|".join(
    re.escape(s).replace(r"\ ", r"\s+") for s in sorted(_SPELLING, key=len, reverse=True)
)
_ID = re.compile(
    rf"\bIGF\s*(?P<year>20[0-4]\d)\s*[-–—:]?\s*(?:(?P<type>{_TYPES})(?![A-Za-z])"
    rf"\s*[-–—]?\s*(?:#\s*|No\.?\s*|(?=\d))?(?P<number>\d{{1,4}})?(?:\s*[-–—:.]\s*|\s+|$))?"
    rf"(?P<rest>.*)$",
    re.IGNORECASE,
)

_FORM_NAME = re.compile(
    r"^(?:(?:short|session|workshop|final|draft)\s+)*report(?:\s+template|\s+form)?\s*$|^template$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class IgfSession:
    """``year`` 2019, ``session_type`` "WS", ``number`` 267 → ``code`` "IGF 2019 WS #267"."""

    year: int
    session_type: str | None = None
    number: int | None = None
    text: str = ""  # the line as written

    @property
    def code(self) -> str:
        parts = [f"IGF {self.year}"]
        if self.session_type:
            parts.append(self.session_type)
        if self.number is not None:
            parts.append(f"#{self.number}")
        return " ".join(parts)

    def to_record(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "session_type": self.session_type,
            "number": self.number,
            "code": self.code,
            "text": self.text,
        }

    @classmethod
    def from_record(cls, d: dict[str, Any]) -> IgfSession:
        return cls(int(d["year"]), d.get("session_type"), d.get("number"), d.get("text") or "")


def parse_igf_id(line: str) -> tuple[IgfSession, str] | None:
    """The identity in a line starting with ``IGF <year>``, and the title text after it."""
    text = " ".join(line.split())
    if not text.upper().startswith("IGF") or len(text) > 2000:
        return None
    m = _ID.match(text)
    if not m:
        return None
    kind = m.group("type")
    code = _SPELLING.get(" ".join(kind.split()).casefold()) if kind else None
    number = int(m.group("number")) if m.group("number") else None
    rest = (m.group("rest") or "").strip(" -–—:#")
    end = m.end("type") if kind else -1
    if kind and text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha():
        rest = text[m.start("type") :]  # "DC-Gender: …" names the coalition: keep it
    if _FORM_NAME.match(rest):
        rest = ""  # "IGF 2016 Workshop Report Template" names the form, not a session
    return IgfSession(int(m.group("year")), code, number, text), rest


def find_igf_id(lines: Iterable[str]) -> tuple[IgfSession, str] | None:
    """The first line (of the few given) that carries an IGF identity."""
    for line in lines:
        found = parse_igf_id(line)
        if found:
            return found
    return None
