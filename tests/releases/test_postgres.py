"""The same release import on PostgreSQL: migration 0009, one transaction, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from equals.auth.model import Actor
from equals.core.errors import DataFileError
from equals.releases import import_release, list_releases, release_observations_of
from equals.store import Store
from tests.pg import fresh_database
from tests.releases.helpers import WDI_FE, read_csv, write_csv
from tests.releases.test_import import wdi_release

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("postgres")]


def test_import_on_postgres(pg_url: str, tmp_path: Path) -> None:
    store = Store(fresh_database(pg_url, "equals_releases"))
    try:
        store.init()
        before = store.counts()
        bad = write_csv(tmp_path / "bad.csv", [*read_csv(WDI_FE), ["ken", "2024", "-1"]])
        with pytest.raises(DataFileError):
            import_release(store, bad, "wdi", actor=Actor("tester"))
        assert store.counts() == before and list_releases(store) == []
        path, old = wdi_release(tmp_path)
        report = import_release(store, path, "wdi", actor=Actor("tester"))
        assert report.release is not None and report.release.revised == 1
        baseline = list_releases(store)[1]
        past = {(o.area, o.year): o.value for o in release_observations_of(store, baseline.id)}
        assert past[("KEN", 2019)] == float(old["ken2019"])
    finally:
        store.dispose()


def test_concurrent_imports_of_one_source_are_serialised(pg_url: str, tmp_path: Path) -> None:
    import threading

    store = Store(fresh_database(pg_url, "equals_releases_race"))
    try:
        store.init()
        rows = read_csv(WDI_FE)
        files = [
            write_csv(tmp_path / f"r{i}.csv", [*rows, ["ken", "2025", f"{40 + i}.0"]])
            for i in range(4)
        ]
        errors: list[BaseException] = []

        def run(path: Path) -> None:
            try:
                import_release(store, path, "wdi", actor=Actor("tester"))
            except BaseException as exc:  # collected for the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(f,)) for f in files]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        releases = list_releases(store)
        assert sorted(r.kind for r in releases) == ["bundled"] + ["import"] * 4
        # Exactly one import added KEN 2025; each later one revised it (serialised diffs).
        imports = [r for r in releases if r.kind == "import"]
        assert sorted((r.added, r.revised) for r in imports) == [(0, 1), (0, 1), (0, 1), (1, 0)]
        baseline = next(r for r in releases if r.kind == "bundled")
        assert baseline.observations == 1478  # the bundled rows, stored once
    finally:
        store.dispose()
