"""Property-based fuzzing of the registry's API operations from the OpenAPI schema
(schemathesis, as tests/web/test_api_fuzz.py does for the whole API): documented statuses,
content types and bodies, never a 5xx, also with hostile values and a valid token."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equals.auth import Role, create_user, issue_token
from equals.settings import Settings
from equals.store import Store
from tests.web.test_api_fuzz import BODY_TEXT, CHECKS, HOSTILE_VALUES, _salt

MINE = (
    "partners",
    "coalitions",
    "governance",
    "initiatives",
    "action-gaps",
    "who-does-what",
    "organizations",
    "partnership",
)


@pytest.fixture(scope="module")
def fuzz(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    path = tmp_path_factory.mktemp("partners-fuzz") / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    from equals.bootstrap import initialise
    from equals.web.app import create_app

    store = Store(url)
    initialise(store)
    create_user(store, "fuzz-admin", "a long enough passphrase 42", roles=[Role.ADMIN])
    token = issue_token(store, "fuzz-admin")
    store.dispose()
    app = create_app(Settings(db_url=url, init_on_start=False))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    ops = [r.ok() for r in schema.get_all_operations()]
    yield {"ops": [op for op in ops if op.path.split("/")[3] in MINE], "token": token}


def _check(case: schemathesis.Case, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    response = case.call(headers=headers)
    detail = (case.method, case.path, case.path_parameters, case.query, response.text[:300])
    assert response.status_code < 500, detail
    case.validate_response(response, checks=CHECKS)


def test_registry_operations_are_in_the_schema(fuzz: dict[str, Any]) -> None:
    paths = {op.path for op in fuzz["ops"]}
    assert {
        "/api/v1/partners",
        "/api/v1/coalitions",
        "/api/v1/initiatives",
        "/api/v1/initiatives/{initiative_id}/progress",
        "/api/v1/action-gaps",
    } <= paths


@pytest.mark.slow
def test_registry_api_fuzzed(fuzz: dict[str, Any]) -> None:
    strategy = st.tuples(
        st.one_of(*(op.as_strategy() for op in fuzz["ops"])),
        st.sampled_from([None, *HOSTILE_VALUES]),
        st.sampled_from(BODY_TEXT),
        st.integers(0, 50),
        st.booleans(),
    )

    @given(args=strategy)
    @settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
    def check(args: tuple[schemathesis.Case, Any, str, int, bool]) -> None:
        case, value, body_text, where, signed = args
        if value is not None:
            _salt(case, value, body_text, where)
        if any(not str(v).strip() or "/" in str(v) for v in (case.path_parameters or {}).values()):
            return  # an empty path segment addresses another URL (e.g. PUT /partners/: 405)
        _check(case, fuzz["token"] if signed else None)

    check()
