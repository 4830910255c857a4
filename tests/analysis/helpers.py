"""Small hand-built methods and panels for the analysis tests."""

from __future__ import annotations

import copy
from typing import Any

from equals.analysis.method import IndexMethod, method_from_descriptor
from equals.analysis.panel import Panel, Point, SeriesInfo, panel_from_points
from equals.core.areas import Area
from equals.core.vocabulary import IndicatorKind

PAIR, SHARE = IndicatorKind.PAIR, IndicatorKind.FEMALE_SHARE

BASE: dict[str, Any] = {
    "id": "test-index",
    "version": "0.1",
    "title": "Test index",
    "reference_year": 2020,
    "window": 5,
    "truncate_at": 1.0,
    "weights": "equal",
    "aggregation": "arithmetic",
    "min_components": {"access": 2, "skills": 2, "leadership": 2},
    "pillars": {
        "access": [{"id": "a1", "indicators": ["a1"]}, {"id": "a2", "indicators": ["a2"]}],
        "skills": [
            {"id": "s1", "indicators": ["s1a", "s1b"]},
            {"id": "s2", "indicators": ["s2"]},
        ],
        "leadership": [{"id": "l1", "indicators": ["l1"]}, {"id": "l2", "indicators": ["l2"]}],
    },
    "uncertainty": {
        "draws": 50,
        "seed": 7,
        "interval": [5, 95],
        "alternatives": {
            "weights": ["equal", "sd"],
            "window": [5, 10],
            "aggregation": ["arithmetic", "geometric"],
        },
    },
}
KINDS = {"a1": PAIR, "a2": PAIR, "s1a": PAIR, "s1b": PAIR, "s2": PAIR, "l1": SHARE, "l2": SHARE}


def method(**changes: Any) -> IndexMethod:
    d = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key == "alternatives":
            d["uncertainty"]["alternatives"] = value
        else:
            d[key] = value
    return method_from_descriptor(d, where="test")


def area(code: str, region: str = "R1") -> Area:
    return Area(code=code, name=f"Country {code}", region=region, income_group="G1")


def panel(points: dict[str, dict[str, list[Point]]], codes: list[str]) -> Panel:
    infos = [SeriesInfo(i, k, f"src-{i}", "CC BY 4.0", f"cite {i}") for i, k in KINDS.items()]
    return panel_from_points(infos, points, [area(c) for c in codes])


def full_country(
    a1: float = 40,
    a2: float = 60,
    s1a: float = 20,
    s1b: float = 30,
    s2: float = 10,
    l1: float = 25,
    l2: float = 40,
    year: int = 2018,
) -> dict[str, list[Point]]:
    """One country's points: pair indicators with male value 50 (a), 40 (s1), 10 (s2)."""
    return {
        "a1": [Point(year, a1, 50)],
        "a2": [Point(year, a2, 50)],
        "s1a": [Point(year, s1a, 40)],
        "s1b": [Point(year, s1b, 40)],
        "s2": [Point(year, s2, 10)],
        "l1": [Point(year, l1, 100 - l1)],
        "l2": [Point(year, l2, 100 - l2)],
    }


def merge(by_country: dict[str, dict[str, list[Point]]]) -> dict[str, dict[str, list[Point]]]:
    out: dict[str, dict[str, list[Point]]] = {}
    for code, inds in by_country.items():
        for ind, pts in inds.items():
            out.setdefault(ind, {})[code] = pts
    return out
