"""SDMX input: SDMX-ML (2.1 generic or structure-specific data) and SDMX-CSV (1.0 or 2.0)
from the UN SDG database, ITU or the World Bank, read with the ``sdmx1`` library.

Each observation becomes a flat mapping of component ids to values (dimensions of the series
and the observation, attributes, ``OBS_VALUE``), then an :class:`Observation` of the source:

* the series code is ``SERIES`` (SDG) or ``INDICATOR`` / ``SERIES_CODE``; dots become
  underscores and case is ignored (``IT.NET.USER.FE.ZS`` = ``IT_NET_USER_FE_ZS``);
* ``REF_AREA`` is an M49 number (SDG) or an ISO3 code (World Bank, ITU);
* ``SEX``: ``F``/``FEMALE``, ``M``/``MALE``, ``_T``/``BOTHSEX``; WDI series carry the sex
  in the series code instead;
* ``TIME_PERIOD`` must start with a four-digit year;
* ``TYPE_OF_SKILL`` selects the ICT skill (``COPA`` or ``SKILL_ICTCOPA``...);
* rows broken down by another dimension (``URBANISATION``, ``AGE`` groups other than the
  national scope, ``INCOME_WEALTH_QUANTILE``...) other than a total are skipped and counted,
  and SDG rows reported by countries (``REPORTING_TYPE`` = ``N``) are skipped in favour of the
  global (``G``) figures;
* ``flag`` = ``NATURE`` or ``OBS_STATUS``; ``note`` = ``data source: SOURCE_DETAIL``,
  ``COMMENT_OBS``/``FOOTNOTE`` and ``age scope: AGE`` when given.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.core.vocabulary import Sex
from equals.indicators.model import Observation
from equals.indicators.sources.base import (
    SKIP_MISSING,
    SKIP_UNMAPPED,
    SKIP_UNUSED,
    FileLoad,
    FileLoadBuilder,
    join_notes,
)
from equals.indicators.sources.countries import CountryIndex
from equals.indicators.sources.unsd_gender import ICT_SKILLS

SKIP_BREAKDOWN = "breakdown not in the catalogue"
SKIP_NATIONAL = "nationally reported figure (REPORTING_TYPE N)"

SKILL = "*skill*"
#: source -> normalised series code -> (indicator or SKILL, sex fixed by the code or None)
SERIES: Mapping[str, Mapping[str, tuple[str, Sex | None]]] = {
    "sdg-db": {
        "IT_MOB_OWN": ("mobile_phone_ownership", None),
        "SE_ADT_ACTS": (SKILL, None),
    },
    "unsd-gender-itu": {
        "IT_USE_II99": ("internet_use", None),
        "IT_MOB_OWN": ("mobile_phone_ownership", None),
        "SE_ADT_ACTS": (SKILL, None),
    },
    "wdi": {
        "IT_NET_USER_FE_ZS": ("internet_use", Sex.FEMALE),
        "IT_NET_USER_MA_ZS": ("internet_use", Sex.MALE),
        "IT_NET_USER_ZS": ("internet_use", Sex.TOTAL),
        "FX_OWN_TOTL_FE_ZS": ("account_ownership", Sex.FEMALE),
        "FX_OWN_TOTL_MA_ZS": ("account_ownership", Sex.MALE),
        "FX_OWN_TOTL_ZS": ("account_ownership", Sex.TOTAL),
    },
}
SEXES: Mapping[str, Sex] = {
    "F": Sex.FEMALE,
    "FEMALE": Sex.FEMALE,
    "M": Sex.MALE,
    "MALE": Sex.MALE,
    "_T": Sex.TOTAL,
    "T": Sex.TOTAL,
    "BOTHSEX": Sex.TOTAL,
}
SERIES_DIMS = ("SERIES", "INDICATOR", "SERIES_CODE")
#: Components that are neither a breakdown nor data: identification, units, time detail.
NEUTRAL = frozenset(
    {
        "FREQ",
        "REF_AREA",
        "TIME_PERIOD",
        "SEX",
        "AGE",
        "TYPE_OF_SKILL",
        "REPORTING_TYPE",
        "UNIT_MEASURE",
        "UNIT_MULT",
        "OBS_VALUE",
        "NATURE",
        "OBS_STATUS",
        "SOURCE_DETAIL",
        "COMMENT_OBS",
        "FOOTNOTE",
        "TIME_DETAIL",
        "TIME_COVERAGE",
        "BASE_PERIOD",
        "UPPER_BOUND",
        "LOWER_BOUND",
        "GEO_INFO_URL",
        "DECIMALS",
        "OBS_CONF",
        "DATAFLOW",
        "STRUCTURE",
        "STRUCTURE_ID",
        "ACTION",
        *SERIES_DIMS,
    }
)
TOTAL_CODES = frozenset({"", "_T", "_Z", "_X", "_N", "ALLAREA", "ALLAGE", "_ALL"})
#: Components read as attributes (not dimensions) when an SDMX-CSV file is described.
ATTRIBUTES = (
    "NATURE",
    "OBS_STATUS",
    "UNIT_MEASURE",
    "UNIT_MULT",
    "SOURCE_DETAIL",
    "COMMENT_OBS",
    "FOOTNOTE",
    "TIME_DETAIL",
    "TIME_COVERAGE",
    "BASE_PERIOD",
    "UPPER_BOUND",
    "LOWER_BOUND",
    "GEO_INFO_URL",
    "DECIMALS",
    "OBS_CONF",
)
_LINE = "EQUALS_SOURCE_LINE"
_YEAR = re.compile(r"^(\d{4})(?:$|[-/QSMWA])")


@dataclass(frozen=True, slots=True)
class SdmxRead:
    load: FileLoad
    rows_read: int
    label: str
    release_date: str


def read(path: Path, source: str, countries: CountryIndex, fmt: str) -> SdmxRead:
    """Observations of ``source`` in an SDMX-ML or SDMX-CSV file (``fmt``)."""
    if source not in SERIES:
        raise DataFileError(
            Msg(
                "SDMX input is read for sources %(sources)s; for %(source)s use its CSV layout",
                sources=", ".join(SERIES),
                source=repr(source),
            ),
            location=str(path),
        )
    label = release_date = ""
    if fmt == "sdmx-ml":
        records, label, release_date = _read_xml(path)
    else:
        records = _read_csv(path)
    b = FileLoadBuilder(str(path))
    n = 0
    for where, rec in records:
        n += 1
        _add(b, source, where, rec, countries)
    return SdmxRead(b.build(), n, label, release_date)


def _code(value: str) -> str:
    """The code of an SDMX-CSV cell written with labels (``404: Kenya`` -> ``404``)."""
    return value.split(": ", 1)[0].strip()


def _add(
    b: FileLoadBuilder,
    source: str,
    where: str,
    rec: Mapping[str, str],
    countries: CountryIndex,
) -> None:
    series_text = next((rec[d] for d in SERIES_DIMS if rec.get(d)), "")
    series = _code(series_text).upper().replace(".", "_")
    if not series:
        raise DataFileError(Msg("no SERIES or INDICATOR dimension"), location=where)
    if series not in SERIES[source]:
        b.skip(SKIP_UNUSED)
        return
    if _code(rec.get("REPORTING_TYPE", "")).upper() == "N":
        b.skip(SKIP_NATIONAL)
        return
    for dim, cell in rec.items():
        if dim not in NEUTRAL and _code(cell).upper() not in TOTAL_CODES:
            b.skip(SKIP_BREAKDOWN)
            return
    indicator, fixed_sex = SERIES[source][series]
    if indicator == SKILL:
        skill = _code(rec.get("TYPE_OF_SKILL", "")).upper().removeprefix("SKILL_ICT")
        skill = skill.removeprefix("SKILL_")
        if skill not in ICT_SKILLS:
            raise DataFileError(
                Msg("unknown TYPE_OF_SKILL %(value)s", value=repr(rec.get("TYPE_OF_SKILL"))),
                location=where,
            )
        indicator = ICT_SKILLS[skill]
    raw_value = (rec.get("OBS_VALUE") or "").strip()
    if raw_value in ("", "NaN", "NA", "..", "nan"):
        b.skip(SKIP_MISSING)
        return
    try:
        value = float(raw_value)
    except ValueError as exc:
        raise DataFileError(
            Msg("OBS_VALUE is not a number: %(value)s", value=repr(raw_value)), location=where
        ) from exc
    if not math.isfinite(value):
        raise DataFileError(
            Msg("OBS_VALUE is not a finite number: %(value)s", value=repr(raw_value)),
            location=where,
        )
    area_code = _code(rec.get("REF_AREA", ""))
    area = countries.from_m49(int(area_code)) if area_code.isdigit() else countries.code(area_code)
    if area is None:
        b.skip(SKIP_UNMAPPED, where=f"{where}: REF_AREA {area_code!r}")
        return
    if fixed_sex is not None:
        sex = fixed_sex
    else:
        sex_code = _code(rec.get("SEX", "")).upper()
        if sex_code not in SEXES:
            raise DataFileError(
                Msg(
                    "unknown SEX code %(value)s (expected F, M or _T)",
                    value=repr(rec.get("SEX", "")),
                ),
                location=where,
            )
        sex = SEXES[sex_code]
    period = _code(rec.get("TIME_PERIOD", ""))
    m = _YEAR.match(period)
    if m is None:
        raise DataFileError(
            Msg("TIME_PERIOD %(value)s does not start with a year", value=repr(period)),
            location=where,
        )
    year = int(m.group(1))
    age = _code(rec.get("AGE", ""))
    detail = rec.get("TIME_DETAIL", "").strip()
    b.add(
        Observation(
            indicator=indicator,
            area=area,
            year=year,
            sex=sex,
            value=value,
            source=source,
            note=join_notes(
                f"data source: {rec['SOURCE_DETAIL'].strip()}"
                if rec.get("SOURCE_DETAIL", "").strip()
                else "",
                rec.get("COMMENT_OBS", ""),
                rec.get("FOOTNOTE", ""),
                f"age scope: {age}" if age.upper() not in TOTAL_CODES else "",
                f"time detail: {detail}" if detail and detail != str(year) else "",
            ),
            flag=_code(rec.get("NATURE", "") or rec.get("OBS_STATUS", "")),
        ),
        where,
    )


def _values(obj: Any) -> dict[str, str]:
    """Attribute values of an sdmx1 object (observation or series key) as text."""
    out: dict[str, str] = {}
    for k, v in (getattr(obj, "attached_attribute", None) or getattr(obj, "attrib", {})).items():
        value = getattr(v, "value", v)
        out[str(k)] = "" if value is None else str(value)
    return out


def _read_xml(path: Path) -> tuple[list[tuple[str, dict[str, str]]], str, str]:
    import sdmx

    try:
        message = sdmx.read_sdmx(path)
    except Exception as exc:  # the library raises many types for malformed XML
        raise DataFileError(
            Msg(
                "not readable as SDMX-ML: %(reason)s",
                reason=type(exc).__name__ + ": " + str(exc)[:300],
            ),
            location=str(path),
        ) from exc
    data = getattr(message, "data", None)
    if data is None:
        raise DataFileError(
            Msg(
                "an SDMX-ML structure message, not data: export the data (generic or "
                "structure-specific)"
            ),
            location=str(path),
        )
    header = message.header
    label = str(header.id or "")
    prepared = header.prepared.date().isoformat() if header.prepared else ""
    out: list[tuple[str, dict[str, str]]] = []
    n = 0
    for ds in data:
        for obs in ds.obs:
            n += 1
            rec: dict[str, str] = {}
            if obs.series_key is not None:
                rec.update({k: str(v.value) for k, v in obs.series_key.values.items()})
                rec.update(_values(obs.series_key))
            rec.update({k: str(v.value) for k, v in obs.key.values.items()})
            rec.update(_values(obs))
            value = obs.value
            rec["OBS_VALUE"] = "" if value is None else str(value)
            short = ", ".join(
                f"{k}={rec[k]}" for k in ("SERIES", "REF_AREA", "SEX", "TIME_PERIOD") if k in rec
            )
            out.append((f"{path}: observation {n} ({short})", rec))
    return out, label, prepared


def _read_csv(path: Path) -> list[tuple[str, dict[str, str]]]:
    """SDMX-CSV 1.0 (``DATAFLOW`` first) or 2.0 (``STRUCTURE``, ``STRUCTURE_ID``...), read
    with sdmx1's SDMX-CSV 2.0 reader against a structure described from the header."""
    import sdmx.reader.csv
    from sdmx.model import common, v30

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            Msg("not UTF-8 text (%(reason)s at byte %(byte)s)", reason=exc.reason, byte=exc.start),
            location=str(path),
        ) from exc
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise DataFileError(Msg("empty file"), location=str(path))
    header = [h.strip() for h in rows[0]]
    if header[0] == "DATAFLOW":  # SDMX-CSV 1.0: one column naming the dataflow
        header = ["STRUCTURE", "STRUCTURE_ID", *header[1:]]
        rows = [header] + [["dataflow", *r] if r else r for r in rows[1:]]
    if len(header) < 3 or header[2] != "ACTION":  # optional in SDMX-CSV 2.0; sdmx1 needs it
        header = [*header[:2], "ACTION", *header[2:]]
        rows = [header] + [[*r[:2], "I", *r[2:]] if r else r for r in rows[1:]]
    ids = [h.split(": ", 1)[0].split("[", 1)[0] for h in header]
    if "OBS_VALUE" not in ids:
        raise DataFileError(Msg("no OBS_VALUE column: not SDMX-CSV data"), location=f"{path}:1")
    first_component = 3
    dsd = v30.DataStructureDefinition(
        id="RELEASE", maintainer=common.Agency(id="EQUALS"), version="1.0"
    )
    for cid in ids[first_component:]:
        if cid == "OBS_VALUE":
            dsd.measures.getdefault(cid)
        elif cid in ATTRIBUTES:
            dsd.attributes.getdefault(cid)
        else:
            dsd.dimensions.getdefault(cid)
    dsd.attributes.getdefault(_LINE)  # each row's line number, for messages
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*header, _LINE])
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DataFileError(
                Msg(
                    "%(count)s fields where the header has %(expected)s",
                    count=len(row),
                    expected=len(header),
                ),
                location=f"{path}:{line}",
            )
        writer.writerow([*row, str(line)])
    try:
        message = sdmx.reader.csv.Reader().convert(
            io.BytesIO(buf.getvalue().encode()), structure=dsd
        )
    except Exception as exc:
        raise DataFileError(
            Msg(
                "not readable as SDMX-CSV: %(reason)s",
                reason=type(exc).__name__ + ": " + str(exc)[:300],
            ),
            location=str(path),
        ) from exc
    out: list[tuple[str, dict[str, str]]] = []
    for ds in message.data:
        for obs in ds.obs:
            rec = {k: str(v.value) for k, v in obs.key.values.items()}
            rec.update(_values(obs))
            rec["OBS_VALUE"] = "" if obs.value is None else str(obs.value)
            out.append((f"{path}:{rec.pop(_LINE, '?')}", rec))
    out.sort(key=lambda item: int(item[0].rsplit(":", 1)[1]))
    return out
