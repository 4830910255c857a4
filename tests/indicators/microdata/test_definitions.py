"""The ITU indicator definitions: complete, linked to the catalogue, round-trippable."""

from __future__ import annotations

from equals.indicators.catalogue import load_catalogue
from equals.indicators.microdata import ItuIndicators, Unit, load_itu_indicators

SKILLS = {
    "COPA": "ict_skill_copy_paste",
    "CMFL": "ict_skill_copy_move_file",
    "EMAIL": "ict_skill_email_attachment",
    "ARSP": "ict_skill_spreadsheet_formula",
    "INST": "ict_skill_install_devices",
    "SOFT": "ict_skill_find_install_software",
    "EPRS": "ict_skill_presentation",
    "TRAF": "ict_skill_transfer_files",
    "PCPR": "ict_skill_programming",
}


def test_core_codes_present() -> None:
    codes = {i.itu_code for i in load_itu_indicators()}
    assert {"HH4", "HH5", "HH6", "HH7", "HH10", "HH18"} <= codes
    assert {f"HH15_{s}" for s in SKILLS} <= codes


def test_catalogue_links() -> None:
    defs = load_itu_indicators()
    catalogue = load_catalogue()
    assert defs.get("HH7").catalogue_id == "internet_use"
    assert defs.get("HH18").catalogue_id == "mobile_phone_ownership"
    for skill, cat_id in SKILLS.items():
        assert defs.get(f"HH15_{skill}").catalogue_id == cat_id
    for ind in defs:
        if ind.catalogue_id is not None:
            assert ind.catalogue_id in catalogue, ind.id
            assert catalogue.get(ind.catalogue_id).unit.startswith("%")
        else:
            assert "Not in the platform catalogue" in ind.notes


def test_units_scopes_breakdowns() -> None:
    defs = load_itu_indicators()
    for code in ("HH4", "HH6"):
        ind = defs.get(code)
        assert ind.unit is Unit.HOUSEHOLDS and "sex" not in ind.breakdowns
    for ind in defs:
        assert ind.statistic == "proportion" and ind.definition and ind.title
        if ind.unit is Unit.INDIVIDUALS:
            assert ind.scope.min_age == 15
            assert ind.breakdowns == ("sex", "age_group", "location", "education", "labour_force")
    assert defs.get("HH7").scope.reference_period == "last 3 months"


def test_round_trip() -> None:
    defs = load_itu_indicators()
    assert ItuIndicators.from_descriptor(defs.to_descriptor()) == defs
