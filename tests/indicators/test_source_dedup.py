"""Deduplication rules of the loaders, on synthetic rows (the bundled files have no clashes)."""

from __future__ import annotations

from collections.abc import Mapping

from equals.core.areas import Area
from equals.core.vocabulary import Sex
from equals.indicators.sources import ilostat, unsd_gender
from equals.indicators.sources.countries import CountryIndex

COUNTRIES = CountryIndex.of([Area("AUS", "Australia", m49=36), Area("KEN", "Kenya", m49=404)])


def unsd_row(**over: str) -> dict[str, str]:
    row = {
        "series": "internet_use", "m49": "36", "area_name": "Australia", "iso3": "AUS",
        "year": "2013", "sex": "F", "other_dimension_code": "Y_GE15", "value": "1.0",
        "nature": "C", "comment": "", "time_detail": "",
    }  # fmt: skip
    row.update(over)
    return row


def test_age_scope_rank_orders_broadest_first() -> None:
    codes = ["_X", "Y16T74", "Y_GE15", "Y12T65", "_T", "Y_GE06", "Y_GE03", "Y16T64"]
    ranked = sorted(codes, key=unsd_gender.age_scope_rank)
    assert ranked == ["_T", "Y_GE03", "Y_GE06", "Y12T65", "Y_GE15", "Y16T74", "Y16T64", "_X"]


def test_unsd_internet_keeps_broadest_age_scope() -> None:
    rows = [
        (2, unsd_row(other_dimension_code="Y16T74", value="80.0")),
        (3, unsd_row(other_dimension_code="Y_GE15", value="70.0")),
        (4, unsd_row(other_dimension_code="_X", value="60.0")),
        (5, unsd_row(sex="M", other_dimension_code="Y16T74", value="85.0")),
    ]
    load = unsd_gender.build(rows, COUNTRIES)
    by_sex = {o.sex: o for o in load.observations}
    assert len(load.observations) == 2
    assert by_sex[Sex.FEMALE].value == 70.0
    assert by_sex[Sex.FEMALE].note == "age scope: Y_GE15"
    assert by_sex[Sex.MALE].value == 85.0
    assert load.report.skipped == (("duplicate dropped by dedup rule", 2),)


def test_unsd_other_series_keep_first_row() -> None:
    rows = [
        (2, unsd_row(series="women_share_managerial_positions", value="30.0")),
        (3, unsd_row(series="women_share_managerial_positions", value="31.0")),
    ]
    load = unsd_gender.build(rows, COUNTRIES)
    assert [o.value for o in load.observations] == [30.0]
    assert load.observations[0].indicator == "women_managers"
    assert load.observations[0].source == "unsd-gender-ilo"


def test_unsd_aggregates_and_former_countries() -> None:
    rows = [
        (2, unsd_row(series="women_share_parliament_seats", iso3="", m49="1", area_name="World")),
        (3, unsd_row(series="women_share_parliament_seats", iso3="", m49="736",
                     area_name="Sudan [former]")),
        (4, unsd_row(series="women_share_parliament_seats", iso3="ZZZ")),
    ]  # fmt: skip
    load = unsd_gender.build(rows, COUNTRIES)
    assert [o.area for o in load.observations] == ["UN:001"]
    assert [a.code for a in load.aggregates] == ["UN:001"]
    assert load.report.skipped == (("area not mappable to a country or known aggregate", 2),)


def ilo_row(source: str, sex: str, value: str, year: str = "2018") -> Mapping[str, str]:
    return {
        "source.label": source, "sex.label": f"Sex: {sex}", "time": year, "obs_value": value,
        "obs_status.label": "", "note_indicator.label": "", "note_source.label": "",
    }  # fmt: skip


def test_ilo_prefers_labour_force_survey() -> None:
    hies = "KEN - HIES - Integrated Household Budget Survey"
    lfs = "KEN - LFS - Labour Force Survey"
    rows = [
        (2, ilo_row(hies, "Total", "10.0")),
        (3, ilo_row(hies, "Female", "2.0")),
        (4, ilo_row(lfs, "Total", "20.0")),
        (5, ilo_row(lfs, "Female", "5.0")),
        (6, ilo_row(lfs, "Male", "15.0")),
        (7, ilo_row(hies, "Total", "11.0", year="2019")),
    ]
    load = ilostat.build(ilostat.ICT_PROFESSIONALS, rows, COUNTRIES)
    got = {(o.indicator, o.year, o.sex): o for o in load.observations}
    assert got[("ict_professionals", 2018, Sex.TOTAL)].value == 20.0
    assert got[("ict_professionals", 2018, Sex.FEMALE)].value == 5.0
    assert "survey: KEN - LFS" in got[("ict_professionals", 2018, Sex.FEMALE)].note
    assert got[("ict_professionals", 2019, Sex.TOTAL)].value == 11.0  # only survey that year
    assert got[("women_share_ict_professionals", 2018, Sex.FEMALE)].value == 25.0
    assert load.report.skipped == (("duplicate dropped by dedup rule", 2),)


def test_ilo_kosovo_code_and_zero_total() -> None:
    countries = CountryIndex.of([Area("XKX", "Kosovo")])
    rows = [
        (2, ilo_row("KOS - LFS - Labour force survey", "Total", "0")),
        (3, ilo_row("KOS - LFS - Labour force survey", "Female", "0")),
    ]
    load = ilostat.build(ilostat.ICT_PROFESSIONALS, rows, countries)
    assert {o.area for o in load.observations} == {"XKX"}
    # total 0: no women's share is computed (division by zero)
    assert {o.indicator for o in load.observations} == {"ict_professionals"}
