"""A report from a web form: one text per template field → the template's Markdown → the
parser (forced to that template), so a form-filed report is read exactly like an uploaded one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from equals.sessions.model import ParsedReport
from equals.sessions.parser import parse_report
from equals.sessions.template import FieldKind, load_template

_LISTS = (
    FieldKind.SENTENCES,
    FieldKind.PEOPLE,
    FieldKind.SPEAKERS,
    FieldKind.ORGANIZATIONS,
    FieldKind.LINES,
)


def form_markdown(template_id: str, fields: Mapping[str, str]) -> str:
    tmpl = load_template(template_id)
    out = [f"# {tmpl.title}", ""]
    for f in tmpl.fields:
        value = (fields.get(f.id) or "").replace("\r\n", "\n").strip()
        if f.kind in _LISTS:  # one item per line
            value = "\n".join(f"- {ln.strip()}" for ln in value.splitlines() if ln.strip())
        out += [f"## {f.label}", "", value, ""]
    return "\n".join(out).rstrip() + "\n"


def report_from_fields(
    template_id: str, fields: Mapping[str, str], *, source: str = "web form"
) -> ParsedReport:
    report = parse_report(
        form_markdown(template_id, fields), format="markdown", template=template_id
    )
    return replace(report, source=source)
