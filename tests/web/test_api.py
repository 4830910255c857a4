"""The JSON API (TestClient): contract keys, filters, CSV, and error shapes."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from equals.evidence.queries import Evidence


def test_openapi_docs(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/observations" in spec["paths"]


def test_indicators(client: TestClient) -> None:
    data = client.get("/api/v1/indicators").json()
    assert len(data) >= 15
    for item in data:
        assert {"id", "title", "pillar", "unit", "source", "licence", "definition"} <= set(item)


def test_indicator_detail_and_404(client: TestClient) -> None:
    r = client.get("/api/v1/indicators/internet_use")
    assert r.status_code == 200 and r.json()["years"]
    r = client.get("/api/v1/indicators/internet")
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "unknown-indicator" and "internet" in err["message"]
    assert "internet_use" in err["suggestions"]


def test_observations_contract(client: TestClient, evidence: Evidence) -> None:
    r = client.get(
        "/api/v1/observations",
        params={"indicator": "internet_use", "country": "KEN", "sex": "female", "from": 2010},
    )
    assert r.status_code == 200
    rows = r.json()
    assert rows
    for row in rows:
        assert {"indicator", "country", "year", "sex", "value", "source"} <= set(row)
        assert row["country"] == "KEN" and row["sex"] == "female" and row["year"] >= 2010
    expected = evidence.observations(indicator="internet_use", country="KEN")
    assert {(r["year"], r["value"]) for r in rows} == {
        (e.year, e.value) for e in expected if e.sex.value == "female" and e.year >= 2010
    }


def test_observations_csv_equals_json(client: TestClient) -> None:
    params = {"indicator": "account_ownership", "country": "KEN"}
    js = client.get("/api/v1/observations", params=params).json()
    r = client.get("/api/v1/observations", params={**params, "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["year"], x["sex"], x["value"]) for x in rows] == [
        (str(j["year"]), j["sex"], str(j["value"])) for j in js
    ]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"indicator": "internet_use", "sex": "woman"}, "sex"),
        ({"indicator": "internet_use", "from": "soon"}, "from"),
        ({"indicator": "internet_use", "format": "xml"}, "format"),
        ({"indicator": "internet_use", "from": 2020, "to": 2010}, "from"),
    ],
)
def test_bad_parameter_is_422_naming_it(
    client: TestClient, params: dict[str, object], name: str
) -> None:
    r = client.get("/api/v1/observations", params=params)
    assert r.status_code == 422
    err = r.json()["error"]
    assert name in err["message"]


def test_unknown_country_404(client: TestClient) -> None:
    r = client.get("/api/v1/countries/XXY")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown-country"
    r = client.get("/api/v1/observations", params={"country": "Kenia"})
    assert r.status_code == 404 and "KEN" in r.json()["error"]["suggestions"]


def test_gaps(client: TestClient, evidence: Evidence) -> None:
    r = client.get("/api/v1/gaps", params={"indicator": "women_in_parliament"})
    assert r.status_code == 200
    rows = r.json()
    assert len(rows) == len(evidence.gaps("women_in_parliament"))
    first = rows[0]
    assert first["distance_from_parity"] == pytest.approx(first["female"] - 50)
    r = client.get("/api/v1/gaps")
    assert r.status_code == 422 and "indicator" in r.json()["error"]["message"]


def test_country_profile(client: TestClient) -> None:
    data = client.get("/api/v1/countries/KEN").json()
    assert data["country"]["name"] == "Kenya"
    assert data["indicators"]
    for entry in data["indicators"]:
        for comp in entry["comparisons"]:
            assert "unweighted mean" in comp["method"]


def test_unknown_paths(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "/no/such/page" in r.text
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not-found"


def test_observations_come_in_pages_with_link_headers(
    client: TestClient, evidence: Evidence
) -> None:
    """Unfiltered, the store has ~60,000 observations: the API pages them (default 10,000)
    with X-Total-Count and RFC 8288 Link headers, and the pages add up to the whole."""
    total = len(evidence.observations())
    first = client.get("/api/v1/observations")
    assert first.status_code == 200
    assert int(first.headers["X-Total-Count"]) == total > 10_000
    assert len(first.json()) == 10_000
    assert 'rel="next"' in first.headers["Link"] and 'rel="prev"' not in first.headers["Link"]
    params = {"indicator": "internet_use", "limit": 700}
    whole = client.get("/api/v1/observations", params={"indicator": "internet_use"}).json()
    pages: list[dict[str, object]] = []
    url: str | None = "/api/v1/observations"
    response = client.get(url, params=params)
    while True:
        pages += response.json()
        nxt = [
            part.split(";")[0].strip(" <>")
            for part in response.headers.get("Link", "").split(",")
            if 'rel="next"' in part
        ]
        if not nxt:
            break
        response = client.get(nxt[0])
    assert pages == whole and len(whole) > 700
    csv = client.get("/api/v1/observations", params={**params, "format": "csv", "offset": 700})
    assert csv.headers["X-Total-Count"] == str(len(whole))
    assert len(csv.text.strip().splitlines()) == 1 + min(700, len(whole) - 700)
    assert client.get("/api/v1/observations", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/observations", params={"offset": -1}).status_code == 422
