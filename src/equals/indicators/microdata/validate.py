"""Validate a mapping against the survey data, listing every problem before anything runs.

Checks, each with its stable code (:data:`~equals.indicators.microdata.problems.CODES`):
mapped columns exist (``unknown-column``, with the closest column names); columns and codes
have usable types (``wrong-type``); no code means two things (``conflicting-code``); every
value in the data is covered by the mapping (``unmapped-code``, with row counts); female and
male codes occur (``absent-code``); ages lie within ``age.min``–``age.max``
(``out-of-range``); design columns are complete and weights non-negative. All data checks
are small aggregate queries through the engine (portable SQL), not row loops.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from equals.core.i18n import Msg
from equals.indicators.microdata.harmonise import normalise, value_key
from equals.indicators.microdata.mapping import Categorical, Code, SurveyMapping
from equals.indicators.microdata.positions import locate
from equals.indicators.microdata.problems import MappingReport, Problem, problem
from equals.survey.domains import native
from equals.survey.engine import ColumnKind, Engine
from equals.survey.errors import kind_name
from equals.survey.sql import TABLE

MAX_SHOWN = 10
MAX_VALUES = 1000


@dataclass(frozen=True, slots=True)
class _Coded:
    """One coded spec: its path, column, and (meaning, codes, strict) groups."""

    path: str
    column: str
    groups: tuple[tuple[str, tuple[Code, ...], bool], ...]  # strict: type errors are problems
    required: tuple[str, ...] = ()  # meanings whose codes must occur (sex: female, male)
    exhaustive: bool = True  # every value in the data must be covered


def _coded_specs(m: SurveyMapping) -> list[_Coded]:
    out: list[_Coded] = []

    def cat(path: str, c: Categorical, required: tuple[str, ...] = ()) -> None:
        groups = [(label, codes, True) for label, codes in c.codes]
        groups.append(("missing", c.missing, False))
        if c.out_of_scope:
            groups.append(("out_of_scope", c.out_of_scope, False))
        out.append(_Coded(path, c.column, tuple(groups), required))

    if m.sex:
        cat("sex", m.sex, ("female", "male"))
    if m.age_group:
        cat("age_group", m.age_group)
    for name in ("location", "education", "labour_force"):
        c = m.breakdown(name)
        if c:
            cat(name, c)
    for concept, b in m.concepts:
        groups = (("yes", b.yes, True), ("no", b.no, True), ("missing", b.missing, False))
        out.append(_Coded(f"concepts.{concept}", b.column, groups))
    return out


def _columns(m: SurveyMapping) -> list[tuple[str, str]]:
    """Every (path, column) the mapping names."""
    cols = [("design.weight", m.design.weight)]
    cols += [(f"design.{k}", getattr(m.design, k)) for k in ("strata", "psu", "fpc")]
    if m.households:
        cols.append(("households.weight", m.households.weight))
        cols.append(("households.column", m.households.column or ""))
    if m.age:
        cols.append(("age.column", m.age.column))
    cols += [(f"{s.path}.column", s.column) for s in _coded_specs(m)]
    return [(p, c) for p, c in cols if c]


def _closest(column: str, available: Sequence[str]) -> list[str]:
    lower = {c.lower(): c for c in available}
    close = difflib.get_close_matches(column.lower(), list(lower), n=3, cutoff=0.5)
    return [lower[c] for c in close]


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _listed(items: Sequence[str]) -> str:
    """``items`` joined by ", ", each rendered in the reader's language where one is a Msg."""
    out = items[0]
    for item in items[1:]:
        out = Msg("%(list)s, %(item)s", list=out, item=item)
    return out


def _unmapped(column: str, unmapped: Sequence[tuple[object, int]], seen: int) -> Msg:
    """The ``unmapped-code`` message: the values (with their row counts) the mapping misses."""
    shown: list[str] = [
        Msg("%(value)s (%(count)s rows)", value=_shown(v), count=n) for v, n in unmapped[:MAX_SHOWN]
    ]
    more = unmapped[MAX_SHOWN:]
    values = _listed(shown)
    if more:
        values = Msg(
            "%(values)s, and %(count)s more value(s) (%(rows)s rows)",
            values=values,
            count=len(more),
            rows=sum(n for _, n in more),
        )
    if seen > MAX_VALUES:
        values = Msg(
            "%(values)s (first %(max)s distinct values checked)", values=values, max=MAX_VALUES
        )
    return Msg(
        "column %(column)s has values the mapping does not cover: %(values)s",
        column=repr(column),
        values=values,
    )


def _absent(label: str, codes: Sequence[object], column: str) -> Msg:
    """The ``absent-code`` message: no row has the codes of ``label`` (female, male …)."""
    listed, col = ", ".join(_shown(c) for c in codes), repr(column)
    if label == "female":
        return Msg(
            "no row has a female code (%(codes)s) in column %(column)s", codes=listed, column=col
        )
    if label == "male":
        return Msg(
            "no row has a male code (%(codes)s) in column %(column)s", codes=listed, column=col
        )
    if label == "codes":
        return Msg(
            "no row has a codes code (%(codes)s) in column %(column)s", codes=listed, column=col
        )
    return Msg(
        "no row has a %(label)s code (%(codes)s) in column %(column)s",
        label=label,
        codes=listed,
        column=col,
    )


def validate_mapping(mapping: SurveyMapping, engine: Engine) -> MappingReport:
    """Every problem of ``mapping`` against the data behind ``engine`` (empty: valid)."""
    name = mapping.name
    data = Path(engine.location).name or engine.location
    d = engine.dialect
    schema = engine.schema()
    problems: list[Problem] = []

    def add(code: str, path: str, message: Msg) -> None:
        problems.append(locate(problem(code, message, name, path), mapping.positions))

    present: set[str] = set()
    for path, column in _columns(mapping):
        if column in schema:
            present.add(column)
            continue
        close = _closest(column, list(schema))
        message = (
            Msg(
                "no column %(column)s in %(data)s (closest: %(close)s)",
                column=repr(column),
                data=data,
                close=", ".join(close),
            )
            if close
            else Msg(
                "no column %(column)s in %(data)s (columns: %(columns)s)",
                column=repr(column),
                data=data,
                columns=", ".join(list(schema)[:20]) + (", …" if len(schema) > 20 else ""),
            )
        )
        add("unknown-column", path, message)

    # types of numeric columns
    numeric: list[tuple[str, str | None]] = [
        ("design.weight", mapping.design.weight),
        ("design.fpc", mapping.design.fpc),
    ]
    if mapping.households:
        numeric.append(("households.weight", mapping.households.weight))
    if mapping.age:
        numeric.append(("age.column", mapping.age.column))
    for path, col in numeric:
        if col and col in present and schema[col] is not ColumnKind.NUMERIC:
            add(
                "wrong-type",
                path,
                Msg(
                    "column %(column)s is %(kind)s, not numeric",
                    column=repr(col),
                    kind=kind_name(schema[col]),
                ),
            )

    # codes: types and conflicts, then the values in the data
    counts_cache: dict[str, list[tuple[object, int]]] = {}

    def counts(column: str) -> list[tuple[object, int]]:
        if column not in counts_cache:
            c = d.ident(column)
            frame = engine.query(
                f"SELECT {c} AS v, COUNT(*) AS n FROM {TABLE} WHERE {c} IS NOT NULL "
                f"GROUP BY {c} ORDER BY 2 DESC LIMIT {MAX_VALUES + 1}"
            )
            counts_cache[column] = [
                (native(v), int(n)) for v, n in zip(frame["v"], frame["n"], strict=True)
            ]
        return counts_cache[column]

    specs = _coded_specs(mapping)
    if mapping.households and mapping.households.column:
        specs.append(
            _Coded(
                "households",
                mapping.households.column,
                (("codes", mapping.households.codes, True),),
                ("codes",),
                exhaustive=False,
            )
        )
    for spec in specs:
        if spec.column not in present:
            continue
        kind = schema[spec.column]
        if kind is ColumnKind.OTHER:
            add(
                "wrong-type",
                f"{spec.path}.column",
                Msg("column %(column)s holds neither numbers nor text", column=repr(spec.column)),
            )
            continue
        meaning: dict[object, str] = {}
        for label, codes, strict in spec.groups:
            for code in codes:
                value = normalise(code, kind)
                if value is None:
                    if strict:
                        add(
                            "wrong-type",
                            f"{spec.path}.{label}",
                            Msg(
                                "code %(code)s cannot occur in %(kind)s column %(column)s",
                                code=_shown(code),
                                kind=kind_name(kind),
                                column=repr(spec.column),
                            ),
                        )
                    continue
                if value in meaning and meaning[value] != label:
                    add(
                        "conflicting-code",
                        f"{spec.path}.{label}",
                        Msg(
                            "code %(code)s is mapped to both %(first)s and %(second)s",
                            code=_shown(code),
                            first=repr(meaning[value]),
                            second=repr(label),
                        ),
                    )
                meaning.setdefault(value, label)
        seen = counts(spec.column)
        unmapped = [(v, n) for v, n in seen if value_key(v, kind) not in meaning]
        if unmapped and spec.exhaustive:
            add("unmapped-code", spec.path, _unmapped(spec.column, unmapped, len(seen)))
        found = Counter({value_key(v, kind): n for v, n in seen})
        for label in spec.required:
            codes = next(cs for lab, cs, _ in spec.groups if lab == label)
            values = [normalise(c, kind) for c in codes]
            if not any(v is not None and found.get(v) for v in values):
                add("absent-code", f"{spec.path}.{label}", _absent(label, codes, spec.column))

    # ages within range
    age = mapping.age
    if age and age.column in present and schema[age.column] is ColumnKind.NUMERIC:
        a = f"CAST({d.ident(age.column)} AS DOUBLE)"
        out = f"({a} < {age.min:g} OR {a} > {age.max:g})"
        row = engine.query(
            f"SELECT SUM(CASE WHEN {out} THEN 1 ELSE 0 END) AS bad, "
            f"MIN({a}) AS lo, MAX({a}) AS hi FROM {TABLE}"
        ).iloc[0]
        bad = int(row["bad"] or 0)
        if bad:
            add(
                "out-of-range",
                "age.column",
                Msg(
                    "column %(column)s has %(count)s value(s) outside %(min)s to %(max)s "
                    "(smallest %(lo)s, largest %(hi)s)",
                    column=repr(age.column),
                    count=bad,
                    min=format(age.min, "g"),
                    max=format(age.max, "g"),
                    lo=format(float(row["lo"]), "g"),
                    hi=format(float(row["hi"]), "g"),
                ),
            )

    # design columns complete, weights non-negative
    design_cols = [
        (p, c) for p, c in _columns(mapping) if p.startswith(("design.", "households.w"))
    ]
    design_cols = [(p, c) for p, c in design_cols if c in present]
    if design_cols:
        sel = [
            f"SUM(CASE WHEN {d.ident(c)} IS NULL THEN 1 ELSE 0 END) AS null_{i}"
            for i, (_, c) in enumerate(design_cols)
        ]
        weights = [
            (i, p, c)
            for i, (p, c) in enumerate(design_cols)
            if p in ("design.weight", "households.weight") and schema[c] is ColumnKind.NUMERIC
        ]
        for i, _, c in weights:
            w = f"CAST({d.ident(c)} AS DOUBLE)"
            sel.append(f"SUM(CASE WHEN {w} < 0 THEN 1 ELSE 0 END) AS neg_{i}")
            sel.append(f"MIN({w}) AS min_{i}")
        row = engine.query(f"SELECT {', '.join(sel)} FROM {TABLE}").iloc[0]
        for i, (path, column) in enumerate(design_cols):
            missing = int(row[f"null_{i}"] or 0)
            if missing:
                add(
                    "missing-design-value",
                    path,
                    Msg(
                        "column %(column)s has %(count)s missing value(s); design variables must "
                        "be complete",
                        column=repr(column),
                        count=missing,
                    ),
                )
        for i, path, column in weights:
            neg = int(row[f"neg_{i}"] or 0)
            if neg:
                add(
                    "negative-weight",
                    path,
                    Msg(
                        "column %(column)s has %(count)s negative value(s) (smallest %(min)s)",
                        column=repr(column),
                        count=neg,
                        min=format(float(row[f"min_{i}"]), "g"),
                    ),
                )
    return MappingReport(name, data, tuple(problems))
