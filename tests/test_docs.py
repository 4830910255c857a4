"""The docs stay true (as datasette and sqlite-utils test theirs): the generated CLI reference
and settings table are fresh, every command and setting is documented, and every module the
architecture page names exists."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from equals.cli.reference import commands
from equals.settings import SETTINGS, undocumented_settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _docs_text() -> str:
    parts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md"))]
    return "\n".join(parts)


def test_generated_docs_are_fresh() -> None:
    script = ROOT / "scripts" / "make_docs.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", commands())
def test_every_command_is_documented(command: str) -> None:
    text = _docs_text()
    assert f"equals {command}" in text, f"`equals {command}` is in no README or docs page"


def test_every_command_group_is_in_the_readme_or_a_guide() -> None:
    """The generated reference lists everything; a person also needs a guide that names each
    command group (README or a docs page other than the reference)."""
    guides = "\n".join(
        p.read_text(encoding="utf-8")
        for p in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
        if p.name != "cli.md"
    )
    groups = sorted({c.split()[0] for c in commands()})
    missing = [g for g in groups if f"equals {g}" not in guides]
    assert not missing, f"no guide mentions: {missing}"


def test_every_setting_is_documented() -> None:
    assert undocumented_settings() == []
    settings_page = (DOCS / "settings.md").read_text(encoding="utf-8")
    for doc in SETTINGS:
        assert f"`{doc.field}`" in settings_page
        if doc.env:
            assert doc.env in settings_page


def _architecture_names() -> tuple[set[str], set[str]]:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    modules = set(re.findall(r"`(equals(?:\.[a-z_][a-z0-9_]*)+)`", text))
    paths = set(re.findall(r"`((?:src|tests|docs|benchmarks|scripts)/[\w./-]+)`", text))
    return modules, paths


def test_every_module_named_in_the_architecture_page_exists() -> None:
    modules, paths = _architecture_names()
    assert len(modules) >= 20, "the architecture page should name the modules it describes"
    missing = [m for m in sorted(modules) if importlib.util.find_spec(m) is None]
    missing += [p for p in sorted(paths) if not (ROOT / p.rstrip("/")).exists()]
    assert not missing, f"docs/architecture.md names what does not exist: {missing}"


def test_every_top_level_package_is_on_the_architecture_page() -> None:
    modules, _ = _architecture_names()
    named = {".".join(m.split(".")[:2]) for m in modules}
    packages = {
        f"equals.{p.name}"
        for p in (ROOT / "src" / "equals").iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name != "data"
    }
    assert not packages - named, f"undescribed packages: {sorted(packages - named)}"
