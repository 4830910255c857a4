"""Exports of a parsed report: JSON, and Markdown or DOCX laid out on its template.

The Markdown and DOCX exports re-parse to the same structured report: one field per template
label, speakers written ``Name, Organisation – Stakeholder group``.
"""

from __future__ import annotations

import io
import json
from typing import Any

from equals.core.vocabulary import StakeholderGroup
from equals.sessions.analysis import action_areas
from equals.sessions.model import ParsedReport, Person, to_record
from equals.sessions.template import FieldKind, ReportTemplate, TemplateField, load_template
from equals.sessions.text import normalize_label

_GROUP_LABELS = {
    StakeholderGroup.GOVERNMENT: "Government",
    StakeholderGroup.PRIVATE_SECTOR: "Private Sector",
    StakeholderGroup.CIVIL_SOCIETY: "Civil Society",
    StakeholderGroup.TECHNICAL_COMMUNITY: "Technical Community",
    StakeholderGroup.ACADEMIA: "Academia",
    StakeholderGroup.INTERGOVERNMENTAL: "Intergovernmental Organization",
}


_HONORIFICS = frozenset(
    ["Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "Professor", "H.E", "Hon", "Amb", "Sir", "Dame"]
)


def report_record(report: ParsedReport, *, analysis: bool = True) -> dict[str, Any]:
    rec = to_record(report)
    if analysis:
        rec["action_areas"] = [t.to_record() for t in action_areas(report)]
    return rec


def to_json(report: ParsedReport, *, analysis: bool = True) -> str:
    return json.dumps(report_record(report, analysis=analysis), ensure_ascii=False, indent=2)


def person_line(p: Person) -> str:
    if not p.name:
        return p.raw  # nothing recognised as a name: write the line as given
    honorific = bool(p.title) and p.title.rstrip(".") in _HONORIFICS
    parts = [f"{p.title} {p.name}" if honorific else p.name]
    if p.title and not honorific:
        parts.append(p.title)
    if p.organization:
        parts.append(p.organization.name)
    if p.country:
        parts.append(p.country)
    line = ", ".join(parts)
    if p.region and p.stakeholder_group:
        return f"{line}, {_GROUP_LABELS[p.stakeholder_group]}, {p.region}"
    if p.stakeholder_group:
        line += f" – {_GROUP_LABELS[p.stakeholder_group]}"
    return line


def field_values(report: ParsedReport, f: TemplateField) -> list[str]:
    """The field's value as lines/paragraphs for writing on the template."""
    if f.id == "title":
        return [report.title] if report.title else []
    if f.id == "date":
        return [report.date or report.date_text] if (report.date or report.date_text) else []
    if f.id == "time":
        if report.start_time:
            end = f"–{report.end_time}" if report.end_time else ""
            return [f"{report.start_time}{end}"]
        return [report.time_text] if report.time_text else []
    if f.id == "organizers" and f.kind is FieldKind.PEOPLE and report.organizer_people:
        return [person_line(p) for p in report.organizer_people]
    if f.id == "organizers":
        return [" & ".join(o.name for o in report.organizers)] if report.organizers else []
    if f.kind in (FieldKind.PEOPLE, FieldKind.SPEAKERS) and f.is_standard:
        people: tuple[Person, ...] = getattr(report, f.id)
        return [person_line(p) for p in people]
    if f.is_standard:
        return list(getattr(report, f.id))
    extra = report.extra_field(f.id)
    if extra is None:
        return []
    if isinstance(extra.value, tuple):
        return list(extra.value)
    if f.kind is FieldKind.COUNT:  # "About 40-50" as written: the count is read from it again
        return [extra.text]
    return [str(extra.value) if extra.value is not None else extra.text]


def field_sections(report: ParsedReport, f: TemplateField) -> list[tuple[str, list[str]]]:
    """(label, values) to write for a field: people listed under several labels of the same
    field ("Moderator" / "Online Moderator") keep their labels, so roles survive a re-parse."""
    if f.kind not in (FieldKind.PEOPLE, FieldKind.SPEAKERS) or not f.is_standard:
        return [(f.label, field_values(report, f))]
    people: tuple[Person, ...] = (
        report.organizer_people if f.id == "organizers" else getattr(report, f.id, ())
    )
    own = {normalize_label(label) for label in f.labels}
    if not people or not any(
        p.role_label and normalize_label(p.role_label) in own and p.role_label != f.label
        for p in people
    ):
        return [(f.label, field_values(report, f))]
    sections: list[tuple[str, list[str]]] = []
    for p in people:
        label = p.role_label if normalize_label(p.role_label) in own else f.label
        if not sections or sections[-1][0] != label:
            sections.append((label, []))
        sections[-1][1].append(person_line(p))
    return sections


def _as_list(f: TemplateField) -> bool:
    return f.kind in (FieldKind.SENTENCES, FieldKind.ORGANIZATIONS, FieldKind.LINES)


def to_markdown(report: ParsedReport, template: ReportTemplate | None = None) -> str:
    tmpl = template or load_template(report.template)
    out = [f"# {report.heading or tmpl.title}", ""]
    out += [f"{u}\n" for u in report.unplaced]
    for f in tmpl.fields:
        for label, values in field_sections(report, f):
            out += [f"## {label}", ""]
            if f.kind in (FieldKind.PEOPLE, FieldKind.SPEAKERS) or _as_list(f):
                out += [f"- {v}" for v in values]
                out += [""] if values else []
            else:
                for v in values:
                    out += [v, ""]
    for e in report.extra:
        if tmpl.field(e.id) is None:
            out += [f"## {e.label}", "", e.text, ""]
    return "\n".join(out).rstrip() + "\n"


def to_docx(report: ParsedReport, template: ReportTemplate | None = None) -> bytes:
    """A Word document: the template heading and a two-column table, label | value."""
    import docx

    tmpl = template or load_template(report.template)
    document = docx.Document()
    document.add_heading(report.heading or tmpl.title, level=1)
    for u in report.unplaced:
        document.add_paragraph(u)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    rows = [section for f in tmpl.fields for section in field_sections(report, f)]
    rows += [(e.label, [e.text]) for e in report.extra if tmpl.field(e.id) is None]
    for label, values in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = values[0] if values else ""
        for v in values[1:]:
            cells[1].add_paragraph(v)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
