"""Bundled values equal the raw files: WDI, ITU urban/rural, Findex digital payments.

Each case names a raw file, a physical line number (header = line 1, as ``grep -n`` shows it)
and the literal cell texts on that line; the test re-reads that line and then checks the
observation's value is exactly ``float(<literal>)``. Expected observation counts were derived
once with shell tools on the raw files (commands in the comments), not with the loaders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest

from equals.indicators.bundle import Bundle
from equals.indicators.model import Observation

ObsKey = tuple[str, str, int, str, str, str]  # indicator, area, year, sex, breakdown, source
RawRecord = Callable[[str, int], dict[str, str]]


def wdi(series: str) -> str:
    return f"wdi/ddf--datapoints--{series}--by--economy--year.csv"


ITU = "equals-ict/itu_internet_use_by_sex_urban_rural_tidy.csv"
FINDEX = "equals-ict/made_or_received_digitalpayments.csv"

# Every WDI record has a value: count = `tail -n +2 FILE | grep -c .`.
EXPECTED_COUNTS = {
    wdi("it_net_user_fe_zs"): 1478,
    wdi("it_net_user_ma_zs"): 1479,
    wdi("it_net_user_zs"): 6738,
    wdi("fx_own_totl_fe_zs"): 778,
    wdi("fx_own_totl_ma_zs"): 778,
    wdi("fx_own_totl_zs"): 804,
    # Non-empty last field: `grep -v '"' F | awk -F, 'NR>1 && $6!=""' | wc -l` = 566, plus
    # the 9 non-empty of the 27 quoted "Hong Kong, China" lines (`grep '"' F | grep -vc ',$'`).
    ITU: 575,
    # Numeric cells of data lines 2-162: `sed -n 2,162p F | tr , '\n' | grep -cE '^[0-9]'`.
    FINDEX: 858,
}


@pytest.mark.parametrize(("rel", "expected"), EXPECTED_COUNTS.items())
def test_observation_count_per_file(bundle: Bundle, rel: str, expected: int) -> None:
    assert bundle.report.for_file(rel).observations == expected


class WdiCase(NamedTuple):
    series: str
    line: int
    economy: str
    year: str
    value: str  # literal text in the file
    area: str  # expected area code


WDI_SEX = {"fe": "female", "ma": "male"}
WDI_CASES = [
    WdiCase("it_net_user_fe_zs", 58, "hic", "2021", "89.5000000000", "WB:HIC"),
    WdiCase("it_net_user_fe_zs", 175, "ssf", "2024", "29.4000000000", "WB:SSF"),
    WdiCase("it_net_user_fe_zs", 196, "wld", "2021", "61.0000000000", "WB:WLD"),
    WdiCase("it_net_user_fe_zs", 206, "and", "2000", "26.9841000000", "AND"),
    WdiCase("it_net_user_fe_zs", 839, "ken", "2009", "5.2494000000", "KEN"),
    WdiCase("it_net_user_ma_zs", 59, "hic", "2022", "91.5000000000", "WB:HIC"),
    WdiCase("it_net_user_ma_zs", 172, "ssf", "2021", "33.8000000000", "WB:SSF"),
    WdiCase("it_net_user_ma_zs", 199, "wld", "2024", "74.2000000000", "WB:WLD"),
    WdiCase("it_net_user_ma_zs", 840, "ken", "2009", "6.8939400000", "KEN"),
    WdiCase("it_net_user_ma_zs", 998, "mex", "2021", "76.5124000000", "MEX"),
    WdiCase("it_net_user_zs", 191, "hic", "2014", "77.0000000000", "WB:HIC"),
    WdiCase("it_net_user_zs", 574, "ssf", "2017", "20.0000000000", "WB:SSF"),
    WdiCase("it_net_user_zs", 646, "wld", "2009", "25.3000000000", "WB:WLD"),
    WdiCase("it_net_user_zs", 753, "and", "2000", "10.5388000000", "AND"),
    WdiCase("it_net_user_zs", 3215, "ind", "2000", "0.5275320000", "IND"),
    WdiCase("fx_own_totl_fe_zs", 29, "hic", "2014", "91.6962264723", "WB:HIC"),
    WdiCase("fx_own_totl_fe_zs", 85, "ssf", "2021", "49.0400000000", "WB:SSF"),
    WdiCase("fx_own_totl_fe_zs", 100, "wld", "2024", "76.6330384570", "WB:WLD"),
    WdiCase("fx_own_totl_fe_zs", 423, "ken", "2021", "75.3574331684", "KEN"),
    WdiCase("fx_own_totl_fe_zs", 433, "xkx", "2021", "47.3863963223", "XKX"),
    WdiCase("fx_own_totl_ma_zs", 30, "hic", "2017", "93.8712736003", "WB:HIC"),
    WdiCase("fx_own_totl_ma_zs", 97, "wld", "2014", "65.2447254205", "WB:WLD"),
    WdiCase("fx_own_totl_ma_zs", 424, "ken", "2024", "93.8895090497", "KEN"),
    WdiCase("fx_own_totl_ma_zs", 434, "xkx", "2024", "68.7587019450", "XKX"),
    WdiCase("fx_own_totl_ma_zs", 511, "mex", "2022", "56.2709550828", "MEX"),
    WdiCase("fx_own_totl_zs", 31, "hic", "2021", "95.8343832450", "WB:HIC"),
    WdiCase("fx_own_totl_zs", 85, "ssf", "2021", "55.0700000000", "WB:SSF"),
    WdiCase("fx_own_totl_zs", 99, "wld", "2021", "73.8299210455", "WB:WLD"),
    WdiCase("fx_own_totl_zs", 435, "ken", "2021", "79.1951576168", "KEN"),
    WdiCase("fx_own_totl_zs", 445, "xkx", "2021", "58.0119595822", "XKX"),
]


@pytest.mark.parametrize("case", WDI_CASES, ids=lambda c: f"{c.series}:{c.line}")
def test_wdi_values(
    case: WdiCase, raw_record: RawRecord, obs_index: dict[ObsKey, Observation]
) -> None:
    rel = wdi(case.series)
    assert raw_record(rel, case.line) == {
        "economy": case.economy,
        "year": case.year,
        case.series: case.value,
    }
    indicator = "internet_use" if case.series.startswith("it_net") else "account_ownership"
    sex = WDI_SEX.get(case.series.split("_")[-2], "total")
    obs = obs_index[(indicator, case.area, int(case.year), sex, "", "wdi")]
    assert obs.value == float(case.value)


class Case(NamedTuple):
    rel: str
    line: int
    raw: dict[str, str]  # literal cells on that line
    key: ObsKey  # expected observation
    value_column: str
    flag: str = ""


# fmt: off
ITU_CASES = [
    Case(ITU, 2, {"iso3": "DZA", "year": "2018", "location": "all", "sex": "total",
                  "value": "49.0"}, ("internet_use", "DZA", 2018, "total", "", "itu-urban-rural"),
         "value"),
    Case(ITU, 7, {"iso3": "DZA", "location": "urban", "sex": "female", "value": "50.8"},
         ("internet_use", "DZA", 2018, "female", "location=urban", "itu-urban-rural"), "value"),
    Case(ITU, 9, {"iso3": "DZA", "location": "rural", "sex": "male", "value": "41.9"},
         ("internet_use", "DZA", 2018, "male", "location=rural", "itu-urban-rural"), "value"),
    Case(ITU, 118, {"iso3": "BRA", "location": "rural", "sex": "female", "value": "71.5"},
         ("internet_use", "BRA", 2018, "female", "location=rural", "itu-urban-rural"), "value"),
    Case(ITU, 111, {"iso3": "BRA", "location": "all", "sex": "male", "value": "70.9"},
         ("internet_use", "BRA", 2018, "male", "", "itu-urban-rural"), "value"),
    Case(ITU, 497, {"iso3": "KEN", "year": "2016", "location": "all", "sex": "total",
                    "value": "16.6"}, ("internet_use", "KEN", 2016, "total", "", "itu-urban-rural"),
         "value"),
]
# fmt: on


@pytest.mark.parametrize("case", ITU_CASES, ids=lambda c: f"{c.rel}:{c.line}")
def test_itu_values(
    case: Case, raw_record: RawRecord, obs_index: dict[ObsKey, Observation]
) -> None:
    record = raw_record(case.rel, case.line)
    assert {k: record[k] for k in case.raw} == case.raw
    obs = obs_index[case.key]
    assert obs.value == float(case.raw[case.value_column])
    assert obs.flag == case.flag


def test_itu_missing_cells_are_skipped(
    raw_record: RawRecord, obs_index: dict[ObsKey, Observation], bundle: Bundle
) -> None:
    # line 498: "Kenya,KEN,2016,all,male," (empty value)
    assert raw_record(ITU, 498)["value"] == ""
    assert ("internet_use", "KEN", 2016, "male", "", "itu-urban-rural") not in obs_index
    # 1,008 records - 575 values = 433 empty cells (data README).
    assert bundle.report.for_file(ITU).skipped == (("missing value", 433),)


def _findex_column(record: dict[str, str], code: str, year: int) -> str:
    [column] = [c for c in record if c.endswith(f"[{code}] - {year} [YR{year}]")]
    return column


# fmt: off
FINDEX_CASES = [
    # (line, Country Code, series code, year, literal value, sex)
    (75, "KEN", "g20.t", 2014, "69.12162018", "total"),
    (75, "KEN", "g20.t.2", 2017, "74.68489838", "female"),
    (75, "KEN", "g20.t.1", 2017, "83.74150085", "male"),
    (77, "XKX", "g20.t.2", 2014, "19.45623398", "female"),
    (64, "IND", "g20.t.1", 2014, "27.3293438", "male"),
    (64, "IND", "g20.t", 2017, "28.6926384", "total"),
]
# fmt: on


@pytest.mark.parametrize(("line", "code", "series", "year", "value", "sex"), FINDEX_CASES)
def test_findex_values(
    raw_record: RawRecord,
    obs_index: dict[ObsKey, Observation],
    line: int,
    code: str,
    series: str,
    year: int,
    value: str,
    sex: str,
) -> None:
    record = raw_record(FINDEX, line)
    assert record["Country Code"] == code
    assert record[_findex_column(record, series, year)] == value
    obs = obs_index[("digital_payments", code, year, sex, "", "findex-digital-payments")]
    assert obs.value == float(value)


def test_findex_2011_is_all_missing(bundle: Bundle) -> None:
    assert not [
        o for o in bundle.observations if o.indicator == "digital_payments" and o.year == 2011
    ]
    # 161 data lines x 9 cells = 1,449 cells; 1,449 - 858 = 591 are "..".
    assert bundle.report.for_file(FINDEX).skipped == (("missing value", 591),)
