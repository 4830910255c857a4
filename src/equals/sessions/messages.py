"""Finding messages in the reader's language.

A parse warning or validation finding keeps its message twice: ``message``, the English text
(stored, exported and pinned by tests), and ``msgid`` + ``params``, the English message id with
its named values, rendered in the current language when a person reads it
(:func:`localised`; the ``forms`` catalogue). Each revision stores the message ids and values
of its warnings and findings beside them (:func:`key_of`, :func:`keys_at`), so findings read
back from storage render in the reader's language too; those filed before that (no message id)
show their English message.
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


# -- stored with a revision (``report_revisions.messages``, migration 0011) -----------------
#: One entry per warning or finding, in their order: ``{"msgid", "params"}``, or ``None`` for
#: a message without a message id (it shows its English ``message``).
StoredKey = dict[str, Any] | None


def key_of(msgid: str, params: Params) -> StoredKey:
    """The message id and values of one warning or finding, as stored (JSON)."""
    return {"msgid": msgid, "params": dict(params)} if msgid else None


def from_key(key: object) -> tuple[str, Params]:
    """``(msgid, params)`` from a stored entry; ``("", ())`` for none or a malformed one."""
    if not isinstance(key, dict) or not isinstance(msgid := key.get("msgid"), str):
        return "", ()
    values = key.get("params")
    return msgid, params_of(values) if isinstance(values, dict) else ()


def keys_at(stored: object, name: str, count: int) -> list[tuple[str, Params]]:
    """The ``count`` message ids stored under ``name`` (``warnings``/``findings``), aligned
    with the stored messages; ``("", ())`` where none was stored (rows from before 0011)."""
    entries = stored.get(name) if isinstance(stored, dict) else None
    if not isinstance(entries, list) or len(entries) != count:
        return [("", ())] * count
    return [from_key(e) for e in entries]
