"""The evidence Data Package: valid for the ``frictionless`` library, complete (row counts equal
the database's), with licences, sources and the release (name and SHA-256) of every value.

One database serves the module: the bundled data, a newer WDI release imported over it (the
bundled file with three known edits, tests/releases/test_import.py) and survey estimates
published for Kenya (tests/web/test_uncertainty.py). Expected values come from the database
through SQL, from the release file itself (its SHA-256 with hashlib) and from the bundled files.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from equals.auth.model import Actor
from equals.evidence.datapackage import (
    DataPackageError,
    bundled_sha256,
    licence_name,
    validate_datapackage,
    write_datapackage,
)
from equals.evidence.queries import Evidence
from equals.indicators.bundle import default_data_dir
from equals.releases import current_release_names, import_release, list_releases
from equals.store import Store, schema
from tests.releases.test_import import wdi_release
from tests.web.test_uncertainty import ESTIMATES, SURVEY, publish_survey

RELEASE = "WDI July 2025 (2025-07-01)"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path, Path]]:
    """(store, the release file, the package directory)."""
    tmp = tmp_path_factory.mktemp("datapackage")
    url = f"sqlite:///{tmp / 'equals.db'}"
    publish_survey(url)
    store = Store(url)
    release_file, _ = wdi_release(tmp)
    import_release(store, release_file, "wdi", actor=Actor("tester"), label="WDI July 2025",
                   release_date="2025-07-01")  # fmt: skip
    write_datapackage(Evidence(store), tmp / "pkg", **_releases(store))
    yield store, release_file, tmp / "pkg"
    store.dispose()


def _releases(store: Store) -> dict[str, Any]:
    return {"release_names": current_release_names(store), "releases": list_releases(store)}


def _read(pkg: Path, name: str) -> list[dict[str, str]]:
    with (pkg / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _descriptor(pkg: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    return result


def test_frictionless_finds_no_error(built: tuple[Store, Path, Path]) -> None:
    _, _, pkg = built
    assert validate_datapackage(pkg / "datapackage.json") == []


def test_frictionless_reads_back_every_row_of_the_database(
    built: tuple[Store, Path, Path],
) -> None:
    from frictionless import Package

    store, _, pkg = built
    o, s = schema.observations, schema.sources
    with store.connect() as conn:
        by_origin = dict(
            conn.execute(
                select(s.c.origin, func.count())
                .select_from(o.join(s, o.c.source_id == s.c.id))
                .group_by(s.c.origin)
            ).all()
        )
        counts = {t: conn.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in (schema.areas, schema.indicators, schema.sources)}  # fmt: skip
    package = Package(str(pkg / "datapackage.json"))
    rows = {r.name: r.read_rows() for r in package.resources}
    assert len(rows["observations"]) == by_origin["bundled"] > 60_000
    assert len(rows["survey_estimates"]) == by_origin["survey"] == len(ESTIMATES)
    assert len(rows["areas"]) == counts[schema.areas]
    assert len(rows["indicators"]) == counts[schema.indicators]
    assert len(rows["sources"]) == counts[schema.sources]
    # Typed values: a number is a number, the whole population's breakdown an empty string.
    first = rows["observations"][0]
    assert isinstance(first["year"], int) and first["breakdown"] == ""


def test_values_equal_the_database_and_name_their_release(
    built: tuple[Store, Path, Path],
) -> None:
    store, _, pkg = built
    o = schema.observations
    with store.connect() as conn:
        db = {
            (r.indicator_id, r.area_code, r.year, r.sex, r.breakdown, r.source_id): r.value
            for r in conn.execute(select(o).where(o.c.source_id != SURVEY))
        }
    rows = _read(pkg, "observations")
    got = {(r["indicator"], r["area"], int(r["year"]), r["sex"], r["breakdown"], r["source"]):
           float(r["value"]) for r in rows}  # fmt: skip
    assert got == db
    release = {(r["indicator"], r["area"], r["year"], r["sex"], r["source"]): r["release"]
               for r in rows}  # fmt: skip
    # The imported release's edits (tests/releases/test_import.py) and where it does not reach.
    assert got[("internet_use", "KEN", 2019, "female", "", "wdi")] == 30.5
    assert release[("internet_use", "KEN", "2025", "female", "wdi")] == RELEASE
    assert release[("internet_use", "KEN", "2019", "male", "wdi")] == "bundled"
    assert Counter(r["release"] for r in rows if r["source"] == "wdi")[RELEASE] == 1478


def test_releases_carry_the_sha256_of_their_files(built: tuple[Store, Path, Path]) -> None:
    store, release_file, pkg = built
    releases = {(r["source"], r["release"]): r for r in _read(pkg, "releases")}
    imported = releases[("wdi", RELEASE)]
    assert imported["sha256"] == hashlib.sha256(release_file.read_bytes()).hexdigest()
    assert (imported["kind"], imported["file_name"], imported["release_date"]) == (
        "import", "wdi-fe-2025.csv", "2025-07-01",
    )  # fmt: skip
    # A bundled source: SHA-256 over its files' paths and bytes, in sources.yaml order.
    ev = Evidence(store)
    wdi = ev.source("wdi")
    h = hashlib.sha256()
    for name in wdi.files:
        h.update(name.encode() + b"\0" + (default_data_dir() / name).read_bytes() + b"\0")
    assert releases[("wdi", "bundled")]["sha256"] == h.hexdigest() == bundled_sha256(wdi)
    assert releases[("wdi", "bundled")]["file_name"] == ";".join(wdi.files)
    # Every source with values names its releases; the survey has none (not a release).
    sources = {r["id"]: r for r in _read(pkg, "sources")}
    assert sources["wdi"]["releases"] == f"{RELEASE};bundled"
    assert sources[SURVEY]["releases"] == "" and sources[SURVEY]["origin"] == "survey"


def test_survey_estimates_keep_their_uncertainty(built: tuple[Store, Path, Path]) -> None:
    _, _, pkg = built
    rows = {(int(r["year"]), r["sex"]): r for r in _read(pkg, "survey_estimates")}
    for year, sex, value, se, lo, hi, n, flags in ESTIMATES:
        r = rows[(year, sex)]
        assert (float(r["value"]), float(r["se"]), float(r["ci_low"]), float(r["ci_high"])) == (
            value, se, lo, hi,
        )  # fmt: skip
        assert int(r["n"]) == n and r["flags"] == ";".join(flags)
        assert float(r["ci_level"]) == 0.95 and r["source"] == SURVEY and r["area"] == "KEN"


def test_gaps_equal_the_gap_tables(built: tuple[Store, Path, Path]) -> None:
    store, _, pkg = built
    ev = Evidence(store)
    rows = [r for r in _read(pkg, "gaps") if r["indicator"] == "internet_use"]
    wdi = {r["area"]: r for r in rows if r["source"] == "wdi" and r["breakdown"] == ""}
    expected = ev.gaps("internet_use", source="wdi")
    assert len(wdi) == len(expected) > 100
    for g in expected[:20]:
        r = wdi[g.area]
        assert int(r["year"]) == g.year and float(r["female"]) == g.female
        assert r["parity"] and float(r["parity"]) == g.gap.parity
    # KEN's women's values come from the imported release, the men's from the bundled data.
    assert wdi["KEN"]["release"].startswith(f"female: {RELEASE}; male: bundled")
    survey = [r for r in rows if r["source"] == SURVEY]
    assert [(r["area"], r["year"], r["female"], r["male"]) for r in survey] == [
        ("KEN", "2023", "47.0", "55.5")
    ]
    assert survey[0]["female_se"] == "1.2" and survey[0]["release"] == ""


def test_licences_per_resource_and_their_union(built: tuple[Store, Path, Path]) -> None:
    store, _, pkg = built
    desc = _descriptor(pkg)
    sources = Evidence(store).sources()
    resources = {r["name"]: r for r in desc["resources"]}
    for name in ("observations", "survey_estimates", "gaps"):
        used = {r["source"] for r in _read(pkg, name)}
        names = {lic["name"] for lic in resources[name]["licenses"]}
        assert {licence_name(sources[s].licence) for s in used} <= names
        assert {p["id"] for p in resources[name]["sources"] if "id" in p} == used
    assert resources["survey_estimates"]["licenses"] == [
        {"name": "cc-by-4.0", "title": "CC BY 4.0"}
    ]
    union = {lic["name"] for r in desc["resources"] for lic in r["licenses"]}
    assert {lic["name"] for lic in desc["licenses"]} == union
    # A non-commercial licence of an observation's source reaches the package level.
    assert "cc-by-nc-sa-3.0-igo" in union
    wdi_licence = next(lic for lic in desc["licenses"] if lic["name"] == "cc-by-4.0")
    assert wdi_licence["path"] == sources["wdi"].licence_url


def test_schemas_declare_keys(built: tuple[Store, Path, Path]) -> None:
    _, _, pkg = built
    resources = {r["name"]: r for r in _descriptor(pkg)["resources"]}
    obs = resources["observations"]["schema"]
    assert obs["primaryKey"] == ["indicator", "area", "year", "sex", "breakdown", "source"]
    refs = {json.dumps(fk["reference"]["resource"]) for fk in obs["foreignKeys"]}
    assert refs == {'"indicators"', '"areas"', '"sources"', '"releases"'}
    year = next(f for f in obs["fields"] if f["name"] == "year")
    assert year["type"] == "integer" and year["constraints"]["required"] is True


def test_a_zip_opens_in_frictionless_and_an_existing_target_is_refused(
    built: tuple[Store, Path, Path], tmp_path: Path
) -> None:
    from frictionless import Package

    store, _, _ = built
    target = tmp_path / "evidence.zip"
    report = write_datapackage(Evidence(store), target, validate=False, **_releases(store))
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
    assert "datapackage.json" in names and "data/observations.csv" in names
    areas = Package(str(target)).get_resource("areas").read_rows()
    assert len(areas) == report.rows["areas"]
    before = target.read_bytes()
    with pytest.raises(DataPackageError) as exc:
        write_datapackage(Evidence(store), target, validate=False, **_releases(store))
    assert exc.value.location == str(target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.zip"]  # no leftovers


def test_a_release_missing_from_the_list_is_an_error_and_writes_nothing(
    built: tuple[Store, Path, Path], tmp_path: Path
) -> None:
    store, _, _ = built
    with pytest.raises(DataPackageError, match="WDI July 2025"):
        write_datapackage(Evidence(store), tmp_path / "out", release_names=current_release_names(
            store), releases=[])  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_a_valid_zip_and_refuses_to_overwrite(
    built: tuple[Store, Path, Path], tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from equals.cli import app

    store, _, _ = built
    target = tmp_path / "evidence.zip"
    args = ["data", "package", str(target), "--db", store.url]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "validated with frictionless" in result.output
    assert "survey_estimates: 5" in result.output
    with zipfile.ZipFile(target) as zf:
        desc = json.loads(zf.read("datapackage.json"))
    assert desc["name"] == "equals-hub-evidence" and len(desc["resources"]) == 7
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0


@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_postgresql_gives_the_same_package(
    built: tuple[Store, Path, Path], pg_url: str, tmp_path: Path
) -> None:
    """The same data on PostgreSQL (bundle, the WDI release, the survey) gives the same tables,
    row for row (the order of rows with equal keys may differ by collation)."""
    from tests.pg import fresh_database

    _, _, sqlite_pkg = built
    url = fresh_database(pg_url, "equals_datapackage")
    publish_survey(url)
    store = Store(url)
    try:
        release_file, _ = wdi_release(tmp_path)
        import_release(store, release_file, "wdi", actor=Actor("tester"), label="WDI July 2025",
                       release_date="2025-07-01")  # fmt: skip
        write_datapackage(Evidence(store), tmp_path / "pg", validate=False, **_releases(store))
    finally:
        store.dispose()
    for name in ("observations", "survey_estimates", "gaps", "indicators", "areas", "sources",
                 "releases"):  # fmt: skip
        ours = _rows(tmp_path / "pg", name)
        theirs = _rows(sqlite_pkg, name)
        if name == "gaps":  # see test_gap_notes_are_the_same_on_both_databases
            ours, theirs = _without(ours, "note"), _without(theirs, "note")
        assert sorted(ours) == sorted(theirs), name


def _rows(pkg: Path, name: str) -> list[tuple[str, ...]]:
    with (pkg / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return [tuple(r) for r in csv.reader(f)]


def _without(rows: list[tuple[str, ...]], column: str) -> list[tuple[str, ...]]:
    i = rows[0].index(column)
    return [r[:i] + r[i + 1 :] for r in rows]


@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_gap_notes_are_the_same_on_both_databases(
    built: tuple[Store, Path, Path], pg_url: str, tmp_path: Path
) -> None:
    from tests.pg import fresh_database

    _, _, sqlite_pkg = built
    url = fresh_database(pg_url, "equals_datapackage_notes")
    store = Store(url)
    try:
        store.init()
        write_datapackage(Evidence(store), tmp_path / "pg", validate=False, **_releases(store))
    finally:
        store.dispose()
    notes = {r[:4] + r[14:15]: r[16] for r in _rows(tmp_path / "pg", "gaps")[1:]}
    sqlite = {r[:4] + r[14:15]: r[16] for r in _rows(sqlite_pkg, "gaps")[1:]}
    # Without Internet use, which the release and the survey change in the SQLite package.
    assert {k: v for k, v in notes.items() if k[0] != "internet_use"} == {
        k: v for k, v in sqlite.items() if k[0] != "internet_use"
    }
