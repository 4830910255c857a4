"""The composite index's method as data: ``index_method.yaml`` loaded into frozen dataclasses.

:func:`load_method` validates every field and names the file and field of any problem; the
result round-trips through :meth:`IndexMethod.to_descriptor`. :meth:`IndexMethod.with_choices`
gives the same method with other weights, window or aggregation (what the Monte Carlo varies).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.core.vocabulary import Pillar
from equals.releases.validate import Joined

METHOD_FILE = "index_method.yaml"
PILLARS: tuple[Pillar, ...] = (Pillar.ACCESS, Pillar.SKILLS, Pillar.LEADERSHIP)


class WeightScheme(StrEnum):
    EQUAL = "equal"
    SD = "sd"


class Aggregation(StrEnum):
    ARITHMETIC = "arithmetic"
    GEOMETRIC = "geometric"


@dataclass(frozen=True, slots=True)
class Component:
    """One scored item of a pillar: one indicator, or the mean of several (ICT skill items)."""

    id: str
    pillar: Pillar
    indicators: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Uncertainty:
    draws: int
    seed: int
    interval: tuple[float, float]
    weights: tuple[WeightScheme, ...]
    windows: tuple[int, ...]
    aggregations: tuple[Aggregation, ...]


@dataclass(frozen=True, slots=True)
class IndexMethod:
    id: str
    version: str
    title: str
    summary: str
    reference_year: int | None  # None = the latest year of any index indicator's data
    window: int
    truncate_at: float
    weights: WeightScheme
    aggregation: Aggregation
    min_components: Mapping[Pillar, int]
    components: tuple[Component, ...]
    uncertainty: Uncertainty
    excluded: Mapping[str, str]

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(i for c in self.components for i in c.indicators)

    def pillar_components(self, pillar: Pillar) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.pillar is pillar)

    def with_choices(
        self,
        *,
        weights: WeightScheme | None = None,
        window: int | None = None,
        aggregation: Aggregation | None = None,
    ) -> IndexMethod:
        return replace(
            self,
            weights=weights or self.weights,
            window=window or self.window,
            aggregation=aggregation or self.aggregation,
        )

    def to_descriptor(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "summary": self.summary,
            "reference_year": "latest" if self.reference_year is None else self.reference_year,
            "window": self.window,
            "truncate_at": self.truncate_at,
            "weights": self.weights.value,
            "aggregation": self.aggregation.value,
            "min_components": {p.value: n for p, n in self.min_components.items()},
            "pillars": {
                p.value: [
                    {"id": c.id, "indicators": list(c.indicators)}
                    | ({"title": c.title} if c.title else {})
                    for c in self.pillar_components(p)
                ]
                for p in PILLARS
            },
            "excluded": dict(self.excluded),
            "uncertainty": {
                "draws": self.uncertainty.draws,
                "seed": self.uncertainty.seed,
                "interval": list(self.uncertainty.interval),
                "alternatives": {
                    "weights": [w.value for w in self.uncertainty.weights],
                    "window": list(self.uncertainty.windows),
                    "aggregation": [a.value for a in self.uncertainty.aggregations],
                },
            },
        }


class _Reader:
    """Field access that names the file and field of every problem."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, field: str, message: str) -> DataFileError:
        return DataFileError(Joined((field, message), ": "), location=self.where)

    def get(self, data: Mapping[str, Any], key: str, kind: type, field: str = "") -> Any:
        name = field or key
        if key not in data:
            raise self.fail(name, Msg("missing"))
        value = data[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(name, Msg("expected an integer, got %(value)s", value=repr(value)))
        if kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise self.fail(name, Msg("expected a number, got %(value)s", value=repr(value)))
        if kind not in (int, float) and not isinstance(value, kind):
            raise self.fail(
                name,
                Msg(
                    "expected %(kind)s, got %(type)s",
                    kind=kind.__name__,
                    type=type(value).__name__,
                ),
            )
        return value

    def enum(self, enum: type[StrEnum], value: Any, field: str) -> Any:
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise self.fail(
                field,
                Msg("%(value)s is not one of %(allowed)s", value=repr(value), allowed=allowed),
            ) from None


def method_from_descriptor(
    data: Any, *, where: str = METHOD_FILE, known_indicators: frozenset[str] | None = None
) -> IndexMethod:
    """Build and validate a method from its descriptor (the parsed YAML)."""
    r = _Reader(where)
    if not isinstance(data, dict):
        raise r.fail("(top level)", Msg("expected a mapping"))
    ref = data.get("reference_year", "latest")
    if ref != "latest" and (isinstance(ref, bool) or not isinstance(ref, int)):
        raise r.fail(
            "reference_year", Msg("expected a year or 'latest', got %(value)s", value=repr(ref))
        )
    window = r.get(data, "window", int)
    if window < 1:
        raise r.fail("window", Msg("must be at least 1 year"))
    truncate_at = float(r.get(data, "truncate_at", float))
    if not (truncate_at > 0 and math.isfinite(truncate_at)):
        raise r.fail("truncate_at", Msg("must be a positive finite number"))
    pillars = r.get(data, "pillars", dict)
    components: list[Component] = []
    seen: set[str] = set()
    for p in PILLARS:
        items = r.get(pillars, p.value, list, f"pillars.{p.value}")
        for i, item in enumerate(items):
            f = f"pillars.{p.value}[{i}]"
            if not isinstance(item, dict):
                raise r.fail(f, Msg("expected a mapping with id and indicators"))
            cid = r.get(item, "id", str, f"{f}.id")
            inds = r.get(item, "indicators", list, f"{f}.indicators")
            if not inds or not all(isinstance(x, str) for x in inds):
                raise r.fail(f"{f}.indicators", Msg("expected a non-empty list of indicator ids"))
            for ind in inds:
                if known_indicators is not None and ind not in known_indicators:
                    raise r.fail(
                        f"{f}.indicators", Msg("unknown indicator %(value)s", value=repr(ind))
                    )
                if ind in seen:
                    raise r.fail(
                        f"{f}.indicators", Msg("indicator %(value)s used twice", value=repr(ind))
                    )
                seen.add(ind)
            if cid in {c.id for c in components}:
                raise r.fail(f"{f}.id", Msg("duplicate component id %(value)s", value=repr(cid)))
            components.append(Component(cid, p, tuple(inds), str(item.get("title", ""))))
    extra = sorted(set(pillars) - {p.value for p in PILLARS})
    if extra:
        raise r.fail("pillars", Msg("unknown pillar(s) %(names)s", names=str(extra)))
    mins_raw = r.get(data, "min_components", dict)
    mins: dict[Pillar, int] = {}
    for p in PILLARS:
        n = r.get(mins_raw, p.value, int, f"min_components.{p.value}")
        have = sum(1 for c in components if c.pillar is p)
        if not 1 <= n <= have:
            raise r.fail(
                f"min_components.{p.value}", Msg("must be between 1 and %(max)s", max=have)
            )
        mins[p] = n
    unc = r.get(data, "uncertainty", dict)
    alt = r.get(unc, "alternatives", dict, "uncertainty.alternatives")
    draws = r.get(unc, "draws", int, "uncertainty.draws")
    if not 1 <= draws <= 100_000:
        raise r.fail("uncertainty.draws", Msg("must be between 1 and %(max)s", max=100000))
    interval = r.get(unc, "interval", list, "uncertainty.interval")
    if (
        len(interval) != 2
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in interval)
        or not 0 <= interval[0] < interval[1] <= 100
    ):
        raise r.fail(
            "uncertainty.interval", Msg("expected [low, high] percentiles, 0 <= low < high")
        )
    windows = r.get(alt, "window", list, "uncertainty.alternatives.window")
    if not windows or not all(
        isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in windows
    ):
        raise r.fail("uncertainty.alternatives.window", Msg("expected a list of positive integers"))
    excluded = data.get("excluded") or {}
    if not isinstance(excluded, dict):
        raise r.fail("excluded", Msg("expected a mapping of indicator id to reason"))
    return IndexMethod(
        id=r.get(data, "id", str),
        version=str(r.get(data, "version", str)),
        title=r.get(data, "title", str),
        summary=" ".join(str(data.get("summary", "")).split()),
        reference_year=None if ref == "latest" else int(ref),
        window=window,
        truncate_at=truncate_at,
        weights=r.enum(WeightScheme, data.get("weights"), "weights"),
        aggregation=r.enum(Aggregation, data.get("aggregation"), "aggregation"),
        min_components=mins,
        components=tuple(components),
        uncertainty=Uncertainty(
            draws=draws,
            seed=r.get(unc, "seed", int, "uncertainty.seed"),
            interval=(float(interval[0]), float(interval[1])),
            weights=tuple(
                r.enum(WeightScheme, w, "uncertainty.alternatives.weights")
                for w in r.get(alt, "weights", list, "uncertainty.alternatives.weights")
            ),
            windows=tuple(int(w) for w in windows),
            aggregations=tuple(
                r.enum(Aggregation, a, "uncertainty.alternatives.aggregation")
                for a in r.get(alt, "aggregation", list, "uncertainty.alternatives.aggregation")
            ),
        ),
        excluded={str(k): " ".join(str(v).split()) for k, v in excluded.items()},
    )


def load_method(
    path: Path | None = None, *, known_indicators: frozenset[str] | None = None
) -> IndexMethod:
    """The bundled method (``index_method.yaml``), or the method file at ``path``."""
    if path is None:
        text = resources.files("equals.analysis").joinpath(METHOD_FILE).read_text("utf-8")
        where = f"equals/analysis/{METHOD_FILE}"
    else:
        if not path.is_file():
            raise DataFileError(Msg("file not found"), location=str(path))
        text, where = path.read_text("utf-8"), str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(
            Msg("not valid YAML: %(reason)s", reason=str(exc)), location=where
        ) from exc
    return method_from_descriptor(data, where=where, known_indicators=known_indicators)
