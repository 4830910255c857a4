"""The data-gap audit: a hand-built store, and the real data checked against its source file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from equals.analysis.audit import CellStatus, data_gap_audit
from equals.analysis.quality import Rating, load_quality, quality_from_descriptor
from equals.core.areas import Area, AreaKind
from equals.core.errors import DataFileError
from equals.core.vocabulary import Sex
from equals.evidence.queries import Evidence
from equals.indicators.bundle import default_data_dir, load_sources
from equals.indicators.catalogue import load_catalogue
from equals.indicators.model import Observation
from equals.store import Store

F, M, T = Sex.FEMALE, Sex.MALE, Sex.TOTAL


def _obs(ind: str, area: str, year: int, sex: Sex, source: str) -> Observation:
    return Observation(ind, area, year, sex, 50.0, source)


@pytest.fixture
def small(fresh_store: Store) -> Evidence:
    areas = [
        Area("AAA", "Alpha", region="Africa", income_group="Low income"),
        Area("BBB", "Beta", region="Europe", income_group="High income"),
        Area("ZZZ", "No data, no income group"),
        Area("WB:WLD", "World", AreaKind.AGGREGATE, defined_by="World Bank"),
    ]
    obs = [
        _obs("internet_use", "AAA", 2019, F, "wdi"),
        _obs("internet_use", "AAA", 2019, M, "wdi"),
        _obs("internet_use", "AAA", 2023, T, "wdi"),  # newer, but a total only
        _obs("internet_use", "BBB", 2010, F, "unsd-gender-itu"),
        _obs("internet_use", "BBB", 2010, M, "unsd-gender-itu"),
        _obs("internet_use", "WB:WLD", 2023, F, "wdi"),  # aggregates are not audited
        _obs("internet_use", "WB:WLD", 2023, M, "wdi"),
        _obs("mobile_phone_ownership", "AAA", 2020, T, "sdg-db"),
        _obs("women_in_parliament", "BBB", 2021, F, "unsd-gender-ipu"),  # a female share
        _obs("account_ownership", "BBB", 2022, F, "wdi"),  # female without male
    ]
    fresh_store.load(
        sources=load_sources(),
        areas=areas,
        observations=obs,
        catalogue=load_catalogue(),
        fingerprint="test",
    )
    return Evidence(fresh_store)


def test_cells_by_hand(small: Evidence) -> None:
    audit = data_gap_audit(small)
    assert audit.reference_year == 2023  # latest year of any country value
    assert [a.code for a in audit.countries] == ["AAA", "BBB"]  # ZZZ: no data, no income group
    cell = {(c.country, c.indicator): c for c in audit.cells}
    a = cell[("AAA", "internet_use")]
    assert (a.latest_year, a.by_sex, a.age, a.status) == (2019, True, 4, CellStatus.RECENT)
    assert a.latest_total_year == 2023 and a.sources == ("wdi",)
    b = cell[("BBB", "internet_use")]
    assert (b.latest_year, b.age, b.status) == (2010, 13, CellStatus.OLD)
    assert b.sources == ("unsd-gender-itu",)
    m = cell[("AAA", "mobile_phone_ownership")]
    assert (m.latest_year, m.by_sex, m.status) == (2020, False, CellStatus.TOTAL_ONLY)
    p = cell[("BBB", "women_in_parliament")]
    assert (p.latest_year, p.by_sex, p.status) == (2021, True, CellStatus.RECENT)
    o = cell[("BBB", "account_ownership")]
    assert (o.latest_year, o.by_sex, o.status) == (2022, False, CellStatus.ONE_SEX_ONLY)
    none = cell[("AAA", "women_ministers")]
    assert (none.latest_year, none.by_sex, none.age, none.status) == (
        None,
        False,
        None,
        CellStatus.MISSING,
    )
    assert len(audit.cells) == 2 * len(list(load_catalogue()))


def test_summaries_by_hand(small: Evidence) -> None:
    audit = data_gap_audit(small)
    access = next(s for s in audit.summary("pillar") if s.label == "access")
    # 4 access indicators × 2 countries = 8 cells: AAA internet recent, BBB internet old,
    # AAA mobile total-only, BBB account one sex only, 4 missing.
    assert (access.cells, access.recent, access.old, access.total_only) == (8, 1, 1, 1)
    assert (access.one_sex_only, access.missing) == (1, 4)
    assert access.by_sex_share == pytest.approx(2 / 8)
    assert access.median_age == pytest.approx((4 + 13) / 2)
    least = audit.coverage()
    # AAA: 1 recent by sex (internet), 1 by sex in all; BBB: 1 recent (parliament), 2 by sex
    # (internet 2010 too): a tie on recent, broken by data by sex -> AAA first.
    assert [(c.country, c.recent, c.by_sex) for c in least] == [("AAA", 1, 1), ("BBB", 1, 2)]
    with pytest.raises(ValueError, match="summary by 'colour'"):
        audit.summary("colour")


def _wdi_years(series: str, economy: str) -> set[int]:
    path = default_data_dir() / "wdi" / f"ddf--datapoints--{series}--by--economy--year.csv"
    with path.open(encoding="utf-8") as fh:
        return {int(r["year"]) for r in csv.DictReader(fh) if r["economy"] == economy}


def test_real_audit_matches_the_source_files(evidence: Evidence) -> None:
    audit = data_gap_audit(evidence)
    cell = {(c.country, c.indicator): c for c in audit.cells}
    # Kenya's account ownership: WDI (Findex) years by sex, read from the bundled file; the
    # UNSD Findex vintage (to 2017) adds no later year.
    years = _wdi_years("fx_own_totl_fe_zs", "ken") & _wdi_years("fx_own_totl_ma_zs", "ken")
    ken = cell[("KEN", "account_ownership")]
    assert ken.latest_year == max(years) and ken.by_sex
    # Afghanistan has WDI Internet-use totals but no value by sex in any bundled source.
    afg_total = _wdi_years("it_net_user_zs", "afg")
    assert not _wdi_years("it_net_user_fe_zs", "afg")
    afg = cell[("AFG", "internet_use")]
    assert afg.by_sex is False and afg.latest_total_year == max(afg_total)
    assert afg.status in (CellStatus.TOTAL_ONLY, CellStatus.ONE_SEX_ONLY)


def test_quality_notes_cover_the_catalogue() -> None:
    notes = load_quality([i.id for i in load_catalogue()])
    assert notes["women_in_parliament"].regularity is Rating.HIGH
    assert all(n.basis for n in notes.values())


def test_bad_quality_rating_names_the_field() -> None:
    bad = {"indicators": {"internet_use": {"conceptual_clarity": "great"}}}
    with pytest.raises(DataFileError, match=r"indicators\.internet_use: conceptual_clarity"):
        quality_from_descriptor(bad, where="q.yaml")
    with pytest.raises(DataFileError, match="no quality note for account_ownership"):
        quality_from_descriptor(
            {"indicators": {}}, where="q.yaml", indicators=["account_ownership"]
        )


def test_cli_json_shape(loaded_db_url: str, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from equals.cli import app

    res = CliRunner().invoke(
        app, ["data-gaps", "--format", "json", "--indicator", "internet_use", "--db", loaded_db_url]
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {tuple(r) for r in rows} == {("country", "indicator", "latest_year", "by_sex")}
    assert all(isinstance(r["by_sex"], bool) for r in rows)
    assert any(r["latest_year"] is None for r in rows)  # e.g. territories with no data
    bad = CliRunner().invoke(app, ["data-gaps", "--country", "KEM", "--db", loaded_db_url])
    assert bad.exit_code == 2 and "KEN" in bad.output
