"""Country taxonomy (UN OCHA) read into Areas."""

from __future__ import annotations

from pathlib import Path

import pytest

from equals.core.areas import Area, AreaKind
from equals.indicators.bundle import Bundle
from equals.indicators.sources.countries import CountryIndex, load_areas


@pytest.fixture(scope="module")
def areas(data_dir: Path) -> dict[str, Area]:
    return {a.code: a for a in load_areas(data_dir)}


def test_kenya(areas: dict[str, Area]) -> None:
    ken = areas["KEN"]
    assert ken == Area(
        code="KEN",
        name="Kenya",
        kind=AreaKind.COUNTRY,
        iso2="KE",
        m49=404,
        region="Africa",
        subregion="Eastern Africa",  # M49 intermediate region within Sub-Saharan Africa
        income_group="Lower middle income",
    )


def test_other_regions_and_income_groups(areas: dict[str, Area]) -> None:
    assert (areas["BRA"].region, areas["BRA"].subregion) == ("Americas", "South America")
    assert areas["BRA"].income_group == "Upper middle income"
    assert (areas["DEU"].region, areas["DEU"].subregion) == ("Europe", "Western Europe")
    assert areas["DEU"].income_group == "High income"
    assert areas["AFG"].income_group == "Low income"
    assert (areas["DZA"].subregion, areas["DZA"].m49) == ("Northern Africa", 12)
    assert areas["JEY"].subregion == "Northern Europe"  # not the "Channel Islands" level


def test_codes(areas: dict[str, Area]) -> None:
    # 256 rows - 1 deprecated (Netherlands Antilles) - 5 without ISO3 other than Kosovo
    # (Azores, Canary Islands, Channel Islands, Galapagos, Sark) = 250.
    assert len(areas) == 250
    assert areas["XKX"].name == "Kosovo"
    assert areas["XKX"].iso2 == "XK"
    assert areas["XKX"].m49 is None
    assert "ANT" not in areas and "CHI" not in areas
    assert all(len(code) == 3 and code.isupper() for code in areas)
    assert {a.income_group for a in areas.values()} == {
        None,
        "High income",
        "Upper middle income",
        "Lower middle income",
        "Low income",
    }


def test_index_lookups(data_dir: Path) -> None:
    index = CountryIndex.from_data(data_dir)
    assert index.code("ken") == "KEN"
    assert index.code("CHI") is None
    assert index.from_m49(404) == "KEN"
    assert index.from_m49(891) is None  # Serbia and Montenegro [former]


def test_bundle_areas(bundle: Bundle) -> None:
    by_code = {a.code: a for a in bundle.areas}
    assert by_code["WB:WLD"].name == "World"
    assert by_code["WB:WLD"].kind is AreaKind.AGGREGATE
    assert by_code["WB:WLD"].defined_by == "World Bank"
    assert by_code["WB:SSF"].name == "Sub-Saharan Africa"  # from the WDI region entity file
    assert by_code["WB:LMC"].name == "Lower middle income"  # from the income entity file
    assert by_code["WB:MEA"].name == "Middle East & North Africa"
    assert by_code["UN:001"].name == "World"
    countries = [a for a in bundle.areas if a.is_country]
    assert len(countries) == 250
    assert all(":" in a.code for a in bundle.areas if not a.is_country)
