"""Each bundled file, read as a release of its source, changes nothing: the release readers
give exactly what the bundled loaders gave (the store holds the bundle, loaded by `init`)."""

from __future__ import annotations

import pytest

from equals.releases import diff_release, read_release
from equals.store import Store
from tests.releases.conftest import DATA

CASES = [
    ("wdi", "wdi/ddf--datapoints--it_net_user_fe_zs--by--economy--year.csv", 1478),
    ("wdi", "wdi/ddf--datapoints--fx_own_totl_zs--by--economy--year.csv", 804),
    ("sdg-db", "equals-ict/sdg_database_ind_own_mobile.csv", 589),
    ("sdg-db", "equals-ict/sdg_database_ict_literacy.csv", 4795),
    ("uis", "equals-ict/tertiary_graduates_stem_ict.csv", 2355),
    ("uis", "equals-ict/female_eng_tech_researchers.csv", 474),
    ("ilostat", "equals-ict/ilo_ict_professionals.csv", None),
    ("ilostat", "equals-ict/ilo_telecomms_professionals.csv", 2070),
    ("unsd-gender-ipu", "unstats-gender/unstats_gender_selected_long.csv.gz", None),
    ("unsd-gender-itu", "unstats-gender/unstats_gender_selected_long.csv.gz", None),
]


@pytest.mark.parametrize(("source", "rel", "count"), CASES, ids=[f"{s}:{r}" for s, r, _ in CASES])
def test_bundled_file_is_no_change(store: Store, source: str, rel: str, count: int | None) -> None:
    path = DATA / rel
    if count is not None:  # the per-file counts of the bundle's load report
        assert len(read_release(path, source).observations) == count
    d = diff_release(store, path, source, skip_unknown_areas=True)
    assert (d.added, d.revised, d.removed, d.metadata_changed) == ((), (), (), 0)
    assert d.unchanged > 0
