"""Which release a number comes from, on the country page (as on the indicator page): after a
newer WDI release is imported for women's Internet use, Kenya's profile says so for that
indicator, per sex, and still says "bundled data" for the others."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from equals.auth.model import Actor
from equals.releases import import_release
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app
from tests.releases.test_import import wdi_release

RELEASE = "WDI July 2025 (2025-07-01)"


def _release_line(page: str, indicator: str) -> str:
    found = re.search(rf'data-testid="release-{indicator}">([^<]*)</p>', page)
    assert found, f"no release line for {indicator}"
    return found.group(1)


@pytest.fixture(scope="module")
def imported(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("country-release")
    path = tmp / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    store = Store(url)
    release_file, _ = wdi_release(Path(tmp))
    import_release(store, release_file, "wdi", actor=Actor("tester"), label="WDI July 2025",
                   release_date="2025-07-01")  # fmt: skip
    store.dispose()
    yield url


def test_bundled_values_say_so(client: TestClient) -> None:
    page = client.get("/country/KEN").text
    assert _release_line(page, "internet_use") == "Release: bundled data"
    assert len(re.findall(r'data-testid="release-', page)) == page.count('class="card entry')


def test_an_imported_release_is_named_per_sex(imported: str) -> None:
    with TestClient(create_app(Settings(db_url=imported))) as c:
        page = c.get("/country/KEN").text
        indicator_page = c.get("/indicator/internet_use").text
    line = _release_line(page, "internet_use")
    assert line == f"Release: Women: {RELEASE}; Men: bundled data; Total: bundled data"
    assert line.removeprefix("Release: ") in indicator_page  # the same words on both pages
    assert _release_line(page, "account_ownership") == "Release: bundled data"
