"""Bad URLs and bodies sent to the API: NUL bytes (PostgreSQL cannot hold or compare them) and
bodies over the request-size limit. Status and the exact error body."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

NUL = "a NUL byte (%00) is not allowed here"
NUL_CASES = [
    # (URL, status, error code, message)
    ("/api/v1/countries/KE%00N", 422, "invalid-parameter", f"path: {NUL}"),
    ("/api/v1/indicators/%00", 422, "invalid-parameter", f"path: {NUL}"),
    ("/api/v1/gaps?indicator=%00", 422, "invalid-parameter", f"indicator: {NUL}"),
    ("/api/v1/observations?indicator=internet_use&country=KEN%00", 422, "invalid-parameter",
     f"country: {NUL}"),
    ("/api/v1/releases?source=%00", 422, "invalid-parameter", f"source: {NUL}"),
    ("/api/v1/sessions/search?q=%00", 422, "invalid-parameter", f"q: {NUL}"),
]  # fmt: skip

SIZE_LIMIT = 4096
SIZE_CASES = [
    # (method, path, body size, status, error code)
    ("POST", "/api/v1/sessions/validate", SIZE_LIMIT + 1, 413, "request-too-large"),
    ("POST", "/api/v1/sessions", 10 * SIZE_LIMIT, 413, "request-too-large"),
    ("PUT", "/api/v1/sessions/1", 10 * SIZE_LIMIT, 413, "request-too-large"),
    ("POST", "/api/v1/initiatives", 10 * SIZE_LIMIT, 413, "request-too-large"),
]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}"
    Store(url).migrate()
    settings = Settings(db_url=url, init_on_start=False, max_request_bytes=SIZE_LIMIT)
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.mark.parametrize(("url", "status", "code", "message"), NUL_CASES)
def test_nul_in_api_urls(
    client: TestClient, url: str, status: int, code: str, message: str
) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.json() == {"error": {"code": code, "message": message}}


@pytest.mark.parametrize(("method", "path", "size", "status", "code"), SIZE_CASES)
def test_bodies_over_the_limit(
    small: TestClient, method: str, path: str, size: int, status: int, code: str
) -> None:
    body = b'{"text": "' + b"x" * size + b'"}'
    r = small.request(method, path, content=body, headers={"content-type": "application/json"})
    assert r.status_code == status
    assert r.json() == {
        "error": {
            "code": code,
            "message": "the request body is larger than this server accepts (4,096 bytes)",
        }
    }
