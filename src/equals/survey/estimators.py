"""Design-based means, proportions, totals and ratios by domain (R ``svymean``, ``svytotal``,
``svyratio``, ``svyby``, ``svyciprop``), from one aggregation pass.

Semantics pinned to R ``survey`` (Lumley 2010, *Complex Surveys*; the package's manual):

* Estimates: mean = Σwy/Σw, total = Σwy, ratio = Σwy/Σwx, proportion = mean of the 0/1
  indicator, over the rows of the domain where the variable is present.
* Domains are subpopulations: the variance uses every PSU of the design (svyby / subset).
* SE: Taylor linearisation, :mod:`equals.survey.variance`.
* CI: Wald with the normal quantile (R ``confint``) or Student t on the design df; for
  proportions optionally the logit interval of ``svyciprop(method="logit")``.
* deff: V / V_srs with R's definitions (:class:`~equals.survey.design.DeffMethod`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from equals.survey.cells import F64, build_cells, by_key
from equals.survey.design import CIMethod, DeffMethod, Design, DfRule, EstimationOptions
from equals.survey.distributions import qnorm, qt
from equals.survey.domains import domain_groups
from equals.survey.engine import Engine, open_engine
from equals.survey.pages import small_pages
from equals.survey.plan import Item, prepare, run_pass
from equals.survey.quality import quality_flags
from equals.survey.quantities import Quantity, Statistic
from equals.survey.results import Estimate
from equals.survey.variance import Influence, Units, covariance, design_df, finite

if TYPE_CHECKING:
    import pandas as pd

    SurveyData = str | Path | pd.DataFrame


@dataclass(frozen=True)
class Aggregated:
    """The result of the one pass over the microdata, ready for any estimation options."""

    units: Units
    df: npt.NDArray[np.int64]
    items: tuple[Item, ...]

    @small_pages()
    def results(self, options: EstimationOptions | None = None) -> list[Estimate]:
        options = options or EstimationOptions()
        out: list[Estimate] = []
        for item in self.items:
            out += estimate_item(self.units, self.df, item, options)
        return out


@small_pages()
def aggregate(
    source: SurveyData,
    design: Design,
    quantities: Sequence[Quantity],
    by: Sequence[str] = (),
    *,
    engine: str | Engine = "duckdb",
) -> Aggregated:
    """Validate, then reduce the microdata to stratum × PSU × domain cells (one SQL pass)."""
    eng = open_engine(engine, source)
    plan = prepare(eng, design, quantities, by)
    cells = build_cells(run_pass(eng, plan), design, eng.location, plan.aliases)
    groups = domain_groups(cells, [by_key(i) for i in range(len(plan.by))], plan.by)
    return aggregated(Units(cells, groups), plan.items)


def aggregated(units: Units, items: Sequence[Item]) -> Aggregated:
    """An :class:`Aggregated` on the units of one domain set."""
    return Aggregated(units, design_df(units), tuple(items))


def estimate(
    source: SurveyData,
    design: Design,
    quantities: Sequence[Quantity],
    by: Sequence[str] = (),
    *,
    options: EstimationOptions | None = None,
    engine: str | Engine = "duckdb",
) -> list[Estimate]:
    """Estimate every quantity in every domain of ``by`` (whole population when empty)."""
    return aggregate(source, design, quantities, by, engine=engine).results(options)


def quantile(options: EstimationOptions, df: float) -> float:
    p = 1 - (1 - options.level) / 2
    return qnorm(p) if options.df is DfRule.NORMAL else qt(p, df)


def logit_ci(p: float, se: float, q: float) -> tuple[float | None, float | None]:
    """``svyciprop(method="logit")``: Wald on logit(p) with SE(p)/(p(1−p)), back-transformed."""
    if p in (0.0, 1.0):
        return p, p  # a domain where every (or no) row has the trait: degenerate, as R
    if not 0 < p < 1 or not math.isfinite(se):
        return None, None
    eta, s = math.log(p / (1 - p)), se / (p * (1 - p))
    return 1 / (1 + math.exp(-(eta - q * s))), 1 / (1 + math.exp(-(eta + q * s)))


def srs_variance(
    stat: Statistic, deff: DeffMethod, s2: float, n: float, big_n: float
) -> float | None:
    """R's V_srs: s² = svyvar of the linearised variable; N = Σw; n = rows with w ≠ 0."""
    if not (n > 0 and big_n > 0 and s2 > 0 and math.isfinite(s2)):
        return None
    scale = 1.0 if stat in (Statistic.MEAN, Statistic.PROPORTION) else big_n * big_n
    if deff is DeffMethod.SRSWR:
        return s2 * scale / n
    if stat in (Statistic.MEAN, Statistic.PROPORTION) and big_n < n:
        return None  # R: NA ("are weights correctly scaled?")
    return s2 * scale * (big_n - n) / (big_n * n)


def estimate_item(
    units: Units, df: npt.NDArray[np.int64], item: Item, options: EstimationOptions
) -> list[Estimate]:
    q, m = item.quantity, item.measure
    stat = q.statistic
    groups = units.groups

    def g(moment: str) -> F64:
        return units.group_sum(f"{m}__{moment}")

    # n: rows with a value and a non-zero weight (R's unwtd.count); missing: rows of the
    # domain with a non-zero weight but no value. Rows of weight 0 are in neither.
    w, wy, wyy, npos = g("w"), g("wy"), g("wyy"), g("np")
    live = units.group_sum("cell__np")
    zero = np.zeros(groups.n)
    with np.errstate(divide="ignore", invalid="ignore"):
        if stat is Statistic.RATIO:
            wx, wxx, wxy = g("wx"), g("wxx"), g("wxy")
            theta = wy / wx
            alpha, beta, gamma = 1 / wx, -theta / wx, zero
            ss = (wyy - 2 * theta * wxy + theta * theta * wxx) / (wx * wx)  # Σw r², r̄ = 0
            size = wyy / (wx * wx)
        elif stat is Statistic.TOTAL:
            theta = wy
            alpha, beta, gamma = np.ones(groups.n), zero, zero
            ss, size = wyy - wy * wy / w, wyy
        else:
            theta = wy / w
            alpha, beta, gamma = 1 / w, zero, -theta / w
            ss, size = wyy - wy * wy / w, wyy
        # Round-off of an exactly-zero spread (constant y) must read as zero, as in R.
        ss = np.where(np.abs(ss) <= 1e-12 * np.abs(size), 0.0, ss)
        s2 = ss / w * npos / (npos - 1)
    inf = Influence(m, finite(alpha), finite(beta), finite(gamma))
    var = covariance(units, inf, inf, units.presence(f"{m}__n"))
    out: list[Estimate] = []
    for k, domain in enumerate(groups.domains):
        if live[k] == 0:
            continue  # every row has zero weight: R's svyby drops the group
        est, nk = float(theta[k]), int(npos[k])
        se = math.sqrt(max(float(var[k]), 0.0)) if nk and math.isfinite(var[k]) else math.nan
        qq = quantile(options, float(df[k]))
        if stat is Statistic.PROPORTION and options.ci is CIMethod.LOGIT:
            lo, hi = logit_ci(est, se, qq)
        else:
            lo, hi = est - qq * se, est + qq * se
        vsrs = srs_variance(stat, options.deff, float(s2[k]), float(npos[k]), float(w[k]))
        deff = se * se / vsrs if vsrs and math.isfinite(vsrs) and vsrs > 0 else None
        cv = se / abs(est) if est and math.isfinite(est) else None
        out.append(
            Estimate(
                variable=q.variable,
                statistic=stat.value,
                domain=domain,
                estimate=est,
                se=se,
                ci_low=lo,
                ci_high=hi,
                deff=deff,
                cv=cv,
                n=nk,
                weighted_n=float(w[k]),
                missing=int(live[k] - nk),
                df=int(df[k]),
                flags=quality_flags(nk, se, cv, options.quality),
                level=q.level,
                denominator=q.denominator,
            )
        )
    return out
