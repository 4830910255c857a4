"""Numbers as reports write them: ``60``, ``1,200``, ``about 45``, ``40-50``, ``forty``, ``~30``.

A :class:`Count` keeps the phrase it was read from, its range and whether it was hedged, so
an aggregate can say what it rests on. A range is counted at its midpoint (rounded down), the
convention stated with every figure that uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a dozen": 12, "a hundred": 100, "one hundred": 100,
    "two hundred": 200, "three hundred": 300, "a couple of": 2, "a couple": 2,
}  # fmt: skip
_WORD = "|".join(
    sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _UNITS), key=len, reverse=True)
)
_TENS_UNITS = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-\s]"
    r"(?:one|two|three|four|five|six|seven|eight|nine)"
)
NUMBER = rf"(?:\d{{1,3}}(?:[,\u202f\u00a0]\d{{3}})+|\d{{1,7}}|{_TENS_UNITS}|{_WORD})"
HEDGE = (
    r"(?:about|around|approximately|approx\.?|roughly|some|circa|ca\.?|c\.|nearly|almost|"
    r"over|more\s+than|less\s+than|fewer\s+than|under|up\s+to|at\s+least|close\s+to|an?\s+estimated|"
    r"estimated|~|±|\+/-)"
)
# "about 40-50", "40 to 50", "~30", "60+"
QUANTITY = re.compile(
    rf"(?<![\w.])(?P<hedge>{HEDGE}\s*)?(?P<low>{NUMBER})(?![\w])"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<high>{NUMBER})(?![\w]))?(?P<plus>\+)?",
    re.IGNORECASE,
)
MAX_COUNT = 1_000_000  # larger "counts" are years, phone numbers or typos, not people


def to_int(text: str) -> int | None:
    t = " ".join(text.lower().replace("-", " ").split())
    digits = re.sub(r"[,\u202f\u00a0 ]", "", t)
    if digits.isdigit():
        return int(digits)
    if t in _UNITS:
        return _UNITS[t]
    parts = t.split()
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        return _UNITS[parts[0]] + _UNITS[parts[1]]
    return None


@dataclass(frozen=True, slots=True)
class Count:
    value: int  # the count used in aggregates (a range's midpoint, rounded down)
    low: int
    high: int
    approximate: bool  # hedged ("about"), a range, or "60+"
    text: str  # the phrase it was read from

    def to_record(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "approximate": self.approximate,
            "text": self.text,
        }

    @classmethod
    def from_record(cls, d: dict[str, Any]) -> Count:
        return cls(
            int(d["value"]),
            int(d["low"]),
            int(d["high"]),
            bool(d["approximate"]),
            str(d.get("text", "")),
        )


def quantity(m: re.Match[str]) -> Count | None:
    """A :class:`Count` from a :data:`QUANTITY` match (None when it is not a plausible count)."""
    low = to_int(m.group("low"))
    high = to_int(m.group("high")) if m.group("high") else low
    if low is None or high is None or high < low or high > MAX_COUNT:
        return None
    approx = bool(m.group("hedge") or m.group("plus") or high != low)
    return Count((low + high) // 2, low, high, approx, " ".join(m.group(0).split()))


def first_count(text: str) -> Count | None:
    """The first plausible count in a short answer (``"Approximately 45 (30 onsite)"`` → 45)."""
    for m in QUANTITY.finditer(text):
        if (c := quantity(m)) is not None:
            return c
    return None
