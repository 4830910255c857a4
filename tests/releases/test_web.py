"""After an import, the API records and the indicator page say which release a value is from."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from equals.auth.model import Actor
from equals.releases import import_release
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app
from tests.releases.test_import import wdi_release


def test_api_and_page_name_the_release(store: Store, tmp_path: Path) -> None:
    path, _ = wdi_release(tmp_path)
    import_release(
        store, path, "wdi", actor=Actor("tester"), label="WDI July 2025", release_date="2025-07-01"
    )
    with TestClient(create_app(Settings(db_url=store.url))) as client:
        obs = client.get("/api/v1/observations?indicator=internet_use&country=KEN").json()
        by = {(r["year"], r["sex"]): r for r in obs}
        assert by[(2025, "female")]["value"] == 41.25
        assert by[(2025, "female")]["release"] == "WDI July 2025 (2025-07-01)"
        assert by[(2019, "male")]["release"] == "bundled"
        gap = next(
            r
            for r in client.get("/api/v1/gaps?indicator=internet_use&year=2019").json()
            if r["country"] == "KEN"
        )
        assert gap["release"] == "female: WDI July 2025 (2025-07-01); male: bundled; total: bundled"
        page = client.get("/indicator/internet_use").text
        assert "<dt>Release</dt><dd>female: WDI July 2025 (2025-07-01); male: bundled data" in page
        other = client.get("/indicator/account_ownership").text
        assert "<dt>Release</dt><dd>bundled data</dd>" in other
