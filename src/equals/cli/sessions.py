"""Session report commands: parse, detect, validate, analyse, export, templates.

Exit codes: 0 success; 1 ``validate`` found errors (a required field missing or unreadable);
2 the file cannot be read (missing, binary, corrupt DOCX) or a bad option value.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from equals.cli.app import app
from equals.cli.common import OutputFormat, emit, fail, out
from equals.cli.problems import SEVERITY_WORDS
from equals.core.errors import EqualsError, message_of
from equals.core.i18n import _
from equals.sessions import (
    ParsedReport,
    action_areas,
    diversity,
    load_template,
    parse_report,
    report_record,
    report_summary,
    templates,
    to_docx,
    to_markdown,
    validate_report,
)

sessions_app = typer.Typer(
    help="Session reports on the IGF templates: parse, validate, analyse, export.",
    no_args_is_help=True,
)
app.add_typer(sessions_app, name="sessions")


class ParseFormat(StrEnum):
    json = "json"
    markdown = "markdown"


class ExportFormat(StrEnum):
    json = "json"
    markdown = "markdown"
    docx = "docx"


FileArg = Annotated[
    Path, typer.Argument(metavar="FILE", help="A .txt, .md, .html or .docx report.")
]
TemplateOption = Annotated[
    str | None,
    typer.Option("--template", help="Template id (default: detected from the report)."),
]


def _parse(path: Path, template: str | None) -> ParsedReport:
    try:
        if template is not None:
            load_template(template)
        return parse_report(path, template=template)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@sessions_app.command("parse")
def parse_cmd(
    file: FileArg,
    format: Annotated[
        ParseFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ParseFormat.json,
    template: TemplateOption = None,
) -> None:
    """Parse a report into its fields (JSON object, or Markdown on its template)."""
    report = _parse(file, template)
    if format is ParseFormat.markdown:
        sys.stdout.write(to_markdown(report))
    else:
        _json(report_record(report))


@sessions_app.command("detect")
def detect_cmd(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="One or more reports.")],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
    template: TemplateOption = None,
) -> None:
    """Per report: detected IGF layout and confidence, IGF id, fields found, warnings.

    Exit 2 if any file cannot be read (the others are still reported)."""
    if template is not None:
        _check_template(template)
    rows: list[dict[str, Any]] = []
    shown: dict[int, str] = {}  # row -> its error in the reader's language (the table)
    unreadable = False
    for f in files:
        try:
            rows.append(report_summary(parse_report(f, template=template)))
        except EqualsError as exc:
            unreadable = True
            shown[len(rows)] = message_of(exc)
            rows.append({"file": str(f), "layout": None, "error": str(exc)})
    if format is OutputFormat.json:
        _json(rows)
    else:
        # A table is read by people: errors in their language; CSV keeps the English.
        people = format is OutputFormat.table
        unread = _("UNREADABLE") if people else "UNREADABLE"
        table = [
            {
                "file": r["file"],
                "layout": r["layout"] or unread,
                "confidence": r.get("confidence"),
                "igf": r.get("igf"),
                "fields": len(r.get("fields", [])),
                "warnings": ", ".join(sorted(set(r.get("warnings", []))))
                or (shown.get(i) if people else None)
                or r.get("error", ""),
            }
            for i, r in enumerate(rows)
        ]
        emit(table, format, ["file", "layout", "confidence", "igf", "fields", "warnings"],
             title=_("Layouts"))  # fmt: skip
    if unreadable:
        raise typer.Exit(2)


def _check_template(template: str) -> None:
    try:
        load_template(template)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc


@sessions_app.command("validate")
def validate_cmd(
    file: FileArg,
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
    template: TemplateOption = None,
) -> None:
    """Check a report against its template's guidance; exit 1 if anything required is missing."""
    report = _parse(file, template)
    result = validate_report(report, load_template(template) if template else None)
    if format is OutputFormat.json:
        _json(result.to_record())
    else:
        # Tables are read by people: message and severity in their language; CSV keeps English.
        records = [
            {**f.shown(), "severity": str(SEVERITY_WORDS[f.severity])}
            if format is OutputFormat.table
            else f.to_record()
            for f in result.findings
        ]
        emit(records, format, ["code", "severity", "field", "message"], title=str(file))
        if format is OutputFormat.table:
            verdict = (
                _(
                    "%(file)s: valid on %(template)s — %(errors)s error(s), "
                    "%(warnings)s warning(s)",
                    file=str(file),
                    template=result.template,
                    errors=len(result.errors),
                    warnings=len(result.findings) - len(result.errors),
                )
                if result.valid
                else _(
                    "%(file)s: INVALID on %(template)s — %(errors)s error(s), "
                    "%(warnings)s warning(s)",
                    file=str(file),
                    template=result.template,
                    errors=len(result.errors),
                    warnings=len(result.findings) - len(result.errors),
                )
            )
            out.print(verdict, highlight=False)
    if not result.valid:
        raise typer.Exit(1)


@sessions_app.command("analyse")
def analyse_cmd(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="One or more reports.")],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    """Action areas (with evidence) per report, and panel diversity across all of them."""
    reports = [_parse(f, None) for f in files]
    per: list[dict[str, Any]] = [
        {
            "file": str(f),
            "title": r.title,
            "action_areas": [t.to_record() for t in action_areas(r)],
            "diversity": diversity([r]).to_record(),
        }
        for f, r in zip(files, reports, strict=True)
    ]
    overall = diversity(reports).to_record()
    if format is OutputFormat.json:
        _json({"reports": per, "overall": overall})
        return
    rows = [
        {
            "file": p["file"],
            "areas": [a["area"] for a in p["action_areas"]],
            "speakers": p["diversity"]["speakers"],
            "groups": p["diversity"]["distinct_groups"],
            "balance": p["diversity"]["group_balance"],
        }
        for p in per
    ]
    emit(rows, format, ["file", "areas", "speakers", "groups", "balance"], title=_("Sessions"))
    if format is OutputFormat.table:
        out.print(
            _(
                "Across %(count)s report(s): %(groups)s",
                count=overall["sessions"],
                groups=overall["stakeholder_groups"],
            )
        )


@sessions_app.command("export")
def export_cmd(
    file: FileArg,
    to: Annotated[ExportFormat, typer.Option("--to", help="Export format.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")
    ] = None,
    template: TemplateOption = None,
) -> None:
    """Export a report as JSON, or as Markdown / DOCX laid out on its template."""
    report = _parse(file, template)
    if to is ExportFormat.docx:
        if output is None:
            raise fail(_("--output is required for DOCX"))
        output.write_bytes(to_docx(report))
        return
    text = (
        to_markdown(report)
        if to is ExportFormat.markdown
        else json.dumps(report_record(report), ensure_ascii=False, indent=2) + "\n"
    )
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@sessions_app.command("templates")
def templates_cmd(
    template_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Show one template's fields.")
    ] = None,
) -> None:
    """List the report templates, or show one as YAML (labels, kinds, guidance)."""
    if template_id is None:
        rows = [
            {"id": t.id, "title": t.title, "year": t.year, "fields": len(t.fields)}
            for t in templates().values()
        ]
        emit(rows, OutputFormat.table, ["id", "title", "year", "fields"], title=_("Templates"))
        return
    try:
        t = load_template(template_id)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    descriptor = t.to_descriptor()
    # The guidance is ours (forms catalogue; the loader normalises its whitespace, as the
    # catalogue does): the reader's language. Labels stay as the IGF templates print them.
    for field in descriptor["fields"]:
        if field.get("guidance"):
            field["guidance"] = _(field["guidance"])
    sys.stdout.write(yaml.safe_dump(descriptor, sort_keys=False, allow_unicode=True))
