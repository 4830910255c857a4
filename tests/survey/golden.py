"""Load the R golden values (tests/survey/golden/golden.json, made by make_golden.R)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from equals.survey import Design, LonelyPSU, Quantity, Statistic

GOLDEN_DIR = Path(__file__).parent / "golden"
RTOL = 1e-8

LONELY = {"fail": LonelyPSU.ERROR, **{r.value: r for r in LonelyPSU if r is not LonelyPSU.ERROR}}


@cache
def golden(path: Path = GOLDEN_DIR / "golden.json") -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


def design_of(spec: dict[str, Any]) -> Design:
    return Design(
        weight=spec["weight"],
        strata=spec.get("strata"),
        psu=spec.get("psu"),
        fpc=spec.get("fpc"),
        lonely_psu=LONELY[spec.get("lonely", "fail")],
    )


def data_path(spec: dict[str, Any], root: Path = GOLDEN_DIR) -> Path:
    return root / f"{spec['data']}.csv"


def quantity_of(rec: dict[str, Any]) -> Quantity:
    return Quantity(
        Statistic(rec["statistic"]),
        rec["variable"],
        denominator=rec.get("denominator"),
        level=rec.get("level"),
    )


def estimate_groups() -> dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]]:
    """Estimate records by (case, by)."""
    out: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for rec in golden()["records"]:
        if rec.get("kind") != "gap":
            out[(rec["case"], tuple(rec["by"]))].append(rec)
    return dict(out)


def gap_cases() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in golden()["records"]:
        if rec.get("kind") == "gap":
            out[rec["case"]].append(rec)
    return dict(out)


def domain_key(domain: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in domain.items()))


def rel_error(ours: float | None, theirs: float | None) -> float:
    """Relative error; both missing counts as equal."""
    if theirs is None or ours is None:
        return 0.0 if theirs is None and ours is None else math.inf
    if theirs == ours:
        return 0.0
    return abs(ours - theirs) / max(abs(theirs), 1e-300)


def close(ours: float | None, theirs: float | None, scale: float | None = 1.0) -> bool:
    """Relative agreement to RTOL, with an absolute floor of RTOL·scale for values near 0.

    NaN and None (R's NA / NaN, written as null) are the same "undefined"."""
    ours = None if ours is None or math.isnan(ours) else ours
    scale = 1.0 if scale is None or math.isnan(scale) else scale
    if theirs is None or ours is None:
        return theirs is None and ours is None
    return math.isclose(ours, theirs, rel_tol=RTOL, abs_tol=RTOL * 1e-3 * scale)
