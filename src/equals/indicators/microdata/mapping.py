"""The survey variable mapping: a survey's own columns and codes → harmonised concepts.

A mapping is a YAML file (see ``tests/indicators/microdata/fixtures/mapping.yaml``)::

    design: {weight: wt, strata: stratum, psu: cluster}     # fpc, lonely_psu optional
    sex: {column: b4, female: [2], male: [1], missing: [9]}
    age: {column: b5, min: 0, max: 120, groups: ["15-24", "25-74", "75+"]}
    location: {column: ur, urban: [1], rural: [2]}
    education: {column: edu, codes: {primary_or_less: [1, 2], tertiary: [5]}, missing: [9]}
    labour_force: {column: lfs, codes: {employed: [1], unemployed: [2]}}
    concepts:
      internet_use: {column: q7, "yes": [1], "no": [2], missing: [8, 9, DK]}
    households: {weight: hhwt, column: relation, codes: [1]}   # household rows of a person file
    source: {id: xyz-ict-2023, organisation: ..., title: ..., licence: ...}
    country: KEN
    year: 2023

Instead of ``age`` a coded ``age_group: {column, codes: {"15-24": [1]}, out_of_scope: [0]}``.
``unit: households`` says each row is a household (household indicators only).
``scope: {min_age, max_age}`` overrides the definitions' age scope for every indicator.
Codes may be numbers or text; a scalar is a one-code list. Quote ``"yes"``/``"no"`` keys
(YAML 1.1 reads them as booleans; unquoted ones are accepted too).

:func:`parse_mapping` collects every shape problem of the file (code ``mapping-invalid``)
instead of stopping at the first; :func:`load_mapping` raises them as one
:class:`~equals.indicators.microdata.problems.MappingError`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from equals.core.i18n import Msg
from equals.indicators.microdata.definitions import Unit, load_itu_indicators
from equals.indicators.microdata.positions import locate_all, yaml_positions
from equals.indicators.microdata.problems import MappingError, Problem, problem
from equals.survey.design import LonelyPSU

Code = str | int | float | bool
Codes = tuple[Code, ...]
ITU_AGE_GROUPS = ("15-24", "25-74", "75+")
_GROUP = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)|(\+))\s*$")


@dataclass(frozen=True, slots=True)
class DesignMap:
    weight: str
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    lonely_psu: LonelyPSU = LonelyPSU.ERROR

    def to_descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"weight": self.weight}
        for k in ("strata", "psu", "fpc"):
            if getattr(self, k):
                out[k] = getattr(self, k)
        if self.lonely_psu is not LonelyPSU.ERROR:
            out["lonely_psu"] = self.lonely_psu.value
        return out


@dataclass(frozen=True, slots=True)
class Categorical:
    """A coded column: harmonised label → the survey's codes (in order), plus missing codes."""

    column: str
    codes: tuple[tuple[str, Codes], ...]
    missing: Codes = ()
    out_of_scope: Codes = ()  # age groups only: codes of people outside every scope

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.codes)

    def all_codes(self) -> Codes:
        return tuple(c for _, cs in self.codes for c in cs) + self.missing + self.out_of_scope


@dataclass(frozen=True, slots=True)
class Binary:
    """A yes/no concept: codes meaning 1, codes meaning 0, codes meaning missing."""

    column: str
    yes: Codes
    no: Codes
    missing: Codes = ()

    def all_codes(self) -> Codes:
        return self.yes + self.no + self.missing

    def to_descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"column": self.column, "yes": list(self.yes), "no": list(self.no)}
        if self.missing:
            out["missing"] = list(self.missing)
        return out


@dataclass(frozen=True, slots=True)
class AgeGroup:
    low: int
    high: int | None  # inclusive; None: no upper bound

    @property
    def label(self) -> str:
        return f"{self.low}+" if self.high is None else f"{self.low}-{self.high}"


@dataclass(frozen=True, slots=True)
class AgeMap:
    column: str
    min: float = 0
    max: float = 120
    groups: tuple[AgeGroup, ...] = (AgeGroup(15, 24), AgeGroup(25, 74), AgeGroup(75, None))

    def to_descriptor(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "min": self.min,
            "max": self.max,
            "groups": [g.label for g in self.groups],
        }


@dataclass(frozen=True, slots=True)
class HouseholdMap:
    """Household rows of a person-level file: ``column`` in ``codes`` (e.g. the household
    head) with the household ``weight``; without ``column`` every row is a household."""

    weight: str
    column: str | None = None
    codes: Codes = ()

    def to_descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"weight": self.weight}
        if self.column:
            out["column"] = self.column
            out["codes"] = list(self.codes)
        return out


@dataclass(frozen=True, slots=True)
class ScopeOverride:
    min_age: int | None = None
    max_age: int | None = None


SOURCE_FIELDS = (
    "id",
    "organisation",
    "title",
    "licence",
    "licence_url",
    "retrieved_from",
    "citation",
    "notes",
)


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """How to cite the survey when publishing (every field optional here)."""

    id: str = ""
    organisation: str = ""
    title: str = ""
    licence: str = ""
    licence_url: str = ""
    retrieved_from: str = ""
    citation: str = ""
    notes: str = ""

    def to_descriptor(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in SOURCE_FIELDS if getattr(self, k)}


BREAKDOWN_FIELDS = ("age_group", "location", "education", "labour_force")
TOP_KEYS = (
    "survey",
    "unit",
    "design",
    "sex",
    "age",
    "age_group",
    "location",
    "education",
    "labour_force",
    "concepts",
    "households",
    "scope",
    "source",
    "country",
    "year",
)


@dataclass(frozen=True)
class SurveyMapping:
    """A parsed mapping. ``name`` (the file name) prefixes every problem location."""

    design: DesignMap
    name: str = "mapping.yaml"
    survey: str = ""
    unit: Unit = Unit.INDIVIDUALS
    sex: Categorical | None = None
    age: AgeMap | None = None
    age_group: Categorical | None = None
    location: Categorical | None = None
    education: Categorical | None = None
    labour_force: Categorical | None = None
    concepts: tuple[tuple[str, Binary], ...] = ()
    households: HouseholdMap | None = None
    scope: ScopeOverride | None = None
    source: SourceInfo | None = None
    country: str | None = None
    year: int | None = None
    # Line and column of each key of the file it was read from (problems name them).
    positions: Mapping[str, tuple[int, int]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _concepts: dict[str, Binary] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_concepts", dict(self.concepts))

    def concept(self, name: str) -> Binary | None:
        return self._concepts.get(name)

    @property
    def concept_names(self) -> tuple[str, ...]:
        return tuple(self._concepts)

    def breakdown(self, name: str) -> Categorical | None:
        """The coded column of a breakdown (``age_group`` only when coded, not from ``age``)."""
        value = getattr(self, name) if name in BREAKDOWN_FIELDS else None
        return value if isinstance(value, Categorical) else None

    def has_breakdown(self, name: str) -> bool:
        if name == "age_group":
            return self.age is not None or self.age_group is not None
        if name == "sex":
            return self.sex is not None
        return self.breakdown(name) is not None

    @classmethod
    def from_descriptor(cls, d: Any, *, name: str = "mapping.yaml") -> SurveyMapping:
        mapping, problems = parse_mapping(d, name=name)
        if mapping is None or problems:
            raise MappingError.of(name, "", problems)
        return mapping

    def to_descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.survey:
            out["survey"] = self.survey
        if self.unit is not Unit.INDIVIDUALS:
            out["unit"] = self.unit.value
        out["design"] = self.design.to_descriptor()
        if self.sex:
            out["sex"] = _labelled(self.sex, ("female", "male"))
        if self.age:
            out["age"] = self.age.to_descriptor()
        if self.age_group:
            out["age_group"] = _coded(self.age_group)
        if self.location:
            out["location"] = _labelled(self.location, ("urban", "rural"))
        for key in ("education", "labour_force"):
            cat = getattr(self, key)
            if cat:
                out[key] = _coded(cat)
        out["concepts"] = {k: b.to_descriptor() for k, b in self.concepts}
        if self.households:
            out["households"] = self.households.to_descriptor()
        if self.scope:
            out["scope"] = {"min_age": self.scope.min_age, "max_age": self.scope.max_age}
        if self.source:
            out["source"] = self.source.to_descriptor()
        if self.country:
            out["country"] = self.country
        if self.year is not None:
            out["year"] = self.year
        return out


def _labelled(cat: Categorical, labels: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"column": cat.column}
    out.update({label: list(codes) for label, codes in cat.codes if label in labels})
    if cat.missing:
        out["missing"] = list(cat.missing)
    return out


def _coded(cat: Categorical) -> dict[str, Any]:
    out: dict[str, Any] = {"column": cat.column, "codes": {k: list(v) for k, v in cat.codes}}
    if cat.missing:
        out["missing"] = list(cat.missing)
    if cat.out_of_scope:
        out["out_of_scope"] = list(cat.out_of_scope)
    return out


class _Reader:
    """Reads the descriptor, recording a ``mapping-invalid`` problem for each bad part."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def bad(self, path: str, message: str) -> None:
        self.problems.append(problem("mapping-invalid", message, self.name, path))

    def block(self, d: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(d, Mapping):
            self.bad(path, Msg("expected a mapping of keys, got %(type)s", type=type(d).__name__))
            return None
        out = {_key(k): v for k, v in d.items()}
        for k in out:
            if k not in allowed:
                close = difflib.get_close_matches(k, allowed, n=1)
                where = k if path == "(top)" else f"{path}.{k}"
                names = ", ".join(allowed)
                self.bad(
                    where,
                    Msg(
                        "unknown key %(key)s (did you mean %(close)s?); allowed: %(allowed)s",
                        key=repr(k),
                        close=repr(close[0]),
                        allowed=names,
                    )
                    if close
                    else Msg(
                        "unknown key %(key)s; allowed: %(allowed)s", key=repr(k), allowed=names
                    ),
                )
        return out

    def column(self, d: Mapping[str, Any], key: str, path: str, required: bool = True) -> str:
        v = d.get(key)
        if v is None or v == "":
            if required:
                self.bad(f"{path}.{key}", Msg("missing: name the survey column"))
            return ""
        if not isinstance(v, str | int) or isinstance(v, bool):
            self.bad(
                f"{path}.{key}", Msg("a column name must be text, got %(value)s", value=repr(v))
            )
            return ""
        return str(v)

    def codes(self, d: Mapping[str, Any], key: str, path: str, required: bool = False) -> Codes:
        v = d.get(key)
        if v is None:
            if required:
                self.bad(f"{path}.{key}", Msg("missing: list the survey's codes"))
            return ()
        items = v if isinstance(v, list) else [v]
        out: list[Code] = []
        for item in items:
            if isinstance(item, bool | int | float | str):
                out.append(item)
            else:
                self.bad(
                    f"{path}.{key}",
                    Msg("a code must be a number or text, got %(value)s", value=repr(item)),
                )
        if required and not out:
            self.bad(f"{path}.{key}", Msg("empty: list at least one code"))
        return tuple(out)

    def optional_int(self, d: Mapping[str, Any], key: str, path: str) -> int | None:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.bad(
                f"{path}.{key}" if path else key,
                Msg("expected a whole number, got %(value)s", value=repr(v)),
            )
            return None
        return v


def _key(k: Any) -> str:
    if k is True:
        return "yes"
    if k is False:
        return "no"
    return str(k)


def parse_mapping(
    d: Any, *, name: str = "mapping.yaml"
) -> tuple[SurveyMapping | None, list[Problem]]:
    """The mapping and every shape problem of its descriptor (``None`` if unusable)."""
    r = _Reader(name)
    top = r.block(d, "(top)", TOP_KEYS)
    if top is None:
        return None, r.problems
    design = _design(r, top.get("design"))
    unit = Unit.INDIVIDUALS
    if "unit" in top:
        try:
            unit = Unit(top["unit"])
        except ValueError:
            r.bad(
                "unit",
                Msg("expected individuals or households, got %(value)s", value=repr(top["unit"])),
            )
    sex = _fixed(r, top.get("sex"), "sex", ("female", "male"))
    location = _fixed(r, top.get("location"), "location", ("urban", "rural"))
    age = _age(r, top.get("age"))
    age_group = _free(r, top.get("age_group"), "age_group", out_of_scope=True)
    if age and age_group:
        r.bad("age_group", Msg("give either age (a numeric column) or age_group (codes), not both"))
    education = _free(r, top.get("education"), "education")
    labour = _free(r, top.get("labour_force"), "labour_force")
    concepts = _concepts(r, top.get("concepts"))
    households = _households(r, top.get("households"))
    scope = None
    if top.get("scope") is not None:
        s = r.block(top["scope"], "scope", ("min_age", "max_age"))
        if s is not None:
            scope = ScopeOverride(
                r.optional_int(s, "min_age", "scope"), r.optional_int(s, "max_age", "scope")
            )
    source = None
    if top.get("source") is not None:
        s = r.block(top["source"], "source", SOURCE_FIELDS)
        if s is not None:
            source = SourceInfo(**{k: str(s[k]) for k in SOURCE_FIELDS if s.get(k) is not None})
    country = None if top.get("country") is None else str(top["country"])
    year = r.optional_int(top, "year", "") if "year" in top else None
    if design is None:
        return None, r.problems
    mapping = SurveyMapping(
        design=design,
        name=name,
        survey=str(top.get("survey") or ""),
        unit=unit,
        sex=sex,
        age=age,
        age_group=age_group,
        location=location,
        education=education,
        labour_force=labour,
        concepts=concepts,
        households=households,
        scope=scope,
        source=source,
        country=country,
        year=year,
    )
    return mapping, r.problems


def _design(r: _Reader, d: Any) -> DesignMap | None:
    if d is None:
        r.bad("design", Msg("missing: give at least design.weight"))
        return None
    b = r.block(d, "design", ("weight", "strata", "psu", "fpc", "lonely_psu"))
    if b is None:
        return None
    weight = r.column(b, "weight", "design")
    lonely = LonelyPSU.ERROR
    if b.get("lonely_psu") is not None:
        try:
            lonely = LonelyPSU(b["lonely_psu"])
        except ValueError:
            choices = ", ".join(x.value for x in LonelyPSU)
            r.bad(
                "design.lonely_psu",
                Msg(
                    "expected one of %(choices)s, got %(value)s",
                    choices=choices,
                    value=repr(b["lonely_psu"]),
                ),
            )
    return DesignMap(
        weight=weight,
        strata=r.column(b, "strata", "design", required=False) or None,
        psu=r.column(b, "psu", "design", required=False) or None,
        fpc=r.column(b, "fpc", "design", required=False) or None,
        lonely_psu=lonely,
    )


def _fixed(r: _Reader, d: Any, path: str, labels: tuple[str, ...]) -> Categorical | None:
    if d is None:
        return None
    b = r.block(d, path, ("column", *labels, "missing"))
    if b is None:
        return None
    codes = tuple((label, r.codes(b, label, path, required=True)) for label in labels)
    return Categorical(r.column(b, "column", path), codes, r.codes(b, "missing", path))


def _free(r: _Reader, d: Any, path: str, *, out_of_scope: bool = False) -> Categorical | None:
    if d is None:
        return None
    keys = ("column", "codes", "missing", *(("out_of_scope",) if out_of_scope else ()))
    b = r.block(d, path, keys)
    if b is None:
        return None
    raw = b.get("codes")
    codes: list[tuple[str, Codes]] = []
    if not isinstance(raw, Mapping) or not raw:
        r.bad(f"{path}.codes", Msg("missing: map each category label to the survey's codes"))
    else:
        for label in raw:
            codes.append((str(label), r.codes(raw, label, f"{path}.codes", required=True)))
    return Categorical(
        r.column(b, "column", path),
        tuple(codes),
        r.codes(b, "missing", path),
        r.codes(b, "out_of_scope", path) if out_of_scope else (),
    )


def _age(r: _Reader, d: Any) -> AgeMap | None:
    if d is None:
        return None
    b = r.block(d, "age", ("column", "min", "max", "groups"))
    if b is None:
        return None
    bounds: dict[str, float] = {}
    for key, default in (("min", 0.0), ("max", 120.0)):
        v = b.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int | float):
            r.bad(f"age.{key}", Msg("expected a number, got %(value)s", value=repr(v)))
            v = default
        bounds[key] = float(v)
    groups: list[AgeGroup] = []
    for g in b.get("groups", ITU_AGE_GROUPS):
        m = _GROUP.match(str(g))
        if not m:
            r.bad(
                "age.groups",
                Msg(
                    "an age group is LOW-HIGH or LOW+ (e.g. 15-24, 75+), got %(value)s",
                    value=repr(g),
                ),
            )
            continue
        low, high = int(m.group(1)), (int(m.group(2)) if m.group(2) else None)
        if high is not None and high < low:
            r.bad("age.groups", Msg("age group %(group)s ends before it starts", group=repr(g)))
            continue
        groups.append(AgeGroup(low, high))
    return AgeMap(r.column(b, "column", "age"), bounds["min"], bounds["max"], tuple(groups))


def _concepts(r: _Reader, d: Any) -> tuple[tuple[str, Binary], ...]:
    known = load_itu_indicators().concepts
    if d is None:
        r.bad(
            "concepts",
            Msg("missing: map at least one concept (%(concepts)s)", concepts=", ".join(known)),
        )
        return ()
    b = r.block(d, "concepts", known)
    if b is None:
        return ()
    out: list[tuple[str, Binary]] = []
    for concept, spec in b.items():
        if concept not in known:
            continue  # reported by block()
        path = f"concepts.{concept}"
        c = r.block(spec, path, ("column", "yes", "no", "missing"))
        if c is None:
            continue
        out.append(
            (
                concept,
                Binary(
                    r.column(c, "column", path),
                    r.codes(c, "yes", path, required=True),
                    r.codes(c, "no", path, required=True),
                    r.codes(c, "missing", path),
                ),
            )
        )
    return tuple(out)


def _households(r: _Reader, d: Any) -> HouseholdMap | None:
    if d is None:
        return None
    b = r.block(d, "households", ("weight", "column", "codes"))
    if b is None:
        return None
    column = r.column(b, "column", "households", required=False) or None
    codes = r.codes(b, "codes", "households", required=column is not None)
    return HouseholdMap(r.column(b, "weight", "households"), column, codes)


def load_mapping(path: str | Path) -> SurveyMapping:
    """Read and parse a mapping file; every shape problem at once as a MappingError."""
    p = Path(path)
    try:
        text = p.read_text("utf-8")
        data = yaml.safe_load(text)
    except OSError as exc:
        raise MappingError.of(
            p.name,
            "",
            [
                problem(
                    "mapping-invalid",
                    Msg("cannot read: %(reason)s", reason=str(exc.strerror)),
                    p.name,
                )
            ],
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        col = None if mark is None else mark.column + 1
        what = getattr(exc, "problem", None) or str(exc)
        raise MappingError.of(
            p.name,
            "",
            [
                problem(
                    "mapping-invalid",
                    Msg("not valid YAML: %(reason)s", reason=what),
                    p.name,
                    line=line,
                    column=col,
                )
            ],
        ) from exc
    mapping, problems = parse_mapping(data, name=p.name)
    positions = yaml_positions(text)
    if mapping is None or problems:
        raise MappingError.of(p.name, "", locate_all(problems, positions))
    return replace(mapping, positions=positions)
