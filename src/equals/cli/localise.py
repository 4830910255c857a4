"""The command line in the user's language: help texts translated on the command tree.

Typer reads help texts (``help=`` of options and arguments, command docstrings) when the
commands are defined, in English. :func:`localise` replaces them on the click command tree in
the current language just before it parses its arguments (the root group,
:class:`equals.cli.common.ProblemGroup`, does it on every run), looking each English text up in
the catalogues. The English text is the message id, so a command added anywhere needs no
marking: :func:`help_messages` lists every help text for extraction (``scripts/i18n.py extract
cli``) and the completeness check fails until it is translated.

Messages printed by the commands themselves use ``_()`` at call time (``equals.core.i18n``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
import typer.rich_utils as rich_utils

from equals.core.i18n import N_, LazyString, gettext

#: Typer's own words in the help screens (panel titles, markers), by its module constant.
TYPER_WORDS: dict[str, LazyString] = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
HELP_OPTION = N_("Show this message and exit.")
_ORIGINAL = "_equals_english"  # attribute keeping the English text on a localised object


def walk(command: Any) -> Iterator[Any]:
    """The command and every command below it (groups included)."""
    yield command
    for sub in (getattr(command, "commands", None) or {}).values():
        yield from walk(sub)


def _texts(command: Any) -> Iterator[tuple[Any, str]]:
    """(object, attribute) of every help text of one command."""
    for attr in ("help", "short_help"):
        yield command, attr
    for param in command.params:
        yield param, "help"


def _help_option(command: Any) -> Any:
    """The command's ``--help`` option (click creates and caches it on first use)."""
    from typer._click.core import Context  # typer vendors click; the class is not exported

    return command.get_help_option(Context(command))


def localise(root: Any) -> None:
    """Translate every help text below ``root`` into the current language, in place.

    The English text is kept on the object, so localising again (another language, or
    English) starts from it."""
    for name, english in TYPER_WORDS.items():
        setattr(rich_utils, name, str(english))
    for command in walk(root):
        for obj, attr in _texts(command):
            _translate(obj, attr)
        option = _help_option(command)
        if option is not None:
            option.help = str(HELP_OPTION)


def _translate(obj: Any, attr: str) -> None:
    originals: dict[str, str | None] = obj.__dict__.setdefault(_ORIGINAL, {})
    if attr not in originals:
        originals[attr] = getattr(obj, attr, None)
    english = originals[attr]
    if english:
        setattr(obj, attr, gettext(english))


def help_messages(root: Any | None = None) -> list[str]:
    """Every English help text of the command line, in tree order, without repeats."""
    if root is None:
        from equals.cli import app

        root = typer.main.get_command(app)
    seen: dict[str, None] = {}
    for command in walk(root):
        for obj, attr in _texts(command):
            originals = obj.__dict__.get(_ORIGINAL, {})
            text = originals.get(attr, getattr(obj, attr, None))
            if text:
                seen.setdefault(text, None)
    for word in (*TYPER_WORDS.values(), HELP_OPTION):
        seen.setdefault(word._message, None)
    return list(seen)
