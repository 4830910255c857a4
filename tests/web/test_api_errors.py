"""The API's one error body: the problem shape, by exception type, never a 5xx for odd text."""

from __future__ import annotations

import socket

from fastapi.testclient import TestClient

from equals.settings import Settings
from equals.web.app import create_app

KEYS = {"code", "message", "severity", "location", "suggestions"}


def test_404_is_a_problem_with_suggestions(client: TestClient) -> None:
    r = client.get("/api/v1/countries/KEM")
    assert r.status_code == 404
    err = r.json()["error"]
    assert set(err) >= KEYS
    assert err["code"] == "unknown-country" and err["severity"] == "error"
    assert err["suggestions"][:1] == ["KEN"] or "KEN" in err["suggestions"]
    assert err["message"].startswith("unknown country 'KEM' (did you mean:")


def test_422_names_the_parameter_in_every_form(client: TestClient) -> None:
    r = client.get("/api/v1/observations", params={"indicator": "internet_use", "limit": 0})
    assert r.status_code == 422
    err = r.json()["error"]
    assert set(err) >= KEYS and err["code"] == "invalid-parameter"
    assert err["parameter"] == "limit" and err["parameters"] == ["limit"]
    assert err["location"]["field"] == "limit"
    (p,) = err["problems"]
    assert p["parameter"] == "limit" and p["code"] == "invalid-parameter"
    assert p["location"]["field"] == "limit"


def test_library_validation_error_keeps_parameter_and_adds_location(client: TestClient) -> None:
    r = client.get("/api/v1/observations", params={"from": 2020, "to": 2010})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "bad-range" and err["parameter"] == "from"
    assert err["location"]["field"] == "from"


def test_lone_surrogates_and_nul_in_echoed_text_are_not_server_errors(client: TestClient) -> None:
    # Percent-encoded bytes that are not UTF-8 (a CESU-8 lone surrogate, a stray 0xFF), NUL,
    # and a very long name: each echoed back in a message, none a server error.
    for raw in ("%ED%A0%80", "%FF%FE", "KE%00N", "x" * 20_000):
        for url in (f"/api/v1/countries/{raw}", f"/api/v1/gaps?indicator={raw}"):
            r = client.get(url)
            assert r.status_code in (404, 422), (url[:60], r.status_code)
            assert r.json()["error"]["code"] in (
                "unknown-country",
                "unknown-indicator",
                "invalid-parameter",
            )


def test_unreachable_database_is_503_database_unavailable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://nobody@127.0.0.1:{port}/equals"
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as c:
        r = c.get("/api/v1/indicators")
    assert r.status_code == 503
    err = r.json()["error"]
    assert err["code"] == "database-unavailable"
    assert "cannot connect to the database" in err["message"]


def test_openapi_documents_the_error_body_on_every_operation(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "ErrorBody" in spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status in ("404", "422", "503"):
                ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (method, path, status)
