"""SDMX input, written by hand after the SDMX 2.1 message formats (structure-specific and
generic data) and SDMX-CSV 1.0 / 2.0, read with the sdmx1 library.

Expected values are the ones typed into the files below; Kenya is M49 404 (UN M49 list).
"""

# ruff: noqa: E501  (SDMX messages are kept as written, one element a line)
from __future__ import annotations

from pathlib import Path

import pytest

from equals.auth.model import Actor
from equals.core.errors import DataFileError, ValidationError
from equals.core.vocabulary import Sex
from equals.releases import detect_format, import_release, list_releases, read_release
from equals.store import Store

NS = (
    'xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
    'xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
HEADER = """<message:Header><message:ID>SDG-2025-Q2</message:ID><message:Test>false</message:Test>
<message:Prepared>2025-06-30T12:00:00</message:Prepared><message:Sender id="UNSD"/>
<message:Structure structureID="DSD_SDG" dimensionAtObservation="TIME_PERIOD">
<common:StructureUsage><Ref agencyID="IAEG-SDGs" id="DF_SDG_GLH" version="1.0"/></common:StructureUsage>
</message:Structure></message:Header>"""

STRUCTURE_SPECIFIC = f"""<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData {NS}
 xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
 xmlns:ns1="urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=IAEG-SDGs:DF_SDG_GLH(1.0):ObsLevelDim:TIME_PERIOD">
{HEADER}
<message:DataSet ss:structureRef="DSD_SDG" xsi:type="ns1:DataSetType">
 <Series SERIES="IT_MOB_OWN" REF_AREA="404" SEX="F" FREQ="A" REPORTING_TYPE="G" URBANISATION="_T">
  <Obs TIME_PERIOD="2024" OBS_VALUE="55.5" NATURE="C" SOURCE_DETAIL="KNBS survey"/>
 </Series>
 <Series SERIES="IT_MOB_OWN" REF_AREA="404" SEX="M" FREQ="A" REPORTING_TYPE="G" URBANISATION="_T">
  <Obs TIME_PERIOD="2024" OBS_VALUE="61.25" NATURE="C"/>
 </Series>
 <Series SERIES="IT_MOB_OWN" REF_AREA="404" SEX="F" FREQ="A" REPORTING_TYPE="G" URBANISATION="U">
  <Obs TIME_PERIOD="2024" OBS_VALUE="70" NATURE="C"/>
 </Series>
 <Series SERIES="SE_ADT_ACTS" REF_AREA="404" SEX="F" FREQ="A" REPORTING_TYPE="N" TYPE_OF_SKILL="SKILL_ICTCOPA">
  <Obs TIME_PERIOD="2024" OBS_VALUE="12"/>
 </Series>
 <Series SERIES="SE_ADT_ACTS" REF_AREA="404" SEX="F" FREQ="A" REPORTING_TYPE="G" TYPE_OF_SKILL="SKILL_ICTCOPA">
  <Obs TIME_PERIOD="2024" OBS_VALUE="11.5"/>
 </Series>
 <Series SERIES="SI_POV_DAY1" REF_AREA="404" SEX="F" FREQ="A" REPORTING_TYPE="G">
  <Obs TIME_PERIOD="2024" OBS_VALUE="30"/>
 </Series>
</message:DataSet></message:StructureSpecificData>
"""

GENERIC = f"""<?xml version="1.0" encoding="UTF-8"?>
<message:GenericData {NS}
 xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">
{HEADER}
<message:DataSet structureRef="DSD_SDG">
 <generic:Series>
  <generic:SeriesKey><generic:Value id="SERIES" value="IT_MOB_OWN"/>
   <generic:Value id="REF_AREA" value="404"/><generic:Value id="SEX" value="F"/></generic:SeriesKey>
  <generic:Obs><generic:ObsDimension value="2024"/><generic:ObsValue value="55.5"/>
   <generic:Attributes><generic:Value id="NATURE" value="C"/></generic:Attributes></generic:Obs>
 </generic:Series>
 <generic:Series>
  <generic:SeriesKey><generic:Value id="SERIES" value="IT_MOB_OWN"/>
   <generic:Value id="REF_AREA" value="404"/><generic:Value id="SEX" value="M"/></generic:SeriesKey>
  <generic:Obs><generic:ObsDimension value="2024"/><generic:ObsValue value="61.25"/></generic:Obs>
 </generic:Series>
</message:DataSet></message:GenericData>
"""

CSV_V1 = """DATAFLOW,SERIES,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,NATURE
IAEG-SDGs:DF_SDG_GLH(1.0),IT_MOB_OWN,404,F,2024,55.5,C
IAEG-SDGs:DF_SDG_GLH(1.0),IT_MOB_OWN,404,M,2024,61.25,C
"""

CSV_V2 = """STRUCTURE,STRUCTURE_ID,ACTION,SERIES,REF_AREA: Reference area,SEX,TIME_PERIOD,OBS_VALUE,NATURE
dataflow,IAEG-SDGs:DF_SDG_GLH(1.0),I,IT_MOB_OWN,404: Kenya,F,2024,55.5,C
dataflow,IAEG-SDGs:DF_SDG_GLH(1.0),I,IT_MOB_OWN,404: Kenya,M,2024,61.25,C
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def values(path: Path) -> dict[tuple[str, str, int, Sex], float]:
    parsed = read_release(path, "sdg-db")
    return {(o.indicator, o.area, o.year, o.sex): o.value for o in parsed.observations}


def test_structure_specific_data(tmp_path: Path) -> None:
    path = write(tmp_path, "sdg.xml", STRUCTURE_SPECIFIC)
    assert detect_format(path) == "sdmx-ml"
    parsed = read_release(path, "sdg-db")
    assert {(o.indicator, o.sex, o.value, o.flag) for o in parsed.observations} == {
        ("mobile_phone_ownership", Sex.FEMALE, 55.5, "C"),
        ("mobile_phone_ownership", Sex.MALE, 61.25, "C"),
        ("ict_skill_copy_paste", Sex.FEMALE, 11.5, ""),  # the global (G) figure, not N
    }
    assert {o.area for o in parsed.observations} == {"KEN"}
    skipped = dict(parsed.skipped)
    assert skipped["breakdown not in the catalogue"] == 1  # URBANISATION=U
    assert skipped["nationally reported figure (REPORTING_TYPE N)"] == 1
    assert skipped["series not in the catalogue"] == 1  # SI_POV_DAY1
    note = next(o.note for o in parsed.observations if o.value == 55.5)
    assert note == "data source: KNBS survey"
    assert (parsed.label, parsed.release_date) == ("SDG-2025-Q2", "2025-06-30")


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [("g.xml", GENERIC, "sdmx-ml"), ("v1.csv", CSV_V1, "sdmx-csv"), ("v2.csv", CSV_V2, "sdmx-csv")],
)
def test_generic_and_csv_give_the_same_values(
    tmp_path: Path, name: str, text: str, fmt: str
) -> None:
    path = write(tmp_path, name, text)
    assert detect_format(path) == fmt
    assert values(path) == {
        ("mobile_phone_ownership", "KEN", 2024, Sex.FEMALE): 55.5,
        ("mobile_phone_ownership", "KEN", 2024, Sex.MALE): 61.25,
    }


def test_sdmx_csv_errors_name_the_line(tmp_path: Path) -> None:
    bad_sex = CSV_V1.replace(",M,2024", ",X,2024")
    with pytest.raises(DataFileError, match=r"bad.csv:3: unknown SEX code 'X'"):
        read_release(write(tmp_path, "bad.csv", bad_sex), "sdg-db")
    bad_value = CSV_V1.replace("61.25", "lots")
    with pytest.raises(DataFileError, match=r"bad2.csv:3: OBS_VALUE is not a number"):
        read_release(write(tmp_path, "bad2.csv", bad_value), "sdg-db")
    with pytest.raises(DataFileError, match="not readable as SDMX-ML"):
        read_release(write(tmp_path, "broken.xml", "<message:GenericData>"), "sdg-db")


def test_import_sdmx_release(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "sdg.xml", STRUCTURE_SPECIFIC)
    # One country's extract would remove every other country's rows of these series:
    with pytest.raises(ValidationError, match=r"would remove 516 of the 516 current rows"):
        import_release(store, path, "sdg-db", actor=Actor("tester"))
    assert list_releases(store) == []
    report = import_release(store, path, "sdg-db", actor=Actor("tester"), allow_removals=True)
    assert report.release is not None
    assert report.release.format == "sdmx-ml"
    assert report.release.name == "SDG-2025-Q2 (2025-06-30)"
    # The release covers (mobile F, mobile M, copy-paste F): other rows of sdg-db stay.
    assert set(report.release.scope) == {
        ("ict_skill_copy_paste", "female"),
        ("mobile_phone_ownership", "female"),
        ("mobile_phone_ownership", "male"),
    }
    assert [r.kind for r in list_releases(store)] == ["import", "bundled"]


def test_world_bank_sdmx_csv_with_series_carrying_the_sex(tmp_path: Path) -> None:
    # World Bank series codes carry the sex (IT.NET.USER.FE.ZS = female Internet users, % of
    # female population); REF_AREA is ISO3 there.
    text = (
        "DATAFLOW,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n"
        "WB:WDI(1.0),IT.NET.USER.FE.ZS,KEN,2024,35.5\n"
        "WB:WDI(1.0),IT.NET.USER.MA.ZS,KEN,2024,41.0\n"
        "WB:WDI(1.0),SP.POP.TOTL,KEN,2024,55000000\n"
    )
    parsed = read_release(write(tmp_path, "wb.csv", text), "wdi")
    got = {(o.indicator, o.area, o.year, o.sex): o.value for o in parsed.observations}
    assert got == {
        ("internet_use", "KEN", 2024, Sex.FEMALE): 35.5,
        ("internet_use", "KEN", 2024, Sex.MALE): 41.0,
    }
    assert dict(parsed.skipped)["series not in the catalogue"] == 1
