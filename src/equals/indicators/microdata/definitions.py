"""ITU household/individual ICT indicators as declarative definitions (``itu_indicators.yaml``).

Each definition names the harmonised 0/1 *concept* it needs from a survey mapping
(:mod:`equals.indicators.microdata.mapping`), its unit (individuals or households), its
population scope, its breakdowns, and the platform catalogue indicator it publishes to.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from equals.core.errors import DataFileError, UnknownItuIndicatorError
from equals.core.i18n import Msg

FILE = "itu_indicators.yaml"
BREAKDOWNS = ("sex", "age_group", "location", "education", "labour_force")
"""Breakdowns a definition may list; ``sex`` is always estimated for individuals."""


class Unit(StrEnum):
    INDIVIDUALS = "individuals"
    HOUSEHOLDS = "households"


@dataclass(frozen=True, slots=True)
class Scope:
    """Who is counted: ages ``min_age``–``max_age`` inclusive (``None``: no bound)."""

    min_age: int | None = None
    max_age: int | None = None
    reference_period: str = ""

    @property
    def label(self) -> str:
        if self.min_age is None and self.max_age is None:
            return "all ages"
        if self.max_age is None:
            return f"age {self.min_age}+"
        return f"age {self.min_age or 0}-{self.max_age}"

    def to_descriptor(self) -> dict[str, Any]:
        return {
            "min_age": self.min_age,
            "max_age": self.max_age,
            "reference_period": self.reference_period,
        }


@dataclass(frozen=True, slots=True)
class ItuIndicator:
    """One ITU indicator computable from microdata as a proportion of a 0/1 concept."""

    id: str
    itu_code: str
    title: str
    unit: Unit
    statistic: str
    concept: str
    scope: Scope
    breakdowns: tuple[str, ...]
    definition: str
    catalogue_id: str | None = None
    notes: str = ""

    @classmethod
    def from_descriptor(cls, d: Mapping[str, Any]) -> ItuIndicator:
        where = f"{FILE}: indicator {d.get('id', '?')!r}"
        required = ("id", "itu_code", "title", "unit", "statistic", "concept", "definition")
        missing = [k for k in required if not d.get(k)]
        if missing:
            raise DataFileError(
                Msg("missing field(s) %(fields)s", fields=", ".join(missing)), location=where
            )
        unknown = sorted(set(d) - set(cls.__dataclass_fields__))
        if unknown:
            raise DataFileError(
                Msg("unknown field(s) %(fields)s", fields=", ".join(unknown)), location=where
            )
        if d["statistic"] != "proportion":
            raise DataFileError(
                Msg("unsupported statistic %(statistic)s", statistic=repr(d["statistic"])),
                location=where,
            )
        breakdowns = tuple(str(b) for b in d.get("breakdowns", ()))
        bad = [b for b in breakdowns if b not in BREAKDOWNS]
        if bad:
            raise DataFileError(
                Msg("unknown breakdown(s) %(breakdowns)s", breakdowns=", ".join(bad)),
                location=where,
            )
        s = d.get("scope") or {}
        try:
            unit = Unit(d["unit"])
            scope = Scope(
                min_age=None if s.get("min_age") is None else int(s["min_age"]),
                max_age=None if s.get("max_age") is None else int(s["max_age"]),
                reference_period=str(s.get("reference_period", "")),
            )
        except (ValueError, TypeError) as exc:
            raise DataFileError(str(exc), location=where) from exc
        return cls(
            id=str(d["id"]),
            itu_code=str(d["itu_code"]),
            title=str(d["title"]),
            unit=unit,
            statistic=str(d["statistic"]),
            concept=str(d["concept"]),
            scope=scope,
            breakdowns=breakdowns,
            definition=" ".join(str(d["definition"]).split()),
            catalogue_id=None if d.get("catalogue_id") is None else str(d["catalogue_id"]),
            notes=" ".join(str(d.get("notes", "")).split()),
        )

    def to_descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "itu_code": self.itu_code,
            "title": self.title,
            "unit": self.unit.value,
            "statistic": self.statistic,
            "concept": self.concept,
            "scope": self.scope.to_descriptor(),
            "breakdowns": list(self.breakdowns),
            "definition": self.definition,
            "catalogue_id": self.catalogue_id,
        }
        if self.notes:
            out["notes"] = self.notes
        return out


@dataclass(frozen=True)
class ItuIndicators:
    """The ordered, immutable set of definitions."""

    indicators: tuple[ItuIndicator, ...]

    def __post_init__(self) -> None:
        ids = [i.id for i in self.indicators]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise DataFileError(Msg("duplicate id(s) %(ids)s", ids=", ".join(dupes)), location=FILE)

    def __iter__(self) -> Iterator[ItuIndicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, indicator_id: str) -> ItuIndicator:
        """An indicator by id or ITU code (any case); unknown ones get "did you mean"."""
        key = indicator_id.strip().casefold()
        for ind in self.indicators:
            if key in (ind.id.casefold(), ind.itu_code.casefold()):
                return ind
        raise UnknownItuIndicatorError(
            indicator_id, suggestions=closest_itu(indicator_id, self.indicators)
        )

    @property
    def concepts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.concept for i in self.indicators))

    @classmethod
    def from_descriptor(cls, items: list[Mapping[str, Any]]) -> ItuIndicators:
        return cls(tuple(ItuIndicator.from_descriptor(d) for d in items))

    def to_descriptor(self) -> list[dict[str, Any]]:
        return [i.to_descriptor() for i in self.indicators]


def closest_itu(name: str, indicators: Iterable[ItuIndicator]) -> list[str]:
    """Up to three ITU codes or ids close to ``name`` (codes first: ``HH99`` → HH9, HH6…)."""
    items = list(indicators)
    by_key = {i.itu_code.casefold(): i.itu_code for i in items}
    by_key.update({i.id.casefold(): i.id for i in items})
    close = difflib.get_close_matches(name.strip().casefold(), list(by_key), n=3, cutoff=0.5)
    return [by_key[c] for c in close]


@cache
def load_itu_indicators() -> ItuIndicators:
    """The bundled definitions, parsed once."""
    pkg = resources.files("equals.indicators.microdata")
    data = yaml.safe_load(pkg.joinpath(FILE).read_text("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise DataFileError(Msg("expected a mapping with an 'indicators' list"), location=FILE)
    return ItuIndicators.from_descriptor(data["indicators"])
