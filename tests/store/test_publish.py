"""Publishing survey estimates: observations with SE/CI/n/flags under a survey source.

One transaction (failure writes nothing), re-publishing replaces, bundled re-init keeps the
survey rows, and migration 0002 upgrades a populated 0001 database (SQLite and PostgreSQL).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from equals.core.errors import UnknownCountryError
from equals.core.vocabulary import Sex
from equals.evidence.queries import Evidence
from equals.evidence.records import gap_record, observation_record
from equals.indicators.microdata import (
    IndicatorRun,
    Publication,
    load_mapping,
    run_indicators,
    survey_source,
    to_observations,
)
from equals.store import Store, StoreError
from equals.store import schema as S
from tests.indicators.microdata.conftest import MAPPING
from tests.indicators.microdata.synthetic import make_survey
from tests.pg import fresh_database

SOURCE_ID = "test-ict-survey-2023"


@pytest.fixture(scope="module")
def run() -> IndicatorRun:
    return run_indicators(make_survey(), load_mapping(MAPPING))


def publication(run: IndicatorRun, country: str = "KEN", year: int = 2023) -> Publication:
    m = load_mapping(MAPPING)
    assert m.source is not None
    src = survey_source(m.source, data="survey.csv", country=country, year=year)
    return to_observations(run, src, country=country, year=year)


@pytest.fixture
def store(loaded_db_url: str, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the loaded database."""
    src = Path(loaded_db_url.removeprefix("sqlite:///"))
    dst = tmp_path / "copy.db"
    dst.write_bytes(src.read_bytes())
    s = Store(f"sqlite:///{dst}")
    yield s
    s.dispose()


def count(store: Store, source: str | None = None) -> int:
    o = S.observations
    q = select(func.count()).select_from(o)
    if source:
        q = q.where(o.c.source_id == source)
    with store.connect() as conn:
        return int(conn.execute(q).scalar_one())


def test_publication_contents(run: IndicatorRun) -> None:
    pub = publication(run)
    assert pub.source.origin == "survey" and pub.source.coverage == "KEN 2023"
    assert {o.indicator for o in pub.observations} == {
        "internet_use",
        "mobile_phone_ownership",
        "ict_skill_copy_paste",
        "ict_skill_email_attachment",
    }
    not_published = {n.itu_code: n.reason for n in pub.not_published}
    assert not_published["HH10"] == "no platform catalogue indicator for this ITU indicator"
    assert not_published["HH6"] == "no platform catalogue indicator for this ITU indicator"
    assert not_published["HH5"] == "not computed: the mapping has no concept 'computer_use'"
    hh7 = run.result("HH7")
    total = next(e for e in hh7.estimates if not e.domain)
    obs = next(
        o
        for o in pub.observations
        if o.indicator == "internet_use" and o.sex is Sex.TOTAL and o.breakdown == ""
    )
    assert obs.value == pytest.approx(100 * total.estimate)  # catalogue unit is %
    assert obs.se == pytest.approx(100 * total.se)
    assert obs.ci_low == pytest.approx(100 * total.ci_low)  # type: ignore[operator]
    assert obs.n == total.n and obs.flags == total.flags
    assert obs.ci_level == 0.95  # the run's default level, stored with the interval
    breakdowns = {o.breakdown for o in pub.observations if o.indicator == "internet_use"}
    assert {"", "location=urban", "age_group=15-24", "labour_force=employed"} <= breakdowns


def test_publish_visible_with_uncertainty(store: Store, run: IndicatorRun) -> None:
    pub = publication(run)
    report = store.publish(pub.source, pub.observations)
    assert report.observations == len(pub.observations) and report.replaced == 0
    ev = Evidence(store)
    assert ev.sources()[SOURCE_ID].origin == "survey"
    rows = ev.observations(
        indicator="internet_use", country="KEN", source=SOURCE_ID, breakdown=None
    )
    assert len(rows) == sum(o.indicator == "internet_use" for o in pub.observations)
    female = next(r for r in rows if r.sex is Sex.FEMALE and r.breakdown == "")
    assert female.se is not None and female.se > 0 and female.n and female.flags is not None
    rec = observation_record(female)
    assert {"se", "ci_low", "ci_high", "n", "flags"} <= set(rec)
    assert rec["ci_low"] < rec["value"] < rec["ci_high"]
    gap = ev.gap("internet_use", "KEN", source=SOURCE_ID)
    assert gap is not None and gap.year == 2023
    assert gap.female_se == pytest.approx(female.se)
    assert gap.male_se is not None and gap.male_se > 0
    urban = ev.gap("internet_use", "KEN", source=SOURCE_ID, breakdown="location=urban")
    assert urban is not None and urban.female_se is not None
    assert gap_record(gap)["female_se"] == gap.female_se
    # bundled rows carry no uncertainty
    bundled = ev.observations(indicator="internet_use", country="KEN")
    assert bundled and all(r.se is None and r.flags is None for r in bundled)
    assert observation_record(bundled[0])["se"] is None
    assert ev.gap("internet_use", "KEN").female_se is None  # type: ignore[union-attr]


def test_republish_replaces(store: Store, run: IndicatorRun) -> None:
    pub = publication(run)
    store.publish(pub.source, pub.observations)
    again = publication(run, year=2024)
    report = store.publish(again.source, again.observations)
    assert report.replaced == len(pub.observations)
    assert count(store, SOURCE_ID) == len(again.observations)
    with store.connect() as conn:
        years = set(
            conn.execute(
                select(S.observations.c.year).where(S.observations.c.source_id == SOURCE_ID)
            ).scalars()
        )
    assert years == {2024}


def test_failure_writes_nothing(store: Store, run: IndicatorRun) -> None:
    before = (count(store), store.data_version())
    pub = publication(run, country="KEM")
    with pytest.raises(UnknownCountryError) as info:
        store.publish(pub.source, pub.observations)
    assert "KEN" in info.value.suggestions
    # a failure in the middle of the inserts (duplicate key) also rolls back
    good = publication(run)
    with pytest.raises(IntegrityError, match="UNIQUE constraint failed: observations"):
        store.publish(good.source, (*good.observations, good.observations[0]))
    assert (count(store), store.data_version()) == before
    assert SOURCE_ID not in Evidence(store).sources()


def test_refuses_bundled_source_id(store: Store, run: IndicatorRun) -> None:
    pub = publication(run)
    from dataclasses import replace

    src = replace(pub.source, id="wdi")
    obs = [replace(o, source="wdi") for o in pub.observations]
    with pytest.raises(StoreError, match="belongs to bundled data"):
        store.publish(src, obs)


def test_bundled_reinit_keeps_survey_rows(store: Store, run: IndicatorRun) -> None:
    pub = publication(run)
    store.publish(pub.source, pub.observations)
    report = store.init(force=True)
    assert report.loaded
    assert count(store, SOURCE_ID) == len(pub.observations)
    assert Evidence(store).sources()[SOURCE_ID].origin == "survey"


def test_cli_publish(store: Store, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    import equals.cli.survey_indicators  # noqa: F401  (registers the command)
    from equals.cli import app

    csv = tmp_path / "survey.csv"
    make_survey().to_csv(csv, index=False)
    args = [
        "survey",
        "indicators",
        str(csv),
        "--mapping",
        str(MAPPING),
        "--format",
        "json",
        "--publish",
        "--db",
        store.url,
        "--source-title",
        "ICT survey (override)",
    ]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    published = json.loads(result.stdout)["published"]
    assert published["source"] == SOURCE_ID and published["replaced"] == 0
    assert published["indicators"] == [
        "ict_skill_copy_paste",
        "ict_skill_email_attachment",
        "internet_use",
        "mobile_phone_ownership",
    ]
    assert "not published HH10: no platform catalogue indicator" in result.stderr
    assert Evidence(store).sources()[SOURCE_ID].title == "ICT survey (override)"
    # unknown country: exit 2, nothing written
    before = count(store)
    bad = CliRunner().invoke(app, [*args, "--country", "XXK"], env={"COLUMNS": "250"})
    assert bad.exit_code == 2 and "nothing was published" in bad.stderr
    assert count(store) == before


def test_cli_publishes_synthetic_data_only_when_asked_and_labelled(
    store: Store, tmp_path: Path
) -> None:
    """A file written by `equals survey simulate` is not evidence: --publish refuses it
    (exit 2, nothing written) unless --allow-synthetic, and then its source says SYNTHETIC."""
    from typer.testing import CliRunner

    import equals.cli.survey_indicators  # noqa: F401  (registers the command)
    from equals.cli import app
    from equals.indicators.microdata.simulated import mapping_path, simulated_mapping
    from equals.survey.simulate import SimulationSpec, Target, simulate

    data = tmp_path / "ken.parquet"
    target = Target("internet_use", 0.2, 0.25, "test figure")
    simulate(SimulationSpec("KEN", 3000, 1, {"internet_use": target}), data)
    mapping = mapping_path(data)
    mapping.write_text(simulated_mapping("KEN", seed=1))
    args = ["survey", "indicators", str(data), "--mapping", str(mapping), "--format", "csv"]
    args += ["--publish", "--year", "2024", "--db", store.url]
    before = count(store)
    refused = CliRunner().invoke(app, args, env={"COLUMNS": "250"})
    assert refused.exit_code == 2
    assert "synthetic data" in refused.stderr and "Nothing was published" in refused.stderr
    assert count(store) == before
    allowed = CliRunner().invoke(app, [*args, "--allow-synthetic"], env={"COLUMNS": "250"})
    assert allowed.exit_code == 0, allowed.stderr
    source = Evidence(store).sources()["synthetic-ken-seed1"]
    assert source.title.startswith("SYNTHETIC") and source.origin == "survey"
    assert count(store, "synthetic-ken-seed1") > 0


# -- migration 0002 over a populated 0001 database ------------------------------------------
def _populate_0001(store: Store) -> None:
    with store.transaction() as conn:
        command.upgrade(store._alembic_config(conn), "0001")
    with store.transaction() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (id, organisation, title, licence, licence_url,"
                " retrieved_from, files, coverage, citation, notes, origin) VALUES"
                " ('wdi', 'World Bank', 'WDI', 'CC-BY-4.0', '', 'x', '', '', '', '', 'bundled')"
            )
        )
        conn.execute(
            text("INSERT INTO areas (code, name, kind) VALUES ('KEN', 'Kenya', 'country')")
        )
        conn.execute(
            text(
                "INSERT INTO indicators (id, title, pillar, kind, unit, default_source, descriptor)"
                " VALUES ('internet_use', 'Internet use', 'access', 'pair', '%', 'wdi', '{}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO observations (indicator_id, area_code, year, sex, breakdown, value,"
                " source_id, note, flag) VALUES ('internet_use', 'KEN', 2020, 'female', '', 25.5,"
                " 'wdi', '', '')"
            )
        )
    assert store.schema_revision() == "0001"


def _check_upgraded(store: Store, run: IndicatorRun) -> None:
    store.migrate()
    assert store.schema_revision() == store.head_revision()  # 0002 and any later ones
    with store.connect() as conn:
        row = conn.execute(select(S.observations)).mappings().one()
    assert row["value"] == 25.5 and row["sex"] == "female"
    assert all(row[c] is None for c in ("se", "ci_low", "ci_high", "n", "flags"))
    pub = publication(run)
    obs = [o for o in pub.observations if o.indicator == "internet_use"]
    store.publish(pub.source, obs)
    with store.connect() as conn:
        ses = (
            conn.execute(select(S.observations.c.se).where(S.observations.c.source_id == SOURCE_ID))
            .scalars()
            .all()
        )
    assert len(ses) == len(obs) and all(s is not None for s in ses)


def test_migration_0002_sqlite_with_data(tmp_path: Path, run: IndicatorRun) -> None:
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    _populate_0001(store)
    _check_upgraded(store, run)
    store.dispose()


@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_migration_0002_postgres_with_data(pg_url: str, run: IndicatorRun) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    store = Store(fresh_database(pg_url, f"equals_publish_mig_{worker}"))
    try:
        _populate_0001(store)
        _check_upgraded(store, run)
    finally:
        store.dispose()


def test_an_older_database_gives_one_clear_error_until_init(tmp_path: Path) -> None:
    """Evidence over a database on an older schema (or none) raises one StoreError naming
    the revision and `equals init`, not SQL errors; the API answers 503; init fixes it."""
    from fastapi.testclient import TestClient

    from equals.settings import Settings
    from equals.web.app import create_app

    url = f"sqlite:///{tmp_path / 'old.db'}"
    empty = Evidence(Store(url))
    with pytest.raises(StoreError, match=r"not initialised.*equals init"):
        empty.sources()
    store = Store(url)
    _populate_0001(store)
    ev = Evidence(store)
    with pytest.raises(StoreError, match=r"at schema revision 0001.*equals init"):
        ev.observations(indicator="internet_use", country="KEN")
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        r = client.get("/api/v1/indicators")
        assert r.status_code == 503 and "equals init" in r.json()["error"]["message"]
    store.init()
    assert ev.observations(indicator="internet_use", country="KEN")
    store.dispose()


def test_to_observations_refuses_synthetic_runs_in_the_library_too(tmp_path: Path) -> None:
    """The guard is in the library, not only the CLI: a notebook user gets it as well."""
    from equals.indicators.microdata import load_mapping, run_indicators
    from equals.indicators.microdata.mapping import SourceInfo
    from equals.indicators.microdata.publish import SyntheticDataError
    from equals.indicators.microdata.simulated import mapping_path, simulated_mapping
    from equals.survey.simulate import SimulationSpec, Target, simulate

    data = tmp_path / "ken.parquet"
    simulate(
        SimulationSpec("KEN", 2000, 2, {"internet_use": Target("internet_use", 0.2, 0.25, "t")}),
        data,
    )
    mapping_path(data).write_text(simulated_mapping("KEN", seed=2))
    mapping = load_mapping(mapping_path(data))
    run = run_indicators(data, mapping)
    info = mapping.source or SourceInfo()
    source = survey_source(info, data=data.name, country="KEN", year=2024)
    with pytest.raises(SyntheticDataError, match="Nothing was published"):
        to_observations(run, source, country="KEN", year=2024)
    pub = to_observations(run, source, country="KEN", year=2024, allow_synthetic=True)
    assert pub.source.title.startswith("SYNTHETIC") and pub.observations


# -- migration 0005: the confidence level of published intervals --------------------------------
def _check_0005(store: Store) -> None:
    """A survey row published before 0005 keeps its interval; its level stays NULL (it was
    not recorded, so it is not guessed), and the pages say so instead of "95% CI"."""
    from sqlalchemy import inspect

    from equals.web.pages import fmt_ci

    _populate_0001(store)
    with store.transaction() as conn:
        command.upgrade(store._alembic_config(conn), "0004")
        conn.execute(
            text(
                "UPDATE observations SET se = 1.2, ci_low = 23.1, ci_high = 27.9, n = 800"
                " WHERE area_code = 'KEN'"
            )
        )
    store.migrate()
    with store.connect() as conn:
        row = conn.execute(select(S.observations)).mappings().one()
    assert (row["ci_low"], row["ci_high"], row["ci_level"]) == (23.1, 27.9, None)
    obs = Evidence(store).observations(indicator="internet_use", country="KEN")
    assert obs[0].ci_level is None
    assert fmt_ci(obs[0].ci_low, obs[0].ci_high, obs[0].ci_level) == (
        "CI (level not recorded) 23.1–27.9"
    )
    with store.transaction() as conn:  # and back down: the column goes, the rows stay
        command.downgrade(store._alembic_config(conn), "0004")
    with store.connect() as conn:
        cols = {c["name"] for c in inspect(conn).get_columns("observations")}
        rows = conn.execute(select(func.count()).select_from(S.observations)).scalar_one()
    assert "ci_level" not in cols and "ci_low" in cols and rows == 1


def test_migration_0005_sqlite(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        _check_0005(store)
    finally:
        store.dispose()


@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_migration_0005_postgres(pg_url: str) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    store = Store(fresh_database(pg_url, f"equals_ci_level_mig_{worker}"))
    try:
        _check_0005(store)
    finally:
        store.dispose()
