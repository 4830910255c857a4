"""SDMX-CSV output of the API and CLI, read back with the sdmx1 library (SDMX-CSV 2.0 reader).

The reference for every value is the same query's JSON answer (the API's own contract, tested
against the source files in tests/indicators): the SDMX file must carry exactly those numbers.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from equals.evidence.sdmx import breakdown_code, sdmx_id, structure

pytest.importorskip("sdmx")
from sdmx.reader.csv import Reader


def read_back(text: str, kind: str = "observations") -> list[Any]:
    message = Reader().convert(io.BytesIO(text.encode()), structure=structure(kind))
    return list(message.data)


def obs_key(o: Any) -> tuple[str, ...]:
    return tuple(str(v.value) for v in o.key.values.values())


def attrs(o: Any) -> dict[str, str]:
    return {k: str(v.value) for k, v in o.attached_attribute.items()}


def test_observations_round_trip(client: TestClient) -> None:
    q = "/api/v1/observations?indicator=internet_use&country=KEN"
    js = client.get(q).json()
    res = client.get(q + "&format=sdmx-csv")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/vnd.sdmx.data+csv")
    (ds,) = read_back(res.text)
    assert len(ds.obs) == len(js) > 20
    got = {obs_key(o): (float(o.value), attrs(o)) for o in ds.obs}
    sex = {"female": "F", "male": "M", "total": "_T"}
    for rec in js:
        key = ("internet_use", "KEN", str(rec["year"]), sex[rec["sex"]], "_T")
        value, a = got[key]
        assert value == rec["value"]  # same float, no rounding on the way
        assert a["SOURCE"] == "wdi" and a["UNIT_MEASURE"] == "% of population"
        assert a["RELEASE"] == rec["release"] == "bundled"
        assert a["LICENCE"] == rec["licence"]


def test_every_source_is_its_own_dataflow_with_unique_keys(client: TestClient) -> None:
    # Without an indicator the API returns every source: the same key can come from two.
    res = client.get("/api/v1/observations?country=KEN&format=sdmx-csv")
    datasets = read_back(res.text)
    assert len(datasets) >= 5
    total = 0
    for ds in datasets:
        keys = [obs_key(o) for o in ds.obs]
        assert len(keys) == len(set(keys))
        assert len({attrs(o)["SOURCE"] for o in ds.obs}) == 1
        total += len(keys)
    assert total == int(res.headers["X-Total-Count"])


def test_breakdowns_are_their_own_series(client: TestClient) -> None:
    q = (
        "/api/v1/observations?indicator=internet_use&source=itu-urban-rural"
        "&breakdown=location=urban"
    )
    (ds,) = read_back(client.get(q + "&format=sdmx-csv").text)
    assert {obs_key(o)[4] for o in ds.obs} == {"LOCATION_URBAN"}
    assert breakdown_code("") == "_T" and sdmx_id("WB:WLD") == "WB_WLD"


def test_gaps_round_trip(client: TestClient) -> None:
    q = "/api/v1/gaps?indicator=internet_use&year=2019"
    js = {r["country"]: r for r in client.get(q).json()}
    (ds,) = read_back(client.get(q + "&format=sdmx-csv").text, "gaps")
    by_key = {obs_key(o): o for o in ds.obs}
    ken = js["KEN"]
    assert float(by_key[("internet_use", "KEN", "2019", "F", "_T", "VALUE")].value) == ken["female"]
    parity = by_key[("internet_use", "KEN", "2019", "_Z", "_T", "PARITY")]
    assert float(parity.value) == ken["parity"]
    # Provenance of the formula: ITU parity score = female / male.
    assert ken["parity"] == pytest.approx(ken["female"] / ken["male"], rel=1e-12)
    assert attrs(parity)["GAP_STATUS"] == ken["status"]
    n_values = sum(1 for r in js.values() for s in ("female", "male", "total") if r[s] is not None)
    n_metrics = sum(
        1
        for r in js.values()
        for m in ("parity", "relative", "difference", "distance_from_parity")
        if r[m] is not None
    )
    assert len(ds.obs) == n_values + n_metrics


def test_json_records_carry_the_release(client: TestClient) -> None:
    rec = client.get("/api/v1/gaps?indicator=internet_use").json()[0]
    assert rec["release"] == "bundled"
    assert client.get("/api/v1/observations?format=sdmx").status_code == 422


def test_cli_gaps_sdmx_csv(loaded_db_url: str) -> None:
    from typer.testing import CliRunner

    from equals.cli import app

    args = ["gaps", "internet_use", "--year", "2019", "--db", loaded_db_url, "--format"]
    result = CliRunner().invoke(app, [*args, "sdmx-csv"])
    assert result.exit_code == 0, result.output
    (ds,) = read_back(result.stdout, "gaps")
    keys = {obs_key(o) for o in ds.obs}
    assert ("internet_use", "KEN", "2019", "_Z", "_T", "PARITY") in keys
    assert {attrs(o)["RELEASE"] for o in ds.obs} == {"bundled"}
    js = CliRunner().invoke(app, [*args, "json"])
    assert len(json.loads(js.stdout)) == len({k[1] for k in keys})
