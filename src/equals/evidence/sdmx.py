"""SDMX-CSV 2.0 output of observations and gap tables (read back with ``sdmx1`` in tests).

Observations follow the structure ``EQUALS:DSD_GENDER_ICT(1.0)``:

* dimensions ``INDICATOR`` (catalogue id), ``REF_AREA`` (ISO3 or aggregate code, ``:`` as
  ``_``: ``WB_WLD``), ``TIME_PERIOD`` (year), ``SEX`` (``F``, ``M``, ``_T``) and
  ``BREAKDOWN`` (``_T`` for the whole population, else e.g. ``LOCATION_URBAN``: a sub-group is
  a different series, so keys stay unique);
* measure ``OBS_VALUE``; attributes ``SOURCE``, ``UNIT_MEASURE`` (the catalogue's unit
  text), ``SE`` (standard error, in the unit of the value), ``OBS_STATUS`` (the source's own
  flag), ``QUALITY_FLAGS`` (``small_n``...), ``LICENCE``, ``RELEASE`` and ``COMMENT``.

Each source is its own dataflow, ``EQUALS:DF_<SOURCE>(1.0)`` (``STRUCTURE_ID``), so that two
sources' values for the same key are two data sets, as SDMX requires.

Gap tables follow ``EQUALS:DSD_GENDER_GAP(1.0)``: the same dimensions plus ``STATISTIC``:
``VALUE`` rows carry the female, male and total values (``SEX`` F/M/_T), and ``PARITY``
(F/M), ``RELATIVE_GAP`` ((M-F)/M), ``DIFFERENCE`` (F-M) and ``DISTANCE_FROM_PARITY`` rows
(``SEX`` = ``_Z``, not applicable) the metrics, with ``GAP_STATUS``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

MEDIA_TYPE = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"
AGENCY = "EQUALS"
OBSERVATION_DSD = "DSD_GENDER_ICT"
GAP_DSD = "DSD_GENDER_GAP"
DIMENSIONS = ("INDICATOR", "REF_AREA", "TIME_PERIOD", "SEX", "BREAKDOWN")
OBSERVATION_ATTRIBUTES = (
    "SOURCE",
    "UNIT_MEASURE",
    "SE",
    "OBS_STATUS",
    "QUALITY_FLAGS",
    "LICENCE",
    "RELEASE",
    "COMMENT",
)
GAP_ATTRIBUTES = ("SOURCE", "UNIT_MEASURE", "SE", "GAP_STATUS", "LICENCE", "RELEASE", "COMMENT")
GAP_STATISTICS = {
    "parity": "PARITY",
    "relative": "RELATIVE_GAP",
    "difference": "DIFFERENCE",
    "distance_from_parity": "DISTANCE_FROM_PARITY",
}
SEX_CODES = {"female": "F", "male": "M", "total": "_T"}
_NOT_ID = re.compile(r"[^A-Za-z0-9_@$\-]")


def sdmx_id(text: str) -> str:
    """A text as an SDMX identifier (letters, digits, ``_@$-``), upper case."""
    return _NOT_ID.sub("_", text.strip()).upper()


def breakdown_code(breakdown: str) -> str:
    """``""`` -> ``_T``; ``location=urban`` -> ``LOCATION_URBAN``; pairs joined by ``__``."""
    if not breakdown:
        return "_T"
    return "__".join(sdmx_id(part.replace("=", "_")) for part in breakdown.split(";"))


def dataflow(source: str) -> str:
    return f"{AGENCY}:DF_{sdmx_id(source)}(1.0)"


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, list | tuple):
        return " ".join(str(x) for x in v)
    return str(v)


def _write(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([_text(v) for v in row])
    return buf.getvalue()


def observations_csv(records: Iterable[Mapping[str, Any]], units: Mapping[str, str]) -> str:
    """SDMX-CSV of observation records (:func:`equals.evidence.records.observation_record`)."""
    header = ["STRUCTURE", "STRUCTURE_ID", "ACTION", *DIMENSIONS, "OBS_VALUE"]
    header += OBSERVATION_ATTRIBUTES
    rows = (
        [
            "dataflow",
            dataflow(r["source"]),
            "I",
            r["indicator"],
            sdmx_id(r["country"]),
            r["year"],
            SEX_CODES[r["sex"]],
            breakdown_code(r.get("breakdown") or ""),
            r["value"],
            r["source"],
            units.get(r["indicator"], ""),
            r.get("se"),
            r.get("flag") or "",
            r.get("flags") or "",
            r.get("licence") or "",
            r.get("release") or "",
            r.get("note") or "",
        ]
        for r in records
    )
    return _write(header, rows)


def gaps_csv(records: Iterable[Mapping[str, Any]], units: Mapping[str, str]) -> str:
    """SDMX-CSV of gap records (:func:`equals.evidence.records.gap_record`)."""
    header = ["STRUCTURE", "STRUCTURE_ID", "ACTION", *DIMENSIONS, "STATISTIC", "OBS_VALUE"]
    header += GAP_ATTRIBUTES

    def rows() -> Iterable[list[Any]]:
        for r in records:
            key = [
                "dataflow",
                dataflow(r["source"]),
                "I",
                r["indicator"],
                sdmx_id(r["country"]),
                r["year"],
            ]
            bd = breakdown_code(r.get("breakdown") or "")
            tail = [r["source"], units.get(r["indicator"], "")]
            common = [r.get("licence") or "", r.get("release") or "", r.get("note") or ""]
            for sex, code in SEX_CODES.items():
                if r.get(sex) is not None:
                    se = r.get(f"{sex}_se")
                    yield [*key, code, bd, "VALUE", r[sex], *tail, se, "", *common]
            for name, stat in GAP_STATISTICS.items():
                if r.get(name) is not None:
                    yield [*key, "_Z", bd, stat, r[name], *tail, None, r["status"], *common]

    return _write(header, rows())


def structure(kind: str = "observations") -> Any:
    """The data structure definition (an ``sdmx1`` object) of the observations or gap output,
    for reading the files back with ``sdmx.reader.csv.Reader().convert(data, structure=...)``."""
    from sdmx.model import common, v30

    gap = kind == "gaps"
    dsd = v30.DataStructureDefinition(
        id=GAP_DSD if gap else OBSERVATION_DSD,
        maintainer=common.Agency(id=AGENCY),
        version="1.0",
    )
    for d in (*DIMENSIONS, "STATISTIC") if gap else DIMENSIONS:
        dsd.dimensions.getdefault(d)
    dsd.measures.getdefault("OBS_VALUE")
    for a in GAP_ATTRIBUTES if gap else OBSERVATION_ATTRIBUTES:
        dsd.attributes.getdefault(a)
    return dsd
