"""The survey-indicator workflow in the library (validate → run → publish), shared by the CLI,
the API and notebooks; published intervals keep their confidence level."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equals.core.errors import ValidationError
from equals.core.vocabulary import Sex
from equals.evidence.queries import Evidence
from equals.evidence.survey_indicators import (
    PublishRequest,
    plan_survey_indicators,
    survey_indicators,
)
from equals.indicators.microdata import MappingError, load_mapping
from equals.settings import Settings
from equals.store import Store
from equals.survey import EstimationOptions
from tests.indicators.microdata.conftest import MAPPING

# Two-sided normal quantiles for the intervals (R: qnorm(0.95), qnorm(0.975)).
Z90 = 1.6448536269514722
Z95 = 1.959963984540054


@pytest.fixture
def store(loaded_db_url: str, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the loaded database."""
    src = Path(loaded_db_url.removeprefix("sqlite:///"))
    dst = tmp_path / "copy.db"
    dst.write_bytes(src.read_bytes())
    s = Store(f"sqlite:///{dst}")
    yield s
    s.dispose()


def test_library_workflow_publishes_with_the_runs_confidence_level(
    survey_frame: pd.DataFrame, store: Store
) -> None:
    result = survey_indicators(
        survey_frame,
        MAPPING,
        options=EstimationOptions(level=0.90),
        publish=PublishRequest(country="KEN", year=2023),
        store=store,
    )
    assert result.run.ci_level == 0.90 and result.published is not None
    assert result.published.ci_level == 0.90 and result.published.observations > 0
    assert result.to_record()["published"]["ci_level"] == 0.90
    rows = Evidence(store).observations(
        indicator="internet_use", country="KEN", source=result.published.source, breakdown=None
    )
    assert rows and all(r.ci_level == 0.90 for r in rows)
    # The stored interval is the 90% one: estimate ± z(0.95)·SE under the default normal df
    # rule (hand reference: R qnorm(0.95)), not the 95% one.
    total = next(r for r in rows if r.sex is Sex.TOTAL and r.breakdown == "")
    assert total.se is not None and total.ci_high is not None and total.ci_low is not None
    assert total.ci_high - total.value == pytest.approx(Z90 * total.se, rel=1e-9)
    assert total.value - total.ci_low == pytest.approx(Z90 * total.se, rel=1e-9)


def test_pages_and_api_name_the_stored_level(survey_frame: pd.DataFrame, store: Store) -> None:
    result = survey_indicators(
        survey_frame,
        MAPPING,
        options=EstimationOptions(level=0.90),
        publish=PublishRequest(country="KEN", year=2023),
        store=store,
    )
    assert result.published is not None
    with TestClient(create_app_for(store)) as client:
        html = client.get("/country/KEN").text
        assert "90% CI" in html and "90% confidence interval in brackets" in html
        assert "95% CI" not in html and "95% confidence interval" not in html
        obs = client.get(
            "/api/v1/observations",
            params={
                "indicator": "internet_use",
                "country": "KEN",
                "source": result.published.source,
            },
        ).json()
        assert obs and {o["ci_level"] for o in obs} == {0.9}


def create_app_for(store: Store) -> object:
    from equals.web.app import create_app

    return create_app(Settings(db_url=store.url, init_on_start=False))


def test_publication_is_checked_before_anything_runs(survey_frame: pd.DataFrame) -> None:
    mapping = load_mapping(MAPPING)
    no_country = replace(mapping, country=None)
    with pytest.raises(ValidationError) as info:
        plan_survey_indicators(
            survey_frame, no_country, publish=PublishRequest(country=None, year=2023)
        )
    assert info.value.code == "missing-source-field" and info.value.location == "country"
    with pytest.raises(ValidationError, match="unknown source field"):
        plan_survey_indicators(
            survey_frame, mapping, publish=PublishRequest(source={"licence_typo": "x"})
        )


def test_publishing_without_a_store_is_refused(survey_frame: pd.DataFrame) -> None:
    with pytest.raises(ValidationError, match="needs a store"):
        survey_indicators(survey_frame, MAPPING, publish=PublishRequest())


def test_an_invalid_mapping_stops_the_workflow_with_every_problem(
    survey_frame: pd.DataFrame, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MAPPING.read_text().replace("column: q7,", "column: q7x,"))
    with pytest.raises(MappingError) as info:
        survey_indicators(survey_frame, bad)
    assert "unknown-column" in info.value.report.codes()


def test_cli_is_the_library_workflow(survey_csv: Path, store: Store) -> None:
    import equals.cli.survey_indicators  # noqa: F401  (registers the command)
    from equals.cli import app

    args = [
        "survey", "indicators", str(survey_csv), "--mapping", str(MAPPING), "--format", "json",
        "--level", "0.9", "--publish", "--db", store.url,
    ]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["ci_level"] == 0.9 and doc["published"]["ci_level"] == 0.9
    assert "intervals at 90%" in result.stderr
    library = survey_indicators(
        survey_csv, MAPPING, options=EstimationOptions(level=0.9)
    ).to_record()
    # Same rows; numbers equal up to the order of DuckDB's parallel sums (last bits).
    assert doc["skipped"] == library["skipped"] and len(doc["results"]) == len(library["results"])
    for got, want in zip(doc["results"], library["results"], strict=True):
        assert got.keys() == want.keys()
        for k, v in want.items():
            assert got[k] == (pytest.approx(v, rel=1e-9) if isinstance(v, float) else v), k


def test_default_level_is_stored_as_95(survey_frame: pd.DataFrame, store: Store) -> None:
    result = survey_indicators(
        survey_frame, MAPPING, publish=PublishRequest(country="KEN", year=2023), store=store
    )
    assert result.published is not None
    rows = Evidence(store).observations(
        indicator="internet_use", country="KEN", source=result.published.source
    )
    total = next(r for r in rows if r.sex is Sex.TOTAL)
    assert total.ci_level == 0.95 and total.se is not None and total.ci_high is not None
    assert total.ci_high - total.value == pytest.approx(Z95 * total.se, rel=1e-9)


def test_notebook_function_is_the_same_workflow(survey_csv: Path, store: Store) -> None:
    from equals.frames import survey_indicators as frame_of

    frame = frame_of(survey_csv, MAPPING, level=0.9, publish=True, country="KEN", db=store.url)
    hh7 = frame[
        (frame["itu_code"] == "HH7") & (frame["sex"] == "total") & (frame["breakdown"] == "")
    ]
    row = hh7[hh7["statistic"] == "proportion"].iloc[0]
    assert row["ci_high"] - row["estimate"] == pytest.approx(Z90 * row["se"], rel=1e-9)
    published = Evidence(store).observations(
        indicator="internet_use", country="KEN", source="test-ict-survey-2023"
    )
    total = next(r for r in published if r.sex is Sex.TOTAL)
    assert total.ci_level == 0.9 and total.value == pytest.approx(100 * row["estimate"])
