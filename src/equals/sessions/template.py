"""Report templates as data: ``templates/*.yaml`` loaded into frozen dataclasses.

A template lists its fields in order, each with the label printed on the form, the other
spellings seen in practice, the guidance given to rapporteurs, the kind of value expected and
what the guidance asks for (e.g. three paragraphs, one sentence per key issue). A later
template year is a new YAML file, not new code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from equals.core.errors import DataFileError, NotFoundError
from equals.core.i18n import Msg

DEFAULT_TEMPLATE = "igf-2016-workshop"

# Field ids that fill the report's named attributes; any other id is an extra field.
STANDARD_FIELDS = (
    "title",
    "date",
    "time",
    "organizers",
    "moderators",
    "rapporteurs",
    "speakers",
    "key_issues",
    "presentations",
    "discussions",
    "suggestions",
)


class FieldKind(StrEnum):
    TEXT = "text"  # one line of text
    DATE = "date"  # a day, stored as ISO 8601
    TIME_RANGE = "time_range"  # start and end time, HH:MM
    ORGANIZATIONS = "organizations"  # organisation names, normalised as entities
    PEOPLE = "people"  # one person per line: name, optional organisation
    SPEAKERS = "speakers"  # name, organisation, stakeholder group per line
    LINES = "lines"  # a short list, one item per line (subthemes, SDGs)
    SENTENCES = "sentences"  # one item per issue/message, each meant to be a sentence
    PARAGRAPHS = "paragraphs"  # free prose in paragraphs
    COUNT = "count"  # a whole number (e.g. participants present)


def _unknown_keys(keys: list[str]) -> Msg:
    return Msg("unknown key(s) %(names)s", names=", ".join(keys))


@dataclass(frozen=True, slots=True)
class Expectations:
    """What the guidance asks for; the validator checks it."""

    paragraphs: int | None = None
    sentences_per_item: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    max_words: int | None = None

    @classmethod
    def from_descriptor(cls, d: Mapping[str, Any] | None, where: str) -> Expectations:
        d = dict(d or {})
        unknown = sorted(set(d) - {f.name for f in fields(cls)})
        if unknown:
            raise DataFileError(
                Msg("unknown expectation(s) %(names)s", names=", ".join(unknown)), location=where
            )
        try:
            return cls(**{k: int(v) for k, v in d.items()})
        except (TypeError, ValueError) as exc:
            raise DataFileError(
                Msg("expectations must be whole numbers: %(error)s", error=str(exc)),
                location=where,
            ) from exc

    def to_descriptor(self) -> dict[str, int]:
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}


@dataclass(frozen=True, slots=True)
class TemplateField:
    id: str
    label: str
    kind: FieldKind
    required: bool = False
    aliases: tuple[str, ...] = ()
    guidance: str = ""
    expect: Expectations = field(default_factory=Expectations)

    @property
    def labels(self) -> tuple[str, ...]:
        """The printed label first, then the other spellings."""
        return (self.label, *self.aliases)

    @property
    def is_standard(self) -> bool:
        return self.id in STANDARD_FIELDS

    @classmethod
    def from_descriptor(cls, d: Mapping[str, Any], where: str = "template") -> TemplateField:
        where = f"{where} field {d.get('id', '?')!r}"
        missing = [k for k in ("id", "label", "kind") if not d.get(k)]
        if missing:
            raise DataFileError(Msg("missing %(names)s", names=", ".join(missing)), location=where)
        unknown = sorted(set(d) - {f.name for f in fields(cls)})
        if unknown:
            raise DataFileError(_unknown_keys(unknown), location=where)
        try:
            kind = FieldKind(d["kind"])
        except ValueError as exc:
            raise DataFileError(str(exc), location=where) from exc
        return cls(
            id=str(d["id"]),
            label=" ".join(str(d["label"]).split()),
            kind=kind,
            required=bool(d.get("required", False)),
            aliases=tuple(" ".join(str(a).split()) for a in d.get("aliases") or ()),
            guidance=" ".join(str(d.get("guidance", "")).split()),
            expect=Expectations.from_descriptor(d.get("expect"), where),
        )

    def to_descriptor(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "label": self.label, "kind": self.kind.value}
        d["required"] = self.required
        if self.aliases:
            d["aliases"] = list(self.aliases)
        if self.guidance:
            d["guidance"] = self.guidance
        if expect := self.expect.to_descriptor():
            d["expect"] = expect
        return d


@dataclass(frozen=True, slots=True)
class ReportTemplate:
    id: str
    title: str
    fields: tuple[TemplateField, ...]
    event: str = ""
    year: int | None = None
    headings: tuple[str, ...] = ()  # regexes over the normalised first line of a report
    years: tuple[int, int] | None = None  # IGF years the layout was used (first, last)
    preamble: tuple[
        str, ...
    ] = ()  # field ids filled, in order, by unlabelled lines after the title
    ignore: tuple[str, ...] = ()  # regexes (normalised text) of page furniture to drop silently

    @property
    def span(self) -> tuple[int, int] | None:
        if self.years is not None:
            return self.years
        return (self.year, self.year) if self.year is not None else None

    def used_in(self, year: int | None) -> bool:
        span = self.span
        return year is not None and span is not None and span[0] <= year <= span[1]

    def is_ignored(self, normalized_line: str) -> bool:
        return any(re.search(p, normalized_line) for p in self.ignore)

    def field(self, field_id: str) -> TemplateField | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def matches_heading(self, normalized_line: str) -> bool:
        return any(re.search(p, normalized_line) for p in self.headings)

    @classmethod
    def from_descriptor(cls, d: Mapping[str, Any]) -> ReportTemplate:
        where = f"template {d.get('id', '?')!r}"
        if not d.get("id") or not d.get("title") or not d.get("fields"):
            raise DataFileError(Msg("a template needs id, title and fields"), location=where)
        unknown = sorted(set(d) - {f.name for f in fields(cls)})
        if unknown:
            raise DataFileError(_unknown_keys(unknown), location=where)
        tfields = tuple(TemplateField.from_descriptor(f, where) for f in d["fields"])
        ids = [f.id for f in tfields]
        if len(set(ids)) != len(ids):
            raise DataFileError(Msg("field ids must be unique"), location=where)
        years = d.get("years")
        if years is not None and (
            not isinstance(years, list)
            or len(years) != 2
            or not all(isinstance(y, int) for y in years)
        ):
            raise DataFileError(Msg("years must be [first, last]"), location=where)
        preamble = tuple(str(p) for p in d.get("preamble") or ())
        if unknown_ids := [p for p in preamble if p not in ids]:
            raise DataFileError(
                Msg("preamble names unknown field(s) %(ids)s", ids=str(unknown_ids)),
                location=where,
            )
        patterns = [str(h) for h in (*(d.get("headings") or ()), *(d.get("ignore") or ()))]
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise DataFileError(
                    Msg(
                        "bad pattern %(pattern)s: %(error)s", pattern=repr(pattern), error=str(exc)
                    ),
                    location=where,
                ) from exc
        return cls(
            id=str(d["id"]),
            title=str(d["title"]),
            fields=tfields,
            event=str(d.get("event", "")),
            year=int(d["year"]) if d.get("year") is not None else None,
            headings=tuple(str(h) for h in d.get("headings") or ()),
            years=(years[0], years[1]) if years else None,
            preamble=preamble,
            ignore=tuple(str(h) for h in d.get("ignore") or ()),
        )

    def to_descriptor(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.event:
            d["event"] = self.event
        if self.year is not None:
            d["year"] = self.year
        if self.headings:
            d["headings"] = list(self.headings)
        if self.years is not None:
            d["years"] = list(self.years)
        if self.preamble:
            d["preamble"] = list(self.preamble)
        if self.ignore:
            d["ignore"] = list(self.ignore)
        d["fields"] = [f.to_descriptor() for f in self.fields]
        return d


@cache
def templates() -> Mapping[str, ReportTemplate]:
    """Every bundled template by id (read once, on first use)."""
    found: dict[str, ReportTemplate] = {}
    folder = resources.files("equals.sessions") / "templates"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            t = ReportTemplate.from_descriptor(yaml.safe_load(entry.read_text("utf-8")))
            found[t.id] = t
    return MappingProxyType(found)


def load_template(template_id: str = DEFAULT_TEMPLATE) -> ReportTemplate:
    try:
        return templates()[template_id]
    except KeyError:
        raise NotFoundError("template", template_id, suggestions=sorted(templates())) from None
