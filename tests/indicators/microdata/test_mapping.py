"""The mapping file: parsing, round trip, and every shape problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from equals.indicators.microdata import MappingError, SurveyMapping, load_mapping, parse_mapping
from tests.indicators.microdata.conftest import MAPPING


def test_fixture_parses(mapping: SurveyMapping) -> None:
    assert mapping.design.weight == "wt" and mapping.design.psu == "cluster"
    assert mapping.sex is not None and dict(mapping.sex.codes) == {"female": (2,), "male": (1,)}
    internet = mapping.concept("internet_use")
    assert internet is not None and internet.yes == (1,) and internet.missing == (8, 9)
    own = mapping.concept("mobile_phone_ownership")
    assert own is not None and own.missing == ("DK",)
    assert [g.label for g in mapping.age.groups] == ["15-24", "25-74", "75+"]  # type: ignore[union-attr]
    assert mapping.country == "KEN" and mapping.year == 2023
    assert mapping.source is not None and mapping.source.id == "test-ict-survey-2023"


def test_round_trip(mapping: SurveyMapping) -> None:
    again = SurveyMapping.from_descriptor(mapping.to_descriptor(), name=mapping.name)
    assert again == mapping


def test_unquoted_yes_no_keys_are_accepted() -> None:
    d = yaml.safe_load(MAPPING.read_text())
    d["concepts"]["internet_use"] = yaml.safe_load("{column: q7, yes: [1], no: [2]}")
    m, problems = parse_mapping(d)
    assert not problems and m is not None
    assert m.concept("internet_use").yes == (1,)  # type: ignore[union-attr]


def test_shape_problems_all_reported(tmp_path: Path) -> None:
    d = yaml.safe_load(MAPPING.read_text())
    d["concepts"]["internet_usage"] = {"column": "q7", "yes": [1], "no": [2]}
    del d["concepts"]["mobile_phone_use"]["no"]
    d["sex"] = {"column": "b4", "female": [2]}
    d["design"]["lonely_psu"] = "sometimes"
    d["extra_notes"] = "blue"
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(d))
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    got = [str(p) for p in info.value.report]
    text = path.read_text()
    at = {  # each problem's line:column, found in the text (the enclosing key if missing)
        k: "{}:{}".format(*line_of(text, *k.split(".")))
        for k in ("extra_notes", "design.lonely_psu", "sex", "concepts.internet_usage",
                  "concepts.mobile_phone_use")
    }  # fmt: skip
    assert got == [
        f"m.yaml:{at['extra_notes']}: extra_notes: unknown key 'extra_notes'; allowed: survey, "
        "unit, design, sex, age, age_group, location, education, labour_force, concepts, "
        "households, scope, source, country, year [mapping-invalid]",
        f"m.yaml:{at['design.lonely_psu']}: design.lonely_psu: expected one of error, certainty, "
        "remove, adjust, average, got 'sometimes' [mapping-invalid]",
        f"m.yaml:{at['sex']}: sex.male: missing: list the survey's codes [mapping-invalid]",
        f"m.yaml:{at['concepts.internet_usage']}: concepts.internet_usage: unknown key "
        "'internet_usage' (did you mean 'internet_use'?); allowed: household_computer, "
        "computer_use, household_internet, internet_use, mobile_phone_use, "
        "mobile_phone_ownership, skill_copa, skill_cmfl, skill_email, skill_arsp, skill_inst, "
        "skill_soft, skill_eprs, skill_traf, skill_pcpr [mapping-invalid]",
        f"m.yaml:{at['concepts.mobile_phone_use']}: concepts.mobile_phone_use.no: missing: list "
        "the survey's codes [mapping-invalid]",
    ]


def line_of(text: str, *keys: str) -> tuple[int, int]:
    """1-based line and column of a nested block-style key, by scanning the text (two-space
    indents, as yaml.safe_dump writes): an independent reference for problem positions."""
    start, found = 0, (0, 0)
    lines = text.splitlines()
    for depth, key in enumerate(keys):
        prefix = "  " * depth + key + ":"
        i = next(n for n in range(start, len(lines)) if lines[n].startswith(prefix))
        found, start = (i + 1, 2 * depth + 1), i + 1
    return found


def test_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("design: [unclosed\n")
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    assert info.value.report.codes() == ["mapping-invalid"]
