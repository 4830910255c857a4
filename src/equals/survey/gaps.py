"""Gender gaps with standard errors that use the covariance of the female and male estimates.

Female and male means (or proportions) in a domain are two domain estimators from the same
PSUs, so Cov(F̂, M̂) ≠ 0 in a clustered design. It comes from the same PSU-total formula as the
variances (:func:`equals.survey.variance.covariance`), as R's ``svyby(..., covmat=TRUE)``; the
gaps then follow by the delta method, as R's ``svycontrast`` (Lumley 2010, §2.3; Wolter 2007
§6.2):

* difference  D = M − F:        V = V_M + V_F − 2·C
* parity      P = F / M:        V = V_F/M² + F²·V_M/M⁴ − 2·F·C/M³
* relative    G = (M − F) / M = 1 − P: the same SE as the parity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from equals.core.i18n import Msg
from equals.survey.cells import Cells, build_cells, by_key
from equals.survey.design import Design, EstimationOptions
from equals.survey.domains import domain_groups, native
from equals.survey.engine import ColumnKind, Engine, open_engine
from equals.survey.errors import DomainValueError, SurveyError
from equals.survey.pages import small_pages
from equals.survey.plan import Item, coerce_level, prepare, run_pass
from equals.survey.quality import quality_flags
from equals.survey.quantities import Quantity, Scalar, Statistic
from equals.survey.results import GapEstimate, ValueSE
from equals.survey.variance import Influence, Units, covariances, finite

if TYPE_CHECKING:
    from equals.survey.estimators import SurveyData


def _matches(column: pd.Series, value: Scalar, kind: ColumnKind) -> np.ndarray:
    if kind is ColumnKind.NUMERIC:
        number = coerce_level(value, kind)
        if isinstance(number, str):  # not a number: matches no row of a numeric column
            return np.zeros(len(column), dtype=bool)
        return np.asarray(pd.to_numeric(column, errors="coerce").to_numpy() == float(number))
    return np.asarray(column.astype(str).to_numpy() == str(value))


@small_pages()
def gender_gaps(
    source: SurveyData,
    design: Design,
    quantities: Sequence[Quantity],
    *,
    sex: str,
    female: Scalar,
    male: Scalar,
    by: Sequence[str] = (),
    options: EstimationOptions | None = None,
    engine: str | Engine = "duckdb",
) -> list[GapEstimate]:
    """Female and male estimates and their gaps, in every domain of ``by``."""
    options = options or EstimationOptions()
    eng = open_engine(engine, source)
    require_means(quantities, eng.location)
    by = [b for b in dict.fromkeys(by) if b != sex]
    plan = prepare(eng, design, quantities, [*by, sex])
    cells = build_cells(run_pass(eng, plan), design, eng.location, plan.aliases)
    return gaps_from_cells(
        cells,
        plan.items,
        by={b: by_key(i) for i, b in enumerate(by)},
        sex_key=by_key(len(by)),
        sex_kind=eng.schema()[sex],
        sex=sex,
        female=female,
        male=male,
        options=options,
        location=eng.location,
    )


def require_means(quantities: Sequence[Quantity], location: str) -> None:
    """Gaps compare female and male means or proportions: refuse totals and ratios."""
    for q in quantities:
        if q.statistic not in (Statistic.MEAN, Statistic.PROPORTION):
            message = (
                Msg("gaps are for means and proportions, not a total")
                if q.statistic is Statistic.TOTAL
                else Msg("gaps are for means and proportions, not a ratio")
                if q.statistic is Statistic.RATIO
                else Msg(
                    "gaps are for means and proportions, not a %(statistic)s",
                    statistic=str(q.statistic),
                )
            )
            raise SurveyError(message, location=location)


@small_pages()
def gaps_from_cells(
    cells: Cells,
    items: Sequence[Item],
    *,
    by: Mapping[str, str],
    sex_key: str,
    sex_kind: ColumnKind,
    sex: str,
    female: Scalar,
    male: Scalar,
    options: EstimationOptions,
    location: str,
) -> list[GapEstimate]:
    """Gaps in the domains of ``by`` (domain variable → its key column in ``cells``); the sex
    variable is the key column ``sex_key``. The cells may be finer than the domains."""
    groups = domain_groups(cells, list(by.values()), list(by))
    codes, uniques = cells.key_codes(sex_key)
    values = pd.Series(uniques, dtype=object)
    present = codes >= 0
    sides = []
    for value in (female, male):  # per distinct sex value, then per row
        hit = np.append(_matches(values, value, sex_kind), False)  # code −1 → the last
        sides.append(hit[np.where(present, codes, len(uniques))])
    is_f, is_m = sides
    for label, value, hits in (("female", female, is_f), ("male", male, is_m)):
        if not hits.any():
            seen = sorted({str(native(v)) for v in uniques})[:20]
            raise DomainValueError(
                Msg(
                    "no row has %(column)s = %(value)s (--%(option)s); values seen: %(seen)s",
                    column=sex,
                    value=repr(value),
                    option=label,
                    seen=", ".join(seen),
                ),
                location=location,
            )
    units = Units(cells, groups, {"female": is_f, "male": is_m})
    out: list[GapEstimate] = []
    for item in items:
        out += _gaps_of(units, item, options)
    return out


def _side(units: Units, measure: str, side: str) -> tuple[np.ndarray, np.ndarray, Influence]:
    w = units.group_sum(f"{measure}__w", side)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = units.group_sum(f"{measure}__wy", side) / w
        alpha, gamma = finite(1 / w), finite(-mean / w)
    n = units.group_sum(f"{measure}__np", side)  # rows with a value and a non-zero weight
    return mean, n, Influence(measure, alpha, np.zeros_like(alpha), gamma, mask=side)


def _gaps_of(units: Units, item: Item, options: EstimationOptions) -> list[GapEstimate]:
    m = item.quantity.variable
    groups = units.groups
    mf, nf, inf_f = _side(units, item.measure, "female")
    mm, nm, inf_m = _side(units, item.measure, "male")
    present = units.presence(f"{item.measure}__n", "sides")
    cov = covariances(units, [inf_f, inf_m], present)
    vff, vmm, vfm = cov[0][0], cov[1][1], cov[0][1]
    out: list[GapEstimate] = []
    for k, domain in enumerate(groups.domains):
        if nf[k] == 0 and nm[k] == 0:
            continue
        f, mv, cff, cmm, cfm = (float(x[k]) for x in (mf, mm, vff, vmm, vfm))
        se_f, se_m = math.sqrt(max(cff, 0.0)), math.sqrt(max(cmm, 0.0))
        v_diff = cmm + cff - 2 * cfm
        with np.errstate(divide="ignore", invalid="ignore"):
            parity = f / mv if mv else math.nan
            v_par = cff / mv**2 + f * f * cmm / mv**4 - 2 * f * cfm / mv**3 if mv else math.nan
        se_par = math.sqrt(max(v_par, 0.0)) if math.isfinite(v_par) else math.nan
        flags = tuple(
            f"{label}:{flag}"
            for label, n, est, se in (("female", nf[k], f, se_f), ("male", nm[k], mv, se_m))
            for flag in quality_flags(
                int(n), se, se / abs(est) if est and math.isfinite(est) else None, options.quality
            )
        )
        out.append(
            GapEstimate(
                variable=m,
                statistic=item.quantity.statistic.value,
                domain=domain,
                female=ValueSE(f, se_f),
                male=ValueSE(mv, se_m),
                covariance=cfm,
                difference=ValueSE(mv - f, math.sqrt(max(v_diff, 0.0))),
                parity=ValueSE(parity, se_par),
                relative_gap=ValueSE(1 - parity, se_par),
                n_female=int(nf[k]),
                n_male=int(nm[k]),
                flags=flags,
                level=item.quantity.level,
            )
        )
    return out
