"""The "API and downloads" page: the evidence Data Package download, and the copy-paste
examples, run as a user would run them (curl, Python with pandas, R with readr and httr2)
against a live server. Expected numbers come from the database and the JSON API."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from equals.evidence.datapackage import validate_datapackage
from equals.store import Store, schema
from tests.conftest import require

PACKAGE = "/downloads/evidence-datapackage.zip"


def _counts(db_url: str) -> dict[str, int]:
    store = Store(db_url)
    o, s = schema.observations, schema.sources
    try:
        with store.connect() as conn:
            bundled = conn.execute(
                select(func.count())
                .select_from(o.join(s, o.c.source_id == s.c.id))
                .where(s.c.origin == "bundled")
            ).scalar_one()
            sources = conn.execute(select(func.count()).select_from(s)).scalar_one()
    finally:
        store.dispose()
    return {"observations": bundled, "sources": sources}


def _value_sum(db_url: str) -> float:
    store = Store(db_url)
    o, s = schema.observations, schema.sources
    try:
        with store.connect() as conn:
            return float(
                conn.execute(
                    select(func.sum(o.c.value))
                    .select_from(o.join(s, o.c.source_id == s.c.id))
                    .where(s.c.origin == "bundled")
                ).scalar_one()
            )
    finally:
        store.dispose()


def examples(page: str) -> dict[str, str]:
    """The page's code examples by language (``curl``, ``python``, ``r``), as a user copies
    them (the text of the ``<pre>``, entities decoded)."""
    found = re.findall(r'<pre class="code"[^>]*data-example="(\w+)"><code>(.*?)</code></pre>',
                       page, re.S)  # fmt: skip
    return {lang: html.unescape(code) for lang, code in found}


def test_the_page_lists_the_package_and_every_format(client: TestClient) -> None:
    page = client.get("/downloads").text
    assert f'href="{PACKAGE}"' in page
    for name in ("observations", "survey_estimates", "gaps", "indicators", "sources",
                 "releases", "equals data package"):  # fmt: skip
        assert name in page
    code = examples(page)
    assert set(code) == {"curl", "python", "r"}
    for lang, text in code.items():  # CSV, SDMX-CSV and the package in every language
        assert "format=csv" in text and "format=sdmx-csv" in text and PACKAGE in text, lang


def test_the_package_download_is_a_valid_data_package(
    client: TestClient, loaded_db_url: str, tmp_path: Path
) -> None:
    from frictionless import Package

    r = client.get(PACKAGE)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    assert "evidence-datapackage.zip" in r.headers["content-disposition"]
    target = tmp_path / "evidence.zip"
    target.write_bytes(r.content)
    assert validate_datapackage(target) == []
    expected = _counts(loaded_db_url)
    package = Package(str(target))
    assert len(package.get_resource("observations").read_rows()) == expected["observations"]
    assert len(package.get_resource("sources").read_rows()) == expected["sources"]
    assert client.get(PACKAGE).content == r.content  # built once per data version


# -- the examples, run against a live server ----------------------------------------------------
@pytest.fixture(scope="module")
def live_examples(live_server: str) -> dict[str, str]:
    return examples(httpx.get(f"{live_server}/downloads", timeout=30).text)


def _api(live_server: str, path: str, **params: Any) -> Any:
    return httpx.get(f"{live_server}/api/v1/{path}", params=params, timeout=60)


def test_the_curl_examples_work(
    live_examples: dict[str, str], live_server: str, tmp_path: Path, loaded_db_url: str
) -> None:
    require(shutil.which("curl") is not None, "curl is not installed")
    outputs = []
    for line in live_examples["curl"].splitlines():
        assert line.startswith(f'curl "{live_server}/') or line.startswith("curl -o ")
        command = ["bash", "-c", f"{line} --fail --silent --show-error"]
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (line, done.stderr)
        outputs.append(done.stdout)
    ken = _api(live_server, "observations", indicator="internet_use", country="KEN",
               sex="female").json()  # fmt: skip
    assert json.loads(outputs[0]) == ken
    gaps = (tmp_path / "gaps.csv").read_text(encoding="utf-8")
    assert gaps == _api(live_server, "gaps", indicator="internet_use", format="csv").text
    assert (tmp_path / "gaps.sdmx.csv").read_text(encoding="utf-8").startswith("STRUCTURE,")
    with zipfile.ZipFile(tmp_path / "evidence.zip") as zf:
        rows = zf.read("data/observations.csv").decode().count("\n") - 1
    assert rows == _counts(loaded_db_url)["observations"]


def test_the_python_example_works(
    live_examples: dict[str, str], live_server: str, loaded_db_url: str
) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(live_examples["python"], "downloads-example.py", "exec"), namespace)
    gaps_api = _api(live_server, "gaps", indicator="internet_use").json()
    assert len(namespace["gaps"]) == len(gaps_api) > 100
    assert set(namespace["obs"]["country"]) == {"KEN"}
    assert "REF_AREA" in namespace["sdmx"].columns
    assert len(namespace["observations"]) == _counts(loaded_db_url)["observations"]
    assert len(namespace["sources"]) == _counts(loaded_db_url)["sources"]
    assert namespace["observations"]["value"].sum() == pytest.approx(_value_sum(loaded_db_url))


def _r_has(*packages: str) -> bool:
    if shutil.which("Rscript") is None:
        return False
    check = " && ".join(f'requireNamespace("{p}", quietly = TRUE)' for p in packages)
    done = subprocess.run(["Rscript", "-e", f"quit(status = if ({check}) 0 else 1)"],
                          capture_output=True, timeout=120)  # fmt: skip
    return done.returncode == 0


@pytest.mark.r
def test_the_r_example_works(
    live_examples: dict[str, str], live_server: str, tmp_path: Path, loaded_db_url: str
) -> None:
    require(_r_has("readr", "httr2", "jsonlite"), "R with readr, httr2, jsonlite (Debian r-cran-*)")
    script = tmp_path / "example.R"
    script.write_text(
        "suppressMessages({\n" + live_examples["r"] + "\n})\n"
        'cat(nrow(gaps), nrow(observations), "REF_AREA" %in% names(sdmx), '
        'paste(unique(obs$country), collapse = ","), '
        'format(sum(observations$value), digits = 15), sep = "\\n")\n',
        encoding="utf-8",
    )
    done = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split()[-5:]
    gaps_csv = _api(live_server, "gaps", indicator="internet_use", format="csv").text
    assert int(lines[0]) == gaps_csv.count("\n") - 1
    assert int(lines[1]) == _counts(loaded_db_url)["observations"]
    assert lines[2:4] == ["TRUE", "KEN"]
    assert float(lines[4]) == pytest.approx(_value_sum(loaded_db_url), rel=1e-12)
