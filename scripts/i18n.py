"""Translation catalogues, one per AREA: extract the messages, update the catalogues, check them.

    .venv/bin/python scripts/i18n.py extract [AREA ...]  # sources -> src/equals/locales/AREA.pot
    .venv/bin/python scripts/i18n.py update  [AREA ...]  # AREA.pot -> <lang>/LC_MESSAGES/AREA.po
    .venv/bin/python scripts/i18n.py check   [AREA ...]  # exit 1 on a stale or incomplete catalogue

Without AREA every area is handled. An area is a list of source files (Jinja2 templates, Python
modules, YAML catalogues of our own text) and one ``AREA.po`` per shipped language; the app reads
every ``*.po`` of a language (``equals.core.i18n``), so areas are translated independently.

Messages are what the sources pass to ``_`` / ``gettext`` / ``N_`` / ``lazy_gettext`` (one
message) and ``ngettext`` (singular, plural), plus the listed fields of YAML files (indicator
titles: our own text, not data). ``check`` fails when extraction differs from ``AREA.pot`` or
from a language's msgids, or when a message is untranslated, fuzzy or has other ``%(name)s``
placeholders than its msgid, or when a French translation has an ordinary space before
``: ; ! ?`` (French typography puts a no-break space there, U+00A0);
``tests/web/test_i18n.py`` runs it for every area.

To add an area, add an entry to ``AREAS``; to add a language see docs/development.md.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from equals.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALES_DIR

ROOT = Path(__file__).resolve().parent.parent
PY_KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "N_": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
}
#: Error and finding messages (``Msg("…", name=value)``): English in ``str``, translated where
#: a person reads them. Extracted only by the ``*-errors`` areas.
ERROR_KEYWORDS: dict[str, Any] = {"Msg": None}

JINJA_KEYWORDS: dict[str, Any] = {"_": None, "gettext": None, "ngettext": (1, 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "false"}
#: Browser scripts mark their messages ``EQUALS.t("…")`` (static/js/equals.js); the page embeds
#: their translations (``equals.core.i18n.client_messages``).
JS_KEYWORDS: dict[str, Any] = {"t": None}
#: Fixed header date: catalogues change only when their messages do.
HEADER_DATE = datetime(2026, 11, 29, tzinfo=UTC)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")
#: French puts a no-break space (U+00A0) before ":", ";", "!" and "?"; an ordinary space there
#: lets a line break before the sign. ``check`` refuses it in every French catalogue.
LOOSE_FRENCH_SPACE = re.compile(r" [:;!?]")


@dataclass(frozen=True)
class Area:
    """The sources of one catalogue. Paths are globs relative to the repository root."""

    templates: tuple[str, ...] = ()
    python: tuple[str, ...] = ()
    #: (YAML glob, field names): every string under one of these keys, anywhere in the file.
    yaml_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Browser scripts (``EQUALS.t("…")``).
    javascript: tuple[str, ...] = ()
    #: "module:function" returning the messages of text that is not a literal ``_()``
    #: argument: the command line's help texts, the problem registry's meanings.
    collect: tuple[str, ...] = ()
    #: The Python keywords to extract; the ``*-errors`` areas take only ``Msg`` (error and
    #: finding messages, ``equals.core.i18n.Msg``), every other area everything but ``Msg``.
    keywords: tuple[str, ...] = ()


T = "src/equals/web/templates/"
AREAS: dict[str, Area] = {
    # The evidence and analysis pages (helper H1).
    "pages": Area(
        templates=(
            T + "base.html",
            T + "_macros.html",
            T + "_selectors.html",
            T + "_year_select.html",
            T + "home.html",
            T + "indicator.html",
            T + "indicators.html",
            T + "country.html",
            T + "countries.html",
            T + "about.html",
            T + "not_found.html",
            T + "analysis/*.html",
            T + "_chart_tools.html",  # the chart toolbar and chart embeds, on these pages
            T + "embed.html",
            T + "embed/*.html",
        ),
        python=(
            "src/equals/core/i18n.py",
            "src/equals/web/pages.py",
            "src/equals/web/analysis_pages.py",
            "src/equals/web/language.py",
            "src/equals/web/app.py",  # the 500 page
            "src/equals/web/chart_data.py",  # chart titles (toolbar, embed iframe title)
        ),
        yaml_fields=(
            (
                "src/equals/indicators/catalogue.yaml",
                ("title", "short_title", "definition", "unit", "notes"),
            ),
            ("src/equals/analysis/index_method.yaml", ("title", "summary", "excluded")),
            ("src/equals/analysis/quality.yaml", ("note",)),
            # The sources' coverage, notes and provenance are our own sentences (titles stay
            # as published); the about page shows them through ``msg``.
            ("src/equals/data/sources.yaml", ("coverage", "notes", "retrieved_from")),
        ),
        collect=("equals.web.analysis_pages:page_data_messages",),
        javascript=(
            "src/equals/web/static/js/equals.js",
            "src/equals/web/static/js/map.js",
            "src/equals/web/static/js/trend.js",
            "src/equals/web/static/js/analysis.js",
        ),
    ),
    # Partners, sessions, sign-in and downloads pages; form and validation messages (H2).
    "forms": Area(
        templates=(T + "sessions/*.html", T + "partners/*.html", T + "downloads.html"),
        collect=("equals.partners.codes:target_group_labels",),
        # The guidance beside each field of the rapporteur form is ours (labels stay as the
        # IGF templates print them); the form and ``equals sessions templates`` show it.
        yaml_fields=(("src/equals/sessions/templates/*.yaml", ("guidance",)),),
        python=(
            "src/equals/partners/action.py",
            "src/equals/partners/admin_forms.py",
            "src/equals/partners/codes.py",
            "src/equals/partners/forms.py",
            "src/equals/partners/freshness.py",
            "src/equals/partners/registry.py",
            "src/equals/web/partners_admin_forms.py",
            "src/equals/web/partners_forms.py",
            "src/equals/web/partners_pages.py",
            "src/equals/web/login.py",
            "src/equals/web/sessions_pages.py",
            "src/equals/web/sessions_words.py",
            "src/equals/web/sessions_people_pages.py",
            "src/equals/web/sessions_participation.py",
            "src/equals/sessions/validate.py",
            "src/equals/sessions/parser.py",
            "src/equals/sessions/layout_warnings.py",
        ),
    ),
    # Command-line help and messages (H2).
    "cli": Area(
        # The messages every error can carry ("did you mean …?") are shown by the CLI too.
        python=("src/equals/cli/*.py", "src/equals/core/errors.py", "src/equals/core/problems.py"),
        collect=("equals.cli.localise:help_messages",),
    ),
    # The meaning of every problem code (`equals problems`), from the registry (H2).
    "problems": Area(collect=("equals.cli.problems:meanings",)),
    # Error and finding messages (``Msg``), one catalogue per part of the library.
    "data-errors": Area(
        python=(
            "src/equals/core/*.py",
            "src/equals/store/*.py",
            "src/equals/settings.py",
            "src/equals/logs.py",
            "src/equals/indicators/**/*.py",
            "src/equals/survey/*.py",
        ),
        keywords=("Msg",),
    ),
    "evidence-errors": Area(
        python=(
            "src/equals/evidence/*.py",
            "src/equals/releases/*.py",
            "src/equals/analysis/*.py",
            "src/equals/backup/*.py",
            "src/equals/bootstrap.py",
            "src/equals/frames.py",
        ),
        keywords=("Msg",),
    ),
    "partners-errors": Area(
        python=(
            "src/equals/partners/*.py",
            "src/equals/auth/*.py",
            "src/equals/web/*.py",
            "src/equals/cli/*.py",
        ),
        keywords=("Msg",),
    ),
    "sessions-errors": Area(
        python=("src/equals/sessions/*.py", "src/equals/archive/*.py"),
        keywords=("Msg",),
    ),
}


def _files(globs: Iterable[str]) -> list[Path]:
    found: set[Path] = set()
    for pattern in globs:
        matches = sorted(ROOT.glob(pattern))
        if not matches:
            raise SystemExit(f"i18n: no file matches {pattern!r}")
        found.update(matches)
    return sorted(found)


def _yaml_strings(data: object, fields: tuple[str, ...]) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in fields and isinstance(value, str):
                yield " ".join(value.split())
            elif key in fields and isinstance(value, dict):  # e.g. {indicator: reason}
                yield from (" ".join(v.split()) for v in value.values() if isinstance(v, str))
            else:
                yield from _yaml_strings(value, fields)
    elif isinstance(data, list):
        for item in data:
            yield from _yaml_strings(item, fields)


def _add(catalog: Catalog, message: str | tuple[str, ...], rel: str, lineno: int = 0) -> None:
    where = f"{rel}:{lineno}"
    if isinstance(message, tuple):
        if len(message) != 2 or not all(message):
            raise SystemExit(f"i18n: {where}: a plural needs two literal strings")
        msgid: str | tuple[str, str] = (message[0], message[1])
        key = message[0]
    else:
        if not message:
            raise SystemExit(f"i18n: {where}: empty or non-literal message")
        msgid = key = message
    existing = catalog.get(key)
    if existing is not None:
        if rel not in [loc for loc, _ in existing.locations]:
            existing.locations.append((rel, lineno))
        return
    catalog.add(msgid, locations=[(rel, lineno)])


def extract_area(name: str) -> Catalog:
    """The messages of one area, freshly extracted from its sources."""
    area = AREAS[name]
    catalog = Catalog(
        project="EQUALS Hub",
        domain=name,
        creation_date=HEADER_DATE,
        revision_date=HEADER_DATE,
        fuzzy=False,
    )
    for path in _files(area.templates):
        rel = path.relative_to(ROOT).as_posix()
        with path.open("rb") as fh:
            for lineno, message, _comments, _context in extract(
                "jinja2.ext:babel_extract", fh, keywords=JINJA_KEYWORDS, options=JINJA_OPTIONS
            ):
                _add(catalog, message, rel, lineno)
    for path in _files(area.python):
        rel = path.relative_to(ROOT).as_posix()
        with path.open("rb") as fh:
            keywords = ERROR_KEYWORDS if area.keywords == ("Msg",) else PY_KEYWORDS
            for lineno, message, _comments, _context in extract("python", fh, keywords=keywords):
                _add(catalog, message, rel, lineno)
    for path in _files(area.javascript):
        rel = path.relative_to(ROOT).as_posix()
        with path.open("rb") as fh:
            for lineno, message, _comments, _context in extract(
                "javascript", fh, keywords=JS_KEYWORDS
            ):
                _add(catalog, message, rel, lineno)
    for pattern, fields in area.yaml_fields:
        for path in _files([pattern]):
            rel = path.relative_to(ROOT).as_posix()
            for text in _yaml_strings(yaml.safe_load(path.read_text("utf-8")), fields):
                _add(catalog, text, rel)
    for target in area.collect:
        module, _sep, function = target.partition(":")
        for text in getattr(importlib.import_module(module), function)():
            if text:  # an empty help text or meaning has nothing to translate
                _add(catalog, text, module.replace(".", "/") + ".py")
    return catalog


def languages() -> list[str]:
    """The languages that have catalogues (every shipped language but English)."""
    return [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]


def pot_path(name: str) -> Path:
    return LOCALES_DIR / f"{name}.pot"


def po_path(name: str, lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{name}.po"


def _write(catalog: Catalog, path: Path) -> None:
    buf = BytesIO()
    write_po(buf, catalog, width=100, sort_output=True, ignore_obsolete=True, include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != buf.getvalue():
        path.write_bytes(buf.getvalue())
        print(f"wrote {path.relative_to(ROOT)}")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def cmd_extract(name: str) -> None:
    area = AREAS[name]
    if not (area.templates or area.python or area.yaml_fields or area.collect or area.javascript):
        print(f"{name}: no sources listed in AREAS yet")
        return
    _write(extract_area(name), pot_path(name))


def cmd_update(name: str) -> None:
    template = _read(pot_path(name)) if pot_path(name).exists() else extract_area(name)
    for lang in languages():
        path = po_path(name, lang)
        if path.exists():
            catalog = _read(path, lang)
        else:
            catalog = Catalog(locale=lang, domain=name, project="EQUALS Hub", fuzzy=False)
            catalog.creation_date = HEADER_DATE
        catalog.update(template, update_header_comment=False)
        catalog.revision_date = HEADER_DATE
        catalog.fuzzy = False
        _write(catalog, path)


def _ids(catalog: Catalog) -> set[str]:
    return {str(m.id[0] if isinstance(m.id, tuple | list) else m.id) for m in catalog if m.id}


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _message_problems(message: Message, where: str) -> list[str]:
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    ids = [str(i) for i in (message.id if isinstance(message.id, tuple | list) else [message.id])]
    wanted = set().union(*(_placeholders(i) for i in ids))
    label = f"{where}: {ids[0]!r}"
    if message.fuzzy:
        return [f"{label} is fuzzy (check the translation, then remove the flag)"]
    if not all(s and s.strip() for s in strings):
        return [f"{label} is not translated"]
    problems: list[str] = []
    for text in strings:
        got = _placeholders(str(text))
        # A plural form may leave out %(num)s ("une seule fois"); nothing else may differ.
        if got - wanted or (wanted - {"num"}) - got:
            problems.append(f"{label}: placeholders {sorted(got)} ≠ {sorted(wanted)}")
    return problems


def check_area(name: str) -> list[str]:
    """Every problem of one area's catalogues, as readable lines (empty: complete)."""
    fresh = extract_area(name)
    problems: list[str] = []
    pot = pot_path(name)
    if not pot.exists():
        if _ids(fresh):
            problems.append(f"{pot.relative_to(ROOT)} is missing: run `extract {name}`")
    elif _ids(_read(pot)) != _ids(fresh):
        diff = sorted(_ids(fresh) ^ _ids(_read(pot)))
        problems.append(
            f"{pot.relative_to(ROOT)} is stale ({len(diff)} messages differ, e.g. "
            f"{diff[0]!r}): run `extract {name}` then `update {name}`"
        )
    for lang in languages():
        path = po_path(name, lang)
        where = str(path.relative_to(ROOT))
        if not path.exists():
            if _ids(fresh):
                problems.append(f"{where} is missing: run `update {name}` and translate")
            continue
        catalog = _read(path, lang)
        missing = sorted(_ids(fresh) - _ids(catalog))
        extra = sorted(_ids(catalog) - _ids(fresh))
        if missing:
            problems.append(f"{where}: {len(missing)} messages missing, e.g. {missing[0]!r}")
        if extra:
            problems.append(f"{where}: {len(extra)} messages no longer used, e.g. {extra[0]!r}")
        for message in catalog:
            if message.id:
                problems.extend(_message_problems(message, where))
                if lang == "fr":
                    problems.extend(_french_spacing_problems(message, where))
    return problems


def _french_spacing_problems(message: Message, where: str) -> list[str]:
    """An ordinary space before ``: ; ! ?`` in a French translation (it takes U+00A0)."""
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    first = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return [
        f"{where}: {str(first)!r}: ordinary space before {m.group()[-1]!r} in "
        f"{text[max(0, m.start() - 20) : m.end()]!r}; French puts a no-break space (U+00A0)"
        for text in strings
        if text
        for m in LOOSE_FRENCH_SPACE.finditer(str(text))
    ]


def unmarked_files() -> list[str]:
    """Modules that raise ``Msg`` messages but belong to no ``*-errors`` area (their messages
    would never be extracted, so never translated)."""
    covered = {
        path for area in AREAS.values() if area.keywords == ("Msg",) for path in _files(area.python)
    }
    return [
        f"{path.relative_to(ROOT).as_posix()}: uses Msg but is in no *-errors area of AREAS"
        for path in sorted((ROOT / "src" / "equals").rglob("*.py"))
        if path not in covered and "Msg(" in path.read_text("utf-8")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["extract", "update", "check"])
    parser.add_argument("areas", nargs="*", metavar="AREA", help=f"one of {', '.join(AREAS)}")
    args = parser.parse_args(argv)
    unknown = [a for a in args.areas if a not in AREAS]
    if unknown:
        parser.error(f"unknown area {unknown[0]!r} (areas: {', '.join(AREAS)})")
    areas = args.areas or list(AREAS)
    if args.command == "check":
        problems = [p for name in areas for p in check_area(name)] + unmarked_files()
        for line in problems:
            print(line)
        print(f"{len(problems)} problems in {', '.join(areas)}" if problems else "complete")
        return 1 if problems else 0
    for name in areas:
        cmd_extract(name) if args.command == "extract" else cmd_update(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
