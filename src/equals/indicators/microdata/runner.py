"""Compute every ITU indicator a mapping allows: by sex and each breakdown, with gender gaps.

For each runnable indicator the runner estimates the proportion of in-scope units whose
concept is 1 — overall, by sex, by each breakdown and by sex × breakdown — with SE, CI,
design effect, CV, n and quality flags (:func:`equals.survey.estimate`), and the gender gaps
overall and by each breakdown (:func:`equals.survey.gender_gaps`). Indicators it cannot
compute are listed with the reason.

Scope (e.g. age 15+) is a *domain*, not a filter: out-of-scope rows stay in the design (their
PSUs count), as R's ``subset(design, age >= 15)``. Rows whose concept is missing (a missing
code, or NULL) leave that estimate and are counted in its ``missing`` (R ``na.rm=TRUE``).
Indicators that share a design, scope and breakdowns are estimated together, one aggregation
pass per domain set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from equals.core.errors import EqualsError, NotFoundError, UnknownItuIndicatorError
from equals.core.i18n import Msg
from equals.indicators.microdata.definitions import (
    ItuIndicator,
    Unit,
    closest_itu,
    load_itu_indicators,
)
from equals.indicators.microdata.harmonise import (
    age_scope_sql,
    codes_scope_sql,
    design_of,
    harmonised_engine,
)
from equals.indicators.microdata.mapping import SurveyMapping
from equals.indicators.microdata.problems import MappingError
from equals.indicators.microdata.validate import validate_mapping
from equals.survey import (
    Estimate,
    EstimationOptions,
    GapEstimate,
    aggregate_many,
    open_engine,
    proportion,
)
from equals.survey.engine import Engine
from equals.survey.results import STAT_COLUMNS, clean

if TYPE_CHECKING:
    import pandas as pd

SCOPE_PREFIX = "scope__"

RECORD_COLUMNS = (
    "indicator",
    "itu_code",
    "catalogue_id",
    "concept",
    "statistic",
    "sex",
    "breakdown",
    *STAT_COLUMNS,
    "flags",
)
"""Columns of :meth:`IndicatorRun.records`: one tidy row per estimate or gap measure."""


@dataclass(frozen=True)
class IndicatorResult:
    """Estimates (domains keyed by ``sex`` and breakdown names) and gaps of one indicator."""

    indicator: ItuIndicator
    estimates: tuple[Estimate, ...]
    gaps: tuple[GapEstimate, ...]
    scope: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    indicator: ItuIndicator
    reason: str

    def to_record(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.id,
            "itu_code": self.indicator.itu_code,
            "reason": self.reason,
        }

    @property
    def message(self) -> Msg:
        """ "skipped <ITU code>: <reason>", for the person who ran it (English as a str)."""
        return Msg("skipped %(code)s: %(reason)s", code=self.indicator.itu_code, reason=self.reason)


def breakdown_of(domain: dict[str, Any] | Any) -> tuple[str, str]:
    """(sex, breakdown) of a result domain: sex 'total' when absent, 'key=value' or ''."""
    sex = str(domain.get("sex", "total"))
    rest = [f"{k}={v}" for k, v in domain.items() if k != "sex"]
    return sex, ";".join(sorted(rest))


class SkippedIndicatorError(NotFoundError):
    """The indicator exists but this run could not compute it (the mapping lacks a concept,
    or no respondent is in scope); the message gives the reason."""

    code = "indicator-skipped"

    def __init__(self, skipped: Skipped) -> None:
        EqualsError.__init__(
            self,
            Msg(
                "%(code)s was not computed in this run: %(reason)s",
                code=skipped.indicator.itu_code,
                reason=skipped.reason,
            ),
        )
        self.kind = "ITU indicator"
        self.value = skipped.indicator.itu_code


@dataclass(frozen=True)
class IndicatorRun:
    """Everything one run computed (``results``) and could not (``skipped``)."""

    data: str
    mapping: str
    results: tuple[IndicatorResult, ...]
    skipped: tuple[Skipped, ...]
    ci_level: float = 0.95  # the confidence level of every interval (EstimationOptions.level)

    def result(self, indicator: str) -> IndicatorResult:
        key = indicator.strip().casefold()
        for r in self.results:
            if key in (r.indicator.id.casefold(), r.indicator.itu_code.casefold()):
                return r
        for s in self.skipped:
            if key in (s.indicator.id.casefold(), s.indicator.itu_code.casefold()):
                raise SkippedIndicatorError(s)
        raise UnknownItuIndicatorError(
            indicator, suggestions=closest_itu(indicator, (r.indicator for r in self.results))
        )

    def records(self) -> list[dict[str, Any]]:
        """Tidy rows: ``statistic`` proportion (sex female/male/total) or a gap measure
        (difference M−F, parity F/M, relative_gap (M−F)/M; sex '')."""
        out: list[dict[str, Any]] = []
        for r in self.results:
            ind = r.indicator
            base = {
                "indicator": ind.id,
                "itu_code": ind.itu_code,
                "catalogue_id": ind.catalogue_id,
                "concept": ind.concept,
            }
            for e in r.estimates:
                sex, breakdown = breakdown_of(e.domain)
                rec = e.to_record()
                out.append(
                    {
                        **base,
                        "statistic": e.statistic,
                        "sex": sex,
                        "breakdown": breakdown,
                        **{k: rec[k] for k in STAT_COLUMNS},
                        "flags": list(e.flags),
                    }
                )
            for g in r.gaps:
                _, breakdown = breakdown_of(g.domain)
                for stat in ("difference", "parity", "relative_gap"):
                    v = getattr(g, stat)
                    out.append(
                        {
                            **base,
                            "statistic": stat,
                            "sex": "",
                            "breakdown": breakdown,
                            "estimate": clean(v.estimate),
                            "se": clean(v.se),
                            "ci_low": None,
                            "ci_high": None,
                            "deff": None,
                            "cv": None,
                            "n": g.n_female + g.n_male,
                            "weighted_n": None,
                            "missing": None,
                            "flags": list(g.flags),
                        }
                    )
        return out

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [{**r, "flags": ";".join(r["flags"])} for r in self.records()]
        return pd.DataFrame(rows, columns=list(RECORD_COLUMNS))

    def to_record(self) -> dict[str, Any]:
        return {
            "data": self.data,
            "mapping": self.mapping,
            "ci_level": self.ci_level,
            "results": self.records(),
            "skipped": [s.to_record() for s in self.skipped],
        }


@dataclass(frozen=True)
class _Task:
    indicator: ItuIndicator
    scope_column: str | None
    scope_label: str
    households: bool
    breakdowns: tuple[str, ...]
    notes: tuple[str, ...]


def _plan(
    mapping: SurveyMapping, indicators: Sequence[ItuIndicator], base: Engine
) -> tuple[list[_Task], list[Skipped], dict[str, str]]:
    """Tasks to run, indicators skipped (with why) and the scope marker columns (name → SQL)."""
    schema = base.schema()
    dialect = base.dialect
    tasks: list[_Task] = []
    skipped: list[Skipped] = []
    scopes: dict[str, str] = {}
    for ind in indicators:
        if mapping.concept(ind.concept) is None:
            skipped.append(
                Skipped(
                    ind, Msg("the mapping has no concept %(concept)s", concept=repr(ind.concept))
                )
            )
            continue
        notes: list[str] = []
        scope_col: str | None = None
        if ind.unit is Unit.HOUSEHOLDS:
            if mapping.unit is Unit.HOUSEHOLDS:
                label = "all households (one row per household)"
            elif mapping.households is None:
                skipped.append(
                    Skipped(
                        ind,
                        Msg(
                            "household indicator, but the file's rows are individuals and the "
                            "mapping has no 'households' block (household weight and rows)"
                        ),
                    )
                )
                continue
            elif mapping.households.column:
                hh, col = mapping.households, mapping.households.column
                scope_col = f"{SCOPE_PREFIX}hh"
                scopes[scope_col] = codes_scope_sql(col, hh.codes, schema[col], dialect)
                label = f"households ({col} in {list(hh.codes)})"
            else:
                label = "all households (one row per household)"
            breakdowns = tuple(b for b in ind.breakdowns if b != "sex" and mapping.has_breakdown(b))
            tasks.append(_Task(ind, scope_col, label, True, breakdowns, tuple(notes)))
            continue
        if mapping.unit is Unit.HOUSEHOLDS:
            skipped.append(
                Skipped(ind, Msg("individual indicator, but the file's rows are households"))
            )
            continue
        lo, hi = ind.scope.min_age, ind.scope.max_age
        if mapping.scope is not None:
            lo, hi = mapping.scope.min_age, mapping.scope.max_age
        if mapping.age is not None and (lo is not None or hi is not None):
            scope_col = (
                f"{SCOPE_PREFIX}{lo if lo is not None else 'x'}_{hi if hi is not None else 'x'}"
            )
            scopes[scope_col] = age_scope_sql(mapping.age, lo, hi, dialect)
            label = f"age {lo}+" if hi is None else f"age {lo or 0}-{hi}"
        elif mapping.age_group is not None:
            ag = mapping.age_group
            scope_col = f"{SCOPE_PREFIX}age_group"
            in_scope = tuple(c for _, cs in ag.codes for c in cs)
            scopes[scope_col] = codes_scope_sql(ag.column, in_scope, schema[ag.column], dialect)
            label = f"age groups {', '.join(ag.labels)}"
        else:
            label = "all rows"
            if lo is not None or hi is not None:
                notes.append(
                    Msg(
                        "age scope (%(scope)s) not applied: the mapping has no age column; every "
                        "row is taken as in scope",
                        scope=ind.scope.label,
                    )
                )
        if mapping.sex is None:
            notes.append(Msg("no sex column in the mapping: no estimates by sex and no gaps"))
        breakdowns = tuple(b for b in ind.breakdowns if b != "sex" and mapping.has_breakdown(b))
        tasks.append(_Task(ind, scope_col, label, False, breakdowns, tuple(notes)))
    return tasks, skipped, scopes


def run_indicators(
    source: str | Path | pd.DataFrame,
    mapping: SurveyMapping,
    *,
    engine: str | Engine = "duckdb",
    indicators: Sequence[str] | None = None,
    options: EstimationOptions | None = None,
) -> IndicatorRun:
    """Validate ``mapping`` against the data (MappingError with every problem), then compute
    every indicator it allows (or those named in ``indicators``: ids or ITU codes)."""
    base = open_engine(engine, source)
    report = validate_mapping(mapping, base)
    if not report.valid:
        raise MappingError(report)
    catalogue = load_itu_indicators()
    chosen = list(catalogue) if indicators is None else [catalogue.get(i) for i in indicators]
    tasks, skipped, scopes = _plan(mapping, chosen, base)
    heng = harmonised_engine(base, mapping, scopes)
    options = options or EstimationOptions()
    groups: dict[tuple[Any, ...], list[_Task]] = {}
    for t in tasks:
        groups.setdefault((t.scope_column, t.households, t.breakdowns), []).append(t)
    results: dict[str, IndicatorResult] = {}
    for (scope_col, households, breakdowns), group in groups.items():
        design = design_of(mapping, households=households)
        quantities = [proportion(t.indicator.concept) for t in group]
        prefix = [scope_col] if scope_col else []
        with_sex = not households and mapping.sex is not None
        domain_sets: list[list[str]] = [[]]
        if with_sex:
            domain_sets.append(["sex"])
        for b in breakdowns:
            domain_sets.append([b])
            if with_sex:
                domain_sets.append(["sex", b])
        gap_sets = [[*prefix, *([b] if b else [])] for b in [None, *breakdowns]] if with_sex else []
        # One scan of the file for every domain set and gap of the group.
        batch = aggregate_many(
            source,
            design,
            quantities,
            [*([*prefix, *by] for by in domain_sets), *([*g, "sex"] for g in gap_sets)],
            engine=heng,
        )
        estimates: list[Estimate] = []
        for by in domain_sets:
            estimates += batch.estimate([*prefix, *by], options)
        gaps: list[GapEstimate] = []
        for g in gap_sets:
            gaps += batch.gender_gaps(
                sex="sex", female="female", male="male", by=g, options=options
            )
        for t in group:
            c = t.indicator.concept
            results[t.indicator.id] = IndicatorResult(
                indicator=t.indicator,
                estimates=tuple(_strip(e) for e in estimates if e.variable == c),
                gaps=tuple(_strip(g) for g in gaps if g.variable == c),
                scope=t.scope_label,
                notes=t.notes,
            )
    ordered = tuple(results[t.indicator.id] for t in tasks)
    return IndicatorRun(base.location, mapping.name, ordered, tuple(skipped), options.level)


def _strip(result: Any) -> Any:
    domain = {k: v for k, v in result.domain.items() if not k.startswith(SCOPE_PREFIX)}
    return replace(result, domain=domain)
