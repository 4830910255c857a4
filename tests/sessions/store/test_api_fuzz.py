"""Property-based fuzzing of the sessions API (/api/v1/sessions…) from its OpenAPI schema, as
tests/web/test_api_fuzz.py does for the evidence API: documented statuses, content types and
bodies (the pydantic models), never a 5xx — with hostile values (NUL, lone surrogates, huge
numbers, long strings, wrong types), signed in or not, on SQLite with the example report filed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equals.archive.examples import load_examples
from equals.auth import Role, create_user, issue_token
from equals.settings import Settings
from equals.store import Store
from tests.web.test_api_fuzz import BODY_TEXT, CHECKS, HOSTILE_VALUES, _salt


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    path: Path = tmp_path_factory.mktemp("sessions-fuzz") / "equals.db"
    url = f"sqlite:///{path}"
    from equals.web.app import create_app

    store = Store(url)
    store.migrate()
    load_examples(store)
    create_user(store, "fuzz-admin", "a long enough passphrase 42", roles=[Role.ADMIN])
    token = issue_token(store, "fuzz-admin")
    store.dispose()
    app = create_app(Settings(db_url=url, init_on_start=False))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    ops = [r.ok() for r in schema.get_all_operations()]
    yield {"ops": [op for op in ops if op.path.startswith("/api/v1/sessions")], "token": token}


def test_sessions_operations_are_in_the_schema(fuzz: dict[str, Any]) -> None:
    paths = {(op.method.upper(), op.path) for op in fuzz["ops"]}
    assert {
        ("GET", "/api/v1/sessions"),
        ("POST", "/api/v1/sessions"),
        ("GET", "/api/v1/sessions/search"),
        ("POST", "/api/v1/sessions/validate"),
        ("GET", "/api/v1/sessions/{session_id}"),
        ("PUT", "/api/v1/sessions/{session_id}"),
        ("GET", "/api/v1/sessions/participation"),
        ("GET", "/api/v1/sessions/people/candidates"),
        ("POST", "/api/v1/sessions/people/{person_id}/merge"),
    } <= paths


@pytest.mark.slow
def test_sessions_api_fuzzed(fuzz: dict[str, Any]) -> None:
    strategy = st.tuples(
        st.one_of(*(op.as_strategy() for op in fuzz["ops"])),
        st.sampled_from([None, *HOSTILE_VALUES]),
        st.sampled_from(BODY_TEXT),
        st.integers(0, 50),
        st.booleans(),
    )

    @given(args=strategy)
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    def check(args: tuple[schemathesis.Case, Any, str, int, bool]) -> None:
        case, value, body_text, where, signed = args
        if value is not None:
            _salt(case, value, body_text, where)
        if any(not str(v).strip() or "/" in str(v) for v in (case.path_parameters or {}).values()):
            return  # an empty path segment addresses another URL
        headers = {"Authorization": f"Bearer {fuzz['token']}"} if signed else {}
        if case.method.upper() == "PUT" and signed:
            headers["If-Match"] = '"v1"'
        response = case.call(headers=headers or None)
        detail = (case.method, case.path, case.path_parameters, case.query, response.content[:300])
        assert response.status_code < 500, detail
        case.validate_response(response, checks=CHECKS)

    check()
