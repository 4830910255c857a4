"""The notebook API: ``import equals`` gives DataFrames over the same queries."""

from __future__ import annotations

import pandas as pd

import equals
from equals.evidence.queries import Evidence


def test_public_names() -> None:
    assert set(equals.__all__) == {
        "__version__",
        "connect",
        "countries",
        "gaps",
        "catalogue",
        "observations",
        "index",
        "data_gaps",
        "parity_years",
    }


def test_analysis_frames_from_the_notebook_api(loaded_db_url: str) -> None:
    """The index, the data-gap audit and years to parity are one call each from a notebook,
    and agree with the analysis library's own frames."""
    from equals.analysis.frames import index_frame

    idx = equals.index(draws=50, seed=3, db=loaded_db_url)
    assert {"country", "score", "rank", "rank_low", "rank_high"} <= set(idx.columns)
    ranked = idx.dropna(subset=["rank"])
    assert len(ranked) > 50 and (ranked["rank_low"] <= ranked["rank"]).all()
    same = index_frame(equals.connect(loaded_db_url), draws=50, seed=3)
    pd.testing.assert_frame_equal(idx, same)
    gaps = equals.data_gaps(db=loaded_db_url)
    assert {"country", "indicator", "latest_year"} <= set(gaps.columns) and len(gaps) > 1000
    trend = equals.parity_years("KEN", "internet_use", db=loaded_db_url)
    assert len(trend) >= 1


def test_frames_match_queries(loaded_db_url: str, evidence: Evidence) -> None:
    ind = equals.catalogue(db=loaded_db_url)
    assert isinstance(ind, pd.DataFrame) and len(ind) == len(evidence.catalogue)
    assert {"id", "title", "pillar", "unit", "source", "licence"} <= set(ind.columns)

    gaps = equals.gaps("internet_use", db=loaded_db_url)
    assert len(gaps) == len(evidence.gaps("internet_use"))
    assert (gaps["parity"].dropna() > 0).all()

    obs = equals.observations("account_ownership", country="KEN", sex="female", db=loaded_db_url)
    assert set(obs["sex"]) == {"female"} and set(obs["country"]) == {"KEN"}
    assert len(obs) > 0

    countries = equals.countries(db=loaded_db_url)
    assert "KEN" in set(countries["code"])
    assert countries.loc[countries["code"] == "KEN", "name"].item() == "Kenya"
