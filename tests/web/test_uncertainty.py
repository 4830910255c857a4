"""Survey estimates with uncertainty on the pages: ± SE, 95% CI, n and quality flags.

A temporary SQLite store gets the real bundle (``Store.init``) plus a small survey
publication through ``Store.publish``; bundled-only values must look exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from equals.core.vocabulary import Sex
from equals.indicators.model import Observation, Source
from equals.settings import Settings
from equals.store import Store

SURVEY = "test_ict_survey_ken"
COUNTRY = "KEN"
BUNDLED_ONLY = "BRA"
# (year, sex, value, se, ci_low, ci_high, n, flags)
ESTIMATES = [
    (2021, "female", 41.3, 1.5, 38.4, 44.2, 760, ()),
    (2021, "male", 50.8, 1.4, 48.1, 53.5, 701, ()),
    (2023, "female", 47.0, 1.2, 44.6, 49.4, 812, ("use_with_caution",)),
    (2023, "male", 55.5, 1.3, 53.0, 58.0, 790, ("small_n",)),
    (2023, "total", 51.1, 0.9, 49.3, 52.9, 1602, ()),
]


def survey_source() -> Source:
    return Source(
        id=SURVEY,
        organisation="Test Statistics Office",
        title="Synthetic household ICT survey",
        licence="CC BY 4.0",
        retrieved_from="synthetic microdata (tests)",
        coverage=f"{COUNTRY} 2021, 2023",
        origin="survey",
    )


def publish_survey(url: str) -> None:
    """The bundle plus the survey estimates above, in a fresh database at ``url``."""
    store = Store(url)
    store.init()
    observations = [
        Observation(
            indicator="internet_use",
            area=COUNTRY,
            year=year,
            sex=Sex(sex),
            value=value,
            source=SURVEY,
            se=se,
            ci_low=lo,
            ci_high=hi,
            n=n,
            flags=flags,
            ci_level=0.95,  # stored with the estimates: the pages say "95% CI" because of it
        )
        for year, sex, value, se, lo, hi, n, flags in ESTIMATES
    ]
    report = store.publish(survey_source(), observations)
    assert report.observations == len(ESTIMATES)
    store.dispose()


@pytest.fixture(scope="module")
def survey_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('survey') / 'equals.db'}"
    publish_survey(url)
    return url


@pytest.fixture(scope="module")
def survey_client(survey_db_url: str) -> Iterator[TestClient]:
    from equals.web.app import create_app

    with TestClient(create_app(Settings(db_url=survey_db_url))) as c:
        yield c


def test_country_page_shows_se_ci_n_and_flags(survey_client: TestClient) -> None:
    r = survey_client.get(f"/country/{COUNTRY}")
    assert r.status_code == 200
    html = r.text
    assert 'data-testid="survey-internet_use"' in html
    assert "47.0% ± 1.2" in html
    assert "95% CI 44.6–49.4" in html
    assert "55.5% ± 1.3" in html and "95% CI 53.0–58.0" in html
    assert "n = 812" in html and "n = 1,602" in html
    assert "Use with caution" in html and "Small sample" in html
    assert "Coefficient of variation between 16.6% and 33.3%" in html  # the explanation
    assert "Test Statistics Office" in html
    assert "data-survey=" in html  # the trend chart gets the confidence intervals
    # Older survey years feed the chart, not the card: the card shows the latest year.
    assert "41.3% ± 1.5" not in html


def test_bundled_only_country_shows_no_uncertainty(survey_client: TestClient) -> None:
    html = survey_client.get(f"/country/{BUNDLED_ONLY}").text
    assert "±" not in html
    assert "95% CI" not in html
    assert "data-survey=" not in html
    assert "survey-estimate" not in html


def test_ranking_has_se_column_only_with_se(survey_client: TestClient) -> None:
    plain = survey_client.get("/indicator/internet_use").text
    assert "± SE" not in plain and "±" not in plain
    r = survey_client.get(f"/indicator/internet_use?source={SURVEY}")
    assert r.status_code == 200
    assert "± SE" in r.text
    assert "±&#8239;1.2 / ±&#8239;1.3" in r.text


def test_gaps_api_carries_se_for_map_tooltips(survey_client: TestClient) -> None:
    rows = survey_client.get(
        "/api/v1/gaps", params={"indicator": "internet_use", "source": SURVEY}
    ).json()
    ken = next(r for r in rows if r["country"] == COUNTRY)
    assert (ken["female_se"], ken["male_se"]) == (1.2, 1.3)


def test_template_filters() -> None:
    from equals.web.pages import fmt_ci, fmt_pm

    assert fmt_pm(None) == "" and fmt_pm(1.234) == " ± 1.2"
    assert fmt_ci(44.6, 49.4, 0.95) == "95% CI 44.6–49.4" and fmt_ci(None, 1.0) == ""
    assert fmt_ci(44.6, 49.4, 0.9) == "90% CI 44.6–49.4"
    assert fmt_ci(44.6, 49.4, 0.995) == "99.5% CI 44.6–49.4"
    assert fmt_ci(44.6, 49.4) == "CI (level not recorded) 44.6–49.4"
