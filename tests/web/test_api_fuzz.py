"""Property-based fuzzing of the JSON API from its own OpenAPI schema (schemathesis), on SQLite.

Whatever a client sends, the API answers with a *documented* status and content type, and a
body that matches the schema of that status (the pydantic models; errors the ErrorBody) —
never a 5xx. Generated cases are salted with hostile text: NUL, very long strings, odd Unicode
(RTL marks, combining characters, emoji), percent signs, huge integers, wrong types, and lone
surrogates in JSON bodies (a URL cannot carry one: clients send bytes, which the server decodes
with U+FFFD; tests/web/test_api_errors.py sends such bytes raw). (Schemathesis's pytest plugin
does not yet support pytest 9, so the operations' Hypothesis strategies are driven directly.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from equals.settings import Settings
from equals.web.app import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
HOSTILE_TEXT = [
    "\x00",
    "KE\x00N",
    "internet_use\x00",
    "x" * 10_000,
    "é" * 3_000,
    "\u202eKEN",  # right-to-left override
    "K\u0301E\u0301N",  # combining accents
    "👩🏽‍💻",
    "%ED%A0%80",  # the percent-encoding of a lone surrogate, as text
    "[bold]KEN[/]",
    "' OR 1=1 --",
    "../../etc/passwd",
    "",
    " ",
]
HOSTILE_VALUES: list[Any] = [
    *HOSTILE_TEXT,
    10**30,
    -(10**30),
    2**63,
    1e308,
    -1,
    0,
    "NaN",
    "1e999",
    True,
    [],
]
BODY_TEXT = [*HOSTILE_TEXT, "\ud800", "a\udfffb", "\ud800" * 100]


def _segment(value: Any) -> str:
    """A path parameter: an empty one would make another URL (``/indicators/`` is the list)."""
    return str(value) or "%20"


def _salt(case: schemathesis.Case, value: Any, body_text: str, where: int) -> None:
    """Put a hostile value into one query or path parameter, and hostile text into one string
    of a JSON body."""
    slots: list[tuple[dict[str, Any], str]] = []
    for container in (case.query, case.path_parameters):
        if container:
            slots += [(container, k) for k in container]
    if slots:
        container, key = slots[where % len(slots)]
        container[key] = value if container is case.query else _segment(value)
    if isinstance(case.body, dict):
        keys = [k for k, v in case.body.items() if isinstance(v, str)]
        if keys:
            case.body[keys[where % len(keys)]] = body_text


@pytest.fixture(scope="module")
def operations(loaded_db_url: str) -> Iterator[list[Any]]:
    app = create_app(Settings(db_url=loaded_db_url, init_on_start=False))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    yield [result.ok() for result in schema.get_all_operations()]


def test_every_operation_is_fuzzed(operations: list[Any]) -> None:
    paths = {op.path for op in operations}
    assert {"/api/v1/observations", "/api/v1/gaps", "/api/v1/countries/{code}"} <= paths


def _check(case: schemathesis.Case) -> None:
    response = case.call()
    detail = (case.method, case.path, case.path_parameters, case.query, response.text[:300])
    assert response.status_code < 500, detail
    case.validate_response(response, checks=CHECKS)


@pytest.mark.slow
def test_api_answers_documented_statuses_and_bodies(operations: list[Any]) -> None:
    strategy = st.one_of(*(op.as_strategy() for op in operations))

    @given(case=strategy)
    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        _check(case)

    check()


@pytest.mark.slow
def test_api_survives_hostile_values(operations: list[Any]) -> None:
    strategy = st.tuples(
        st.one_of(*(op.as_strategy() for op in operations)),
        st.sampled_from(HOSTILE_VALUES),
        st.sampled_from(BODY_TEXT),
        st.integers(0, 50),
    )

    @given(args=strategy)
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    def check(args: tuple[schemathesis.Case, Any, str, int]) -> None:
        case, value, body_text, where = args
        _salt(case, value, body_text, where)
        _check(case)

    check()


@pytest.mark.slow
def test_evidence_operations_with_hostile_values(operations: list[Any]) -> None:
    """Every hostile value in every parameter of the evidence endpoints (not sampled)."""
    evidence = [
        op
        for op in operations
        if op.path.split("/")[3] in {"indicators", "sources", "countries", "observations", "gaps"}
        and op.method.upper() == "GET"
    ]
    assert len(evidence) >= 7
    for op in evidence:
        names = [p.name for p in op.query] + [p.name for p in op.path_parameters]
        for name in names:
            for value in HOSTILE_VALUES:
                query: dict[str, Any] = (
                    {"indicator": "internet_use"} if op.path.endswith("/gaps") else {}
                )
                path: dict[str, Any] = {
                    p.name: "KEN" if p.name == "code" else "internet_use"
                    for p in op.path_parameters
                }
                if name in path:
                    path[name] = _segment(value)
                else:
                    query[name] = value
                case = op.Case(query=query, path_parameters=path)
                _check(case)
