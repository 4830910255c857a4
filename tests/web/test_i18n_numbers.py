"""Locale number formatting: the fast path (f-string + the locale's symbols) equals Babel."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equals.core import i18n

LANGS = ["en", "fr", "es"]

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
# Values with few decimals hit exact ties (2.675 → 2.68 half-to-even on the decimal form).
short = st.builds(lambda n, k: round(n / 10**k, k), st.integers(-(10**9), 10**9), st.integers(0, 4))


@settings(max_examples=400, deadline=None)
@given(
    value=st.one_of(finite, short, st.sampled_from([0.0, -0.0, 0.5, 2.5, -2.675, 1e-7])),
    digits=st.integers(0, 3),
    signed=st.booleans(),
    lang=st.sampled_from(LANGS),
)
def test_fast_formatting_equals_babel(value: float, digits: int, signed: bool, lang: str) -> None:
    with i18n.use_language(lang):
        fast = i18n.format_number(value, digits, signed=signed)
        assert fast == i18n.format_number_babel(value, digits, signed=signed)
        expected_pct = i18n.format_number_babel(value, digits, signed=signed) + (
            "%" if lang == "en" else "\u00a0%"
        )
        assert i18n.format_percent(value, digits, signed=signed) == expected_pct


@pytest.mark.parametrize(
    ("lang", "value", "digits", "expected"),
    [
        ("en", -1234567.891, 1, "\u22121,234,567.9"),
        ("fr", -1234567.891, 1, "\u22121\u202f234\u202f567,9"),
        ("es", 1234567.891, 2, "1.234.567,89"),
        ("en", 2.675, 2, "2.68"),  # the decimal form is a tie: half-to-even, as Babel
        ("fr", 0.125, 2, "0,12"),
        ("es", 1e20, 0, "100.000.000.000.000.000.000"),
    ],
)
def test_known_values(lang: str, value: float, digits: int, expected: str) -> None:
    with i18n.use_language(lang):
        assert i18n.format_number(value, digits) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_nan_and_infinity_use_cldr_symbols(lang: str) -> None:
    with i18n.use_language(lang):
        assert i18n.format_number(math.nan, 2) == "NaN"  # not Babel's "NaN.00"
        assert i18n.format_number(math.inf, 1, signed=True) == "+\u221e"
        assert i18n.format_number(-math.inf, 1) == "\u2212\u221e"
        assert i18n.format_number(math.inf, 1) == i18n.format_number_babel(math.inf, 1)


def test_every_shipped_language_takes_the_fast_path() -> None:
    assert all(i18n._symbols(lang).fast for lang in LANGS)
