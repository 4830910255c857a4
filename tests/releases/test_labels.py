"""The ``release`` key of records (pure function; names as current_release_names gives them)."""

from __future__ import annotations

from equals.releases import add_release_keys

NAMES = {("wdi", "internet_use", "female"): "WDI 2025 (2025-07-01)"}
ORIGINS = {"wdi": "bundled", "ken-survey": "survey"}


def test_observation_records() -> None:
    recs = [
        {"source": "wdi", "indicator": "internet_use", "sex": "female"},
        {"source": "wdi", "indicator": "internet_use", "sex": "male"},
        {"source": "ken-survey", "indicator": "internet_use", "sex": "female"},
    ]
    out = [r["release"] for r in add_release_keys(recs, NAMES, ORIGINS)]
    assert out == ["WDI 2025 (2025-07-01)", "bundled", ""]  # survey estimates: no release


def test_gap_records_name_each_sex_when_they_differ() -> None:
    both = {"source": "wdi", "indicator": "internet_use", "female": 30.0, "male": 40.0}
    only_male = {"source": "wdi", "indicator": "internet_use", "female": None, "male": 40.0}
    share = {"source": "ken-survey", "indicator": "women_managers", "female": 30.0}
    add_release_keys([both, only_male, share], NAMES, ORIGINS)
    assert both["release"] == "female: WDI 2025 (2025-07-01); male: bundled"
    assert only_male["release"] == "bundled"
    assert share["release"] == ""
