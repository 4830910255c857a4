"""Backup and restore (issue 10): ``equals export`` writes every table as a Frictionless Data
Package that the ``frictionless`` library validates; ``equals restore`` into an empty SQLite or
PostgreSQL database gives back identical rows and identical query results, refuses a non-empty
database unless forced, and writes nothing when anything is wrong."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from equals.archive.filing import EventRef, file_report
from equals.archive.repository import get_session, list_sessions, session_report
from equals.archive.search import search_sessions
from equals.auth import (
    Actor,
    Role,
    audit_entries,
    authenticate,
    create_user,
    issue_token,
    set_password,
    sign_in,
)
from equals.backup import BackupError, export_package, restore_package, validate_package
from equals.backup.package import NO_PASSWORD, SKIP_TABLES, columns, tables
from equals.bootstrap import initialise
from equals.cli import app
from equals.core.vocabulary import Sex
from equals.evidence.queries import Evidence
from equals.indicators.model import Observation, Source
from equals.sessions import parse_report
from equals.store import Store, schema
from tests.pg import fresh_database

FIXTURES = Path(__file__).parents[1] / "sessions" / "fixtures"
PASSWORD = "correct horse battery"
runner = CliRunner()
SECRETS: dict[str, str] = {}


@pytest.fixture(scope="module")
def source(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A copy of the loaded evidence database plus example partners, users, tokens, a browser
    session, and a session report filed twice (two revisions)."""
    path = tmp_path_factory.mktemp("src") / "source.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    store = Store(f"sqlite:///{path}")
    initialise(store)
    # Published survey estimates carry SEs, intervals, n and quality flags (bundled data has
    # none): values chosen so that repr/float round-trips matter (0.1 + 0.2 is not 0.3).
    survey = Source("test-survey", "Test statistics office", "Test LFS 2023", "CC-BY-4.0", "-",
                    origin="survey")  # fmt: skip
    store.publish(
        survey,
        [
            Observation(
                "internet_use",
                "KEN",
                2023,
                sex,
                value,
                "test-survey",
                se=se,
                ci_low=value - 1.96 * se,
                ci_high=value + 1.96 * se,
                n=n,
                flags=flags,
            )
            for sex, value, se, n, flags in [
                (Sex.FEMALE, 0.1 + 0.2, 1 / 3, 812, ()),
                (Sex.MALE, 47.123456789012345, 2.5e-7, 17, ("small_n",)),
            ]
        ],
    )
    create_user(store, "root", PASSWORD, roles=[Role.ADMIN])
    amina = create_user(store, "amina", PASSWORD, roles=[Role.RAPPORTEUR])
    SECRETS["token"] = issue_token(store, "amina", label="laptop")
    SECRETS["session"] = sign_in(store, "amina", PASSWORD, address="192.0.2.1").token
    text = (FIXTURES / "igf2016-equals-workshop-report.txt").read_text(encoding="utf-8")
    report = parse_report(text)
    filed = file_report(store, report, actor=Actor.of(amina), event=EventRef("IGF", 2016))
    file_report(store, report, actor=Actor.cli(), session_id=filed.session_id)
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def package(source: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pkg") / "backup"
    report = export_package(source, target)
    assert report.total_rows > 60_000 and report.schema_revision == source.head_revision()
    return target


def table_rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every exported table's exported columns, in primary-key order."""
    out = {}
    with store.connect() as conn:
        for t in tables():
            cols = columns(t)
            order = list(t.primary_key.columns) or cols
            out[t.name] = [tuple(r) for r in conn.execute(select(*cols).order_by(*order))]
    return out


def query_results(store: Store) -> dict[str, Any]:
    """What users see: evidence queries, the session archive and search, the audit log."""
    ev = Evidence(store)
    sessions = list_sessions(store)
    sid = sessions[0].id
    return {
        "gaps": repr(ev.gaps("internet_use")),
        "gaps_2019_relative": repr(ev.gaps("account_ownership", metric="relative")),
        "observations": repr(ev.observations(indicator="internet_use", country="KEN",
                                             all_sources=True, breakdown=None)),
        "survey": repr(ev.observations(indicator="internet_use", source="test-survey")),
        "catalogue": repr(ev.indicator_summaries()),
        "sessions": [s.to_record() for s in sessions],
        "detail": get_session(store, sid).to_record(),
        "revision_1": repr(session_report(store, sid, 1)),
        "search": [(h.session.id, h.title, h.snippet) for h in
                   search_sessions(store, '"digital divide" mobile')],
        "audit": [(e.at, e.actor, e.action, e.entity, e.entity_id, e.detail)
                  for e in audit_entries(store, limit=1000)],
    }  # fmt: skip


def test_package_is_valid_frictionless_and_has_no_secrets(package: Path) -> None:
    assert validate_package(package) == []
    from frictionless import Package

    pkg = Package(str(package / "datapackage.json"))
    names = set(pkg.resource_names)
    assert names == {t.name for t in schema.metadata.sorted_tables} - SKIP_TABLES
    assert {"observations", "report_revisions", "users", "audit_log", "partners"} <= names
    obs = pkg.get_resource("observations")
    fields = {f.name: f.type for f in obs.schema.fields}
    assert fields["se"] == "number" and fields["ci_low"] == "number" and fields["n"] == "integer"
    users = (package / "data" / "users.csv").read_text()
    assert "password_hash" not in users and "$argon2" not in users
    everything = "".join(p.read_text() for p in (package / "data").glob("*.csv"))
    assert "$argon2" not in everything
    assert SECRETS["token"] not in everything and SECRETS["session"] not in everything
    meta = json.loads((package / "datapackage.json").read_text())["equals"]
    assert meta["rows"]["report_revisions"] == 2 and meta["rows"]["users"] == 2


def test_observations_round_trip_exactly_against_the_source_rows(
    source: Store, package: Path
) -> None:
    # Independent reference: the CSV cells re-read with the csv module equal the database's
    # values exactly (floats written with repr round-trip bit for bit).
    import csv

    with (package / "data" / "observations.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    with source.connect() as conn:
        db = conn.execute(select(schema.observations).order_by(schema.observations.c.id)).all()
    assert len(rows) == len(db)
    with_se = [(r, d) for r, d in zip(rows, db, strict=True) if d.se is not None]
    assert len(with_se) == 2, "the two published survey estimates carry SEs"
    for r, d in zip(rows, db, strict=True):
        assert float(r["value"]) == d.value
        assert (r["se"] == "\\N") if d.se is None else float(r["se"]) == d.se
    by_sex = {d.sex: (r, d) for r, d in with_se}
    assert float(by_sex["female"][0]["value"]) == 0.1 + 0.2 == 0.30000000000000004
    assert float(by_sex["male"][0]["se"]) == 2.5e-7 and by_sex["male"][0]["n"] == "17"
    assert by_sex["male"][0]["flags"] == "small_n"


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_restore_gives_identical_rows_and_query_results(
    source: Store, package: Path, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        url = fresh_database(request.getfixturevalue("pg_url"), f"equals_restore_{worker}")
    target = Store(url)
    try:
        report = restore_package(target, package)
        assert report.rows["observations"] > 60_000 and not report.replaced
        assert table_rows(target) == table_rows(source)
        assert query_results(target) == query_results(source)
        assert target.is_initialised()
        # Users come back without a password: none matches until one is set.
        with target.connect() as conn:
            hashes = set(conn.execute(select(schema.metadata.tables["users"].c.password_hash)))
        assert hashes == {(NO_PASSWORD,)}
        assert authenticate(target, "amina", PASSWORD) is None
        set_password(target, "amina", "a new long passphrase")
        assert authenticate(target, "amina", "a new long passphrase") is not None
        # New rows get fresh ids after the restored ones (PostgreSQL sequences moved on).
        create_user(target, "after-restore", PASSWORD)
        text = (FIXTURES / "igf2018-short.txt").read_text(encoding="utf-8")
        file_report(target, parse_report(text), actor=Actor.cli(), event=EventRef("IGF", 2018))
        assert len(list_sessions(target)) == 2
    finally:
        target.dispose()


def test_restore_refuses_a_non_empty_database_unless_forced(package: Path, tmp_path: Path) -> None:
    target = Store(f"sqlite:///{tmp_path / 'busy.db'}")
    target.migrate()
    create_user(target, "someone", PASSWORD)
    with pytest.raises(BackupError, match=r"the database is not empty: .*users \(1\).*--force"):
        restore_package(target, package)
    assert [u[0] for u in target.engine.connect().execute(
        select(schema.metadata.tables["users"].c.name))] == ["someone"]  # fmt: skip
    report = restore_package(target, package, force=True)
    assert report.replaced
    with target.connect() as conn:
        names = sorted(conn.execute(select(schema.metadata.tables["users"].c.name)).scalars())
    assert names == ["amina", "root"]
    target.dispose()


def test_a_tampered_package_is_refused_and_nothing_is_written(
    package: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(package, bad)
    path = bad / "data" / "observations.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("year")] = "not-a-year"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    target = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(BackupError, match=r"the package is not valid: observations: .*year"):
        restore_package(target, bad)
    target.migrate()
    with target.connect() as conn:
        assert conn.execute(select(schema.observations.c.id)).first() is None
    target.dispose()


def test_export_refuses_a_non_empty_target_and_leaves_nothing_on_error(
    source: Store, tmp_path: Path
) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with pytest.raises(BackupError, match="not an empty directory"):
        export_package(source, busy)
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".equals-export-")]


def test_cli_export_and_restore(source: Store, tmp_path: Path) -> None:
    out = tmp_path / "cli-backup"
    result = runner.invoke(app, ["export", "--to", str(out), "--db", source.url])
    assert result.exit_code == 0, result.output
    assert "validated with frictionless" in result.stdout
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["restore", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert "equals users password NAME" in result.stdout
    result = runner.invoke(app, ["restore", str(out), "--db", db])
    assert result.exit_code == 2 and "the database is not empty" in result.stderr
    result = runner.invoke(app, ["restore", str(tmp_path / "nowhere"), "--db", db])
    assert result.exit_code == 2 and "no datapackage.json here" in result.stderr
    result = runner.invoke(app, ["export", "--to", str(out), "--db", source.url])
    assert result.exit_code == 2 and "not an empty directory" in result.stderr
