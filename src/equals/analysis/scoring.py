"""The index's formulas, vectorised over Monte Carlo draws (numpy, no loops over countries).

Shapes: ``D`` draws × ``n`` countries × ``k`` indicators (or ``c`` components). A missing value
is ``NaN`` all the way through: it never counts as zero.

1. ratio ``r = F / M`` (female-share indicators arrive as ``F = S``, ``M = 100 − S``);
   not computable (``NaN``) when ``M ≤ 0`` or either value is missing; ``F < 0`` (possible
   only after a sampling-error draw) is clipped to 0;
2. truncation ``min(r, t)`` with ``t`` = 1 (parity);
3. component = unweighted mean of its indicators' truncated ratios that are present;
4. weights: equal, or WEF ``w_i ∝ 0.01 / SD_i`` (sample SD across countries of the truncated
   component), renormalised over the components a country has;
5. pillar = weighted arithmetic or geometric mean of its components, only with at least
   ``K`` components; overall = unweighted arithmetic or geometric mean of the three pillars,
   only when every pillar is scored.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from equals.analysis.method import PILLARS, Aggregation, IndexMethod, WeightScheme

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def truncated_ratio(female: FloatArray, male: FloatArray, truncate_at: float) -> FloatArray:
    """``min(max(F, 0) / M, t)``; ``NaN`` where M ≤ 0 or a value is missing."""
    f = np.maximum(female, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(male > 0, f / np.where(male > 0, male, 1.0), np.nan)
    r = np.where(np.isfinite(r), r, np.nan)
    return np.minimum(r, truncate_at)


def membership(method: IndexMethod) -> FloatArray:
    """``k × c`` 0/1 matrix: indicator ``i`` belongs to component ``j``."""
    inds = method.indicators
    g = np.zeros((len(inds), len(method.components)))
    for j, comp in enumerate(method.components):
        for ind in comp.indicators:
            g[inds.index(ind), j] = 1.0
    return g


def components(ratios: FloatArray, g: FloatArray) -> FloatArray:
    """Mean of the present indicator ratios of each component (``NaN`` when none)."""
    present = ~np.isnan(ratios)
    total = np.where(present, ratios, 0.0) @ g
    count = present.astype(np.float64) @ g
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1.0), np.nan)


def weights_from_sd(sd: Sequence[float]) -> list[float]:
    """WEF GGGI weights: ``0.01 / SD_i`` ("standard deviation per 1% point change"),
    normalised to sum to 1 (Global Gender Gap Report 2006, Table 2; 2023, Appendix B)."""
    per_point = [0.01 / s for s in sd]
    total = sum(per_point)
    return [x / total for x in per_point]


def sd_weights(comp: FloatArray, pillar_of: Sequence[int]) -> FloatArray:
    """WEF weights per draw: ``(0.01 / SD_c)`` normalised to sum to 1 within each pillar.

    ``comp`` is ``D × n × c``; the SD is the sample SD (ddof 1) over the countries that have
    the component. A component with no spread (SD 0) or fewer than two countries gets its
    pillar's mean weight (it cannot be weighted by its spread). Returns ``D × c``.
    """
    present = ~np.isnan(comp)
    counts = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, comp, 0.0).sum(axis=1) / np.maximum(counts, 1)
        sq = np.where(present, (comp - mean[:, None, :]) ** 2, 0.0).sum(axis=1)
        sd = np.sqrt(sq / np.maximum(counts - 1, 1))
        raw = np.where((counts >= 2) & (sd > 1e-12), 0.01 / np.where(sd > 0, sd, 1.0), np.nan)
    w = np.empty_like(raw)
    pillars = np.asarray(pillar_of)
    for p in np.unique(pillars):
        cols = pillars == p
        block = raw[:, cols]
        known = ~np.isnan(block)
        fill = np.where(known, block, 0.0).sum(axis=1, keepdims=True) / np.maximum(
            known.sum(axis=1, keepdims=True), 1
        )
        fill = np.where(known.any(axis=1, keepdims=True), fill, 1.0)
        block = np.where(known, block, fill)
        w[:, cols] = block / block.sum(axis=1, keepdims=True)
    return w


def equal_weights(draws: int, pillar_of: Sequence[int]) -> FloatArray:
    pillars = np.asarray(pillar_of)
    w = np.ones((draws, len(pillars)))
    for p in np.unique(pillars):
        cols = pillars == p
        w[:, cols] /= cols.sum()
    return w


def weighted_mean(
    values: FloatArray, weights: FloatArray, geometric: BoolArray
) -> tuple[FloatArray, FloatArray]:
    """Weighted mean over the last axis of the present values, renormalising the weights.

    ``values`` ``D × n × m``, ``weights`` ``D × m`` (or ``D × n × m``), ``geometric`` ``D``
    (per draw: geometric instead of arithmetic). Returns ``(mean, count of present values)``.
    """
    present = ~np.isnan(values)
    w = np.broadcast_to(weights if weights.ndim == 3 else weights[:, None, :], values.shape)
    w = np.where(present, w, 0.0)
    wsum = w.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        wn = w / np.where(wsum > 0, wsum, 1.0)[..., None]
        x = np.where(present, values, 1.0)
        arith = np.sum(wn * x, axis=-1)
        logs = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), -np.inf)
        # A zero with positive weight makes the geometric mean 0 (exp(-inf)); weight 0 ignores it.
        geo = np.exp(np.sum(np.where(wn > 0, wn * logs, 0.0), axis=-1))
    mean = np.where(geometric[:, None], geo, arith)
    count = present.sum(axis=-1).astype(np.float64)
    return np.where(count > 0, mean, np.nan), count


def pillar_and_overall(
    comp: FloatArray,
    weights: FloatArray,
    geometric: BoolArray,
    pillar_of: Sequence[int],
    min_components: Sequence[int],
) -> tuple[FloatArray, FloatArray]:
    """Pillar scores ``D × n × P`` (coverage rule applied) and overall ``D × n``."""
    pillars = np.asarray(pillar_of)
    out = []
    for p, k_min in enumerate(min_components):
        cols = pillars == p
        score, count = weighted_mean(comp[..., cols], weights[:, cols], geometric)
        out.append(np.where(count >= k_min, score, np.nan))
    pill = np.stack(out, axis=-1)
    eq = np.full((pill.shape[0], pill.shape[-1]), 1.0 / pill.shape[-1])
    overall, count = weighted_mean(pill, eq, geometric)
    overall = np.where(count == pill.shape[-1], overall, np.nan)
    return pill, overall


def score(
    female: FloatArray,
    male: FloatArray,
    method: IndexMethod,
    *,
    weight_schemes: Sequence[WeightScheme] | None = None,
    aggregations: Sequence[Aggregation] | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Scores for ``D`` draws of ``F``/``M`` values (``D × n × k``).

    Per-draw choices default to the method's own. Returns ``(components D×n×c,
    weights D×c, pillars D×n×P, overall D×n)``.
    """
    d = female.shape[0]
    schemes = list(weight_schemes or [method.weights] * d)
    aggs = list(aggregations or [method.aggregation] * d)
    g = membership(method)
    pillar_of = [PILLARS.index(c.pillar) for c in method.components]
    mins = [method.min_components[p] for p in PILLARS]
    ratios = truncated_ratio(female, male, method.truncate_at)
    comp = components(ratios, g)
    w = equal_weights(d, pillar_of)
    use_sd = np.array([s is WeightScheme.SD for s in schemes])
    if use_sd.any():
        w[use_sd] = sd_weights(comp[use_sd], pillar_of)
    geometric = np.array([a is Aggregation.GEOMETRIC for a in aggs])
    pill, overall = pillar_and_overall(comp, w, geometric, pillar_of, mins)
    return comp, w, pill, overall


def competition_ranks(scores: FloatArray) -> FloatArray:
    """Rank 1 = highest score, ties share the best rank ("1224"); ``NaN`` stays unranked.

    ``scores`` is ``D × n``; the rank is 1 + the number of scored countries strictly above.
    """
    ranks = np.full(scores.shape, np.nan)
    for i, row in enumerate(scores):
        ok = ~np.isnan(row)
        desc = -np.sort(row[ok])[::-1]  # ascending negatives = descending scores
        ranks[i, ok] = np.searchsorted(desc, -row[ok], side="left") + 1
    return ranks
