"""Guard: every line the command modules print is in the reader's language (issue 12).

An AST scan of ``src/equals/cli/*.py``: a string literal or f-string with words in it that
reaches the reader through ``say(``, ``fail(``, ``<console>.print(``, ``Text(``,
``Text.assemble(``, ``<lines>.append(`` or a ``title=`` (``emit``, ``Table``) must be inside
``_()``, ``ngettext()`` or ``Msg()``. Text that is not language (paths, JSON, separators,
Rich styles, data values) has no letters or is listed in :data:`ALLOWED` with its reason.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "src" / "equals" / "cli"

#: Calls that translate: what is inside them is a message id (or its values).
TRANSLATING = {"_", "gettext", "ngettext", "N_", "lazy_gettext", "Msg"}
#: Functions whose positional arguments people read.
PRINTING_NAMES = {"say", "fail", "Text", "echo", "secho", "BadParameter"}
#: Methods whose positional arguments people read (consoles, rich Text, lists of lines).
PRINTING_METHODS = {"print", "append", "assemble", "echo", "secho"}
#: Calls whose arguments are keys or names, not text (``row.get("year")``).
LOOKUPS = {"get", "getattr", "hasattr", "pop", "setdefault"}
#: Errors that signal a bug in the program, not a person's mistake: English, like log lines.
INTERNAL_ERRORS = {"RuntimeError", "AssertionError", "TypeError", "KeyError", "LookupError"}
#: Modules that print no line for a person in the run's language.
EXCLUDED = {
    # Writes docs/cli.md, the English command reference (its help texts are the msgids).
    "reference.py",
}
#: Variables that hold a line or a title before it is printed (``title = f"…"``).
PRINTED_VARIABLES = {"title", "line", "lines", "text", "what", "heading", "label", "verdict"}
#: Keywords whose values people read, in any call.
PRINTING_KEYWORDS = {"title"}

#: (module, literal text) that may print as it is, and why.
ALLOWED: dict[tuple[str, str], str] = {
    # `equals --version`: the program's name, not a sentence.
    ("app.py", "equals-hub {}"): "program name",
}

WORD = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Finding:
    module: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: untranslated {self.text!r}"


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literals(node: ast.AST) -> list[tuple[int, str]]:
    """The string literals with words in ``node`` that are not inside a translating call."""
    found: list[tuple[int, str]] = []

    def visit(n: ast.AST) -> None:
        if isinstance(n, ast.Call):
            name = _name(n.func)
            if name in TRANSLATING:
                return
            if isinstance(n.func, ast.Attribute):  # ", ".join(...), "x".format(...)
                visit(n.func.value)
            if name not in LOOKUPS:
                for a in _assembled(n) if name == "assemble" else n.args:
                    visit(a)
            for k in n.keywords:  # style="bold", sep=", ": settings, not text
                if k.arg in PRINTING_KEYWORDS:
                    visit(k.value)
            return
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            if WORD.search(n.value):
                found.append((n.lineno, n.value))
            return
        if isinstance(n, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in n.values)
            if WORD.search(re.sub(r"\{\}", "", text)):
                found.append((n.lineno, text))
            for v in n.values:
                if isinstance(v, ast.FormattedValue):
                    visit(v.value)  # not the format spec
            return
        if isinstance(n, (ast.Dict, ast.DictComp)):  # a record (JSON/CSV): data, English
            return
        if isinstance(n, ast.Subscript):  # r["area"]: a key, not text
            visit(n.value)
            return
        if isinstance(n, (ast.Lambda, ast.Compare)):  # x == "code": a comparison, not text
            return
        for child in ast.iter_child_nodes(n):
            visit(child)

    visit(node)
    return found


def _assembled(call: ast.Call) -> list[ast.expr]:
    """``Text.assemble(("text", "style"), "text")``: the texts, not the styles."""
    return [a.elts[0] if isinstance(a, ast.Tuple) and a.elts else a for a in call.args]


def scan(source: str, module: str, allowed: dict[tuple[str, str], str] = ALLOWED) -> list[Finding]:
    findings: list[Finding] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            named = {t.id for t in targets if isinstance(t, ast.Name)}
            if named & PRINTED_VARIABLES and node.value is not None:
                for line, text in _literals(node.value):
                    if (module, text) not in allowed:
                        findings.append(Finding(module, line, text))
            continue
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        reached: list[ast.expr] = []
        if isinstance(node.func, ast.Name) and (
            name in PRINTING_NAMES or (name.endswith("Error") and name not in INTERNAL_ERRORS)
        ):
            reached = list(node.args)
        elif isinstance(node.func, ast.Attribute) and name in PRINTING_METHODS:
            reached = _assembled(node) if name == "assemble" else list(node.args)
        if name == "emit" and len(node.args) > 3:  # emit(records, fmt, columns, title)
            reached.append(node.args[3])
        reached += [k.value for k in node.keywords if k.arg in PRINTING_KEYWORDS]
        for arg in reached:
            for line, text in _literals(arg):
                if (module, text) not in allowed:
                    findings.append(Finding(module, line, text))
    return sorted(set(findings), key=lambda f: (f.module, f.line, f.text))


def test_every_printed_line_is_translated() -> None:
    findings = [
        f
        for path in sorted(CLI.glob("*.py"))
        if path.name not in EXCLUDED
        for f in scan(path.read_text(encoding="utf-8"), path.name)
    ]
    assert not findings, "\n".join(map(str, findings))


def test_allowlist_is_used() -> None:
    """An allowed text that no module prints any more is taken off the list."""
    raw = {
        (f.module, f.text)
        for path in CLI.glob("*.py")
        for f in scan(path.read_text(encoding="utf-8"), path.name, allowed={})
    }
    assert set(ALLOWED) <= raw, set(ALLOWED) - raw


PLANTED = """
from equals.core.i18n import _, ngettext, Msg

def command(n, path, name, lines, table):
    say("imported %d rows" % n)
    say(f"wrote {n} rows to {path}")
    fail("no such file: " + str(path))
    out.print(f"user {name} disabled", highlight=False)
    err.print(Text("warning", style="yellow"))
    lines.append(f"new years for {name}")
    title = f"Data-gap audit, reference year {n}"
    raise EqualsError("--window must be at least 1")
    emit([], fmt, ["a"], title=f"Changes to {name}")
    emit([], fmt, ["a"], f"Under-served: {name}")
    Text.assemble((name, "bold"), f" — {n} sentence(s)")
    say("ok" if n else "nothing to do")
    # Translated, or not language: fine.
    say(_("imported %(n)s rows", n=n))
    say(ngettext("%(num)s row", "%(num)s rows", n))
    fail(Msg("no such file: %(path)s", path=str(path)))
    say(f"  {name}: {n:,}")
    say(", ".join(lines))
    out.print(Text(name, style="bold"))
    emit([], fmt, ["a"], title=name)
    say(_("%(a)s of %(b)s") % {"a": n, "b": name})
"""


def test_scanner_finds_planted_strings() -> None:
    found = [f.text for f in scan(PLANTED, "planted.py")]
    assert found == [
        "imported %d rows",
        "wrote {} rows to {}",
        "no such file: ",
        "user {} disabled",
        "warning",
        "new years for {}",
        "Data-gap audit, reference year {}",
        "--window must be at least 1",
        "Changes to {}",
        "Under-served: {}",
        " — {} sentence(s)",
        "nothing to do",
        "ok",
    ]


def test_scanner_reads_every_command_module() -> None:
    names = {p.name for p in CLI.glob("*.py")}
    assert {"data.py", "backup.py", "users.py", "partners.py", "sessions_store.py"} <= names
