"""Property-based fuzzing of the JSON API from its own OpenAPI schema (schemathesis).

Whatever parameters a client sends, the API answers with a documented status (200, 404, 422;
401/403 for writes without a valid token) and never a 5xx. (Schemathesis's pytest plugin does
not yet support pytest 9, so the operations' Hypothesis strategies are driven directly.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equals.settings import Settings
from equals.web.app import create_app


@pytest.fixture(scope="module")
def operations(loaded_db_url: str) -> Iterator[list[object]]:
    app = create_app(Settings(db_url=loaded_db_url, init_on_start=False))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    ops = [result.ok() for result in schema.get_all_operations()]
    yield ops


def test_every_operation_is_fuzzed(operations: list[object]) -> None:
    paths = {op.path for op in operations}  # type: ignore[attr-defined]
    assert {"/api/v1/observations", "/api/v1/gaps", "/api/v1/countries/{code}"} <= paths


@pytest.mark.slow
def test_api_never_fails_with_a_server_error(operations: list[object]) -> None:
    strategy = st.one_of(*(op.as_strategy() for op in operations))  # type: ignore[attr-defined]

    @given(case=strategy)
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        detail = (case.method, case.path, case.path_parameters, case.query, response.text[:300])
        assert response.status_code < 500, detail
        # 401/403: the session write endpoints refuse requests without a valid bearer token.
        assert response.status_code in {200, 201, 401, 403, 404, 422}, detail

    check()
