"""Many requests on one design and file from ONE aggregation pass.

The microdata are aggregated once to cells at the finest combination of every requested
domain variable (stratum × PSU × all by-variables, with the moments of every measure). Any
coarser domain set is then a grouping of those cells: its units (PSU × domain) are totalled
straight from the finest cells (:class:`equals.survey.variance.Units`) and the variance
algebra runs unchanged:

* every PSU has at least one row, so it has a finest cell: domains stay subpopulations over
  all PSUs of each stratum;
* NULL by-values are kept as their own key: such rows belong to no domain of that variable
  but count in domain sets that do not use it;
* moments are per measure (validity = the measure's variables present), so missing analysis
  values are dropped per estimate exactly as in a single request.

>>> batch = aggregate_many("s.parquet", design, [proportion("x")], [[], ["sex"]])  # doctest: +SKIP
>>> batch.estimate(["sex"])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from equals.survey.cells import Cells, build_cells, by_key
from equals.survey.design import Design, EstimationOptions
from equals.survey.domains import domain_groups
from equals.survey.engine import ColumnKind, Engine, open_engine
from equals.survey.errors import SurveyError
from equals.survey.estimators import Aggregated, aggregated
from equals.survey.gaps import gaps_from_cells, require_means
from equals.survey.plan import Item, prepare
from equals.survey.quantities import Quantity, Scalar
from equals.survey.results import Estimate, GapEstimate
from equals.survey.variance import Units

if TYPE_CHECKING:
    from equals.survey.estimators import SurveyData


@dataclass(frozen=True)
class Batch:
    """The finest cells of a batch; derive any domain set's estimates or gaps from them."""

    cells: Cells
    by: tuple[str, ...]  # the finest by-variables, in key order (``by_key(i)``)
    items: tuple[Item, ...]
    kinds: dict[str, ColumnKind]
    location: str

    _last: dict[tuple[str, ...], Aggregated] = field(
        default_factory=dict, compare=False, repr=False
    )  # the last domain set's units only: each holds arrays as long as the cells

    def keys(self, by: Sequence[str]) -> dict[str, str]:
        """Domain variable → its key column in the cells."""
        unknown = [b for b in by if b not in self.by]
        if unknown:
            raise SurveyError(
                f"domain variable(s) {unknown} were not part of this batch", location=self.location
            )
        return {b: by_key(self.by.index(b)) for b in dict.fromkeys(by)}

    def aggregated(self, by: Sequence[str] = ()) -> Aggregated:
        keys = self.keys(by)
        name = tuple(keys)
        if name not in self._last:
            self._last.clear()
            groups = domain_groups(self.cells, list(keys.values()), name)
            self._last[name] = aggregated(Units(self.cells, groups), self.items)
        return self._last[name]

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
        require_means([item.quantity for item in self.items], self.location)
        rest = [b for b in dict.fromkeys(by) if b != sex]
        return gaps_from_cells(
            self.cells,
            self.items,
            by=self.keys(rest),
            sex_key=self.keys([sex])[sex],
            sex_kind=self.kinds[sex],
            sex=sex,
            female=female,
            male=male,
            options=options or EstimationOptions(),
            location=self.location,
        )


def aggregate_many(
    source: SurveyData,
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
    cells = build_cells(eng.cells(plan.sql), design, eng.location, plan.aliases)
    return Batch(cells, plan.by, plan.items, kinds, eng.location)


def estimate_many(
    source: SurveyData,
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
