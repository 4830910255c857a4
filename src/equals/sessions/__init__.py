"""Session reports on the IGF templates: parse, validate, analyse, export.

::

    from equals.sessions import parse_report, validate_report
    report = parse_report("igf2016-report.txt")      # text, Markdown, HTML or DOCX
    report.layout                                     # detected IGF layout, confidence
    report.igf, report.participation                  # IGF 2019 WS #267; stated counts
    validate_report(report).findings                  # stable codes, severity, field
    action_areas(report)                              # Access/Skills/Leadership + evidence

Templates are data (``templates/*.yaml``); organisation aliases, stakeholder-group spellings
and the action-area lexicon are data too (``data/*.yaml``).
"""

from __future__ import annotations

from equals.sessions.analysis import (
    ActionAreaTag,
    Diversity,
    GenderBalance,
    action_areas,
    diversity,
    gender_balance,
)
from equals.sessions.entities import Organization, normalize_organization
from equals.sessions.export import report_record, to_docx, to_json, to_markdown
from equals.sessions.model import ExtraField, ParsedReport, ParseWarning, Person, to_record
from equals.sessions.parser import parse_report, parse_source
from equals.sessions.reader import ReportFormat, UnreadableReportError
from equals.sessions.summary import report_summary
from equals.sessions.template import (
    FieldKind,
    ReportTemplate,
    TemplateField,
    load_template,
    templates,
)
from equals.sessions.validate import CATALOGUE, Finding, Severity, ValidationReport, validate_report

__all__ = [
    "CATALOGUE",
    "ActionAreaTag",
    "Diversity",
    "ExtraField",
    "FieldKind",
    "Finding",
    "GenderBalance",
    "Organization",
    "ParseWarning",
    "ParsedReport",
    "Person",
    "ReportFormat",
    "ReportTemplate",
    "Severity",
    "TemplateField",
    "UnreadableReportError",
    "ValidationReport",
    "action_areas",
    "diversity",
    "gender_balance",
    "load_template",
    "normalize_organization",
    "parse_report",
    "parse_source",
    "report_record",
    "report_summary",
    "templates",
    "to_docx",
    "to_json",
    "to_markdown",
    "to_record",
    "validate_report",
]
