"""Lazily loaded commands: ``equals --help`` lists every command without importing any
library, shows exactly what the fully imported command line shows, and a command imports
only what it uses; completion and usage errors work as before. Each run is a fresh process,
as a user's is (modules imported by other tests would hide an eager import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from equals.cli import lazy

HEAVY = ("pandas", "duckdb", "sqlalchemy", "numpy", "pyspark", "alembic")
NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C", "LANGUAGE": "", "COLUMNS": "200"}


def run(code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **NO_LOCALE, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# Runs `equals ARGS`, then prints which top-level packages and equals.cli modules it imported.
RUN_AND_LIST = """
import json, sys
from equals.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} | {m for m in sys.modules
      if m.startswith('equals.')})), file=sys.stderr)
"""
EAGER = "import importlib\nfrom equals.cli import lazy, main\n" + (
    "for m in lazy.MODULES: importlib.import_module(m)\nmain()"
)
LAZY = "from equals.cli import main\nmain()"


def imported(*args: str) -> set[str]:
    done = run(RUN_AND_LIST, *args)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["sessions", "--help"], ["survey", "--help"],
                                  ["--lang", "fr", "--help"], []])  # fmt: skip
def test_help_imports_no_library(args: list[str]) -> None:
    modules = imported(*args)
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert not {m for m in modules if m.startswith("equals.cli.")} - {
        "equals.cli.app", "equals.cli.common", "equals.cli.context", "equals.cli.lazy",
        "equals.cli.localise",
    }  # fmt: skip


def test_a_command_imports_its_own_module_only() -> None:
    modules = imported("sessions", "templates")
    assert "equals.cli.sessions" in modules and "equals.cli.sessions_store" not in modules
    assert not modules & set(HEAVY)
    modules = imported("indicators", "list", "--help")  # the store, not the survey engines
    assert "equals.cli.evidence" in modules and "sqlalchemy" in modules
    assert not modules & {"pandas", "duckdb", "equals.cli.survey", "equals.cli.analysis"}


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        [],
        ["sessions", "--help"],
        ["survey", "--help"],
        ["data", "--help"],
        ["partners", "--help"],
        ["initiatives", "--help"],
        ["indicators", "--help"],
        ["users"],
        ["sessions", "list", "--help"],
        ["--lang", "fr", "--help"],
        ["--lang", "es", "sessions", "--help"],
        ["--lang", "fr", "survey", "estimate", "--help"],
        ["sessions", "nope"],
        ["--lang", "es", "indicators", "lst"],
        ["--lang", "fr", "pace", "--nope"],
    ],
)
def test_lazy_and_fully_imported_command_lines_print_the_same(args: list[str]) -> None:
    lazy_run, eager_run = run(LAZY, *args), run(EAGER, *args)
    assert (lazy_run.returncode, lazy_run.stdout, lazy_run.stderr) == (
        eager_run.returncode,
        eager_run.stdout,
        eager_run.stderr,
    )
    assert lazy_run.stdout or lazy_run.stderr


def test_the_index_lists_every_registered_command_with_its_help() -> None:
    assert lazy.INDEX_PATH.read_text(encoding="utf-8") == lazy.index_json(), (
        "the command index is stale: run python scripts/make_docs.py"
    )
    root = lazy.full_command()
    for path, entries in lazy.index().items():
        group = root
        for name in path.split():
            group = group.commands[name]
        assert [e.name for e in entries] == list(group.list_commands(None))
        for entry in entries:
            command = group.commands[entry.name]
            assert not isinstance(command, lazy.LazyCommand)
            assert (entry.help, entry.short_help) == (command.help, command.short_help)


def complete(words: str) -> list[str]:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("equals"))],
        env={**os.environ, **NO_LOCALE, "_EQUALS_COMPLETE": "complete_bash",
             "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return done.stdout.split()


def test_shell_completion_lists_commands_and_loads_the_one_completed() -> None:
    assert complete("equals sess") == ["sessions"]
    assert complete("equals sessions li") == ["list"]
    assert complete("equals sessions list --ev") == ["--event"]


def test_a_stale_index_names_the_fix() -> None:
    group = lazy.LazyGroup(name="demo")
    with pytest.raises(RuntimeError, match="make_docs"):
        group._build(lazy.Entry("no-such-command", "equals.cli.problems"))
