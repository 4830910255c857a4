"""Translations: English, French and Spanish, from gettext catalogues read with Babel.

Catalogues are plain ``.po`` files under ``src/equals/locales/<lang>/LC_MESSAGES/``; every
``*.po`` file of a language is read and merged (one file per area — ``pages.po``, ``forms.po``,
``cli.po`` … — so that areas can be translated independently). They are compiled in memory on
first use; no ``.mo`` file is built or committed.

The current language is a context variable: the web app sets it per request (from the URL,
then ``Accept-Language``), the CLI once per run (from ``LANG``/``LC_ALL``). Library code marks
strings with :func:`gettext` (``_``) or :func:`ngettext`; strings defined at import time use
:func:`lazy_gettext` (``N_``) and are translated when rendered.

Data values and source titles are never translated: they stay as published.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DEFAULT_LANGUAGE = "en"
#: The shipped languages, in the order the switcher shows them. Adding one is one catalogue
#: directory plus its code here (docs/development.md, "Add a language").
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}

_current: ContextVar[str] = ContextVar("equals_language", default=DEFAULT_LANGUAGE)
_lock = threading.Lock()


def normalise(tag: str | None) -> str | None:
    """``fr-CA`` / ``fr_CA.UTF-8`` / ``FR`` → ``fr`` when shipped; ``None`` otherwise."""
    if not tag:
        return None
    base = tag.strip().split(".")[0].replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def current_language() -> str:
    """The language of the current request or command (``en`` by default)."""
    return _current.get()


def set_language(lang: str | None) -> str:
    """Make ``lang`` current in this context (unknown codes fall back to English)."""
    chosen = normalise(lang) or DEFAULT_LANGUAGE
    _current.set(chosen)
    return chosen


@contextlib.contextmanager
def use_language(lang: str | None) -> Iterator[str]:
    """``with use_language("fr"): ...`` — the language for a block, restored afterwards."""
    token = _current.set(normalise(lang) or DEFAULT_LANGUAGE)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@cache
def translations(lang: str) -> NullTranslations:
    """All catalogues of ``lang`` merged, compiled in memory (English: no catalogue)."""
    if lang == DEFAULT_LANGUAGE:  # nothing to read: no Babel import on an English start
        return NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with _lock:
        merged: NullTranslations = NullTranslations()
        directory = LOCALES_DIR / lang / "LC_MESSAGES"
        for po in sorted(directory.glob("*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            buf = BytesIO()
            write_mo(buf, catalog, use_fuzzy=False)
            buf.seek(0)
            part = Translations(buf)
            if isinstance(merged, Translations):
                merged.merge(part)
            else:
                merged = part
        return merged


@cache
def client_messages(lang: str) -> dict[str, str]:
    """The translations a browser script needs: every message of ``lang``'s catalogues that is
    used in a ``.js`` file (``EQUALS.t("…")``), as ``{msgid: msgstr}``; empty in English."""
    from babel.messages.pofile import read_po

    if lang == DEFAULT_LANGUAGE:
        return {}
    out: dict[str, str] = {}
    for po in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        for m in catalog:
            in_script = any(str(loc).endswith(".js") for loc, _line in m.locations)
            usable = isinstance(m.string, str) and m.string and not m.fuzzy
            if in_script and usable and isinstance(m.id, str):
                out[m.id] = str(m.string)
    return out


def gettext(message: str, **values: Any) -> str:
    """``message`` in the current language, with ``%(name)s`` placeholders filled."""
    text = translations(_current.get()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    """Singular or plural by ``n`` in the current language; ``%(num)s`` is ``n``."""
    text = translations(_current.get()).ngettext(singular, plural, n)
    return text % {"num": n, **values}


class LazyString(str):
    """A string marked at import time, translated each time it is turned into text."""

    _message: str

    def __new__(cls, message: str) -> LazyString:
        obj = super().__new__(cls, message)
        obj._message = message
        return obj

    def __str__(self) -> str:
        return gettext(self._message)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def lazy_gettext(message: str) -> LazyString:
    """Mark ``message`` for extraction; it translates when formatted (``str()``/f-string)."""
    return LazyString(message)


_ = gettext
N_ = lazy_gettext


class Msg(str):
    """A message that people may read in any language: the string *is* the English text.

    ``Msg("unknown country %(code)s", code=shown(value))`` is the English sentence wherever a
    ``str`` goes (exception text, logs, the API's JSON, storage), and keeps its message id and
    named values so that :meth:`localised` renders it in the current language where a person
    reads it (the CLI, the HTML pages). A value that is itself a :class:`Msg` is rendered in
    the same language. A literal ``%`` in the message id is written ``%%`` (gettext's rule).

    Marks error and finding messages for extraction (``scripts/i18n.py``, the ``*-errors``
    areas); ``_`` translates at call time instead, for text built for one reader.
    """

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Msg:
        obj = super().__new__(cls, _fill(msgid, params, translate=False))
        obj.msgid = msgid
        obj.params = params
        return obj

    def localised(self) -> str:
        """The message in the current language (English when it has no translation)."""
        if _current.get() == DEFAULT_LANGUAGE:
            return str(self)
        text = translations(_current.get()).gettext(self.msgid)
        try:
            return _fill(text, self.params, translate=True)
        except (KeyError, ValueError, TypeError):  # a broken translation never hides the error
            return str(self)

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (multiprocessing) keep the message id
        return (_rebuild, (self.msgid, self.params))


def _rebuild(msgid: str, params: dict[str, Any]) -> Msg:
    return Msg(msgid, **params)


def _fill(text: str, params: dict[str, Any], *, translate: bool) -> str:
    if not params:
        return text.replace("%%", "%")
    values = {
        key: (value.localised() if translate else str(value)) if isinstance(value, Msg) else value
        for key, value in params.items()
    }
    return text % values


def localised(text: str) -> str:
    """``text`` in the current language when it is a :class:`Msg`; as it is otherwise."""
    return text.localised() if isinstance(text, Msg) else text


# -- locale formatting (Babel, CLDR) ----------------------------------------------------------
MINUS = "\N{MINUS SIGN}"


@cache
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(lang)


def format_number_babel(value: float, digits: int = 1, *, signed: bool = False) -> str:
    """:func:`format_number` through Babel's ``format_decimal`` (the reference; ~50x slower)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    if signed:
        pattern = f"+{pattern};-{pattern}"
    text = format_decimal(value, format=pattern, locale=current_language())
    return text.replace("-", MINUS)


class _Symbols:
    """One language's number symbols from CLDR, read once: ``str.translate`` table from
    Python's ``,``/``.``/``-`` to the locale's group, decimal and minus signs, the infinity
    and not-a-number symbols, and what follows a percentage."""

    __slots__ = ("fast", "infinity", "nan", "percent", "swaps")

    def __init__(self, lang: str) -> None:
        from babel.numbers import (
            get_decimal_symbol,
            get_group_symbol,
            get_infinity_symbol,
            get_minus_sign_symbol,
        )

        locale = _locale(lang)
        minus = get_minus_sign_symbol(locale).replace("-", MINUS)
        group, point = get_group_symbol(locale), get_decimal_symbol(locale)
        # A few ``str.replace`` calls beat ``str.translate`` threefold on short strings; a
        # locale that swaps ``,`` and ``.`` (es: 1.234,5) goes through a placeholder.
        swaps = [(".", "\x00"), (",", group), ("\x00", point), ("-", minus)]
        if group != ".":
            swaps = [(",", group), (".", point), ("-", minus)]
        self.swaps = tuple((old, new) for old, new in swaps if old != new)
        self.infinity: str = get_infinity_symbol(locale)
        self.nan: str = locale.number_symbols.get("latn", {}).get("nan", "NaN")
        pattern: str = locale.percent_formats[None].pattern
        self.percent = pattern[pattern.rindex("0") + 1 :].split(";")[0] or "%"
        # Python groups by three; a locale that groups otherwise (hi: 1,23,456) goes to Babel.
        self.fast = True
        probes = [(v, d) for v in (-1234567.891, 98765432.1, 0.25) for d in range(4)]
        with use_language(lang):
            self.fast = all(
                _fast_format(self, v, d, True) == format_number_babel(v, d, signed=True)
                for v, d in probes
            )


@cache
def _symbols(lang: str) -> _Symbols:
    return _Symbols(lang)


#: Below this magnitude a float's binary value lies within 10⁻⁶ of its shortest decimal form,
#: so rounding either to ≤ 6 digits differs only at an exact tie of that decimal form.
_FAST_LIMIT = 2.0**33
_FAST_DIGITS = 6


def _fast_format(sym: _Symbols, value: float, digits: int, signed: bool) -> str:
    if value != value:  # NaN: CLDR's symbol, no digits or sign (Babel would write "NaN.0")
        return sym.nan
    plus = "+" if signed else ""
    if value in (_INF, -_INF):
        return _localise(sym, "-" if value < 0 else plus) + sym.infinity
    text = repr(value)
    point = text.find(".")
    # Babel rounds the shortest decimal form half-to-even (2.675 → 2.68); an f-string rounds
    # the binary value (2.67499… → 2.67). They differ only when that decimal form is a tie at
    # ``digits`` (or for huge values): then round the decimal form itself.
    if (
        abs(value) >= _FAST_LIMIT
        or digits > _FAST_DIGITS
        or "e" in text
        or (point >= 0 and len(text) - point - 2 == digits and text[-1] == "5")
    ):
        return _localise(sym, format(Decimal(text), f"{plus},.{digits}f"))
    return _localise(sym, format(value, _SPECS[signed][digits]))


def _localise(sym: _Symbols, text: str) -> str:
    for old, new in sym.swaps:
        text = text.replace(old, new)
    return text


_SPECS = {s: [f"{'+' if s else ''},.{d}f" for d in range(_FAST_DIGITS + 1)] for s in (False, True)}


_INF = float("inf")


def format_number(value: float, digits: int = 1, *, signed: bool = False) -> str:
    """``1234.5`` → ``1,234.5`` (en), ``1 234,5`` (fr, narrow no-break space), ``1.234,5`` (es).

    ``signed`` writes ``+`` for positive values; negatives use the minus sign (U+2212); NaN is
    CLDR's ``NaN`` and infinities ``∞``/``−∞``. Equal to Babel's ``format_decimal`` (rounding
    half-to-even on the shortest decimal form, as Babel does) but about as fast as an
    f-string: the locale's symbols are read once per language and Python's ``,``/``.`` are
    translated (``tests/web/test_i18n_numbers.py`` checks it against Babel).
    """
    sym = _symbols(current_language())
    if not sym.fast:
        return format_number_babel(value, digits, signed=signed)
    return _fast_format(sym, float(value), digits, signed)


def percent_sign() -> str:
    """What follows a number to make it a percentage: ``%`` (en), ``\\u00a0%`` (fr, es)."""
    return _symbols(current_language()).percent


def format_percent(value: float, digits: int = 1, *, signed: bool = False) -> str:
    """``12.3`` (already in percent) → ``12.3%`` / ``12,3 %``."""
    return format_number(value, digits, signed=signed) + percent_sign()


def format_date(value: Any, form: str = "medium") -> str:
    """A date in the current language: ``29 Nov 2026`` / ``29 nov. 2026`` / ``29 nov 2026``."""
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(value, format=form, locale=current_language()))


# -- territory names (CLDR via Babel) ---------------------------------------------------------
#: Codes that are not ISO 3166-1 alpha-3 but have a CLDR territory (World Bank aggregates).
_EXTRA_TERRITORIES = {"XKX": "XK", "KSV": "XK", "WB:WLD": "001", "WLD": "001", "WB:EUU": "EU"}


@cache
def _territory_key(code: str) -> str | None:
    if code in _EXTRA_TERRITORIES:
        return _EXTRA_TERRITORIES[code]
    if code.startswith("UN:") and code[3:].isdigit():
        return code[3:].zfill(3)
    if len(code) == 3 and code.isalpha():
        import pycountry

        country = pycountry.countries.get(alpha_3=code.upper())
        return str(country.alpha_2) if country is not None else None
    return None


def territory_name(code: str, published: str, lang: str | None = None) -> str:
    """A country's or region's name in the current language (CLDR), ``published`` otherwise.

    ``territory_name("CIV", "Cote d'Ivoire")`` → ``Côte d’Ivoire`` in French; ISO3 codes,
    ``UN:nnn`` M49 codes and a few World Bank aggregates are known. English keeps the name
    as published by the source.
    """
    lang = normalise(lang) if lang else current_language()
    if lang in (None, DEFAULT_LANGUAGE):
        return published
    key = _territory_key(code)
    if key is None:
        return published
    return str(_locale(lang).territories.get(key, published))


#: UN M49 names that CLDR's English spells otherwise ("Southeast Asia", "Australasia", …).
_M49_ALIASES = {
    "south-eastern asia": "035",
    "australia and new zealand": "053",
    "micronesia": "057",
    "sub-saharan africa": "202",
}


@cache
def territory_names(lang: str) -> dict[str, str]:
    """``{ISO3: name}`` in ``lang`` for every ISO 3166-1 country CLDR names (empty in English,
    where names stay as published); browser scripts use it for maps and charts."""
    import pycountry

    if normalise(lang) in (None, DEFAULT_LANGUAGE):
        return {}
    names: dict[str, str] = _locale(lang).territories
    found = ((str(c.alpha_3), names.get(str(c.alpha_2))) for c in pycountry.countries)
    return {code: str(name) for code, name in found if name}


@cache
def _english_regions() -> dict[str, str]:
    names: dict[str, str] = _locale("en").territories
    found = {name.casefold(): code for code, name in names.items() if code.isdigit()}
    return {**found, **_M49_ALIASES}


def region_name(published: str, lang: str | None = None) -> str:
    """A UN M49 region's name (``Sub-Saharan Africa``) in the current language, when CLDR
    has it; the published name otherwise."""
    lang = normalise(lang) if lang else current_language()
    if lang in (None, DEFAULT_LANGUAGE):
        return published
    code = _english_regions().get(published.casefold())
    return str(_locale(lang).territories.get(code, published)) if code else published


def sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order that ignores accents and case (``Égypte`` sorts with ``E``)."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.casefold())
    return ("".join(c for c in folded if not unicodedata.combining(c)), text)
