"""Bundled values equal the raw files: UNESCO UIS and ILOSTAT (including the derived share).

Cases name a raw file, a physical line (header = 1, as ``grep -n`` shows it) and literal
cells; the observation must hold exactly ``float(<literal>)``. Counts were derived once with
the ``csv`` module on the raw files (see comments), not with the loaders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest

from equals.indicators.bundle import Bundle
from equals.indicators.model import Observation

ObsKey = tuple[str, str, int, str, str, str]  # indicator, area, year, sex, breakdown, source
RawRecord = Callable[[str, int], dict[str, str]]

GRADUATES = "equals-ict/tertiary_graduates_stem_ict.csv"
RESEARCHERS = "equals-ict/female_eng_tech_researchers.csv"
ILO_ICT = "equals-ict/ilo_ict_professionals.csv"
ILO_TEL = "equals-ict/ilo_telecomms_professionals.csv"

EXPECTED_COUNTS = {
    # csv.reader: records with a non-empty Value (column 7): 2,435 - 80 empty (74 `n`, 6 `a`).
    GRADUATES: 2_355,
    # csv.reader: FRESP_FS_TFTE_ENGTECH records with a non-empty Value: 476 - 2 = 474.
    RESEARCHERS: 474,
    # csv.reader: non-empty obs_value = 1,528, plus 470 (ref_area, time) pairs that have both
    # a non-empty "Sex: Female" and "Sex: Total" value (the derived women's share).
    ILO_ICT: 1_528 + 470,
    # csv.reader: non-empty obs_value (no derived indicator from this file).
    ILO_TEL: 2_070,
}


@pytest.mark.parametrize(("rel", "expected"), EXPECTED_COUNTS.items())
def test_observation_count_per_file(bundle: Bundle, rel: str, expected: int) -> None:
    assert bundle.report.for_file(rel).observations == expected


def test_skipped_rows(bundle: Bundle) -> None:
    assert dict(bundle.report.for_file(RESEARCHERS).skipped) == {
        "missing value": 2,  # FRESP rows flagged n / a with no value (GMB 2018, FRO 2003)
        "series not in the catalogue": 575 + 477,  # head counts 20402 and 20462
    }
    assert dict(bundle.report.for_file(GRADUATES).skipped) == {"missing value": 80}
    assert dict(bundle.report.for_file(ILO_ICT).skipped) == {"missing value": 89}
    assert dict(bundle.report.for_file(ILO_TEL).skipped) == {"missing value": 51}


class Case(NamedTuple):
    rel: str
    line: int
    raw: dict[str, str]  # literal cells (value column "Value" or "obs_value")
    key: ObsKey
    flag: str = ""


# fmt: off
CASES = [
    Case(GRADUATES, 1363, {"EDULIT_IND": "FOSGP_5T8_F500600700_F", "LOCATION": "DEU",
                           "TIME": "2017", "Value": "19.16309"},
         ("stem_graduates", "DEU", 2017, "female", "", "uis")),
    Case(GRADUATES, 1214, {"EDULIT_IND": "FOSGP_5T8_F500600700_M", "LOCATION": "DEU",
                           "Value": "52.69791"},
         ("stem_graduates", "DEU", 2017, "male", "", "uis")),
    Case(GRADUATES, 1387, {"EDULIT_IND": "FOSGP_5T8_F500600700", "LOCATION": "MNG",
                           "Value": "21.5507"},
         ("stem_graduates", "MNG", 2017, "total", "", "uis")),
    Case(GRADUATES, 194, {"EDULIT_IND": "FOSGP_5T8_F600_F", "LOCATION": "BRA",
                          "Value": "0.70431"},
         ("ict_graduates", "BRA", 2017, "female", "", "uis")),
    Case(GRADUATES, 286, {"EDULIT_IND": "FOSGP_5T8_F600_M", "LOCATION": "BRA",
                          "Value": "6.39072"},
         ("ict_graduates", "BRA", 2017, "male", "", "uis")),
    Case(GRADUATES, 277, {"EDULIT_IND": "FOSGP_5T8_F600", "LOCATION": "DEU", "Value": "4.69662"},
         ("ict_graduates", "DEU", 2017, "total", "", "uis")),
    Case(RESEARCHERS, 863, {"INDICATOR": "FRESP_FS_TFTE_ENGTECH", "LOCATION": "CZE",
                            "TIME": "2000", "Value": "14.43083"},
         ("female_engineering_researchers", "CZE", 2000, "female", "", "uis")),
    Case(RESEARCHERS, 1340, {"LOCATION": "KEN", "TIME": "2010", "Value": "10.61321",
                             "Flag Codes": "‡"},
         ("female_engineering_researchers", "KEN", 2010, "female", "", "uis"), "‡"),
    Case(RESEARCHERS, 986, {"LOCATION": "EST", "TIME": "2000", "Value": "25", "Flag Codes": "‡"},
         ("female_engineering_researchers", "EST", 2000, "female", "", "uis"), "‡"),
    Case(RESEARCHERS, 1282, {"LOCATION": "OMN", "TIME": "2011", "Value": "12.11561",
                             "Flag Codes": "+"},
         ("female_engineering_researchers", "OMN", 2011, "female", "", "uis"), "+"),
    Case(RESEARCHERS, 868, {"LOCATION": "CZE", "TIME": "2005", "Value": "13.92194"},
         ("female_engineering_researchers", "CZE", 2005, "female", "", "uis")),
    Case(ILO_ICT, 7, {"source.label": "ALB - LFS - Labour Force Survey", "sex.label": "Sex: Total",
                      "time": "2014", "obs_value": "0.9287", "obs_status.label": "Unreliable"},
         ("ict_professionals", "ALB", 2014, "total", "", "ilostat"), "Unreliable"),
    Case(ILO_ICT, 8, {"sex.label": "Sex: Male", "time": "2014", "obs_value": "0.6534"},
         ("ict_professionals", "ALB", 2014, "male", "", "ilostat"), "Unreliable"),
    Case(ILO_ICT, 15, {"sex.label": "Sex: Female", "time": "2016", "obs_value": "1.2371"},
         ("ict_professionals", "ALB", 2016, "female", "", "ilostat")),
    Case(ILO_ICT, 808, {"ref_area.label": "Kosovo", "source.label": "KOS - LFS - Labour force "
                        "survey", "sex.label": "Sex: Female", "obs_value": "0.521"},
         ("ict_professionals", "XKX", 2019, "female", "", "ilostat")),
    Case(ILO_ICT, 806, {"ref_area.label": "Kosovo", "sex.label": "Sex: Total", "time": "2019",
                        "obs_value": "2.3773"},
         ("ict_professionals", "XKX", 2019, "total", "", "ilostat")),
    Case(ILO_TEL, 2, {"source.label": "ALB - LFS - Labour Force Survey", "sex.label": "Sex: Total",
                      "time": "2014", "obs_value": "4.7353"},
         ("telecom_employment", "ALB", 2014, "total", "", "ilostat")),
    Case(ILO_TEL, 4, {"sex.label": "Sex: Female", "time": "2014", "obs_value": "1.2248"},
         ("telecom_employment", "ALB", 2014, "female", "", "ilostat")),
    Case(ILO_TEL, 6, {"sex.label": "Sex: Male", "time": "2015", "obs_value": "3.2565"},
         ("telecom_employment", "ALB", 2015, "male", "", "ilostat")),
    Case(ILO_TEL, 47, {"ref_area.label": "Austria", "sex.label": "Sex: Total", "time": "2008",
                       "obs_value": "20.6616", "obs_status.label": "Break in series"},
         ("telecom_employment", "AUT", 2008, "total", "", "ilostat"), "Break in series"),
    Case(ILO_TEL, 1041, {"ref_area.label": "Kosovo", "sex.label": "Sex: Female", "time": "2012",
                         "obs_value": "0.3728", "obs_status.label": "Unreliable"},
         ("telecom_employment", "XKX", 2012, "female", "", "ilostat"), "Unreliable"),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rel}:{c.line}")
def test_values(case: Case, raw_record: RawRecord, obs_index: dict[ObsKey, Observation]) -> None:
    record = raw_record(case.rel, case.line)
    assert {k: record[k] for k in case.raw} == case.raw
    value_text = case.raw.get("Value", case.raw.get("obs_value"))
    assert value_text is not None
    obs = obs_index[case.key]
    assert obs.value == float(value_text)
    assert obs.flag == case.flag


def test_missing_values_are_not_read_as_zero(
    raw_record: RawRecord, obs_index: dict[ObsKey, Observation]
) -> None:
    # line 1518: FRESP ... GMB, Gambia, 2018, 2018, (empty), n, Magnitude nil or negligible
    assert raw_record(RESEARCHERS, 1518)["Value"] == ""
    key = ("female_engineering_researchers", "GMB", 2018, "female", "", "uis")
    assert key not in obs_index
    # line 9: Albania 2014 female ICT professionals, empty obs_value
    assert raw_record(ILO_ICT, 9)["obs_value"] == ""
    assert ("ict_professionals", "ALB", 2014, "female", "", "ilostat") not in obs_index


def test_derived_women_share_of_ict_professionals(
    raw_record: RawRecord, obs_index: dict[ObsKey, Observation]
) -> None:
    # Albania 2016: female 1.2371 (line 15) / total 3.4835 (line 13) thousand.
    female = raw_record(ILO_ICT, 15)["obs_value"]
    total = raw_record(ILO_ICT, 13)["obs_value"]
    assert (female, total) == ("1.2371", "3.4835")
    obs = obs_index[("women_share_ict_professionals", "ALB", 2016, "female", "", "ilostat")]
    assert obs.value == pytest.approx(35.513133343, rel=1e-9)  # 1.2371 / 3.4835 * 100
    assert obs.value == float(female) / float(total) * 100
    assert obs.note.startswith("computed by EQUALS Hub: female ÷ total")
    # Albania 2015: female flagged Unreliable (line 12), total not (line 10).
    share_2015 = obs_index[("women_share_ict_professionals", "ALB", 2015, "female", "", "ilostat")]
    assert share_2015.flag == "Unreliable"
    # Albania 2014: female missing -> no share.
    assert ("women_share_ict_professionals", "ALB", 2014, "female", "", "ilostat") not in obs_index
