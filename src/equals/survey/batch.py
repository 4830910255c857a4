"""Many requests on one design and file from ONE aggregation pass.

The microdata are aggregated once to cells at the finest combination of every requested
domain variable (stratum × PSU × all by-variables, with the moments of every measure). A
coarser domain set's cells are then sums of those cells over the by-variables it does not
use — a group-by on the small cell table — and the variance algebra runs unchanged:

* every PSU has at least one row, so it has a finest cell, and so a cell in every coarser
  table: domains stay subpopulations over all PSUs of each stratum;
* NULL by-values are kept as their own key (``dropna=False``): such rows belong to no domain
  of that variable but are summed into coarser tables that do not use it;
* moments are per measure (validity = the measure's variables present), so missing analysis
  values are dropped per estimate exactly as in a single request.

>>> batch = aggregate_many("s.parquet", design, [proportion("x")], [[], ["sex"]])  # doctest: +SKIP
>>> batch.estimate(["sex"])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from equals.survey.cells import PSU, STRATUM, by_key
from equals.survey.design import Design, EstimationOptions
from equals.survey.engine import ColumnKind, Engine, open_engine
from equals.survey.errors import SurveyError
from equals.survey.estimators import Aggregated, aggregated_from_cells
from equals.survey.gaps import gaps_from_cells
from equals.survey.plan import Item, prepare
from equals.survey.quantities import Quantity, Scalar, Statistic
from equals.survey.results import Estimate, GapEstimate

if TYPE_CHECKING:
    from equals.survey.estimators import Source

_FIRST = {"cell__fpc_min": "min", "cell__fpc_max": "max"}


@dataclass(frozen=True)
class Batch:
    """The finest cell table of a batch; derive any domain set's estimates or gaps from it."""

    frame: pd.DataFrame
    design: Design
    by: tuple[str, ...]  # the finest by-variables, in key order (``by_key(i)``)
    items: tuple[Item, ...]
    kinds: dict[str, ColumnKind]
    location: str

    _cache: dict[frozenset[str], tuple[tuple[str, ...], pd.DataFrame]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def cells_frame(self, by: Sequence[str]) -> pd.DataFrame:
        """The cell table keyed by ``by`` (as ``by_key(0..)``), summed from the finest cells
        (or from the smallest already-derived table whose domain variables include ``by``)."""
        by = tuple(dict.fromkeys(by))
        unknown = [b for b in by if b not in self.by]
        if unknown:
            raise SurveyError(
                f"domain variable(s) {unknown} were not part of this batch", location=self.location
            )
        base_by, base = self.by, self.frame
        for key, (cached_by, cached) in self._cache.items():
            if set(by) <= key and len(cached) < len(base):
                base_by, base = cached_by, cached
        out = _collapse(base, base_by, by)
        self._cache[frozenset(by)] = (by, out)
        return out

    def aggregated(self, by: Sequence[str] = ()) -> Aggregated:
        by = tuple(dict.fromkeys(by))
        frame = self.cells_frame(by)
        return aggregated_from_cells(frame, self.design, by, self.items, self.location)

    def estimate(
        self, by: Sequence[str] = (), options: EstimationOptions | None = None
    ) -> list[Estimate]:
        """As :func:`equals.survey.estimate` on the batch's quantities, from the shared cells."""
        return self.aggregated(by).results(options)

    def gender_gaps(
        self,
        *,
        sex: str,
        female: Scalar,
        male: Scalar,
        by: Sequence[str] = (),
        options: EstimationOptions | None = None,
    ) -> list[GapEstimate]:
        """As :func:`equals.survey.gender_gaps` on the batch's quantities, from the shared cells."""
        for item in self.items:
            if item.quantity.statistic not in (Statistic.MEAN, Statistic.PROPORTION):
                raise SurveyError(
                    f"gaps are for means and proportions, not a {item.quantity.statistic}",
                    location=self.location,
                )
        rest = [b for b in dict.fromkeys(by) if b != sex]
        return gaps_from_cells(
            self.cells_frame([*rest, sex]),
            self.design,
            self.items,
            by=rest,
            sex_kind=self.kinds[sex],
            sex=sex,
            female=female,
            male=male,
            options=options or EstimationOptions(),
            location=self.location,
        )


def aggregate_many(
    source: Source,
    design: Design,
    quantities: Sequence[Quantity],
    bys: Sequence[Sequence[str]],
    *,
    engine: str | Engine = "duckdb",
) -> Batch:
    """Validate once and aggregate once, at the finest combination of every domain set in
    ``bys`` (include the sex variable in one of them for gaps)."""
    eng = open_engine(engine, source)
    finest = list(dict.fromkeys(b for by in bys for b in by))
    plan = prepare(eng, design, quantities, finest)
    schema = eng.schema()
    kinds = {b: schema[b] for b in plan.by}
    batch = Batch(eng.query(plan.sql), design, plan.by, plan.items, kinds, eng.location)
    for by in sorted(bys, key=lambda b: -len(set(b))):  # finer sets first: coarser reuse them
        batch.cells_frame(by)
    return batch


def estimate_many(
    source: Source,
    design: Design,
    quantities: Sequence[Quantity],
    bys: Sequence[Sequence[str]],
    *,
    options: EstimationOptions | None = None,
    engine: str | Engine = "duckdb",
) -> list[list[Estimate]]:
    """:func:`equals.survey.estimate` for each domain set of ``bys``, from one pass."""
    batch = aggregate_many(source, design, quantities, bys, engine=engine)
    return [batch.estimate(by, options) for by in bys]


def _collapse(frame: pd.DataFrame, frame_by: Sequence[str], by: Sequence[str]) -> pd.DataFrame:
    """Sum the cells of ``frame`` (keyed by ``frame_by``) over the by-variables not in ``by``.

    NULL keys stay keys (``dropna=False``); the design keys (stratum, PSU) are always kept.
    """
    design_keys = [k for k in (STRATUM, PSU) if k in frame.columns]
    frame_keys = {by_key(i) for i in range(len(frame_by))}
    values = [c for c in frame.columns if c not in frame_keys and c not in design_keys]
    source = [by_key(list(frame_by).index(b)) for b in by]
    keys = design_keys + source
    temp = {s: f"t__{by_key(j)}" for j, s in enumerate(source)}
    if not keys:
        row = {c: frame[c].agg(_FIRST.get(c, "sum")) for c in values}
        return pd.DataFrame([row])
    grouped = frame.groupby(keys, sort=False, dropna=False, observed=True)
    if grouped.ngroups == len(frame):  # nothing to sum: the cells are already distinct
        out = frame[keys + values]
    else:
        sums = [c for c in values if c not in _FIRST]
        parts = [grouped[sums].sum()]
        parts += [grouped[[c]].agg(how) for c, how in _FIRST.items() if c in values]
        out = (pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]).reset_index()
    out = out.rename(columns=temp)
    return out.rename(columns={t: t.removeprefix("t__") for t in temp.values()})
