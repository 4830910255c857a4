"""Domains: which group each aggregated cell belongs to, and per-group sums."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from equals.survey.cells import F64, I64, Cells
from equals.survey.quantities import Scalar


def native(v: object) -> Scalar:
    """numpy scalars → Python; integral floats (SPSS/Stata codes) → int."""
    item = getattr(v, "item", None)
    value = item() if callable(item) else v
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True)
class Groups:
    """``code[c]``: the group of cell c (−1: a domain value is missing, the cell is in none)."""

    code: I64
    domains: tuple[dict[str, Scalar], ...]

    @property
    def n(self) -> int:
        return len(self.domains)

    def sum(self, values: F64) -> F64:
        inside = self.code >= 0
        sums = np.bincount(self.code[inside], weights=values[inside], minlength=self.n)
        return np.asarray(sums, dtype=np.float64)

    def spread(self, per_group: F64) -> F64:
        """A per-group value on every cell (0 outside the groups)."""
        out = np.zeros(len(self.code))
        inside = self.code >= 0
        out[inside] = per_group[self.code[inside]]
        return out


def domain_groups(cells: Cells, keys: Sequence[str], names: Sequence[str]) -> Groups:
    """Groups of the cells by the key columns ``keys`` (reported under ``names``)."""
    if not keys:
        return Groups(np.zeros(len(cells.frame), dtype=np.int64), ({},))
    sub = cells.frame[list(keys)]
    codes = sub.groupby(list(keys), sort=True, dropna=True).ngroup()
    code = np.asarray(codes.fillna(-1).to_numpy(), dtype=np.int64)
    firsts = pd.Series(np.arange(len(code)))[code >= 0].groupby(code[code >= 0]).first()
    domains = tuple(
        {name: native(sub.iloc[int(row)][key]) for key, name in zip(keys, names, strict=True)}
        for row in firsts.to_numpy()
    )
    return Groups(code, domains)


def design_df(cells: Cells, groups: Groups) -> I64:
    """R ``degf()`` of each domain: PSUs − strata among rows with non-zero weight."""
    live = (groups.code >= 0) & (cells.col("cell__np") > 0)
    g, h = groups.code[live], cells.stratum[live]
    strata = np.bincount(np.unique(g * cells.n_strata + h) // cells.n_strata, minlength=groups.n)
    if cells.psu is None:
        psus = groups.sum(np.where(live, cells.col("cell__np"), 0.0))
    else:
        units = np.unique(cells.psu[live] * groups.n + g)
        psus = np.bincount(units % groups.n, minlength=groups.n).astype(np.float64)
    return np.asarray(psus - strata, dtype=np.int64)
