"""World Bank World Development Indicators (Gapminder DDF conversion), source id ``wdi``.

Files (``wdi/``): six datapoint files ``ddf--datapoints--<series>--by--economy--year.csv``
with three columns ``economy,year,<series>``; values printed with 10 decimals; only years
with data are present. Series: Internet use (``it_net_user_fe_zs`` / ``_ma_`` / total
``it_net_user_zs``, data from ITU) and account ownership (``fx_own_totl_fe_zs`` / ``_ma_`` /
total ``fx_own_totl_zs``, data from Global Findex).

Economy codes are lower-case World Bank codes:

* a code listed in ``ddf--entities--economy--country.csv`` is a country; upper-cased it is
  ISO3 (``xkx`` -> ``XKX`` Kosovo) and must be in the country taxonomy;
* exception: ``chi`` (Channel Islands = Jersey + Guernsey, no ISO3) becomes the aggregate
  ``WB:CHI``;
* other codes are World Bank aggregates ``WB:<CODE>`` named from
  ``ddf--entities--economy--region.csv`` / ``income_4level.csv`` (older vintage names, e.g.
  "Middle East & North Africa") or from :data:`AGGREGATE_NAMES`; unknown codes are skipped
  and counted.

No duplicates are possible (one record per economy-year, checked when the files were made).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from equals.core.areas import Area, AreaKind
from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.core.vocabulary import Sex
from equals.indicators.model import Observation
from equals.indicators.sources.base import (
    SKIP_MISSING,
    SKIP_UNMAPPED,
    FileLoad,
    FileLoadBuilder,
    flatten,
    parse_value,
    parse_year,
    read_rows,
    require_columns,
)
from equals.indicators.sources.countries import CountryIndex

SOURCE = "wdi"
DEFINED_BY = "World Bank"
ENTITY_COUNTRY = "wdi/ddf--entities--economy--country.csv"
ENTITY_REGION = "wdi/ddf--entities--economy--region.csv"
ENTITY_INCOME = "wdi/ddf--entities--economy--income_4level.csv"

#: series -> (catalogue indicator, sex)
SERIES: Mapping[str, tuple[str, Sex]] = {
    "it_net_user_fe_zs": ("internet_use", Sex.FEMALE),
    "it_net_user_ma_zs": ("internet_use", Sex.MALE),
    "it_net_user_zs": ("internet_use", Sex.TOTAL),
    "fx_own_totl_fe_zs": ("account_ownership", Sex.FEMALE),
    "fx_own_totl_ma_zs": ("account_ownership", Sex.MALE),
    "fx_own_totl_zs": ("account_ownership", Sex.TOTAL),
}

#: World Bank aggregate names not given by the bundled entity files (WDI names).
AGGREGATE_NAMES: Mapping[str, str] = {
    "wld": "World",
    "lmy": "Low & middle income",
    "mic": "Middle income",
    "eap": "East Asia & Pacific (excluding high income)",
    "eca": "Europe & Central Asia (excluding high income)",
    "lac": "Latin America & Caribbean (excluding high income)",
    "mna": "Middle East & North Africa (excluding high income)",
    "ssa": "Sub-Saharan Africa (excluding high income)",
    "tea": "East Asia & Pacific (IDA & IBRD countries)",
    "tec": "Europe & Central Asia (IDA & IBRD countries)",
    "tla": "Latin America & the Caribbean (IDA & IBRD countries)",
    "tmn": "Middle East & North Africa (IDA & IBRD countries)",
    "tsa": "South Asia (IDA & IBRD)",
    "tss": "Sub-Saharan Africa (IDA & IBRD countries)",
    "ibd": "IBRD only",
    "ibt": "IDA & IBRD total",
    "ida": "IDA total",
    "idb": "IDA blend",
    "idx": "IDA only",
    "afe": "Africa Eastern and Southern",
    "afw": "Africa Western and Central",
    "arb": "Arab World",
    "emu": "Euro area",
    "oed": "OECD members",
    "ldc": "Least developed countries: UN classification",
    "fcs": "Fragile and conflict affected situations",
    "sst": "Small states",
    "chi": "Channel Islands",
}

#: Economy codes listed as countries by the World Bank but kept as aggregates here.
COUNTRY_CODES_AS_AGGREGATES = frozenset({"chi"})


def datapoint_file(series: str) -> str:
    return f"wdi/ddf--datapoints--{series}--by--economy--year.csv"


FILES: tuple[str, ...] = (
    *(datapoint_file(s) for s in SERIES),
    ENTITY_COUNTRY,
    ENTITY_REGION,
    ENTITY_INCOME,
)


def _entity_names(data_dir: Path, rel: str, key: str) -> dict[str, str]:
    require_columns(data_dir, rel, (key, "name"))
    return {row[key].strip(): row["name"].strip() for _, row in read_rows(data_dir, rel)}


def aggregate_names(data_dir: Path) -> dict[str, str]:
    """Aggregate code (lower case) -> name: entity files first, then the built-in list."""
    names = dict(AGGREGATE_NAMES)
    names.update(_entity_names(data_dir, ENTITY_REGION, "region"))
    names.update(_entity_names(data_dir, ENTITY_INCOME, "income_4level"))
    return names


def country_codes(data_dir: Path) -> frozenset[str]:
    """Lower-case economy codes the World Bank lists as countries."""
    require_columns(data_dir, ENTITY_COUNTRY, ("country", "is--country"))
    return frozenset(
        row["country"].strip()
        for _, row in read_rows(data_dir, ENTITY_COUNTRY)
        if row["is--country"].strip().upper() == "TRUE"
    )


def read_series_file(
    data_dir: Path,
    rel: str,
    series: str,
    countries: CountryIndex,
    wb_countries: frozenset[str] | None = None,
    agg_names: Mapping[str, str] | None = None,
) -> FileLoad:
    """One datapoint file ``economy,year,<series>`` (``rel`` may be a user's absolute path).

    Economy codes are classified with the bundled entity files of ``data_dir`` unless
    ``wb_countries`` / ``agg_names`` are given.
    """
    if series not in SERIES:
        raise DataFileError(
            Msg(
                "unknown WDI series %(series)s (expected one of %(known)s)",
                series=repr(series),
                known=", ".join(SERIES),
            ),
            location=str(data_dir / rel),
        )
    indicator, sex = SERIES[series]
    wb_countries = country_codes(data_dir) if wb_countries is None else wb_countries
    agg_names = aggregate_names(data_dir) if agg_names is None else agg_names
    require_columns(data_dir, rel, ("economy", "year", series))
    b = FileLoadBuilder(rel)
    for line, row in read_rows(data_dir, rel):
        where = f"{rel}:{line}"
        value = parse_value(row[series], where=where)
        if value is None:
            b.skip(SKIP_MISSING)
            continue
        economy = row["economy"].strip().lower()
        area: str | None
        if economy in wb_countries and economy not in COUNTRY_CODES_AS_AGGREGATES:
            area = countries.code(economy)
        elif economy in agg_names:
            area = f"WB:{economy.upper()}"
            b.add_aggregate(
                Area(area, agg_names[economy], AreaKind.AGGREGATE, defined_by=DEFINED_BY)
            )
        else:
            area = None
        if area is None:
            b.skip(SKIP_UNMAPPED, where=f"{where}: economy {economy!r}")
            continue
        b.observations.append(
            Observation(
                indicator=indicator,
                area=area,
                year=parse_year(row["year"], where=where),
                sex=sex,
                value=value,
                source=SOURCE,
            )
        )
    return b.build()


def read(data_dir: Path, countries: CountryIndex | None = None) -> list[FileLoad]:
    countries = countries or CountryIndex.from_data(data_dir)
    wb_countries = country_codes(data_dir)
    agg_names = aggregate_names(data_dir)
    return [
        read_series_file(data_dir, datapoint_file(s), s, countries, wb_countries, agg_names)
        for s in SERIES
    ]


def load(data_dir: Path) -> list[Observation]:
    return flatten(read(data_dir))
