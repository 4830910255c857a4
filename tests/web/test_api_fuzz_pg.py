"""The schemathesis fuzzing of tests/web/test_api_fuzz.py, on a real PostgreSQL server.

PostgreSQL refuses what SQLite stores (a NUL byte in text, an integer past 64 bits), so the
same hostile input must be tried there: every case answers a documented status with the error
body, never a 5xx. Half of the generated cases carry a rapporteur's bearer token, so the writes
(filing and revising reports, the partnership registry) reach the database too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equals.auth import Role, create_user, issue_token
from equals.bootstrap import initialise
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app
from tests.pg import fresh_database
from tests.web.test_api_fuzz import BODY_TEXT, HOSTILE_VALUES, _check, _salt

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("postgres")]


@pytest.fixture(scope="module")
def pg_api(pg_url: str) -> Iterator[tuple[list[Any], str]]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = fresh_database(pg_url, f"equals_fuzz_{worker}")
    store = Store(url)
    initialise(store)
    create_user(store, "fuzz-admin", "a long enough passphrase", roles=[Role.ADMIN])
    token = issue_token(store, "fuzz-admin")
    store.dispose()
    app = create_app(Settings(db_url=url, init_on_start=False))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    yield [result.ok() for result in schema.get_all_operations()], token


def _authorise(case: schemathesis.Case, token: str, signed: bool) -> None:
    if signed:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


def test_documented_statuses_and_bodies_on_postgres(pg_api: tuple[list[Any], str]) -> None:
    operations, token = pg_api
    strategy = st.tuples(st.one_of(*(op.as_strategy() for op in operations)), st.booleans())

    @given(args=strategy)
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    def check(args: tuple[schemathesis.Case, bool]) -> None:
        case, signed = args
        _authorise(case, token, signed)
        _check(case)

    check()


def test_hostile_values_on_postgres(pg_api: tuple[list[Any], str]) -> None:
    operations, token = pg_api
    strategy = st.tuples(
        st.one_of(*(op.as_strategy() for op in operations)),
        st.sampled_from(HOSTILE_VALUES),
        st.sampled_from(BODY_TEXT),
        st.integers(0, 50),
        st.booleans(),
    )

    @given(args=strategy)
    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    def check(args: tuple[schemathesis.Case, Any, str, int, bool]) -> None:
        case, value, body_text, where, signed = args
        _salt(case, value, body_text, where)
        _authorise(case, token, signed)
        _check(case)

    check()


def test_every_read_parameter_with_nul_and_huge_numbers(
    pg_api: tuple[list[Any], str],
) -> None:
    """NUL bytes and integers past 64 bits in every parameter of every GET (PostgreSQL refuses
    both where SQLite would not)."""
    operations, _ = pg_api
    reads = [op for op in operations if op.method.upper() == "GET"]
    assert len(reads) >= 10
    evil: list[Any] = ["\x00", "KE\x00N", 10**30, 2**63, -(2**63) - 1, "x" * 10_000]
    for op in reads:
        for name in [p.name for p in op.query] + [p.name for p in op.path_parameters]:
            for value in evil:
                path = {p.name: "KEN" if p.name == "code" else "1" for p in op.path_parameters}
                query: dict[str, Any] = {}
                if name in path:
                    path[name] = str(value)
                else:
                    query[name] = value
                _check(op.Case(query=query, path_parameters=path))
