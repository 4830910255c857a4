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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from equals.survey.cells import F64, I64, SELF_REPRESENTING, Cells
from equals.survey.codes import dense_codes
from equals.survey.design import LonelyPSU
from equals.survey.domains import Groups

CACHED_SUMS = 16  # unit totals kept per domain set (an estimate needs at most ~10)


def finite(x: F64) -> F64:
    """Coefficients of empty domains (1/0) → 0, so they add nothing."""
    return np.asarray(np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0))


class Units:
    """The variance's units for one domain set: PSU × group (with a PSU column; stratum ×
    group without one, when each row is a PSU and the cells carry second moments).

    When the cells are already totalled at exactly the domain set's keys
    (:func:`equals.survey.cells.regroup`), their rows are the units and nothing is summed.
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
        valid = groups.code >= 0
        self._all = bool(valid.all())
        inside = np.arange(len(cells)) if self._all else np.flatnonzero(valid)
        self.inside = inside
        g = groups.code if self._all else groups.code[inside]
        n = groups.n
        unit_of = cells.psu if cells.psu is not None else cells.stratum
        # Rows unique on the groups' keys are their own units (no masks to total apart).
        self._rows = not masks and set(groups.keys) == set(cells.keys)
        if self._rows:
            self.unit: I64 | None = None
            self.g: I64 = g
            self.h: I64 = cells.stratum if self._all else cells.stratum[inside]
        else:
            # Units numbered group-major: PSUs are numbered in stratum order, so the units
            # come sorted by (group, stratum) and their totals are runs (see flat_sum).
            ids = unit_of if self._all else unit_of[inside]
            span = max(len(cells.psu_stratum) if cells.psu is not None else cells.n_strata, 1)
            self.unit, keys = dense_codes(g * span + ids)
            self.g = keys // span
            self.h = cells.psu_stratum[keys % span] if cells.psu is not None else keys % span
        self.size = len(self.g)
        self.flat: I64 = self.g * cells.n_strata + self.h  # (group, stratum) of each unit
        self.n_flat = n * cells.n_strata
        self.k = np.bincount(self.flat, minlength=self.n_flat)  # units per (group, stratum)
        # stratum facts per (group, stratum)
        self.n_h, self.f_h = np.tile(cells.n_h, n), np.tile(cells.f_h, n)
        self.lonely_h = np.tile(cells.lonely_h, n)
        self._group_sums: dict[tuple[int, str | None], F64] = {}
        self._presence: dict[int, np.ndarray] = {}
        self._masks = {
            name: np.asarray(m if self._all else m[inside], dtype=bool)
            for name, m in (masks or {}).items()
        }
        # Disjoint masks (female, male) are totalled in one pass: unit × side.
        self._names = list(self._masks)
        self._side: I64 | None = None
        if self._masks and self.unit is not None:
            none = len(self._names)
            side = np.full(len(inside), none, dtype=np.int64)
            taken = np.zeros(len(inside), dtype=bool)
            for i, m in enumerate(self._masks.values()):
                if (taken & m).any():
                    break  # overlapping masks: each is totalled on its own
                taken |= m
                side[m] = i
            else:
                self._side = side * self.size + self.unit  # side-major: rows per side
        self._sums: OrderedDict[tuple[int, str | None], F64] = OrderedDict()
        self._runs: tuple[I64, I64] | None = None
        self._runs_known = False
        # Units numbered group-major come sorted by group: a value per group is repeated
        # along them rather than gathered (see per_unit).
        ordered = self.size and not bool((self.g[1:] < self.g[:-1]).any())
        self._g_counts: I64 | None = np.bincount(self.g, minlength=n) if ordered else None

    def per_unit(self, per_group: F64) -> F64:
        """A value per group → the value of each unit's group."""
        if self._g_counts is None:
            return per_group[self.g]
        return np.repeat(per_group, self._g_counts)

    @property
    def runs(self) -> tuple[I64, I64] | None:
        """(first unit, (group, stratum) code) of each run of units with the same code, when
        the units are sorted by it (None when they are not)."""
        if not self._runs_known:
            flat = self.flat
            if len(flat) and not bool((flat[1:] < flat[:-1]).any()):
                starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
                self._runs = (starts, flat[starts])
            self._runs_known = True
        return self._runs

    def flat_sum(self, x: F64) -> F64:
        """The total of ``x`` (one value per unit) in each (group, stratum)."""
        runs = self.runs
        if runs is None:
            return np.asarray(np.bincount(self.flat, weights=x, minlength=self.n_flat), np.float64)
        out = np.zeros(self.n_flat)
        out[runs[1]] = np.add.reduceat(x, runs[0])
        return out

    def spread(self, per_flat: F64) -> F64:
        """A value per (group, stratum) → the value of each unit's (group, stratum)."""
        runs = self.runs
        if runs is None:
            return per_flat[self.flat]
        return np.repeat(per_flat[runs[1]], self._lengths())

    def _lengths(self) -> I64:
        runs = self.runs
        assert runs is not None
        return np.diff(np.append(runs[0], self.size))

    def cell_values(self, column: str, mask: str | None = None) -> F64:
        """A cell column on the cells inside the groups (masked)."""
        values = self.cells.col(column)
        values = values if self._all else values[self.inside]
        return np.asarray(values * self._masks[mask]) if mask else values

    def sum(self, column: str, mask: str | None = None) -> F64:
        """The total of a cell column in each unit (over the ``mask`` cells only)."""
        key = (self.cells.columns[column], mask)  # aliases of one column share its totals
        if key in self._sums:
            self._sums.move_to_end(key)
            return self._sums[key]
        if mask is not None and self._side is not None:
            sides = len(self._names) + 1
            raw = self.cells.col(column)
            totals = np.bincount(
                self._side,
                weights=raw if self._all else raw[self.inside],
                minlength=self.size * sides,
            ).reshape(sides, self.size)
            for i, name in enumerate(self._names):
                self._sums[(key[0], name)] = totals[i].copy()  # frees the whole table
            values = self._sums.pop(key)
        else:
            values = self.cell_values(column, mask)
            if self.unit is not None:
                values = np.asarray(
                    np.bincount(self.unit, weights=values, minlength=self.size), dtype=np.float64
                )
        self._sums[key] = values
        while len(self._sums) > CACHED_SUMS:  # bounded: one estimate's totals, not every one's
            self._sums.popitem(last=False)
        return values

    def group_sum(self, column: str, mask: str | None = None) -> F64:
        """The total of a cell column in each group."""
        key = (self.cells.columns[column], mask)
        if key not in self._group_sums:
            values = self.sum(column, mask)
            self._group_sums[key] = (
                np.asarray(np.bincount(self.g, weights=values, minlength=self.groups.n), np.float64)
                if self.runs is None
                else self.flat_sum(values).reshape(self.groups.n, -1).sum(axis=1)
            )
        return self._group_sums[key]

    def presence(self, column: str, mask: str | None = None) -> np.ndarray:
        """present[g, h]: some unit of group g in stratum h has a positive total of
        ``column`` (a row count). Only the ``average`` lonely-PSU rule reads it: under any
        other rule this is an empty array, and nothing is counted."""
        if self.cells.lonely is not LonelyPSU.AVERAGE:
            return np.zeros((0, 0), dtype=bool)
        key = self.cells.columns[column]
        if mask is not None:
            rows = self.sum(column, "female") + self.sum(column, "male")
            return presence(self, rows)
        if key not in self._presence:
            self._presence[key] = presence(self, self.sum(column))
        return self._presence[key]


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
        m = self.measure
        out = units.per_unit(self.alpha) * units.sum(f"{m}__wy", self.mask)
        out += units.per_unit(self.gamma) * units.sum(f"{m}__w", self.mask)
        if self.beta.any():
            out += units.per_unit(self.beta) * units.sum(f"{m}__wx", self.mask)
        return np.asarray(out)

    def on_units(self, units: Units) -> tuple[F64, F64, F64]:
        """α, β, γ on each unit."""
        coef = [units.per_unit(c) for c in (self.alpha, self.beta, self.gamma)]
        return coef[0], coef[1], coef[2]


def second_moment(units: Units, a: Influence, b: Influence) -> F64:
    """Σ_k z^a_k z^b_k over the rows of each unit (rows are PSUs; same measure for a and b).

    A row is in at most one side's mask, so two estimators on different masks have no
    common row and their cross moment is 0."""
    m = a.measure
    if a.mask != b.mask:
        return np.zeros(units.size)

    def g(name: str) -> F64:
        return units.sum(f"{m}__{name}", a.mask)

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
    if b is a:
        return covariances(units, [a], present)[0][0]
    return covariances(units, [a, b], present)[0][1]


def covariances(units: Units, infs: Sequence[Influence], present: np.ndarray) -> list[list[F64]]:
    """Cov(θ̂_i[g], θ̂_j[g]) for every pair of the estimators ``infs`` and every group g
    (``[i][j]``: an array over the groups), from one pass over the units per estimator."""
    cells = units.cells
    n = units.n_h
    adjust = cells.lonely is LonelyPSU.ADJUST
    z = [inf.linear(units) for inf in infs]
    s = [units.flat_sum(zi) for zi in z]
    k = len(infs)
    out: list[list[F64]] = [[z[0]] * k for _ in range(k)]
    if cells.psu is not None:
        # Centre unit by unit (as R does) to avoid cancellation; PSUs outside the group add
        # (n_h − k)·z̄^a·z̄^b.
        with np.errstate(divide="ignore", invalid="ignore"):
            m = [si / n for si in s]
        d = [zi - units.spread(mi) for zi, mi in zip(z, m, strict=True)]
        outside = n - units.k
    for i in range(k):
        for j in range(i, k):
            if cells.psu is not None:
                centred = units.flat_sum(d[i] * d[j]) + outside * m[i] * m[j]
                uncentred = units.flat_sum(z[i] * z[j]) if adjust else None
            else:
                moment = second_moment(units, infs[i], infs[j])
                raw = units.flat_sum(moment)
                with np.errstate(divide="ignore", invalid="ignore"):
                    centred = raw - s[i] * s[j] / n
                uncentred = raw
            out[i][j] = out[j][i] = _strata_total(units, centred, uncentred, present)
    return out


def _strata_total(units: Units, centred: F64, uncentred: F64 | None, present: np.ndarray) -> F64:
    """Σ_h f_h · n_h/(n_h − 1) · (centred sum of products), with the lonely-PSU rules."""
    cells = units.cells
    n, f = units.n_h, units.f_h
    with np.errstate(divide="ignore", invalid="ignore"):
        contrib = np.where(n > 1, f * n / (n - 1) * centred, 0.0)
    if cells.lonely is LonelyPSU.ADJUST and uncentred is not None:
        contrib = np.where(units.lonely_h, f * uncentred, contrib)
    contrib = np.where(f < SELF_REPRESENTING, 0.0, contrib).reshape(units.groups.n, cells.n_strata)
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
    strata = (np.bincount(units.flat[live], minlength=units.n_flat) > 0).reshape(n_groups, H)
    strata = strata.sum(axis=1)
    if units.cells.psu is None:
        psus = np.bincount(units.g[live], weights=rows[live], minlength=n_groups)
    else:
        psus = np.bincount(units.g[live], minlength=n_groups).astype(np.float64)
    return np.asarray(psus - strata, dtype=np.int64)
