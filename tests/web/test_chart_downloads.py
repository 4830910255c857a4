"""Every chart offers what OWID grapher users expect (issue 14): the toolbar (SVG/PNG, CSV, zip
with metadata and citation, link, embed), downloads that answer with the right content type
and a metadata sheet naming source, years, licence and citation, and embeds that render the
chart alone and — unlike every other page — may be framed by other sites."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from equals.auth import Actor
from equals.evidence.queries import Evidence
from equals.settings import Settings
from equals.store import Store

# an IGF report that states participants and women present (for the participation chart)
REPORT = Path(__file__).resolve().parents[1] / "sessions" / "fixtures" / "report-2019.txt"

TOOLBAR = re.compile(
    r'<div class="downloads js-chart-tools"(?P<attrs>[^>]*)>(?P<body>.*?)</details>', re.S
)


def _attr(text: str, name: str) -> str:
    m = re.search(rf'{name}="([^"]*)"', text)
    assert m, f"no {name} in {text[:200]}"
    return html.unescape(m.group(1))


def toolbars(page: str) -> list[dict[str, str]]:
    """Each toolbar on a page: the chart id, its links and the embed snippet."""
    out = []
    for m in TOOLBAR.finditer(page):
        attrs, body = m.group("attrs"), m.group("body")
        hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]*)"', body)]
        out.append(
            {
                "chart": _attr(attrs, "data-chart"),
                "share": _attr(attrs, "data-share-url"),
                "embed": _attr(attrs, "data-embed-url"),
                "csv": hrefs[0],
                "zip": hrefs[1],
                "snippet": html.unescape(
                    re.search(r"<textarea[^>]*>(.*?)</textarea>", body, re.S).group(1)
                ),  # type: ignore[union-attr]
                "body": body,
            }
        )
    return out


@pytest.fixture(scope="module")
def client(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The site over a copy of the loaded database with a filed session report and an
    initiative with a target (so that every kind of chart has data)."""
    from equals.archive.filing import EventRef, file_report
    from equals.partners import create_initiative, create_partner
    from equals.sessions import parse_report
    from equals.web.app import create_app

    path = tmp_path_factory.mktemp("charts") / "charts.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    store = Store(f"sqlite:///{path}")
    actor = Actor("cli:test")
    lead = create_partner(
        store, {"name": "GSMA", "stakeholder_group": "private_sector"}, actor=actor
    )
    body = {
        "title": "Digital skills for girls",
        "lead_organization_id": lead.organization_id,
        "action_areas": ["access"],
        "countries": ["KEN"],
        "status": "2",
        "targets": [
            {"indicator": "internet_use", "country": "KEN", "sex": "female",
             "baseline_value": 24.0, "baseline_year": 2019, "target_value": 40.0,
             "target_year": 2026}
        ],
    }  # fmt: skip
    create_initiative(store, body, actor=actor)
    report = parse_report(REPORT.read_text("utf-8"))
    file_report(store, report, actor=actor, event=EventRef("IGF", 2019))
    store.dispose()
    with TestClient(create_app(Settings(db_url=f"sqlite:///{path}"))) as c:
        yield c


def _initiative_with_target(client: TestClient) -> tuple[int, int]:
    for ini in client.get("/api/v1/initiatives").json():
        detail = client.get(f"/api/v1/initiatives/{ini['id']}").json()
        if detail.get("targets"):
            return int(ini["id"]), int(detail["targets"][0]["id"])
    pytest.fail("the example content has no initiative with a target")


def chart_pages(client: TestClient) -> list[str]:
    ini, _ = _initiative_with_target(client)
    return [
        "/",
        "/?indicator=mobile_phone_ownership",
        "/indicator/internet_use",
        "/country/KEN",
        "/sessions/participation",
        "/action",
        f"/initiatives/{ini}",
        "/analysis",
        "/analysis/country/KEN",
        "/analysis/data-gaps",
    ]


def test_every_chart_page_has_the_toolbar_for_each_chart(client: TestClient) -> None:
    for path in chart_pages(client):
        page = client.get(path)
        assert page.status_code == 200, path
        bars = toolbars(page.text)
        assert bars, f"{path}: no chart toolbar"
        for bar in bars:
            # the toolbar belongs to a chart on this page, and the link points at it
            assert f'id="{bar["chart"]}"' in page.text, (path, bar["chart"])
            assert bar["share"].endswith("#" + bar["chart"]), bar
            assert "embed=1" in bar["embed"] and "#" not in bar["embed"]
            assert f'src="{bar["embed"]}"' in bar["snippet"] and "<iframe" in bar["snippet"]
            for label in (
                "SVG",
                "PNG",
                "Data (CSV)",
                "metadata + citation (zip)",
                "Link to this chart",
            ):
                assert label in bar["body"], (path, label)
        # every chart drawn on the page carries a toolbar
        if path == "/country/KEN":
            trends = re.findall(
                r'class="trend js-trend" data-indicator="[^"]+" id="([^"]+)"', page.text
            )
            assert len(trends) > 3 and set(trends) <= {b["chart"] for b in bars}


def _zip(client: TestClient, url: str) -> zipfile.ZipFile:
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:300])
    assert r.headers["content-type"] == "application/zip", url
    assert r.headers["content-disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(r.content))


def test_every_csv_and_zip_link_answers_with_data_and_metadata(client: TestClient) -> None:
    today = datetime.now(UTC).date().isoformat()
    for path in chart_pages(client):
        for bar in toolbars(client.get(path).text):
            c = client.get(bar["csv"])
            assert c.status_code == 200, bar["csv"]
            assert c.headers["content-type"].startswith("text/csv"), bar["csv"]
            assert len(c.text.splitlines()) >= 2, f"{bar['csv']}: no rows"
            with _zip(client, bar["zip"]) as z:
                names = set(z.namelist())
                if bar["zip"].startswith("/api/v1/analysis/"):  # the analysis zips' own layout
                    assert "CITATION.txt" in names and "Licence" in z.read("CITATION.txt").decode()
                    continue
                (csv_name,) = [n for n in names if n.endswith(".csv")]
                assert names == {csv_name, "metadata.json", "README.txt"}
                # the zip holds exactly what the CSV link gives
                assert z.read(csv_name).decode() == c.text, bar["zip"]
                meta = json.loads(z.read("metadata.json"))
                readme = z.read("README.txt").decode()
            assert meta["sources"], bar["zip"]
            for s in meta["sources"]:
                assert s["licence"] and s["years"] and s["organisation"], s
                assert s["licence"] in readme and s["organisation"] in readme
            assert meta["accessed"] == today and f"accessed {today}" in meta["citation"]
            assert meta["url"].startswith("http") and meta["url"] in meta["citation"]
            assert meta["url"].endswith("#" + bar["chart"]) or "/indicator/" in meta["url"]
            assert meta["query"].startswith("http") and meta["query"].endswith(bar["csv"])
            assert meta["citation"] in readme and meta["query"] in readme
            # every column is listed, and every one of ours is explained
            header = next(csv.reader(io.StringIO(c.text)))
            assert [col["column"] for col in meta["columns"]] == header
            assert all(col["description"] for col in meta["columns"]), meta["columns"]
            assert all(f"- {col}: " in readme for col in header)


def test_map_zip_metadata_matches_the_catalogue_and_the_data(
    client: TestClient, evidence: Evidence
) -> None:
    """Independent check: the definition, unit, source licence and year range come from the
    catalogue and the gap rows themselves, not from the CSV the zip was built from."""
    year = evidence.years("internet_use", comparable=True)[-2]
    page = client.get("/", params={"indicator": "internet_use", "year": year}).text
    (bar,) = toolbars(page)
    assert bar["share"] == f"/?indicator=internet_use&year={year}#map"
    assert bar["csv"] == f"/api/v1/gaps?indicator=internet_use&year={year}&format=csv"
    with _zip(client, bar["zip"]) as z:
        meta = json.loads(z.read("metadata.json"))
    ind = evidence.indicator("internet_use")
    assert meta["indicator"]["definition"] == ind.definition
    assert meta["indicator"]["unit"] == ind.unit
    rows = evidence.gaps("internet_use", year=year)
    by_source: dict[str, set[int]] = {}
    for r in rows:
        by_source.setdefault(r.source, set()).add(r.year)
    sources = evidence.sources()
    assert {s["id"] for s in meta["sources"]} == set(by_source)
    for s in meta["sources"]:
        assert s["licence"] == sources[s["id"]].licence
        assert s["years"] == str(year) and by_source[s["id"]] == {year}
        assert f"({year}). Licence: {s['licence']}." in meta["citation"]


def test_trend_zip_is_the_countrys_observations(client: TestClient, evidence: Evidence) -> None:
    page = client.get("/country/KEN").text
    bar = next(b for b in toolbars(page) if b["chart"] == "trend-internet_use")
    assert bar["share"] == "/country/KEN?indicator=internet_use#trend-internet_use"
    with _zip(client, bar["zip"]) as z:
        (name,) = [n for n in z.namelist() if n.endswith(".csv")]
        rows = list(csv.DictReader(io.StringIO(z.read(name).decode())))
        meta = json.loads(z.read("metadata.json"))
    expected = evidence.observations(indicator="internet_use", country="KEN")
    assert len(rows) == len(expected) and {r["country"] for r in rows} == {"KEN"}
    years = sorted(o.year for o in expected)
    (src,) = meta["sources"]
    span = str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    assert src["years"] == span and src["id"] == expected[0].source


def test_share_links_restore_the_chart_state(client: TestClient) -> None:
    state = {"source": "itu-urban-rural", "breakdown": "location=urban"}
    page = client.get("/indicator/internet_use", params=state).text
    (bar,) = toolbars(page)
    assert "source=itu-urban-rural" in bar["share"] and "location%3Durban" in bar["share"]
    assert "source=itu-urban-rural" in bar["csv"] and "location%3Durban" in bar["zip"]
    assert "source=itu-urban-rural" in bar["embed"] and "location%3Durban" in bar["embed"]
    again = client.get(bar["share"].split("#")[0]).text
    assert toolbars(again)[0]["share"] == bar["share"]


def test_links_keep_the_pages_language(client: TestClient) -> None:
    (bar,) = toolbars(client.get("/fr/", params={"indicator": "internet_use"}).text)
    assert bar["share"] == "/fr?indicator=internet_use#map"
    assert bar["embed"] == "/fr?indicator=internet_use&embed=1"
    assert bar["csv"].startswith("/api/v1/")  # the API has no language prefix
    embed = client.get(bar["embed"])
    assert embed.status_code == 200 and embed.headers["content-language"] == "fr"
    assert _frame_policy(embed.headers) == "*"
    (action,) = toolbars(client.get("/es/action").text)
    assert action["share"].startswith("/es/action?") and action["embed"].startswith("/es/embed/")
    assert client.get(action["embed"]).headers["content-language"] == "es"


def _frame_policy(headers: Any) -> str:
    csp = {
        d.split(" ", 1)[0]: d.split(" ", 1)[1]
        for d in headers["content-security-policy"].split("; ")
    }
    return csp["frame-ancestors"]


def test_embeds_render_the_chart_alone_and_may_be_framed(client: TestClient) -> None:
    seen = 0
    for path in chart_pages(client):
        page = client.get(path)
        assert _frame_policy(page.headers) == "'none'" and page.headers["x-frame-options"] == "DENY"
        for bar in toolbars(page.text):
            r = client.get(bar["embed"])
            assert r.status_code == 200, bar["embed"]
            again = client.get(bar["embed"])  # a second answer (from the page cache) is the same
            assert again.text == r.text and _frame_policy(again.headers) == "*"
            assert "site-header" not in r.text and "site-nav" not in r.text, bar["embed"]
            assert f'id="{bar["chart"]}"' in r.text, bar["embed"]
            # the chart's title, a source line and a link back to the full page
            assert (
                "EQUALS Hub" in r.text
                and f'href="{bar["share"].split("#")[0]}' in html.unescape(r.text)
            )
            assert "licence" in r.text.lower() or "session archive" in r.text, bar["embed"]
            assert _frame_policy(r.headers) == "*", bar["embed"]
            assert "x-frame-options" not in r.headers
            assert "x-equals-frameable" not in r.headers  # the marker never leaves the server
            seen += 1
    assert seen >= 10


def test_only_embeds_may_be_framed(client: TestClient) -> None:
    """?embed=1 on a page without an embed (or a form) changes nothing: framing is the
    route's deliberate choice, not the query string's."""
    for path in (
        "/login?embed=1",
        "/indicators?embed=1",
        "/about?embed=1",
        "/api/v1/indicators?embed=1",
    ):
        r = client.get(path)
        assert _frame_policy(r.headers) == "'none'", path
        assert r.headers["x-frame-options"] == "DENY", path
    missing = client.get("/country/KEN", params={"embed": "1", "indicator": "nope"})
    assert missing.status_code == 404 and _frame_policy(missing.headers) == "'none'"


def test_bad_download_parameters_are_clear_errors(client: TestClient) -> None:
    r = client.get("/api/v1/chart-data/gaps.zip", params={"indicator": "nope"})
    assert r.status_code == 404 and r.json()["error"]["code"]
    r = client.get(
        "/api/v1/chart-data/observations.zip",
        params={"country": "XXX", "indicator": "internet_use"},
    )
    assert r.status_code == 404
    r = client.get("/api/v1/chart-data/action-gaps.csv", params={"pillar": "bogus"})
    assert r.status_code == 422 and "pillar" in r.text
    assert client.get("/api/v1/chart-data/target-series/999999/1.zip").status_code == 404
