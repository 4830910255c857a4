"""The notebook helpers return the same numbers as the library."""

from __future__ import annotations

from equals.analysis import compute_index, frames
from equals.evidence.queries import Evidence


def test_frames(evidence: Evidence) -> None:
    df = frames.index_frame(evidence, draws=30, seed=1)
    result = compute_index(evidence, draws=30, seed=1)
    top = result.ranked[0]
    row = df[df["country"] == top.country].iloc[0]
    assert row["score"] == top.score and row["rank_low"] == top.rank_low
    assert df.attrs["method"].startswith("equals-dgei")
    values = frames.index_values_frame(evidence, "KEN")
    assert {"pillar", "component", "indicator", "year", "source", "licence"} <= set(values)
    gaps = frames.data_gaps_frame(evidence)
    assert len(gaps) == len(set(zip(gaps["country"], gaps["indicator"], strict=True)))
    trend = frames.parity_years_frame(evidence, "KEN", "women_in_parliament")
    assert trend.attrs["status"] and (trend["kind"] == "observed").sum() == trend.attrs["points"]
    assert frames.pace_frame(evidence, "internet_use").iloc[0]["kind"] == "world"
    heads = frames.headlines_frame(evidence, "account_ownership")
    assert heads.attrs["age_base"] == "15+" and len(heads.attrs["countries"]) > 100
