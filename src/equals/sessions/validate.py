"""``validate_report``: check a parsed report against its template's guidance.

Findings come from a catalogue (as in frictionless): each has a stable ``code``, a default
severity and a description; a finding names the field it concerns. A report is valid when it
has no ``error`` findings (required fields missing or unreadable); the CLI exits 1 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from equals.core.i18n import N_
from equals.core.problems import Location, Problem, define_catalogue
from equals.core.problems import Severity as Severity  # re-exported: findings use it
from equals.sessions.messages import (
    Params,
    english,
    key_of,
    keys_at,
    localised,
    msgid_of,
    params_of,
)
from equals.sessions.model import ParsedReport
from equals.sessions.template import FieldKind, ReportTemplate, TemplateField, load_template
from equals.sessions.text import split_sentences, word_count


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    severity: Severity
    description: str


CATALOGUE: dict[str, Check] = {
    c.code: c
    for c in (
        Check("missing-required-field", Severity.ERROR, "A required field is absent or empty."),
        Check("unparsed-date", Severity.ERROR, "The date field has text that is not a date."),
        Check("unparsed-time", Severity.ERROR, "The time field has text that is not a time range."),
        Check("end-before-start", Severity.ERROR, "The session ends before it starts."),
        Check("invalid-count", Severity.ERROR, "A number field (e.g. participants) has no number."),
        Check("women-exceed-participants", Severity.ERROR, "More women present than participants."),
        # The IGF form asks every session to name its rapporteur: a report without one is
        # incomplete (an error), even though the field may be present and empty.
        Check("no-rapporteur", Severity.ERROR, "No rapporteur or notetaker is named."),
        Check("no-end-time", Severity.WARNING, "The time gives a start but no end."),
        Check("key-issue-not-one-sentence", Severity.WARNING, "A key issue is not one sentence."),
        Check("paragraph-count", Severity.WARNING, "Not the paragraphs the guidance asks for."),
        Check("too-many-items", Severity.WARNING, "More items than the guidance allows."),
        Check("too-many-words", Severity.WARNING, "Longer than the guidance allows."),
        Check("speaker-without-affiliation", Severity.WARNING, "A speaker has no organisation."),
        Check("speaker-without-stakeholder-group", Severity.WARNING, "A speaker has no group."),
        Check("unparsed-speaker", Severity.WARNING, "A speaker line has no recognisable name."),
        Check("unplaced-text", Severity.WARNING, "Text outside any field of the template."),
        Check("unknown-label", Severity.WARNING, "A label that is not a field of any template."),
        Check("field-not-in-template", Severity.WARNING, "A field of another template version."),
        Check("duplicate-field", Severity.WARNING, "A field appears more than once."),
        Check("unknown-layout", Severity.WARNING, "No label of any known IGF layout was found."),
        Check("uncertain-layout", Severity.WARNING, "The layout was guessed with low confidence."),
        Check("active-content-removed", Severity.WARNING, "Scripts or embeds were ignored."),
    )
}  # fmt: skip

# The checks are codes of the platform's one problem registry (docs/problems.md lists them).
define_catalogue(
    "sessions", ((c.code, c.severity.value, c.description) for c in CATALOGUE.values())
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding. ``message`` is English (stored, exported); :meth:`text` is the message
    in the reader's language (from ``msgid`` and ``params``, :mod:`equals.sessions.messages`).
    """

    code: str
    severity: Severity
    field: str | None
    message: str
    msgid: str = dc_field(default="", compare=False, repr=False)
    params: Params = dc_field(default=(), compare=False, repr=False)

    def text(self) -> str:
        """The message in the current language."""
        return localised(self.msgid, self.params, self.message)

    def shown(self) -> dict[str, Any]:
        """The record with the message in the current language (pages show this)."""
        return {**self.to_record(), "message": self.text()}

    def to_record(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], msgid: str = "", params: Params = ()) -> Finding:
        """A finding read back from storage (:meth:`to_record`), with its message id when
        one was stored beside it."""
        return cls(
            str(record["code"]),
            Severity(record["severity"]),
            record.get("field"),
            str(record["message"]),
            msgid,
            params,
        )

    def to_problem(self, source: str = "") -> Problem:
        """The finding as the platform's one problem type (file and field as its location)."""
        return Problem(
            self.code,
            self.message,
            self.severity,
            Location(file=source or None, field=self.field),
        )


@dataclass(frozen=True, slots=True)
class ValidationReport:
    template: str
    findings: tuple[Finding, ...]
    source: str = ""

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def valid(self) -> bool:
        return not self.errors

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def problems(self) -> list[Problem]:
        """Every finding as a :class:`~equals.core.problems.Problem`."""
        return [f.to_problem(self.source) for f in self.findings]

    def to_record(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "template": self.template,
            "valid": self.valid,
            "errors": len(self.errors),
            "warnings": len(self.findings) - len(self.errors),
            "findings": [f.to_record() for f in self.findings],
        }


def message_keys(report: ParsedReport, validation: ValidationReport) -> dict[str, Any]:
    """The message ids and values of ``report``'s warnings and ``validation``'s findings, in
    their order (stored with a revision beside the English messages; see
    :func:`stored_findings`)."""
    return {
        "warnings": [key_of(w.msgid, w.params) for w in report.warnings],
        "findings": [key_of(f.msgid, f.params) for f in validation.findings],
    }


def stored_findings(validation: dict[str, Any], messages: object) -> tuple[Finding, ...]:
    """The findings of a stored validation record (``ValidationReport.to_record``), with the
    message ids stored beside them (:func:`message_keys`): each renders in the reader's
    language (:meth:`Finding.text`); one stored without a message id shows its English."""
    records = [r for r in validation.get("findings", []) if isinstance(r, dict)]
    keys = keys_at(messages, "findings", len(records))
    return tuple(
        Finding.from_record(r, msgid, params)
        for r, (msgid, params) in zip(records, keys, strict=True)
    )


def _finding(code: str, field: str | None, msgid: str, /, **values: Any) -> Finding:
    params, key = params_of(values), msgid_of(msgid)
    return Finding(code, CATALOGUE[code].severity, field, english(key, params), key, params)


def _value(report: ParsedReport, f: TemplateField) -> Any:
    if f.id == "time":
        return report.start_time or report.time_text
    if f.id == "date":
        return report.date or report.date_text
    if f.is_standard:
        return getattr(report, f.id)
    extra = report.extra_field(f.id)
    return None if extra is None else (extra.value if extra.value is not None else extra.text)


def _prose_checks(f: TemplateField, items: tuple[str, ...]) -> list[Finding]:
    out: list[Finding] = []
    e = f.expect
    if e.paragraphs is not None and items and len(items) != e.paragraphs:
        out.append(
            _finding(
                "paragraph-count",
                f.id,
                N_("%(field)s: %(count)s paragraph(s), the guidance asks for %(wanted)s"),
                field=f.id,
                count=len(items),
                wanted=e.paragraphs,
            )
        )
    if e.max_items is not None and len(items) > e.max_items:
        out.append(
            _finding(
                "too-many-items",
                f.id,
                N_("%(field)s: %(count)s items, at most %(limit)s"),
                field=f.id,
                count=len(items),
                limit=e.max_items,
            )
        )
    if e.max_words is not None and (n := word_count(items)) > e.max_words:
        out.append(
            _finding(
                "too-many-words",
                f.id,
                N_("%(field)s: %(count)s words, at most %(limit)s"),
                field=f.id,
                count=n,
                limit=e.max_words,
            )
        )
    if e.sentences_per_item is not None:
        for i, item in enumerate(items, start=1):
            n = len(split_sentences(item))
            if n > e.sentences_per_item:
                out.append(
                    _finding(
                        "key-issue-not-one-sentence",
                        f.id,
                        N_("item %(item)s has %(count)s sentences: %(text)r"),
                        item=i,
                        count=n,
                        text=item[:80],
                    )
                )
    return out


def validate_report(
    report: ParsedReport, template: ReportTemplate | None = None
) -> ValidationReport:
    """Check ``report`` against ``template`` (default: the template it was parsed with)."""
    tmpl = template or load_template(report.template)
    findings: list[Finding] = []
    for f in tmpl.fields:
        value = _value(report, f)
        if f.required and not value:
            findings.append(
                _finding(
                    "missing-required-field",
                    f.id,
                    N_("required field %(label)r is missing or empty"),
                    label=f.label,
                )
            )
        if f.expect.min_items and not value and f.id == "rapporteurs":
            findings.append(_finding("no-rapporteur", f.id, N_("no rapporteur/notetaker named")))
        if f.kind in (FieldKind.PARAGRAPHS, FieldKind.SENTENCES) and isinstance(value, tuple):
            findings += _prose_checks(f, value)
        if f.kind is FieldKind.COUNT:
            extra = report.extra_field(f.id)
            share = report.participation and report.participation.women_share_stated
            stated_share = f.id == "women" and share is not None  # "about half were women"
            if extra is not None and extra.text and extra.value is None and not stated_share:
                findings.append(
                    _finding(
                        "invalid-count",
                        f.id,
                        N_("%(field)s: no number in %(text)r"),
                        field=f.id,
                        text=extra.text,
                    )
                )
    for w in report.warnings:
        if w.code in CATALOGUE:
            findings.append(
                Finding(w.code, CATALOGUE[w.code].severity, w.field, w.message, w.msgid, w.params)
            )
    if report.start_time and not report.end_time:
        findings.append(_finding("no-end-time", "time", N_("the time gives no end")))
    if report.start_time and report.end_time and report.end_time < report.start_time:
        findings.append(
            _finding(
                "end-before-start",
                "time",
                N_("ends %(end)s before it starts %(start)s"),
                end=report.end_time,
                start=report.start_time,
            )
        )
    for i, p in enumerate(report.speakers, start=1):
        who = p.name or p.raw
        # The session-page layout lists "Name, Stakeholder group, Regional group": no
        # organisation is asked for there, so none is missing.
        if p.organization is None and not p.region:
            findings.append(
                _finding(
                    "speaker-without-affiliation",
                    "speakers",
                    N_("speaker %(number)s (%(who)s) has no organisation"),
                    number=i,
                    who=who,
                )
            )
        if p.stakeholder_group is None:
            findings.append(
                _finding(
                    "speaker-without-stakeholder-group",
                    "speakers",
                    N_("speaker %(number)s (%(who)s) has no stakeholder group"),
                    number=i,
                    who=who,
                )
            )
    participants = report.extra_field("participants")
    women = report.extra_field("women")
    if (
        participants is not None
        and women is not None
        and isinstance(participants.value, int)
        and isinstance(women.value, int)
        and women.value > participants.value
    ):
        findings.append(
            _finding(
                "women-exceed-participants",
                "women",
                N_("%(women)s women but %(participants)s participants"),
                women=women.value,
                participants=participants.value,
            )
        )
    return ValidationReport(tmpl.id, tuple(findings), report.source)
