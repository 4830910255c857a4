"""The indicator catalogue: declarative descriptors loaded from ``catalogue.yaml``.

Each indicator is data, not code (as OWID step metadata / ibis operations): adding one is a
new YAML entry plus, if it needs a new source file, a loader in :mod:`equals.indicators.sources`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from equals.core.errors import DataFileError, UnknownIndicatorError
from equals.core.i18n import Msg
from equals.core.vocabulary import IndicatorKind, Pillar

_REQUIRED = ("id", "title", "pillar", "kind", "unit", "definition", "sources")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One sex-disaggregated indicator.

    ``sources`` lists source ids (see ``data/sources.yaml``); the first is the documented
    default used when a query does not name one. ``breakdowns`` lists the extra dimensions some
    observations carry (e.g. ``location`` for urban/rural).
    """

    id: str
    title: str
    pillar: Pillar
    kind: IndicatorKind
    unit: str
    definition: str
    sources: tuple[str, ...]
    short_title: str = ""
    breakdowns: tuple[str, ...] = ()
    sdg: str = ""
    higher_is_better: bool = True
    notes: str = ""
    tags: tuple[str, ...] = field(default=())

    @property
    def default_source(self) -> str:
        return self.sources[0]

    @property
    def label(self) -> str:
        return self.short_title or self.title

    @classmethod
    def from_descriptor(cls, d: Mapping[str, Any]) -> Indicator:
        where = f"catalogue entry {d.get('id', '?')!r}"
        missing = [k for k in _REQUIRED if not d.get(k)]
        if missing:
            raise DataFileError(
                Msg("missing field(s) %(fields)s", fields=", ".join(missing)), location=where
            )
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(d) - known)
        if unknown:
            raise DataFileError(
                Msg("unknown field(s) %(fields)s", fields=", ".join(unknown)), location=where
            )
        try:
            pillar = Pillar(d["pillar"])
            kind = IndicatorKind(d["kind"])
        except ValueError as exc:
            raise DataFileError(str(exc), location=where) from exc
        return cls(
            id=str(d["id"]),
            title=str(d["title"]),
            pillar=pillar,
            kind=kind,
            unit=str(d["unit"]),
            definition=" ".join(str(d["definition"]).split()),
            sources=tuple(str(s) for s in d["sources"]),
            short_title=str(d.get("short_title", "")),
            breakdowns=tuple(str(b) for b in d.get("breakdowns", ())),
            sdg=str(d.get("sdg", "")),
            higher_is_better=bool(d.get("higher_is_better", True)),
            notes=" ".join(str(d.get("notes", "")).split()),
            tags=tuple(str(t) for t in d.get("tags", ())),
        )

    def to_descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "pillar": self.pillar.value,
            "kind": self.kind.value,
            "unit": self.unit,
            "definition": self.definition,
            "sources": list(self.sources),
        }
        if self.short_title:
            out["short_title"] = self.short_title
        if self.breakdowns:
            out["breakdowns"] = list(self.breakdowns)
        if self.sdg:
            out["sdg"] = self.sdg
        if not self.higher_is_better:
            out["higher_is_better"] = False
        if self.notes:
            out["notes"] = self.notes
        if self.tags:
            out["tags"] = list(self.tags)
        return out


@dataclass(frozen=True)
class Catalogue:
    """An ordered, immutable collection of indicators."""

    indicators: tuple[Indicator, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.id in seen:
                raise DataFileError(
                    Msg("duplicate indicator id %(indicator)s", indicator=repr(ind.id)),
                    location="catalogue",
                )
            seen.add(ind.id)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, indicator_id: object) -> bool:
        return any(i.id == indicator_id for i in self.indicators)

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id, or :class:`UnknownIndicatorError` with suggestions."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        ids = [i.id for i in self.indicators]
        close = difflib.get_close_matches(indicator_id, ids, n=3, cutoff=0.4)
        if not close:
            close = [i for i in ids if indicator_id.lower() in i][:3]
        raise UnknownIndicatorError(indicator_id, suggestions=close)

    def by_pillar(self, pillar: Pillar) -> list[Indicator]:
        return [i for i in self.indicators if i.pillar is pillar]

    @classmethod
    def from_descriptor(cls, items: list[Mapping[str, Any]]) -> Catalogue:
        return cls(tuple(Indicator.from_descriptor(d) for d in items))

    def to_descriptor(self) -> list[dict[str, Any]]:
        return [i.to_descriptor() for i in self.indicators]


@cache
def load_catalogue() -> Catalogue:
    """The bundled catalogue (``equals/indicators/catalogue.yaml``), parsed once."""
    text = resources.files("equals.indicators").joinpath("catalogue.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise DataFileError(
            Msg("expected a mapping with an 'indicators' list"), location="catalogue.yaml"
        )
    return Catalogue.from_descriptor(data["indicators"])
