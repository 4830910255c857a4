"""``equals problems``: every problem code with its meaning, or one code explained.

The registry (:data:`equals.core.problems.REGISTRY`) fills as modules are imported, so
:func:`collect` imports every module of the package first. ``equals problems --markdown`` is
the text of docs/problems.md (tests/test_problems.py fails when the page is stale).

Meanings are shown in the current language (the ``problems`` catalogue, its message ids the
registry's English meanings: :func:`meanings`); codes never change, and ``--markdown``, CSV and
JSON stay English.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Annotated

import typer

import equals
from equals.cli.app import app
from equals.cli.common import FormatOption, OutputFormat, emit, fail, say
from equals.core.i18n import N_, _
from equals.core.problems import REGISTRY, ProblemType, Severity, problems_markdown

SEVERITY_WORDS = {
    Severity.ERROR: N_("error"),
    Severity.WARNING: N_("warning"),
    Severity.INFO: N_("info"),
}


def collect() -> dict[str, ProblemType]:
    """Every registered code, after importing every module (Alembic scripts excepted)."""
    for info in pkgutil.walk_packages(equals.__path__, "equals."):
        if ".migrations." not in info.name:
            importlib.import_module(info.name)
    return dict(sorted(REGISTRY.items()))


def meanings() -> list[str]:
    """Every registered meaning (English): the message ids of the ``problems`` catalogue."""
    return sorted({entry.meaning for entry in collect().values() if entry.meaning})


def _meaning(entry: ProblemType) -> str:
    """The meaning in the current language (``_("")`` would be the catalogue's header)."""
    return _(entry.meaning) if entry.meaning else entry.meaning


@app.command("problems")
def problems_cmd(
    code: Annotated[str | None, typer.Argument(help="Explain this code only.")] = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print docs/problems.md (the reference page).")
    ] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Every problem code (errors and report findings) with its meaning, or one explained."""
    registry = collect()
    if markdown:
        sys.stdout.write(problems_markdown(registry) + "\n")
        return
    if code is not None:
        entry = registry.get(code.strip().lower())
        if entry is None:
            import difflib

            close = difflib.get_close_matches(code.strip().lower()[:60], list(registry), n=3)
            if close:
                raise fail(
                    _(
                        "unknown problem code %(code)r (did you mean: %(close)s?)",
                        code=code[:60],
                        close=", ".join(close),
                    )
                )
            raise fail(_("unknown problem code %(code)r", code=code[:60]))
        say(
            _(
                "%(code)s (%(severity)s, %(area)s)",
                code=entry.code,
                severity=SEVERITY_WORDS[entry.severity],
                area=entry.area or _("general"),
            ),
            style="bold",
        )
        say(_meaning(entry))
        if entry.classes:
            say(_("raised as: %(classes)s", classes=", ".join(sorted(set(entry.classes)))))
        return
    table = format is OutputFormat.table  # CSV and JSON are data: English, as registered
    records = [
        {
            "code": e.code,
            "severity": str(SEVERITY_WORDS[e.severity]) if table else e.severity.value,
            "area": e.area,
            "meaning": _meaning(e) if table else e.meaning,
        }
        for e in registry.values()
    ]
    emit(
        records,
        format,
        ["code", "severity", "area", "meaning"],
        title=_("EQUALS Hub problems") if table else "",
    )
