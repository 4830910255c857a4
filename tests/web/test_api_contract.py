"""The typed contract of the evidence API: every body validates against its pydantic model
(``extra="forbid"``: no undocumented key), pages are cut in SQL, gaps rank by any metric, and
no route does database work on the event loop."""

from __future__ import annotations

import inspect
import math
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sqlalchemy import event

from equals.evidence.queries import Evidence
from equals.settings import Settings
from equals.web.api import router
from equals.web.api_models import (
    AreaOut,
    CountryProfileOut,
    GapOut,
    IndicatorDetailOut,
    IndicatorOut,
    ObservationOut,
    SourceOut,
)
from equals.web.app import create_app


def _valid(model: Any, body: Any) -> None:
    TypeAdapter(model).validate_python(body, strict=False)


def test_small_endpoints_match_their_models(client: TestClient) -> None:
    _valid(list[IndicatorOut], client.get("/api/v1/indicators").json())
    _valid(list[SourceOut], client.get("/api/v1/sources").json())
    _valid(list[AreaOut], client.get("/api/v1/countries").json())
    _valid(list[AreaOut], client.get("/api/v1/countries?include_aggregates=true").json())


def test_every_indicator_and_its_gaps_match_the_models(
    client: TestClient, evidence: Evidence
) -> None:
    for ind in evidence.catalogue:
        _valid(IndicatorDetailOut, client.get(f"/api/v1/indicators/{ind.id}").json())
        for metric in ("parity", "relative", "difference"):
            r = client.get("/api/v1/gaps", params={"indicator": ind.id, "metric": metric})
            assert r.status_code == 200, (ind.id, metric)
            _valid(list[GapOut], r.json())


@pytest.mark.parametrize("code", ["KEN", "IND", "BRA", "USA", "WB:WLD", "TUV"])
def test_country_profiles_match_the_model(client: TestClient, code: str) -> None:
    r = client.get(f"/api/v1/countries/{code}")
    assert r.status_code == 200
    _valid(CountryProfileOut, r.json())


def test_observation_pages_match_the_model(client: TestClient) -> None:
    r = client.get("/api/v1/observations", params={"limit": 5000, "breakdown": ""})
    _valid(list[ObservationOut], r.json())


def test_openapi_describes_every_200_body(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/indicators",
        "/api/v1/indicators/{indicator_id}",
        "/api/v1/sources",
        "/api/v1/countries",
        "/api/v1/countries/{code}",
        "/api/v1/observations",
        "/api/v1/gaps",
    ):
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]
        schema = content["application/json"]["schema"]
        assert schema != {} and ("$ref" in schema or "items" in schema), path
    gaps = spec["paths"]["/api/v1/gaps"]["get"]
    assert "metric" in {p["name"] for p in gaps["parameters"]}
    assert "text/csv" in gaps["responses"]["200"]["content"]


# -- paging in SQL ------------------------------------------------------------------------------
def test_pages_walk_every_row_once_in_order(client: TestClient, evidence: Evidence) -> None:
    params = {"indicator": "internet_use", "breakdown": ""}
    full = [
        (o.area, o.year, o.sex.value, o.value)
        for o in evidence.observations(indicator="internet_use")
    ]
    seen: list[tuple[Any, ...]] = []
    offset = 0
    while True:
        r = client.get("/api/v1/observations", params={**params, "limit": 997, "offset": offset})
        assert int(r.headers["X-Total-Count"]) == len(full)
        seen += [(x["country"], x["year"], x["sex"], x["value"]) for x in r.json()]
        if 'rel="next"' not in r.headers.get("Link", ""):
            break
        offset += 997
    assert seen == full and len(full) > 997 * 2


def test_a_page_is_cut_in_sql_with_a_count(evidence: Evidence) -> None:
    statements: list[str] = []

    def record(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        statements.append(statement.lower())

    engine = evidence.store.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        page = evidence.observations_page(indicator="internet_use", limit=10, offset=20)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(page.rows) == 10 and page.total > 30
    assert any("count(*)" in s for s in statements)
    assert any("limit" in s and "offset" in s and "from observations" in s for s in statements)
    full = evidence.observations(indicator="internet_use")
    assert list(page.rows) == full[20:30]


def test_past_the_end_and_huge_offsets(client: TestClient) -> None:
    r = client.get("/api/v1/observations", params={"indicator": "internet_use", "offset": 10**9})
    assert r.status_code == 200 and r.json() == [] and int(r.headers["X-Total-Count"]) > 0
    assert 'rel="prev"' in r.headers["Link"]
    r = client.get("/api/v1/observations", params={"offset": 10**30})
    assert r.status_code == 422 and r.json()["error"]["parameter"] == "offset"


# -- gap metric ---------------------------------------------------------------------------------
def _by_hand(row: dict[str, Any], metric: str) -> float | None:
    """The metric from the row's own female and male values (the published formulas)."""
    f, m = row["female"], row["male"]
    if f is None or m is None:
        return None
    if metric == "parity":
        return f / m if m else None
    if metric == "relative":
        return (m - f) / m if m else None
    return f - m


@pytest.mark.parametrize(
    ("metric", "women_behind_first"),
    [("parity", "ascending"), ("relative", "descending"), ("difference", "ascending")],
)
def test_gaps_rank_by_metric_women_furthest_behind_first(
    client: TestClient, metric: str, women_behind_first: str
) -> None:
    rows = client.get("/api/v1/gaps", params={"indicator": "internet_use", "metric": metric}).json()
    values = [_by_hand(r, metric) for r in rows]
    computable = [v for v in values if v is not None]
    assert values[: len(computable)] == computable  # not computable last
    expected = sorted(computable, reverse=women_behind_first == "descending")
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(computable, expected, strict=True))
    # and each metric field is the formula applied to that row's F and M
    for r, v in zip(rows, values, strict=True):
        if v is not None:
            assert math.isclose(r[metric], v, rel_tol=1e-12)


def test_api_cli_and_library_share_one_ranking(
    client: TestClient, loaded_db_url: str, evidence: Evidence
) -> None:
    import json

    from typer.testing import CliRunner

    from equals.cli import app

    for metric in ("relative", "difference"):
        api = [
            r["country"]
            for r in client.get(
                "/api/v1/gaps", params={"indicator": "account_ownership", "metric": metric}
            ).json()
        ]
        cli = CliRunner().invoke(
            app,
            [
                "gaps",
                "account_ownership",
                "--metric",
                metric,
                "--format",
                "json",
                "--db",
                loaded_db_url,
            ],
        )
        assert cli.exit_code == 0
        assert [r["country"] for r in json.loads(cli.stdout)] == api
        assert [r.area for r in evidence.gaps("account_ownership", metric=metric)] == api


def test_unknown_metric_is_422_naming_it(client: TestClient) -> None:
    r = client.get("/api/v1/gaps", params={"indicator": "internet_use", "metric": "ratio"})
    assert r.status_code == 422 and r.json()["error"]["parameter"] == "metric"


# -- no blocking work on the event loop ---------------------------------------------------------
def test_evidence_routes_run_in_the_thread_pool() -> None:
    routes = [r for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) >= 7
    for route in routes:
        assert not inspect.iscoroutinefunction(route.endpoint), (
            f"{route.path} is async def: its database work would block the event loop"
        )


def test_every_async_route_hands_its_database_work_to_the_thread_pool(
    app_settings: Settings,
) -> None:
    """A route may be ``async def`` only to read a form body; everything after that (sign-in
    lookups, writes, rendering with queries) goes through ``run_in_threadpool``."""
    app = create_app(app_settings)

    def walk(routes: list[Any]) -> list[Any]:
        found = []
        for route in routes:
            inner = getattr(route, "original_router", None)  # an included router
            found += walk(list(inner.routes)) if inner is not None else [route]
        return found

    routes = walk(list(app.routes))
    assert len(routes) > 100  # every router's routes, not only the app's own
    offenders = []
    for route in routes:
        endpoint = getattr(route, "endpoint", None)
        if endpoint is None or not inspect.iscoroutinefunction(endpoint):
            continue
        if endpoint.__module__.startswith("fastapi.") or endpoint.__module__.startswith(
            "starlette."
        ):
            continue  # the framework's own (OpenAPI document, docs pages)
        if "run_in_threadpool" not in inspect.getsource(endpoint):
            offenders.append(f"{getattr(route, 'path', '?')} ({endpoint.__module__})")
    assert not offenders, f"async routes doing blocking work on the event loop: {offenders}"
