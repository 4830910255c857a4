"""Monte Carlo over the method's choices and over sampling error: rank distributions.

Each draw picks, uniformly and independently, one weight scheme, one window and one
aggregation from the method's ``uncertainty.alternatives``; where an observation carries a
standard error, its female and male values get independent normal errors of that SE (a
female share ``S`` moves with its men's share ``100 − S``). Draws are grouped by window and
scored together in chunks, vectorised; ranks are competition ranks among the countries scored
in that draw. The generator is ``numpy.random.default_rng(seed)``: the same seed gives the
same draws and the same intervals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from equals.analysis.method import IndexMethod
from equals.analysis.panel import Panel, Selection, select
from equals.analysis.scoring import FloatArray, competition_ranks, score
from equals.core.vocabulary import IndicatorKind

CHUNK = 250


@dataclass(frozen=True)
class Simulation:
    """Overall scores and ranks per draw (``D × n``, ``NaN`` = not scored in that draw)."""

    draws: int
    seed: int
    overall: FloatArray
    ranks: FloatArray
    windows: tuple[int, ...]  # the window of each draw
    weights: tuple[str, ...]
    aggregations: tuple[str, ...]


def simulate(
    panel: Panel, method: IndexMethod, last_year: int, *, draws: int, seed: int
) -> Simulation:
    unc = method.uncertainty
    rng = np.random.default_rng(seed)
    w_idx = rng.integers(len(unc.weights), size=draws)
    win_idx = rng.integers(len(unc.windows), size=draws)
    agg_idx = rng.integers(len(unc.aggregations), size=draws)
    share = np.array([i.kind is IndicatorKind.FEMALE_SHARE for i in panel.indicators])
    n = len(panel.countries)
    overall = np.full((draws, n), np.nan)
    for wi, window in enumerate(unc.windows):
        rows = np.flatnonzero(win_idx == wi)
        if rows.size == 0:
            continue
        sel = select(panel, last_year, window)
        for start in range(0, rows.size, CHUNK):
            part = rows[start : start + CHUNK]
            f, m = _perturbed(sel, share, part.size, rng)
            _, _, _, ov = score(
                f,
                m,
                method,
                weight_schemes=[unc.weights[i] for i in w_idx[part]],
                aggregations=[unc.aggregations[i] for i in agg_idx[part]],
            )
            overall[part] = ov
    return Simulation(
        draws=draws,
        seed=seed,
        overall=overall,
        ranks=competition_ranks(overall),
        windows=tuple(int(unc.windows[i]) for i in win_idx),
        weights=tuple(unc.weights[i].value for i in w_idx),
        aggregations=tuple(unc.aggregations[i].value for i in agg_idx),
    )


def _perturbed(
    sel: Selection, share: np.ndarray, d: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    f = np.broadcast_to(sel.female, (d, *sel.female.shape)).copy()
    m = np.broadcast_to(sel.male, (d, *sel.male.shape)).copy()
    has_f = sel.female_se > 0
    if has_f.any():
        f[:, has_f] += sel.female_se[has_f] * rng.standard_normal((d, int(has_f.sum())))
    pair_m = (sel.male_se > 0) & ~share[None, :]
    if pair_m.any():
        m[:, pair_m] += sel.male_se[pair_m] * rng.standard_normal((d, int(pair_m.sum())))
    if share.any():
        shifted = 100.0 - f[:, :, share]
        m[:, :, share] = np.where(np.isnan(sel.male[:, share]), np.nan, shifted)
    return f, m


def percentile_ranks(
    ranks: FloatArray, interval: Sequence[float]
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Per country: (low, median, high) rank percentiles over the draws that scored it, and the
    share of draws that scored it. Low/high use the ``lower``/``higher`` order statistic, so
    they are ranks that occurred."""
    scored = ~np.isnan(ranks)
    share = scored.mean(axis=0) if ranks.shape[0] else np.zeros(ranks.shape[1])
    low = np.full(ranks.shape[1], np.nan)
    med = np.full(ranks.shape[1], np.nan)
    high = np.full(ranks.shape[1], np.nan)
    for j in np.flatnonzero(scored.any(axis=0)):
        col = ranks[scored[:, j], j]
        low[j] = np.percentile(col, interval[0], method="lower")
        med[j] = np.percentile(col, 50, method="lower")
        high[j] = np.percentile(col, interval[1], method="higher")
    return low, med, high, share
