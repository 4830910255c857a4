"""The store: migrations, idempotent init, all-or-nothing loads, SQLite file defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from equals.core.areas import Area
from equals.core.vocabulary import Sex
from equals.indicators.bundle import bundle_fingerprint, load_bundle
from equals.indicators.catalogue import load_catalogue
from equals.indicators.model import Observation
from equals.settings import Settings, default_db_path, default_db_url
from equals.store import Store
from equals.store.schema import metadata
from equals.store.tables.sessions import FTS_TABLE


def test_migrations_create_exactly_the_schema(fresh_store: Store) -> None:
    insp = inspect(fresh_store.engine)
    tables = set(insp.get_table_names()) - {"alembic_version"}
    # SQLite's FTS5 keeps its own shadow tables for the session search index.
    tables = {t for t in tables if not t.startswith(FTS_TABLE)}
    assert tables == set(metadata.tables)
    for name, table in metadata.tables.items():
        cols = {c["name"] for c in insp.get_columns(name)}
        assert cols == {c.name for c in table.columns}, name
    assert fresh_store.schema_revision() == fresh_store.head_revision()


def test_migrate_twice_is_harmless(fresh_store: Store) -> None:
    fresh_store.migrate()
    assert fresh_store.schema_revision() == fresh_store.head_revision()


def test_init_loads_the_bundle_then_is_a_no_op(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    first = store.init()
    assert first.loaded
    bundle = load_bundle()
    assert first.observations == len(bundle.observations)
    assert first.indicators == len(load_catalogue())
    assert first.sources == len(bundle.sources)
    assert first.fingerprint == bundle_fingerprint()
    version = store.data_version()
    second = store.init()
    assert not second.loaded
    assert second.observations == first.observations
    assert store.data_version() == version
    forced = store.init(force=True)
    assert forced.loaded and forced.observations == first.observations
    assert store.data_version() == version + 1
    store.dispose()


def test_failed_load_changes_nothing(loaded_db_url: str, tmp_path: Path) -> None:
    # Copy the loaded database so this test may try to break it.
    src = Path(loaded_db_url.removeprefix("sqlite:///"))
    dst = tmp_path / "copy.db"
    dst.write_bytes(src.read_bytes())
    store = Store(f"sqlite:///{dst}")
    before = store.counts()
    fingerprint = store.get_meta("bundle_fingerprint")
    bundle = load_bundle()
    bad = Observation("internet_use", "NOWHERE", 2020, Sex.FEMALE, 1.0, "wdi")
    with pytest.raises(IntegrityError):  # the database refuses the unknown area (a FK)
        store.load(
            sources=bundle.sources,
            areas=bundle.areas,
            observations=(*bundle.observations, bad),
            catalogue=load_catalogue(),
            fingerprint="broken",
        )
    assert store.counts() == before
    assert store.get_meta("bundle_fingerprint") == fingerprint
    store.dispose()


def test_areas_are_replaced_not_duplicated(fresh_store: Store) -> None:
    bundle = load_bundle()
    extra = Area(code="ZZZ", name="Test land")
    kwargs = {
        "sources": bundle.sources,
        "observations": bundle.observations,
        "catalogue": load_catalogue(),
        "fingerprint": "t",
    }
    fresh_store.load(areas=(*bundle.areas, extra), **kwargs)  # type: ignore[arg-type]
    n = fresh_store.counts()["areas"]
    fresh_store.load(areas=bundle.areas, **kwargs)  # type: ignore[arg-type]
    assert fresh_store.counts()["areas"] == n - 1


def test_default_database_location_is_documented_and_env_overrides() -> None:
    env = {"HOME": "/home/ada", "XDG_DATA_HOME": "/data"}
    assert default_db_path(env) == Path("/data/equals-hub/equals.db")
    assert default_db_url(env) == "sqlite:////data/equals-hub/equals.db"
    assert default_db_url({**env, "EQUALS_DB": "postgresql+psycopg://x/y"}) == (
        "postgresql+psycopg://x/y"
    )
    assert Settings.from_env({"EQUALS_DB": "sqlite:///a.db"}).db_url == "sqlite:///a.db"


def test_repr_hides_passwords() -> None:
    assert "secret" not in repr(Store("postgresql+psycopg://u:secret@h/db"))


def test_comparable_years_exclude_total_only_years(evidence: object) -> None:
    from equals.evidence.queries import Evidence

    assert isinstance(evidence, Evidence)
    all_years = evidence.years("internet_use")
    comparable = evidence.years("internet_use", comparable=True)
    assert set(comparable) < set(all_years)
    assert min(all_years) < min(comparable)  # WDI totals start in 1990, F/M much later
    rows = evidence.gaps("internet_use", year=comparable[0])
    assert rows and all(r.female is not None and r.male is not None for r in rows)
