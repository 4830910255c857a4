"""The analysis API under schemathesis: every hostile value in every parameter gets a
documented status, content type and body (never a 5xx). Values from tests/web/test_api_fuzz.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equals.settings import Settings
from equals.web.app import create_app
from tests.web.test_api_fuzz import CHECKS, HOSTILE_VALUES, _segment

pytestmark = pytest.mark.slow


def _check(case: schemathesis.Case) -> None:
    """As tests/web/test_api_fuzz.py's, for binary bodies too (format=zip)."""
    response = case.call()
    detail = (case.method, case.path, case.path_parameters, case.query, response.content[:300])
    assert response.status_code < 500, detail
    case.validate_response(response, checks=CHECKS)


@pytest.fixture(scope="module")
def analysis_ops(loaded_db_url: str) -> Iterator[list[Any]]:
    app = create_app(Settings(db_url=loaded_db_url, init_on_start=False))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    ops = [r.ok() for r in schema.get_all_operations()]
    yield [op for op in ops if op.path.startswith("/api/v1/analysis")]


def test_every_parameter_with_hostile_values(analysis_ops: list[Any]) -> None:
    assert len(analysis_ops) >= 10
    for op in analysis_ops:
        names = [p.name for p in op.query] + [p.name for p in op.path_parameters]
        for name in names:
            for value in HOSTILE_VALUES:
                path: dict[str, Any] = {
                    p.name: "KEN" if p.name == "code" else "internet_use"
                    for p in op.path_parameters
                }
                query: dict[str, Any] = {"draws": 5} if op.path.endswith("/index") else {}
                if name in path:
                    path[name] = _segment(value)
                else:
                    query[name] = value
                _check(op.Case(query=query, path_parameters=path))


def test_generated_cases(analysis_ops: list[Any]) -> None:
    strategy = st.one_of(*(op.as_strategy() for op in analysis_ops))

    @given(case=strategy)
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        if case.query and "draws" in case.query and isinstance(case.query["draws"], int):
            case.query["draws"] = min(case.query["draws"], 20)  # keep the run short
        _check(case)

    check()
