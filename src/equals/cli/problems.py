"""``equals problems``: every problem code with its meaning, or one code explained.

The registry (:data:`equals.core.problems.REGISTRY`) fills as modules are imported, so
:func:`collect` imports every module of the package first. ``equals problems --markdown`` is
the text of docs/problems.md (tests/test_problems.py fails when the page is stale).
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
from equals.core.problems import REGISTRY, ProblemType, problems_markdown


def collect() -> dict[str, ProblemType]:
    """Every registered code, after importing every module (Alembic scripts excepted)."""
    for info in pkgutil.walk_packages(equals.__path__, "equals."):
        if ".migrations." not in info.name:
            importlib.import_module(info.name)
    return dict(sorted(REGISTRY.items()))


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
            hint = f" (did you mean: {', '.join(close)}?)" if close else ""
            raise fail(f"unknown problem code {code[:60]!r}{hint}")
        say(f"{entry.code} ({entry.severity.value}, {entry.area or 'general'})", style="bold")
        say(entry.meaning)
        if entry.classes:
            say(f"raised as: {', '.join(sorted(set(entry.classes)))}")
        return
    records = [
        {"code": e.code, "severity": e.severity.value, "area": e.area, "meaning": e.meaning}
        for e in registry.values()
    ]
    emit(records, format, ["code", "severity", "area", "meaning"], title="EQUALS Hub problems")
