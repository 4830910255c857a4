"""Fixtures: the synthetic survey (as a DataFrame and a CSV file) and its mapping."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from equals.indicators.microdata import SurveyMapping, load_mapping
from tests.indicators.microdata.synthetic import make_survey

FIXTURES = Path(__file__).parent / "fixtures"
MAPPING = FIXTURES / "mapping.yaml"


@pytest.fixture(scope="session")
def survey_frame() -> pd.DataFrame:
    return make_survey()


@pytest.fixture
def survey_csv(tmp_path: Path, survey_frame: pd.DataFrame) -> Path:
    path = tmp_path / "survey.csv"
    survey_frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def mapping() -> SurveyMapping:
    return load_mapping(MAPPING)
