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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from equals.survey.cells import F64, I64, SELF_REPRESENTING, Cells
from equals.survey.design import LonelyPSU


def finite(x: F64) -> F64:
    """Coefficients of empty domains (1/0) → 0, so they add nothing."""
    return np.asarray(np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0))


@dataclass(frozen=True)
class Influence:
    """Per-cell coefficients α, β, γ (zero for cells outside the estimator's domain)."""

    measure: str
    alpha: F64
    beta: F64
    gamma: F64

    def linear(self, cells: Cells) -> F64:
        """Σ z over the rows of each cell."""
        out = self.alpha * cells.moment(self.measure, "wy") + self.gamma * cells.moment(
            self.measure, "w"
        )
        if self.beta.any():
            out = out + self.beta * cells.moment(self.measure, "wx")
        return np.asarray(out)


def second_moment(cells: Cells, a: Influence, b: Influence) -> F64:
    """Σ_k z^a_k z^b_k over the rows of each cell (rows are PSUs; same measure for a and b)."""
    m = a.measure

    def g(name: str) -> F64:
        return cells.moment(m, name)

    terms = [
        a.alpha * b.alpha * g("wwyy"),
        a.gamma * b.gamma * g("ww"),
        (a.alpha * b.gamma + a.gamma * b.alpha) * g("wwy"),
    ]
    if a.beta.any() or b.beta.any():
        terms += [
            a.beta * b.beta * g("wwxx"),
            (a.alpha * b.beta + a.beta * b.alpha) * g("wwxy"),
            (a.beta * b.gamma + a.gamma * b.beta) * g("wwx"),
        ]
    out = np.sum(terms, axis=0)
    size = np.sum(np.abs(terms), axis=0)
    # Σ w²(y − ȳ)² from raw moments cancels; what is below round-off of its terms is zero.
    return np.asarray(np.where(np.abs(out) <= 1e-13 * size, 0.0, out))


def covariance(
    cells: Cells,
    group: I64,
    n_groups: int,
    a: Influence,
    b: Influence,
    present: np.ndarray,
) -> F64:
    """Cov(θ̂_a[g], θ̂_b[g]) for every group g; ``group`` is −1 for cells in no group.

    ``present[g, h]``: stratum h has rows of group g (used only by the ``average`` rule).
    """
    H = cells.n_strata
    inside = group >= 0
    la, lb = a.linear(cells)[inside], b.linear(cells)[inside]
    g_cell, h_cell = group[inside], cells.stratum[inside]
    if cells.psu is not None:  # units = PSU × group
        unit_key = cells.psu[inside] * n_groups + g_cell
        units, inverse = np.unique(unit_key, return_inverse=True)
        za = np.asarray(np.bincount(inverse, weights=la, minlength=len(units)), np.float64)
        zb = np.asarray(np.bincount(inverse, weights=lb, minlength=len(units)), np.float64)
        u_h = np.zeros(len(units), dtype=np.int64)
        u_h[inverse] = h_cell
        u_g = np.asarray(units % n_groups, dtype=np.int64)
        qab = za * zb
    else:  # units = cells; each row its own PSU
        za, zb, u_h, u_g = la, lb, h_cell, g_cell
        qab = second_moment(cells, a, b)[inside]
    flat = u_g * H + u_h
    size = n_groups * H
    sa = np.bincount(flat, weights=za, minlength=size)
    sb = np.bincount(flat, weights=zb, minlength=size)
    n = np.tile(cells.n_h, n_groups)
    uncentred = np.bincount(flat, weights=qab, minlength=size)
    if cells.psu is not None:
        # Centre unit by unit (as R does) to avoid cancellation; PSUs outside the group add
        # (n_h − k)·z̄^a·z̄^b.
        ma, mb = sa / n, sb / n
        k = np.bincount(flat, minlength=size)
        dev = np.bincount(flat, weights=(za - ma[flat]) * (zb - mb[flat]), minlength=size)
        centred = dev + (n - k) * ma * mb
    else:
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


def presence(cells: Cells, group: I64, n_groups: int, rows: F64) -> np.ndarray:
    """present[g, h]: some cell of group g in stratum h has ``rows`` > 0."""
    inside = (group >= 0) & (rows > 0)
    flat = group[inside] * cells.n_strata + cells.stratum[inside]
    counts = np.bincount(flat, minlength=n_groups * cells.n_strata)
    return np.asarray(counts.reshape(n_groups, cells.n_strata) > 0)
