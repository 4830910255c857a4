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
    }


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
