"""Finding messages in the reader's language.

A parse warning or validation finding keeps its message twice: ``message``, the English text
(stored, exported and pinned by tests), and ``msgid`` + ``params``, the English message id with
its named values, rendered in the current language when a person reads it
(:func:`localised`; the ``forms`` catalogue). Findings read back from storage have no message
id: they show their English message.
"""

from __future__ import annotations

from typing import Any

from equals.core.i18n import gettext

Params = tuple[tuple[str, Any], ...]


def params_of(values: dict[str, Any]) -> Params:
    return tuple(sorted(values.items()))


def msgid_of(marked: str) -> str:
    """The English message id of a string marked with ``N_`` (a plain string as it is)."""
    return str(getattr(marked, "_message", marked))


def english(msgid: str, params: Params) -> str:
    """The message in English (``%(name)s`` placeholders filled)."""
    return msgid % dict(params) if params else msgid


def localised(msgid: str, params: Params, message: str) -> str:
    """The message in the current language; ``message`` when there is no message id."""
    if not msgid:
        return message
    return gettext(msgid, **dict(params))
