"""The analysis API: shapes, exports, error bodies, and odd input never giving a 5xx."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from fastapi.testclient import TestClient

BASE = "/api/v1/analysis"


def test_index_json(client: TestClient) -> None:
    r = client.get(f"{BASE}/index", params={"draws": 50})
    assert r.status_code == 200
    doc = r.json()
    assert doc["draws"] == 50 and doc["method"]["version"]
    ranked = [c for c in doc["countries"] if c["rank"] is not None]
    assert all(c["rank_low"] <= c["rank"] <= c["rank_high"] for c in ranked)
    assert (
        abs(
            sum(
                v
                for k, v in doc["weights"].items()
                if k
                in {
                    "internet_use",
                    "mobile_phone_ownership",
                    "account_ownership",
                    "digital_payments",
                }
            )
            - 1
        )
        < 1e-12
    )


def test_index_csv_and_zip(client: TestClient) -> None:
    r = client.get(f"{BASE}/index", params={"draws": 20, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows[0]["rank"] == "1"
    z = client.get(f"{BASE}/zip/index", params={"draws": 20})
    assert z.status_code == 200
    with zipfile.ZipFile(io.BytesIO(z.content)) as f:
        names = set(f.namelist())
        assert {"equals-index.csv", "equals-index.metadata.csv", "CITATION.txt"} == names
        cite = f.read("CITATION.txt").decode()
        assert "equals-dgei" in cite and "Licence" in cite


def test_country_card(client: TestClient) -> None:
    r = client.get(f"{BASE}/index/ken")
    assert r.status_code == 200
    doc = r.json()
    assert doc["country"] == "KEN" and len(doc["pillars"]) == 3
    for p in doc["pillars"]:
        for c in p["components"]:
            for v in c["values"]:
                assert v["source"] and v["licence"] and v["year"] >= doc["first_year"]


def test_data_gaps_parity_pace_headlines_quality(client: TestClient) -> None:
    r = client.get(f"{BASE}/data-gaps", params={"country": "KEN"})
    assert r.status_code == 200 and len(r.json()["cells"]) >= 20
    assert client.get(f"{BASE}/zip/data-gaps").status_code == 200
    assert client.get(f"{BASE}/zip/parity-years/KEN/women_in_parliament").status_code == 200
    assert client.get(f"{BASE}/index", params={"format": "zip"}).status_code == 422
    s = client.get(f"{BASE}/data-gaps/summary", params={"by": "region"}).json()
    assert {x["group"] for x in s} == {"region"}
    assert client.get(f"{BASE}/data-gaps/countries").status_code == 200
    t = client.get(f"{BASE}/parity-years/KEN/women_in_parliament").json()
    assert t["status"] and t["series"]
    p = client.get(f"{BASE}/pace/women_in_parliament").json()
    assert p["groups"][0]["kind"] == "world" and "SP.POP.TOTL.FE.IN" in p["weights_source"]
    h = client.get(f"{BASE}/headlines/internet_use").json()
    assert h["groups"][0]["label"] == "World" and 0 < h["groups"][0]["coverage_women"] <= 1
    q = client.get(f"{BASE}/quality").json()
    assert any(n["indicator"] == "internet_use" for n in q)


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/index/KEM", {}, 404, "unknown-country"),
        ("/parity-years/KEN/nothing", {}, 404, "unknown-indicator"),
        ("/headlines/women_in_parliament", {}, 422, None),
        ("/index", {"draws": 10**12}, 422, None),
        ("/index", {"draws": "many"}, 422, None),
        ("/index", {"window": 0}, 422, None),
        ("/index", {"weights": "median"}, 422, None),
        ("/data-gaps", {"indicator": "x" * 5000}, 404, None),
        ("/data-gaps", {"country": "\x00"}, 422, None),  # NUL rejected before the route
        ("/data-gaps?country=%ED%A0%80", {}, 404, None),  # a lone surrogate, UTF-8 encoded
        ("/data-gaps/summary", {"by": "colour"}, 422, None),
        ("/parity-years/%F0%9F%98%80/internet_use", {}, 404, None),
    ],
)
def test_odd_input_gets_a_clear_error(
    client: TestClient, path: str, params: dict[str, object], status: int, code: str | None
) -> None:
    r = client.get(BASE + path, params=params or None)
    assert r.status_code == status, r.text[:300]
    body = r.json()
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
