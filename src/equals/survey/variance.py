"""Taylor-linearisation variance from PSU totals, as R ``survey``'s ``svyrecvar``/``onestrat``.

A linearised estimator θ̂ has influence values z_k = w_k·(α·y_k + β·x_k + γ) on the rows k of
its domain (zero elsewhere); α, β, γ are constant within a domain (Binder 1983; Wolter 2007
§6.11; Lumley 2010 §2.2 and appendix C):

* mean / proportion: α = 1/Ŵ, γ = −θ̂/Ŵ;  total: α = 1;  ratio Ŷ/X̂: α = 1/X̂, β = −θ̂/X̂.

With z_hi the total of z over PSU i of stratum h (n_h PSUs, finite population factor f_h):

    Cov(θ̂_a, θ̂_b) = Σ_h f_h · n_h/(n_h − 1) · Σ_i (z^a_hi − z̄^a_h)(z^b_hi − z̄^b_h)

(the with-replacement "ultimate cluster" estimator; PSUs without domain members enter with
z_hi = 0). Lonely strata (n_h = 1) follow :class:`~equals.survey.design.LonelyPSU`; strata
with f_h < 1e-7 contribute nothing. When every row is its own PSU, the inner sum is taken from
second moments (Σ_k z^a_k z^b_k from sums of w²·y·x …) so no row-level table is needed.

Everything here works on :class:`Units` — the PSU × group totals of one domain set — which
are summed once from the cells and shared by every estimate, variance and covariance of that
domain set: per estimate the work is a few passes over the units, not over the cells.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from equals.survey.cells import F64, I64, SELF_REPRESENTING, Cells
from equals.survey.design import LonelyPSU
from equals.survey.domains import Groups

CACHED_SUMS = 16  # unit totals kept per domain set (an estimate needs at most ~10)


def finite(x: F64) -> F64:
    """Coefficients of empty domains (1/0) → 0, so they add nothing."""
    return np.asarray(np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0))


class Units:
    """The variance's units for one domain set: PSU × group (with a PSU column), or the cells
    themselves (without one: each row is a PSU and the cells carry second moments).

    ``masks`` name subsets of the cells (e.g. ``female``) whose moments can be totalled
    separately, for the covariance of two estimators on different rows of the same PSUs.
    """

    def __init__(
        self,
        cells: Cells,
        groups: Groups,
        masks: Mapping[str, npt.NDArray[np.bool_]] | None = None,
    ) -> None:
        self.cells, self.groups = cells, groups
        inside = np.flatnonzero(groups.code >= 0)
        self._all = len(inside) == len(cells)
        self.inside = inside
        g = groups.code[inside]
        n = groups.n
        if cells.psu is not None:
            unit, keys = pd.factorize(cells.psu[inside] * n + g, sort=False)
            self.unit: I64 = np.asarray(unit, dtype=np.int64)
            keys = np.asarray(keys, dtype=np.int64)
            self.g: I64 = keys % n
            self.h: I64 = cells.psu_stratum[keys // n]
        else:
            self.unit = np.arange(len(inside), dtype=np.int64)
            self.g, self.h = g, cells.stratum[inside]
        self.size = len(self.g)
        self.flat: I64 = self.g * cells.n_strata + self.h  # (group, stratum) of each unit
        self.n_flat = n * cells.n_strata
        self.k = np.bincount(self.flat, minlength=self.n_flat)  # units per (group, stratum)
        self._masks = {
            name: np.asarray(m[inside], dtype=np.float64) for name, m in (masks or {}).items()
        }
        self._sums: OrderedDict[tuple[int, str | None], F64] = OrderedDict()

    def cell_values(self, column: str, mask: str | None = None) -> F64:
        """A cell column on the cells inside the groups (masked)."""
        values = self.cells.col(column)
        values = values if self._all else values[self.inside]
        return values * self._masks[mask] if mask else values

    def mask(self, name: str | None) -> F64 | None:
        """A mask on the units, only without PSU column (units are then cells)."""
        return self._masks[name] if name else None

    def sum(self, column: str, mask: str | None = None) -> F64:
        """The total of a cell column in each unit (over the ``mask`` cells only)."""
        key = (self.cells.columns[column], mask)  # aliases of one column share its totals
        if key in self._sums:
            self._sums.move_to_end(key)
            return self._sums[key]
        values = self.cell_values(column, mask)
        if self.cells.psu is not None:
            values = np.asarray(
                np.bincount(self.unit, weights=values, minlength=self.size), dtype=np.float64
            )
        self._sums[key] = values
        if len(self._sums) > CACHED_SUMS:  # bounded: one estimate's totals, not every one's
            self._sums.popitem(last=False)
        return values

    def group_sum(self, column: str, mask: str | None = None) -> F64:
        """The total of a cell column in each group."""
        return np.asarray(
            np.bincount(self.g, weights=self.sum(column, mask), minlength=self.groups.n),
            dtype=np.float64,
        )


@dataclass(frozen=True)
class Influence:
    """Per-group coefficients α, β, γ of a linearised estimator, on the ``mask`` cells."""

    measure: str
    alpha: F64
    beta: F64
    gamma: F64
    mask: str | None = None

    def linear(self, units: Units) -> F64:
        """Σ z over the rows of each unit."""
        m, g = self.measure, units.g
        out = self.alpha[g] * units.sum(f"{m}__wy", self.mask)
        out += self.gamma[g] * units.sum(f"{m}__w", self.mask)
        if self.beta.any():
            out += self.beta[g] * units.sum(f"{m}__wx", self.mask)
        return np.asarray(out)

    def on_units(self, units: Units) -> tuple[F64, F64, F64]:
        """α, β, γ on each unit (zero outside the mask)."""
        mask = units.mask(self.mask)
        coef = [c[units.g] for c in (self.alpha, self.beta, self.gamma)]
        if mask is not None:
            coef = [c * mask for c in coef]
        return coef[0], coef[1], coef[2]


def second_moment(units: Units, a: Influence, b: Influence) -> F64:
    """Σ_k z^a_k z^b_k over the rows of each unit (rows are PSUs; same measure for a and b)."""
    m = a.measure

    def g(name: str) -> F64:
        return units.sum(f"{m}__{name}")

    aa, ab, ag = a.on_units(units)
    ba, bb, bg = b.on_units(units)
    terms = [aa * ba * g("wwyy"), ag * bg * g("ww"), (aa * bg + ag * ba) * g("wwy")]
    if a.beta.any() or b.beta.any():
        terms += [
            ab * bb * g("wwxx"),
            (aa * bb + ab * ba) * g("wwxy"),
            (ab * bg + ag * bb) * g("wwx"),
        ]
    out = np.sum(terms, axis=0)
    size = np.sum(np.abs(terms), axis=0)
    # Σ w²(y − ȳ)² from raw moments cancels; what is below round-off of its terms is zero.
    return np.asarray(np.where(np.abs(out) <= 1e-13 * size, 0.0, out))


def covariance(units: Units, a: Influence, b: Influence, present: np.ndarray) -> F64:
    """Cov(θ̂_a[g], θ̂_b[g]) for every group g of the units' domain set.

    ``present[g, h]``: stratum h has rows of group g (used only by the ``average`` rule).
    """
    cells = units.cells
    H, n_groups = cells.n_strata, units.groups.n
    za = a.linear(units)
    zb = za if b is a else b.linear(units)
    flat, size = units.flat, units.n_flat
    sa = np.bincount(flat, weights=za, minlength=size)
    sb = sa if b is a else np.bincount(flat, weights=zb, minlength=size)
    n = np.tile(cells.n_h, n_groups)
    if cells.psu is not None:
        uncentred = np.bincount(flat, weights=za * zb, minlength=size)
        # Centre unit by unit (as R does) to avoid cancellation; PSUs outside the group add
        # (n_h − k)·z̄^a·z̄^b.
        with np.errstate(divide="ignore", invalid="ignore"):
            ma, mb = sa / n, sb / n
        da = za - ma[flat]
        db = da if b is a else zb - mb[flat]
        dev = np.bincount(flat, weights=da * db, minlength=size)
        centred = dev + (n - units.k) * ma * mb
    else:
        uncentred = np.bincount(flat, weights=second_moment(units, a, b), minlength=size)
        with np.errstate(divide="ignore", invalid="ignore"):
            centred = uncentred - sa * sb / n
    f = np.tile(cells.f_h, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = np.where(n > 1, f * n / (n - 1) * centred, 0.0)
    lonely = np.tile(cells.lonely_h, n_groups)
    if cells.lonely is LonelyPSU.ADJUST:
        contrib = np.where(lonely, f * uncentred, contrib)
    contrib = np.where(f < SELF_REPRESENTING, 0.0, contrib).reshape(n_groups, H)
    total = contrib.sum(axis=1)
    if cells.lonely is LonelyPSU.AVERAGE:
        pres = np.asarray(present, dtype=bool)
        n_strata = pres.sum(axis=1)
        n_ok = (pres & ~cells.lonely_h[None, :]).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            total = np.where(n_ok > 0, total * n_strata / n_ok, np.nan)
    return np.asarray(total, dtype=np.float64)


def presence(units: Units, rows: F64) -> np.ndarray:
    """present[g, h]: some unit of group g in stratum h has ``rows`` (per unit) > 0."""
    counts = np.bincount(units.flat[rows > 0], minlength=units.n_flat)
    return np.asarray(counts.reshape(units.groups.n, units.cells.n_strata) > 0)


def design_df(units: Units) -> I64:
    """R ``degf()`` of each domain: PSUs − strata among rows with non-zero weight."""
    n_groups, H = units.groups.n, units.cells.n_strata
    rows = units.sum("cell__np")
    live = rows > 0
    strata = np.bincount(np.unique(units.flat[live]) // H, minlength=n_groups)
    if units.cells.psu is None:
        psus = np.bincount(units.g[live], weights=rows[live], minlength=n_groups)
    else:
        psus = np.bincount(units.g[live], minlength=n_groups).astype(np.float64)
    return np.asarray(psus - strata, dtype=np.int64)
