"""equals.survey against R ``survey`` (golden values from golden/make_golden.R, whose header
lists the R calls; R and survey versions are stored in golden.json). Relative agreement 1e-8."""

from __future__ import annotations

from typing import Any

import pytest

from equals.survey import (
    CIMethod,
    DeffMethod,
    DfRule,
    EstimationOptions,
    gender_gaps,
    mean,
    proportion,
)
from equals.survey.estimators import Aggregated, aggregate
from tests.survey.golden import (
    close,
    data_path,
    design_of,
    domain_key,
    estimate_groups,
    gap_cases,
    golden,
    quantity_of,
)

GROUPS = estimate_groups()
GAPS = gap_cases()


def test_golden_file_has_provenance() -> None:
    g = golden()
    assert g["generated_by"] == "tests/survey/golden/make_golden.R"
    assert g["r_version"].startswith("R version") and g["survey_version"]
    assert len(GROUPS) > 20 and len(GAPS) >= 8


def _run(records: list[dict[str, Any]], options: EstimationOptions) -> dict[Any, Any]:
    spec = records[0]["design"]
    key = (records[0]["case"], tuple(records[0]["by"]))
    if key not in _AGGREGATED:
        quantities = list(dict.fromkeys(quantity_of(r) for r in records))
        _AGGREGATED[key] = aggregate(data_path(spec), design_of(spec), quantities, records[0]["by"])
    return {
        (r.statistic, r.variable, r.denominator, r.level, domain_key(dict(r.domain))): r
        for r in _AGGREGATED[key].results(options)
    }


_AGGREGATED: dict[Any, Aggregated] = {}


def _key(rec: dict[str, Any]) -> Any:
    level = rec.get("level")
    return (
        rec["statistic"],
        rec["variable"],
        rec.get("denominator"),
        level,
        domain_key(rec["domain"]),
    )


@pytest.mark.parametrize("case", sorted(GROUPS), ids=lambda c: f"{c[0]}-by-{'+'.join(c[1])}")
def test_estimates_match_r(case: tuple[str, tuple[str, ...]]) -> None:
    records = GROUPS[case]
    normal = _run(records, EstimationOptions())
    design_df = _run(records, EstimationOptions(df=DfRule.DESIGN, deff=DeffMethod.SRSWR))
    logit = _run(records, EstimationOptions(ci=CIMethod.LOGIT))
    logit_t = _run(records, EstimationOptions(ci=CIMethod.LOGIT, df=DfRule.DESIGN))
    assert len(normal) == len(records), "one result per R record, no more"
    for rec in records:
        key = _key(rec)
        ours, ours_t = normal[key], design_df[key]
        where = f"{case} {key}"
        if rec.get("n") == 0:
            # R returns 0 ± 0 for an empty domain (sums over no rows); we say "no data".
            assert ours.n == 0 and ours.flags == ("no_data",), where
            assert ours.to_record()["estimate"] is None, where
            continue
        scale = abs(rec["estimate"] or 0) + (rec["se"] or 0)
        assert close(ours.estimate, rec["estimate"], scale), where
        assert close(ours.se, rec["se"], scale), where
        assert close(ours.ci_low, rec["ci_low"], scale), where
        assert close(ours.ci_high, rec["ci_high"], scale), where
        assert ours.df == rec["df"], where
        assert close(ours_t.ci_low, rec["ci_t_low"], scale), where
        assert close(ours_t.ci_high, rec["ci_t_high"], scale), where
        if ours.se == 0:
            # Constant y in the domain (e.g. a proportion of 1): R divides round-off by
            # round-off (deff 7e30 or NaN); the design effect is undefined and we say so.
            assert ours.deff is None and ours_t.deff is None, where
        else:
            if "deff" in rec:
                assert close(ours.deff, rec["deff"]), where
            if "deff_replace" in rec:
                assert close(ours_t.deff, rec["deff_replace"]), where
        if "n" in rec:
            assert ours.n == rec["n"], where
            assert close(ours.weighted_n, rec["weighted_n"]), where
        if rec["statistic"] == "proportion" and ours.estimate in (0.0, 1.0):
            # R's logit interval is [1, 1] at p = 1 but NaN at p = 0 (log 0); ours is [p, p].
            for r in (logit[key], logit_t[key]):
                assert (r.ci_low, r.ci_high) == (ours.estimate, ours.estimate), where
        elif rec["statistic"] == "proportion":
            assert close(logit[key].ci_low, rec["logit_low"]), where
            assert close(logit[key].ci_high, rec["logit_high"]), where
            assert close(logit_t[key].ci_low, rec["logit_t_low"]), where
            assert close(logit_t[key].ci_high, rec["logit_t_high"]), where


@pytest.mark.parametrize("case", sorted(GAPS))
def test_gaps_match_r_svyby_covmat_svycontrast(case: str) -> None:
    records = GAPS[case]
    first = records[0]
    spec = first["design"]
    q = (
        proportion(first["variable"], first.get("level"))
        if first["statistic"] == "proportion"
        else mean(first["variable"])
    )
    results = gender_gaps(
        data_path(spec),
        design_of(spec),
        [q],
        sex=first["sex"],
        female=first["female_value"],
        male=first["male_value"],
        by=first["by"],
    )
    ours = {domain_key(dict(r.domain)): r for r in results}
    assert len(ours) == len(records)
    for rec in records:
        r = ours[domain_key(rec["domain"])]
        where = f"{case} {rec['domain']}"
        for name in ("female", "male", "difference", "parity", "relative_gap"):
            got, want = getattr(r, name), rec[name]
            scale = abs(want["estimate"]) + want["se"]
            assert close(got.estimate, want["estimate"], scale), (where, name)
            assert close(got.se, want["se"], scale), (where, name)
        assert close(r.covariance, rec["covariance"], rec["female"]["se"] * rec["male"]["se"])
