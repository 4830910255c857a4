"""The command line in the user's language: help texts translated on the command tree.

Typer reads help texts (``help=`` of options and arguments, command docstrings) when the
commands are defined, in English. :func:`localise` replaces them on the click command tree in
the current language just before it parses its arguments (the root group,
:class:`equals.cli.common.ProblemGroup`, does it on every run), looking each English text up in
the catalogues. The English text is the message id, so a command added anywhere needs no
marking: :func:`help_messages` lists every help text for extraction (``scripts/i18n.py extract
cli``) and the completeness check fails until it is translated.

Messages printed by the commands themselves use ``_()`` at call time (``equals.core.i18n``).

Click's own messages — "No such option: --x", "Missing argument 'FILE'.", "Usage:" — are
English text built by Typer's copy of click (f-strings, no gettext). The root group hands every
usage error to :func:`localise_click_error`, which recognises the English text by the
templates of :data:`CLICK_MESSAGES` (their msgids, in the ``cli`` catalogue) and shows it in
the run's language; commands format their usage line with :class:`LocalisedFormatter`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import typer._click as typer_click
import typer.rich_utils as rich_utils
from typer._click.core import Context
from typer._click.formatting import HelpFormatter

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
USAGE = N_("Usage: ")

#: Click's and Typer's usage errors, as templates of their English text (``%(name)s`` matches
#: any text). An error whose text matches none stays English. A ``message`` placeholder is
#: itself looked up (the reason inside "Invalid value for '--year': …").
CLICK_MESSAGES: tuple[LazyString, ...] = (
    N_("No such option: %(name)s"),
    N_("No such option: %(name)s (Possible options: %(options)s)"),
    N_("No such command %(name)s."),
    N_("No such command %(name)s. Did you mean %(options)s?"),
    N_("Missing command."),
    N_("Missing argument %(name)s."),
    N_("Missing option %(name)s."),
    N_("Missing parameter %(name)s."),
    N_("Missing option %(name)s. Choose from:\n\t%(choices)s"),
    N_("Missing argument %(name)s. Choose from:\n\t%(choices)s"),
    N_("Invalid value for %(name)s: %(message)s"),
    N_("Invalid value: %(message)s"),
    N_("Got unexpected extra argument(s) (%(arguments)s)"),
    N_("Option %(name)s requires an argument."),
    N_("Option %(name)s requires %(count)s arguments."),
    N_("Option %(name)s does not take a value."),
    N_("Argument %(name)s takes %(count)s values."),
    N_("Value error, %(message)s"),
    N_("%(value)s is not one of %(choices)s."),
    N_("Value %(value)s is not a valid %(type)s."),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be a valid boolean, unable to interpret input"),
    N_("Input should be less than or equal to %(limit)s"),
    N_("Input should be greater than or equal to %(limit)s"),
    N_("Input should be less than %(limit)s"),
    N_("Input should be greater than %(limit)s"),
    N_("file %(path)s does not exist."),
    N_("directory %(path)s does not exist."),
    N_("path %(path)s does not exist."),
    N_("file %(path)s is a directory."),
    N_("directory %(path)s is a file."),
    N_("path %(path)s is a directory."),
    N_("path %(path)s is a file."),
    N_("file %(path)s is not readable."),
    N_("directory %(path)s is not readable."),
    N_("path %(path)s is not readable."),
    N_("file %(path)s is not writable."),
    N_("directory %(path)s is not writable."),
    N_("path %(path)s is not writable."),
)
_LOCALISED = "_equals_localised"  # attribute marking a click error already localised
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


class LocalisedFormatter(HelpFormatter):
    """Click's help formatter with its "Usage: " in the current language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, str(USAGE) if prefix is None else prefix)


class LocalisedContext(Context):
    """The context of every ``equals`` command: usage lines through :class:`LocalisedFormatter`."""

    formatter_class = LocalisedFormatter


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
        if command.context_class is Context:
            command.context_class = LocalisedContext


@cache
def _pattern(english: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", english)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(regex, re.DOTALL)


@cache
def _by_specificity() -> list[LazyString]:
    """The templates, those that start with fixed text first, then those with the most fixed
    text ("No such option: --x (Possible options: …)" is read by its own template, not as an
    option named "--x (Possible …"; "Value error, 'x' is not one of …" as a value error)."""
    return sorted(
        CLICK_MESSAGES,
        key=lambda t: (t._message.startswith("%("), -len(re.sub(r"%\(\w+\)s", "", t._message))),
    )


def click_message(text: str) -> str:
    """``text``, one of click's English messages, in the current language (as it is if it
    matches no template of :data:`CLICK_MESSAGES`)."""
    for template in _by_specificity():
        found = _pattern(template._message).fullmatch(text)
        if found:
            values = found.groupdict()
            if "message" in values:
                values["message"] = click_message(values["message"])
            return str(template) % values
    return text


def localise_click_error(exc: typer_click.ClickException) -> typer_click.ClickException:
    """The usage error ``exc``, its message shown in the current language from now on."""
    if getattr(exc, _LOCALISED, False) or type(exc).__name__ == "NoArgsIsHelpError":
        return exc
    text = click_message(exc.format_message())
    exc.format_message = lambda: text  # type: ignore[method-assign]
    setattr(exc, _LOCALISED, True)
    return exc


def _translate(obj: Any, attr: str) -> None:
    originals: dict[str, str | None] = obj.__dict__.setdefault(_ORIGINAL, {})
    if attr not in originals:
        originals[attr] = getattr(obj, attr, None)
    english = originals[attr]
    if english:
        setattr(obj, attr, gettext(english))


def help_messages(root: Any | None = None) -> list[str]:
    """Every English help text of the command line, in tree order, without repeats."""
    from equals.cli.lazy import full_command, load_all

    root = full_command() if root is None else load_all(root)
    seen: dict[str, None] = {}
    for command in walk(root):
        for obj, attr in _texts(command):
            originals = obj.__dict__.get(_ORIGINAL, {})
            text = originals.get(attr, getattr(obj, attr, None))
            if text:
                seen.setdefault(text, None)
    for word in (*TYPER_WORDS.values(), HELP_OPTION, USAGE, *CLICK_MESSAGES):
        seen.setdefault(word._message, None)
    return list(seen)
