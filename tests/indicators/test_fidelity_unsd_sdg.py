"""Bundled values equal the raw files: UNSD Minimum Set of Gender Indicators, SDG database.

Cases name a raw file, a physical line (header = 1, as ``grep -n`` shows it) and literal
cells; the observation must hold exactly ``float(<literal>)``. Counts were derived once with
shell tools / the ``csv`` module on the raw files (commands in the comments).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest

from equals.indicators.bundle import Bundle
from equals.indicators.model import Observation

ObsKey = tuple[str, str, int, str, str, str]  # indicator, area, year, sex, breakdown, source
RawRecord = Callable[[str, int], dict[str, str]]

UNSD = "unstats-gender/unstats_gender_selected_long.csv.gz"
SDG_SKILLS = "equals-ict/sdg_database_ict_literacy.csv"
SDG_MOBILE = "equals-ict/sdg_database_ind_own_mobile.csv"

EXPECTED_COUNTS = {
    # `tail -n +2 F | wc -l` = 34,321 records (all with a value, see data README) minus
    # `grep -c '\[former\]' F` = 19 rows of "Serbia and Montenegro [former]" / "Sudan [former]".
    UNSD: 34_302,
    # Records with a non-empty Value (python csv.reader on the raw file): every record.
    SDG_SKILLS: 4_795,
    SDG_MOBILE: 589,
}


@pytest.mark.parametrize(("rel", "expected"), EXPECTED_COUNTS.items())
def test_observation_count_per_file(bundle: Bundle, rel: str, expected: int) -> None:
    assert bundle.report.for_file(rel).observations == expected


def test_unsd_former_countries_are_counted_as_skipped(bundle: Bundle) -> None:
    report = bundle.report.for_file(UNSD)
    assert report.skipped == (("area not mappable to a country or known aggregate", 19),)


class Case(NamedTuple):
    line: int
    raw: dict[str, str]  # literal cells on that line (the value cell is "value"/"Value")
    key: ObsKey
    flag: str = ""
    note: str = ""


# fmt: off
UNSD_CASES = [
    Case(189, {"iso3": "KEN", "year": "2017", "sex": "_T", "value": "81.57", "nature": "G"},
         ("account_ownership", "KEN", 2017, "total", "", "unsd-gender-findex"), "G"),
    Case(635, {"iso3": "KEN", "year": "2017", "sex": "F", "value": "77.75"},
         ("account_ownership", "KEN", 2017, "female", "", "unsd-gender-findex"), "G"),
    Case(896, {"m49": "1", "area_name": "World", "iso3": "", "sex": "M", "value": "72.27"},
         ("account_ownership", "UN:001", 2017, "male", "", "unsd-gender-findex"), "G"),
    Case(1494, {"iso3": "AUS", "year": "2013", "sex": "F", "other_dimension_code": "Y_GE15",
                "value": "82.79"},
         ("internet_use", "AUS", 2013, "female", "", "unsd-gender-itu"), "C",
         "age scope: Y_GE15"),
    Case(1340, {"iso3": "COK", "year": "2011", "sex": "_T", "other_dimension_code": "_T",
                "value": "39.03"},
         ("internet_use", "COK", 2011, "total", "", "unsd-gender-itu"), "C", "age scope: _T"),
    Case(2256, {"iso3": "KEN", "year": "2019", "sex": "_T", "value": "47.31"},
         ("mobile_phone_ownership", "KEN", 2019, "total", "", "unsd-gender-itu"), "C"),
    Case(18917, {"iso3": "BRA", "year": "2016", "other_dimension_code": "CMFL",
                 "value": "24.39274", "nature": "E"},
         ("ict_skill_copy_move_file", "BRA", 2016, "total", "", "unsd-gender-itu"), "E"),
    Case(4415, {"iso3": "KEN", "year": "2017", "sex": "F", "value": "9.73054"},
         ("tertiary_enrolment", "KEN", 2017, "female", "", "unsd-gender-uis"), "C"),
    Case(12273, {"iso3": "KEN", "year": "2017", "sex": "M", "value": "13.20053"},
         ("tertiary_enrolment", "KEN", 2017, "male", "", "unsd-gender-uis"), "C"),
    Case(7306, {"m49": "202", "area_name": "Sub-Saharan Africa", "iso3": "", "sex": "_T",
                "value": "9.12096", "nature": "E"},
         ("tertiary_enrolment", "UN:202", 2018, "total", "", "unsd-gender-uis"), "E"),
    Case(15270, {"iso3": "MEX", "year": "2001", "sex": "_T", "value": "15.8955"},
         ("tertiary_graduation_ratio", "MEX", 2001, "total", "", "unsd-gender-uis"), "C"),
    Case(28081, {"iso3": "KEN", "year": "2003", "sex": "F", "value": "7.14"},
         ("women_in_parliament", "KEN", 2003, "female", "", "unsd-gender-ipu"), "C",
         "Annual data as of 1 Feb of given year."),
    Case(26066, {"m49": "1", "iso3": "", "year": "2003", "value": "15.12"},
         ("women_in_parliament", "UN:001", 2003, "female", "", "unsd-gender-ipu"), "C"),
    Case(25129, {"iso3": "KEN", "year": "2005", "value": "10.3448275862069"},
         ("women_ministers", "KEN", 2005, "female", "", "unsd-gender-ipu"), "C"),
    Case(31009, {"iso3": "KEN", "year": "2018", "value": "33.54"},
         ("women_local_government", "KEN", 2018, "female", "", "unsd-gender-unwomen"), "C",
         "Administrative data based on most recent election results (2017)."),
    Case(31135, {"m49": "1", "iso3": "", "year": "2019", "value": "28.25", "nature": "M"},
         ("women_managers", "UN:001", 2019, "female", "", "unsd-gender-ilo"), "M"),
    Case(32036, {"iso3": "KEN", "year": "2006", "value": "24.78"},
         ("women_managers", "KEN", 2006, "female", "", "unsd-gender-ilo"), "C"),
    Case(33832, {"iso3": "MEX", "year": "2019", "value": "35.52"},
         ("women_senior_middle_management", "MEX", 2019, "female", "", "unsd-gender-ilo"), "C"),
]
# fmt: on


@pytest.mark.parametrize("case", UNSD_CASES, ids=lambda c: f"line {c.line}")
def test_unsd_values(
    case: Case, raw_record: RawRecord, obs_index: dict[ObsKey, Observation]
) -> None:
    record = raw_record(UNSD, case.line)
    assert {k: record[k] for k in case.raw} == case.raw
    obs = obs_index[case.key]
    assert obs.value == float(case.raw["value"])
    assert obs.flag == case.flag
    if case.note:
        assert case.note in obs.note


def test_unsd_aggregates_are_named_areas(bundle: Bundle) -> None:
    areas = {a.code: a for a in bundle.areas}
    assert areas["UN:001"].name == "World"
    assert areas["UN:202"].name == "Sub-Saharan Africa"
    assert areas["UN:202"].m49 == 202
    assert not areas["UN:202"].is_country


# fmt: off
SDG_CASES = [
    (SDG_SKILLS, Case(514, {"GeoAreaCode": "76", "TimePeriod": "2017", "Sex": "BOTHSEX",
                            "Type of skill": "EPRS", "Value": "9.88038", "Source": "ITU"},
                      ("ict_skill_presentation", "BRA", 2017, "total", "", "sdg-db"),
                      note="data source: ITU")),
    (SDG_SKILLS, Case(515, {"GeoAreaCode": "76", "Sex": "MALE", "Type of skill": "EPRS",
                            "Value": "11.68123"},
                      ("ict_skill_presentation", "BRA", 2017, "male", "", "sdg-db"))),
    (SDG_SKILLS, Case(516, {"GeoAreaCode": "76", "Sex": "FEMALE", "Type of skill": "CMFL",
                            "Value": "20.83795", "Source": "NIC.br"},
                      ("ict_skill_copy_move_file", "BRA", 2017, "female", "", "sdg-db"),
                      note="data source: NIC.br")),
    (SDG_SKILLS, Case(2, {"GeoAreaCode": "12", "TimePeriod": "2018", "Sex": "MALE",
                          "Type of skill": "COPA", "Value": "22.846"},
                      ("ict_skill_copy_paste", "DZA", 2018, "male", "", "sdg-db"))),
    (SDG_SKILLS, Case(517, {"GeoAreaCode": "76", "Sex": "BOTHSEX", "Type of skill": "CMFL",
                            "Value": "23.48583"},
                      ("ict_skill_copy_move_file", "BRA", 2017, "total", "", "sdg-db"))),
    (SDG_MOBILE, Case(3, {"GeoAreaCode": "12", "TimePeriod": "2018", "Sex": "MALE",
                          "Value": "92.62223"},
                      ("mobile_phone_ownership", "DZA", 2018, "male", "", "sdg-db"))),
    (SDG_MOBILE, Case(4, {"GeoAreaCode": "12", "Sex": "BOTHSEX", "Value": "87.87972"},
                      ("mobile_phone_ownership", "DZA", 2018, "total", "", "sdg-db"))),
    (SDG_MOBILE, Case(5, {"GeoAreaCode": "12", "Sex": "FEMALE", "Value": "83.0695"},
                      ("mobile_phone_ownership", "DZA", 2018, "female", "", "sdg-db"))),
    (SDG_MOBILE, Case(329, {"GeoAreaCode": "404", "TimePeriod": "2015", "Sex": "FEMALE",
                            "Value": "43.71383"},
                      ("mobile_phone_ownership", "KEN", 2015, "female", "", "sdg-db"),
                      note="data source: KENYA NATIONAL BUREAU OF STATISTICS")),
    (SDG_MOBILE, Case(330, {"GeoAreaCode": "404", "Sex": "MALE", "Value": "45.9679"},
                      ("mobile_phone_ownership", "KEN", 2015, "male", "", "sdg-db"))),
]
# fmt: on


@pytest.mark.parametrize(("rel", "case"), SDG_CASES, ids=lambda x: str(getattr(x, "line", x)))
def test_sdg_values(
    rel: str, case: Case, raw_record: RawRecord, obs_index: dict[ObsKey, Observation]
) -> None:
    record = raw_record(rel, case.line)
    assert {k: record[k] for k in case.raw} == case.raw
    obs = obs_index[case.key]
    assert obs.value == float(case.raw["Value"])
    if case.note:
        assert case.note in obs.note
