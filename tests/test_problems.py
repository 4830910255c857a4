"""The one problem model: Problem/Location, the registry of codes, and docs/problems.md.

docs/problems.md is generated from the registry; this test fails when it is stale.
Regenerate with ``EQUALS_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/test_problems.py``.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from equals.core.errors import (
    EqualsError,
    NotFoundError,
    UnknownCountryError,
    ValidationError,
)
from equals.core.problems import (
    REGISTRY,
    Location,
    Problem,
    Severity,
    define,
    make,
    problem_type,
    problems_markdown,
)

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "equals"
DOC = ROOT / "docs" / "problems.md"


def _import_everything() -> None:
    """Import every module of the package, so every exception class and catalogue registers
    (the same collection as ``equals problems``)."""
    from equals.cli.problems import collect

    collect()


def _codes_in_source() -> dict[str, str]:
    """Every literal problem code in src/: class attributes ``code = "..."``, keyword
    arguments ``code="..."`` and ``define("...")`` calls; code → where."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and [getattr(t, "id", None) for t in stmt.targets] == ["code"]
                        and isinstance(stmt.value, ast.Constant)
                        and isinstance(stmt.value.value, str)
                    ):
                        found[stmt.value.value] = f"{where}:{stmt.lineno}"
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if (
                        kw.arg == "code"
                        and isinstance(kw.value, ast.Constant)
                        and isinstance(kw.value.value, str)
                    ):
                        found[kw.value.value] = f"{where}:{node.lineno}"
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if (
                    name == "define"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found[node.args[0].value] = f"{where}:{node.lineno}"
    return found


@pytest.fixture(scope="module")
def registry() -> dict[str, object]:
    _import_everything()
    return dict(REGISTRY)


# -- the model --------------------------------------------------------------------------------
def test_location_renders_and_parses_the_forms_in_use() -> None:
    assert str(Location(file="a.yaml", line=3, column=7, field="design.weight")) == (
        "a.yaml:3:7: design.weight"
    )
    assert str(Location(file="data.csv", row=12, field="age")) == "data.csv: row 12: age"
    assert not Location() and str(Location()) == ""
    assert Location.parse("mapping.yaml: concepts.x.column") == Location(
        file="mapping.yaml", field="concepts.x.column"
    )
    assert Location.parse("survey.parquet") == Location(file="survey.parquet")
    assert Location.parse("s3a://bucket/lfs") == Location(file="s3a://bucket/lfs")
    assert Location.parse("from") == Location(field="from")
    assert Location.parse("If-Match") == Location(field="If-Match")


def test_problem_record_has_every_key_of_the_api_body() -> None:
    p = make("unknown-country", "unknown country 'KEM'", suggestions=["KEN", "KHM"])
    assert p.to_record() == {
        "code": "unknown-country",
        "severity": "error",
        "message": "unknown country 'KEM'",
        "location": {"file": None, "line": None, "column": None, "row": None, "field": None},
        "suggestions": ["KEN", "KHM"],
    }
    assert str(p) == "unknown country 'KEM' (did you mean: KEN, KHM?) [unknown-country]"


def test_exceptions_are_problems_and_keep_their_old_attributes() -> None:
    exc = UnknownCountryError("KEM", suggestions=["KEN"])
    assert (exc.code, exc.message, exc.suggestions) == (
        "unknown-country",
        "unknown country 'KEM'",
        ("KEN",),
    )
    assert str(exc) == "unknown country 'KEM' (did you mean: KEN?)"
    assert exc.problem == Problem("unknown-country", "unknown country 'KEM'", suggestions=("KEN",))
    bad = ValidationError("not a number", location="data.csv: age", code="bad-range")
    assert bad.location == "data.csv: age" and bad.message == "data.csv: age: not a number"
    assert bad.problem.location == Location(file="data.csv", field="age")
    assert bad.problem.message == "not a number" and bad.code == "bad-range"
    plain = EqualsError("boom", suggestions=("x",))
    assert plain.problem.severity is Severity.ERROR and plain.problem.suggestions == ("x",)


def test_one_code_means_one_thing() -> None:
    define("test-only-code", "A code for this test.")
    assert define("test-only-code", "A code  for this test.").meaning == "A code for this test."
    with pytest.raises(ValueError, match="already defined"):
        define("test-only-code", "Something else.")
    with pytest.raises(ValueError, match="kebab-case"):
        define("Test_Code", "Bad spelling.")
    with pytest.raises(ValueError, match="did you mean: unknown-country"):
        problem_type("unknown-countyr")
    del REGISTRY["test-only-code"]


def test_a_class_registers_its_code_with_its_docstring() -> None:
    class _GhostError(NotFoundError):
        """A ghost that is not there."""

        code = "test-ghost"

    try:
        entry = REGISTRY["test-ghost"]
        assert entry.meaning == "A ghost that is not there." and "_GhostError" in entry.classes[0]
    finally:
        del REGISTRY["test-ghost"]


# -- the registry over the whole package ------------------------------------------------------
def test_every_code_in_the_source_is_registered(registry: dict[str, object]) -> None:
    missing = {c: w for c, w in _codes_in_source().items() if c not in registry}
    assert not missing, (
        "problem codes used but not registered (give the exception class a docstring, or "
        f"call equals.core.problems.define): {missing}"
    )


def test_every_code_has_a_meaning(registry: dict[str, object]) -> None:
    undocumented = sorted(c for c, e in REGISTRY.items() if not e.meaning)
    assert not undocumented, f"codes without a meaning (add a docstring or define): {undocumented}"


def test_docs_page_lists_every_code_and_is_current(registry: dict[str, object]) -> None:
    text = problems_markdown() + "\n"
    if os.environ.get("EQUALS_UPDATE_DOCS"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.exists(), "docs/problems.md is missing: run with EQUALS_UPDATE_DOCS=1"
    current = DOC.read_text("utf-8")
    for code in REGISTRY:
        assert f"`{code}`" in current, f"{code} is not in docs/problems.md"
    assert current == text, (
        "docs/problems.md is stale: EQUALS_UPDATE_DOCS=1 .venv/bin/python -m pytest "
        "tests/test_problems.py"
    )


def test_fallback_meanings_are_for_codes_still_in_use(registry: dict[str, object]) -> None:
    from equals.core.codes import _FALLBACKS

    used = _codes_in_source()
    stale = sorted(set(_FALLBACKS) - set(used))
    assert not stale, f"equals.core.codes describes codes no module uses any more: {stale}"
