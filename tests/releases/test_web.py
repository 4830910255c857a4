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
        # The page labels the sexes as readers say them (translated), the API keeps its codes.
        assert "<dt>Release</dt><dd>Women: WDI July 2025 (2025-07-01); Men: bundled data" in page
        other = client.get("/indicator/account_ownership").text
        assert "<dt>Release</dt><dd>bundled data</dd>" in other


def test_releases_api_and_downloads_page(store: Store, tmp_path: Path) -> None:
    path, old = wdi_release(tmp_path)
    import_release(store, path, "wdi", actor=Actor("tester"), label="WDI July 2025")
    with TestClient(create_app(Settings(db_url=store.url))) as client:
        listed = client.get("/api/v1/releases").json()
        assert [(r["id"], r["kind"], r["current"]) for r in listed] == [
            (2, "import", True),
            (1, "bundled", False),
        ]
        assert listed[0]["scope"] == ["internet_use/female"] and listed[0]["revised"] == 1
        assert client.get("/api/v1/releases?source=uis").json() == []
        assert client.get("/api/v1/releases/2").json()["name"] == "WDI July 2025"
        missing = client.get("/api/v1/releases/99")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not-found"
        for bad in ("0", "99999999999999999999", "x", "%00"):
            assert client.get(f"/api/v1/releases/{bad}").status_code == 422, bad
        past = client.get("/api/v1/releases/1/observations").json()
        ken = {r["year"]: r["value"] for r in past if r["country"] == "KEN"}
        assert ken[2019] == float(old["ken2019"])  # the replaced bundled value
        csv_text = client.get("/api/v1/releases/2/observations?format=csv").text
        assert "internet_use,KEN,2025,female,,41.25,wdi,2" in csv_text
        page = client.get("/downloads")
        assert page.status_code == 200
        html = page.text
        assert "<h1>API and downloads</h1>" in html
        assert "/api/v1/gaps?indicator=internet_use&amp;format=sdmx-csv" in html
        assert "library(httr2)" in html and "pd.read_csv" in html
        assert "WDI July 2025" in html and "<script>" not in html
        assert 'href="/downloads" aria-current="page"' in html
