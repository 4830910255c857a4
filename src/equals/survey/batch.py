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

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from equals.core.i18n import Msg
from equals.survey.cells import Cells, build_cells, by_key, psu_level_keys, regroup, with_keys
from equals.survey.design import Design, EstimationOptions
from equals.survey.domains import domain_groups
from equals.survey.engine import ColumnKind, Engine, open_engine
from equals.survey.errors import SurveyError
from equals.survey.estimators import Aggregated, aggregated
from equals.survey.gaps import gaps_from_cells, require_means
from equals.survey.pages import small_pages
from equals.survey.plan import Item, prepare, run_pass
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
    _tables: OrderedDict[frozenset[str], Cells] = field(
        default_factory=OrderedDict, compare=False, repr=False
    )  # totals at coarser key sets (see table), at most as many rows as the cells in all
    _psu_level: dict[str, npt.NDArray[np.int64]] | None = field(
        default=None, compare=False, repr=False
    )  # key columns constant within each PSU → their code per PSU (found on first use)

    def keys(self, by: Sequence[str]) -> dict[str, str]:
        """Domain variable → its key column in the cells."""
        unknown = [b for b in by if b not in self.by]
        if unknown:
            raise SurveyError(
                Msg("domain variable(s) %(names)s were not part of this batch", names=str(unknown)),
                location=self.location,
            )
        return {b: by_key(self.by.index(b)) for b in dict.fromkeys(by)}

    def table(self, by: Sequence[str]) -> Cells:
        """The cells totalled over the key columns of ``by`` (PSU × domain units).

        Keys constant within each PSU (:func:`~equals.survey.cells.psu_level_keys`) add no
        unit: the totals over the other keys are taken (from the smallest table at hand that
        has them: the finest cells, or a coarser total) and these keys' codes are attached
        to their rows through the PSU — e.g. PSU × sex × region is PSU × sex."""
        wanted = [k for k in self.cells.keys if k in self.keys(by).values()]
        if len(wanted) == len(self.cells.keys):
            return self.cells
        if self._psu_level is None:
            object.__setattr__(self, "_psu_level", psu_level_keys(self.cells))
        level = self._psu_level or {}
        units = self._units(frozenset(k for k in wanted if k not in level))
        if list(units.keys) == wanted:
            return units
        psu = units.psu
        assert psu is not None  # keys are PSU-level only in a design with PSUs
        codes = {k: units.codes[k] if k in units.codes else level[k][psu] for k in wanted}
        return with_keys(units, codes, {k: self.cells.uniques[k] for k in wanted})

    def _units(self, wanted: frozenset[str]) -> Cells:
        """The totals over the key columns ``wanted``, from the smallest table at hand that
        has them (the finest cells, or a coarser total)."""
        if wanted == frozenset(self.cells.keys):
            return self.cells
        level = self._psu_level or {}
        if wanted | level.keys() >= frozenset(self.cells.keys):  # the finest cells' own units
            keys = [k for k in self.cells.keys if k in wanted]
            return with_keys(
                self.cells,
                {k: self.cells.codes[k] for k in keys},
                {k: self.cells.uniques[k] for k in keys},
            )
        if wanted in self._tables:
            self._tables.move_to_end(wanted)
            return self._tables[wanted]
        sources = [t for k, t in self._tables.items() if wanted <= k]
        source = min(sources, key=len, default=self.cells)
        table = regroup(source, [k for k in self.cells.keys if k in wanted])
        self._tables[wanted] = table
        while len(self._tables) > 1 and (
            sum(len(t) for t in self._tables.values() if t.values is not self.cells.values)
            > len(self.cells)
        ):
            self._tables.popitem(last=False)  # bounded memory: drop the oldest totals
        return table

    @small_pages()
    def prepare(self, bys: Sequence[Sequence[str]]) -> None:
        """Total the cells for these domain sets, finest first, so that each coarser set is
        summed from the smallest finer one rather than from the cells."""
        for by in sorted({frozenset(b) for b in bys}, key=len, reverse=True):
            self.table(sorted(by))

    def aggregated(self, by: Sequence[str] = ()) -> Aggregated:
        keys = self.keys(by)
        name = tuple(keys)
        if name not in self._last:
            self._last.clear()
            table = self.table(name)
            groups = domain_groups(table, list(keys.values()), name)
            self._last[name] = aggregated(Units(table, groups), self.items)
        return self._last[name]

    @small_pages()
    def estimate(
        self, by: Sequence[str] = (), options: EstimationOptions | None = None
    ) -> list[Estimate]:
        """As :func:`equals.survey.estimate` on the batch's quantities, from the shared cells."""
        return self.aggregated(by).results(options)

    @small_pages()
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
            self.table([*rest, sex]),
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


@small_pages()
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
    cells = build_cells(run_pass(eng, plan), design, eng.location, plan.aliases)
    batch = Batch(cells, plan.by, plan.items, kinds, eng.location)
    batch.prepare(bys)
    return batch


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
