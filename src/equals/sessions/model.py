"""The structured session report (frozen dataclasses) and its JSON record.

:func:`to_record` gives the CLI/API contract: ``title``, ``date``, ``start_time``,
``end_time``, ``organizers``, ``moderators``, ``rapporteurs``, ``speakers`` (``name``,
``organization``, ``stakeholder_group``), ``key_issues``, ``presentations``, ``discussions``,
``suggestions``, ``warnings`` — plus ``template``, raw ``date_text``/``time_text``, ``extra``
fields of later templates, ``people`` (everyone with their role, for storage),
``organizations`` (normalised entities) and ``unplaced`` text; ``layout`` (detected
template, confidence, fields found), ``igf`` (year, session type, number) and
``participation`` (stated counts with their text) — each ``null`` when not known.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from equals.core.i18n import Msg
from equals.core.vocabulary import StakeholderGroup
from equals.sessions.detect import Detection
from equals.sessions.entities import Organization
from equals.sessions.igf import IgfSession
from equals.sessions.messages import Params, english, msgid_of, params_of
from equals.sessions.participation import Participation

ExtraValue = str | int | tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Person:
    """A speaker, moderator or rapporteur as the report gives them (``raw`` kept verbatim)."""

    name: str
    organization: Organization | None = None
    stakeholder_group: StakeholderGroup | None = None
    title: str = ""
    country: str = ""
    region: str = ""
    raw: str = ""
    role_label: str = ""  # the label the person was listed under ("Online Moderator")

    def to_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "organization": self.organization.name if self.organization else None,
            "organization_id": self.organization.id if self.organization else None,
            "stakeholder_group": self.stakeholder_group.value if self.stakeholder_group else None,
            "title": self.title or None,
            "country": self.country or None,
            "region": self.region or None,
            "raw": self.raw,
            "role_label": self.role_label or None,
        }


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the parser could not place or read; ``text`` is the text concerned.

    ``message`` is English; ``msgid`` and ``params`` render it in the reader's language
    (:mod:`equals.sessions.messages`; not stored, not compared)."""

    code: str
    message: str
    field: str | None = None
    text: str = ""
    msgid: str = dc_field(default="", compare=False, repr=False)
    params: Params = dc_field(default=(), compare=False, repr=False)

    @classmethod
    def of(
        cls, code: str, msgid: str, field: str | None = None, text: str = "", **values: Any
    ) -> ParseWarning:
        """A warning from an English message id and its named values."""
        params, key = params_of(values), msgid_of(msgid)
        return cls(code, english(key, params), field, text, key, params)

    @classmethod
    def from_message(
        cls, code: str, message: str, field: str | None = None, text: str = ""
    ) -> ParseWarning:
        """A warning from a message: a :class:`~equals.core.i18n.Msg` keeps its message id."""
        if isinstance(message, Msg):
            return cls(code, str(message), field, text, message.msgid, params_of(message.params))
        return cls(code, message, field, text)

    def to_record(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "message": self.message, "text": self.text}


@dataclass(frozen=True, slots=True)
class ExtraField:
    """A field beyond the standard slots (a later template's, or an unknown label)."""

    id: str
    label: str
    kind: str
    value: ExtraValue
    text: str

    def to_record(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"label": self.label, "kind": self.kind, "value": value, "text": self.text}


@dataclass(frozen=True, slots=True)
class ParsedReport:
    template: str
    title: str | None = None
    date: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    organizers: tuple[Organization, ...] = ()
    moderators: tuple[Person, ...] = ()
    rapporteurs: tuple[Person, ...] = ()
    speakers: tuple[Person, ...] = ()
    key_issues: tuple[str, ...] = ()
    presentations: tuple[str, ...] = ()
    discussions: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    extra: tuple[ExtraField, ...] = ()
    date_text: str = ""
    time_text: str = ""
    organizers_text: str = ""
    heading: str = ""
    present: tuple[str, ...] = ()  # field ids whose label appeared in the report
    labels: tuple[tuple[str, str], ...] = ()  # (field id, label as written)
    unplaced: tuple[str, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()
    source: str = ""
    format: str = ""
    # Added for issue 11 (all default to "not known"):
    layout: Detection | None = None  # detected layout with its confidence
    igf: IgfSession | None = None  # IGF year, session type and number
    participation: Participation | None = None  # stated participation and gender figures
    organizer_people: tuple[Person, ...] = ()  # "Organizer 1: Name, Organisation" lines

    def extra_field(self, field_id: str) -> ExtraField | None:
        return next((e for e in self.extra if e.id == field_id), None)

    @property
    def organizations(self) -> tuple[Organization, ...]:
        """Every organisation named (organisers, then people's affiliations), once each."""
        seen: dict[str, Organization] = {}
        orgs = [*self.organizers]
        orgs += [
            p.organization
            for p in (*self.organizer_people, *self.moderators, *self.rapporteurs, *self.speakers)
            if p.organization
        ]
        for o in orgs:
            seen.setdefault(o.id or o.name.casefold(), o)
        return tuple(seen.values())


def people_record(report: ParsedReport) -> list[dict[str, Any]]:
    roles = (
        ("organizer", report.organizer_people),
        ("moderator", report.moderators),
        ("rapporteur", report.rapporteurs),
        ("speaker", report.speakers),
    )
    return [
        {"role": role, "order": i, **p.to_record()}
        for role, people in roles
        for i, p in enumerate(people)
    ]


def to_record(report: ParsedReport) -> dict[str, Any]:
    """The JSON-ready record (the CLI contract keys first)."""
    speaker_keys = ("name", "organization", "stakeholder_group")
    return {
        "template": report.template,
        "title": report.title,
        "date": report.date,
        "start_time": report.start_time,
        "end_time": report.end_time,
        "organizers": [o.name for o in report.organizers],
        "moderators": [p.name for p in report.moderators],
        "rapporteurs": [p.name for p in report.rapporteurs],
        "speakers": [
            {k: v for k, v in p.to_record().items() if k in speaker_keys} for p in report.speakers
        ],
        "key_issues": list(report.key_issues),
        "presentations": list(report.presentations),
        "discussions": list(report.discussions),
        "suggestions": list(report.suggestions),
        "extra": {e.id: e.to_record() for e in report.extra},
        "date_text": report.date_text,
        "time_text": report.time_text,
        "organizers_text": report.organizers_text,
        "heading": report.heading,
        "labels": dict(report.labels),
        "people": people_record(report),
        "organizations": [
            {"name": o.name, "id": o.id, "full_name": o.full_name or None}
            for o in report.organizations
        ],
        "unplaced": list(report.unplaced),
        "warnings": [w.to_record() for w in report.warnings],
        "source": report.source,
        "format": report.format,
        "layout": report.layout.to_record() if report.layout else None,
        "igf": report.igf.to_record() if report.igf else None,
        "participation": report.participation.to_record() if report.participation else None,
    }
