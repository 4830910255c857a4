"""Importing a newer release: diff, validation, one transaction, provenance, queryable past.

Reference values come from the bundled WDI file itself (read in the test with the csv module):
the release file is that file with three known edits, so the expected diff is exact.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from equals.auth.model import Actor
from equals.bootstrap import initialise
from equals.core.errors import DataFileError, UnknownSourceError, ValidationError
from equals.evidence.queries import Evidence
from equals.releases import (
    current_release_names,
    diff_release,
    import_release,
    list_releases,
    release_observations_of,
)
from equals.store import Store, schema
from tests.releases.helpers import WDI_FE, cell, read_csv, write_csv

ACTOR = Actor("tester")


def wdi_release(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The bundled female Internet-use file with KEN 2019 revised, ALB's first year removed and
    KEN 2025 added; returns the file and the original cell texts it changed."""
    rows = read_csv(WDI_FE)
    alb_first = next(r for r in rows[1:] if r[0] == "alb")
    old = {"ken2019": cell(rows, "ken", "2019"), "alb": alb_first[1], "alb_value": alb_first[2]}
    out = [rows[0]]
    for r in rows[1:]:
        if r == alb_first:
            continue
        if r[0] == "ken" and r[1] == "2019":
            r = ["ken", "2019", "30.5000000000"]
        out.append(r)
    out.append(["ken", "2025", "41.2500000000"])
    return write_csv(tmp_path / "wdi-fe-2025.csv", out), old


def test_diff_shows_exactly_the_edits(store: Store, tmp_path: Path) -> None:
    path, old = wdi_release(tmp_path)
    d = diff_release(store, path, "wdi")
    assert d.scope == (("internet_use", "female"),)
    assert d.added == (("internet_use", "KEN", 2025, "female", ""),)
    assert d.removed == (("internet_use", "ALB", int(old["alb"]), "female", ""),)
    assert len(d.revised) == 1
    rev = d.revised[0]
    assert rev.key == ("internet_use", "KEN", 2019, "female", "")
    assert rev.old == float(old["ken2019"]) and rev.new == 30.5
    assert rev.change == pytest.approx(30.5 - float(old["ken2019"]))
    # 1,478 female rows bundled (the loader's count), minus the removed and the revised one
    assert d.unchanged == 1478 - 2
    assert d.new_years == (("internet_use", (2025,)),)
    assert list_releases(store) == []  # a diff writes nothing


def test_import_replaces_scope_keeps_history_and_records_provenance(
    store: Store, tmp_path: Path
) -> None:
    path, old = wdi_release(tmp_path)
    before = store.counts()["observations"]
    report = import_release(
        store, path, "wdi", actor=ACTOR, label="WDI July 2025", release_date="2025-07-01"
    )
    r = report.release
    assert r is not None
    assert r.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (r.file_name, r.label, r.release_date, r.imported_by) == (
        "wdi-fe-2025.csv", "WDI July 2025", "2025-07-01", "tester",
    )  # fmt: skip
    assert (r.rows_read, r.observations, r.added, r.revised, r.removed) == (1478, 1478, 1, 1, 1)
    assert store.counts()["observations"] == before  # one added, one removed

    ev = Evidence(store)
    ken = {
        o.year: o.value
        for o in ev.observations(indicator="internet_use", country="KEN", sex="female")
    }  # type: ignore[arg-type]
    assert ken[2019] == 30.5 and ken[2025] == 41.25
    male = ev.observations(indicator="internet_use", country="KEN", sex="male")  # type: ignore[arg-type]
    assert 2025 not in {o.year for o in male}  # outside the scope: untouched

    releases = list_releases(store)
    assert [x.kind for x in releases] == ["import", "bundled"]
    baseline = releases[1]
    past = {(o.area, o.year): o.value for o in release_observations_of(store, baseline.id)}
    assert past[("KEN", 2019)] == float(old["ken2019"])  # the bundled value stays queryable
    assert past[("ALB", int(old["alb"]))] == float(old["alb_value"])
    assert len(past) == 1478
    assert current_release_names(store) == {
        ("wdi", "internet_use", "female"): "WDI July 2025 (2025-07-01)"
    }
    with store.connect() as conn:
        audit = conn.execute(
            select(func.count()).select_from(schema.metadata.tables["audit_log"])
        ).scalar_one()
    assert audit == 1

    again = import_release(store, path, "wdi", actor=ACTOR)
    assert again.release is None and len(list_releases(store)) == 2


def test_second_release_keeps_the_first_queryable(store: Store, tmp_path: Path) -> None:
    path, _ = wdi_release(tmp_path)
    first = import_release(store, path, "wdi", actor=ACTOR).release
    rows = read_csv(path)
    rows = [["ken", "2025", "42.0000000000"] if r[:2] == ["ken", "2025"] else r for r in rows]
    second = import_release(
        store, write_csv(tmp_path / "wdi-fe-2025b.csv", rows), "wdi", actor=ACTOR
    )
    assert first is not None and second.release is not None
    assert [(r.key, r.old, r.new) for r in second.diff.revised] == [
        (("internet_use", "KEN", 2025, "female", ""), 41.25, 42.0)
    ]
    first_rows = {(o.area, o.year): o.value for o in release_observations_of(store, first.id)}
    assert first_rows[("KEN", 2025)] == 41.25
    assert {r.id: r.current for r in list_releases(store)}[first.id] is False


def test_bad_file_lists_every_problem_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    rows = read_csv(WDI_FE)
    rows += [
        ["zzz", "2020", "10"],
        ["ken", "2024", "-3"],
        ["ken", "2024", "4"],
        ["uga", "2024", "2000"],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    before = store.counts()
    with pytest.raises(DataFileError) as info:
        import_release(store, path, "wdi", actor=ACTOR)
    text = str(info.value)
    n = len(rows)
    assert f"bad.csv:{n - 3}: economy 'zzz'" in text  # unknown area, with its line
    assert "internet_use KEN 2024 female: -3.0 (allowed 0 to 1000" in text  # out of range
    assert "internet_use UGA 2024 female: 2000.0 (allowed 0 to 1000" in text
    assert "duplicate key(s): internet_use KEN 2024 female (2 rows)" in text
    assert "nothing was imported" in text
    assert store.counts() == before and list_releases(store) == []


def test_duplicate_keys_are_refused(store: Store, tmp_path: Path) -> None:
    # The SDG database loader keeps the first of two equal keys; an import refuses the file.
    src = Path(__file__).resolve().parents[2] / "src/equals/data/equals-ict"
    rows = read_csv(src / "sdg_database_ind_own_mobile.csv")
    path = write_csv(tmp_path / "mobile.csv", [*rows, rows[1]])
    with pytest.raises(DataFileError, match=rf"duplicate key.*mobile.csv:{len(rows) + 1}"):
        import_release(store, path, "sdg-db", actor=ACTOR)


def test_unknown_source_and_bad_date(store: Store, tmp_path: Path) -> None:
    path, _ = wdi_release(tmp_path)
    with pytest.raises(ValidationError, match="importable sources"):
        import_release(store, path, "ocha-countries", actor=ACTOR)
    with pytest.raises(UnknownSourceError):
        import_release(store, path, "no-such-source", actor=ACTOR)
    with pytest.raises(ValidationError, match="not a date"):
        import_release(store, path, "wdi", actor=ACTOR, release_date="July 2025")


def test_reload_of_bundle_reapplies_current_release(store: Store, tmp_path: Path) -> None:
    path, _ = wdi_release(tmp_path)
    import_release(store, path, "wdi", actor=ACTOR)
    initialise(store, force=True, examples=False)  # reloads the package's files
    ev = Evidence(store)
    ken = {
        o.year: o.value
        for o in ev.observations(indicator="internet_use", country="KEN", sex="female")
    }  # type: ignore[arg-type]
    assert ken[2019] == 30.5 and ken[2025] == 41.25


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "missing column(s) economy, year"),
        (bytes(range(256)) * 4, "not UTF-8 text"),
        (
            "economy,year,it_net_user_fe_zs\nken,2020,4\xe9\n".encode("latin-1"),
            "save the file as UTF-8",
        ),
        (b"economy,year,it_net_user_fe_zs\nken,2020,1e400\n", "inf (allowed 0 to 1000"),
        (b"economy,year,it_net_user_fe_zs\nken,2020,nan\n", "nan (allowed 0 to 1000"),
        (b"economy,year,it_net_user_fe_zs\nken,2020,4\x00\n", "odd.csv:2: not a number"),
        (b"economy,year,it_net_user_fe_zs\nken,99999999999999999999,4\n", "outside 1900-2100"),
        (b"economy,year,it_net_user_fe_zs\n", "no observation of source 'wdi'"),
        (b"economy,year,foo\nken,2020,4\n", "unknown WDI series 'foo'"),
        (b"<?xml version='1.0'?><foo/>", "not readable as SDMX-ML"),
        (b"DATAFLOW,SERIES,REF_AREA\nX,IT_MOB_OWN,404\n", "no OBS_VALUE column"),
    ],
)
def test_odd_files_get_a_clear_error_and_write_nothing(
    store: Store, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as info:
        import_release(store, path, "wdi", actor=ACTOR)
    assert message in str(info.value)
    assert list_releases(store) == []


def test_shares_above_100_are_kept_as_published_with_a_warning(
    store: Store, tmp_path: Path
) -> None:
    # The bundled SDG file itself has mobile ownership above 100 % (ZAF 2015 male 132.8175):
    # values are kept as published and the import reports them.
    src = Path(__file__).resolve().parents[2] / "src/equals/data/equals-ict"
    rows = read_csv(src / "sdg_database_ind_own_mobile.csv")
    path = write_csv(tmp_path / "mobile.csv", rows)
    report = import_release(store, path, "sdg-db", actor=ACTOR)
    assert report.release is not None
    (warning,) = report.diff.warnings
    assert warning.startswith("4 share(s) above 100 %, kept as published")
    assert "mobile_phone_ownership ZAF 2015 male: 132.8175" in warning
