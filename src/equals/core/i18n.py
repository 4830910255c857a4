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
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with _lock:
        merged: NullTranslations = NullTranslations()
        directory = LOCALES_DIR / lang / "LC_MESSAGES"
        for po in sorted(directory.glob("*.po")) if lang != DEFAULT_LANGUAGE else []:
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
