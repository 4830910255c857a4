"""Analysis pages: server-rendered content, embeds, errors; and the charts in a real browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from equals.analysis import compute_index
from equals.evidence.queries import Evidence


def test_index_page_shows_intervals_never_bare_ranks(
    client: TestClient, evidence: Evidence
) -> None:
    r = client.get("/analysis")
    assert r.status_code == 200
    html = r.text
    first = compute_index(evidence).ranked[0]
    # the first ranked country appears with its interval "(low–high)"
    assert re.search(
        rf"{first.rank} <span class=\"muted small\">\({first.rank_low}–{first.rank_high}\)", html
    )
    assert f'href="/analysis/country/{first.country}"' in html
    assert "How many women" in html and "Coverage" in html and "Pace towards parity" in html
    assert "population-weighted" in html and "By region and income group" in html
    acc = client.get("/analysis", params={"head": "account_ownership"})
    assert acc.status_code == 200 and "ages 15+ (Global Findex)" in acc.text
    odd = client.get("/analysis", params={"pace": "x\x00" * 100})
    assert odd.status_code == 200 and "not an index indicator" in odd.text
    assert "<script>" not in html  # no inline script (CSP)
    for kind in ("js-analysis-chart", "Data (CSV)", "embed=1", "Link to this chart"):
        assert kind in html


def test_country_card_lists_values_years_sources(client: TestClient) -> None:
    r = client.get("/analysis/country/KEN", params={"indicator": "women_in_parliament"})
    assert r.status_code == 200
    html = r.text
    assert "The indicators behind the scores" in html and "Years to parity" in html
    assert "CC BY" in html and "/api/v1/analysis/parity-years/KEN/women_in_parliament" in html
    assert client.get("/analysis/country/KEM").status_code == 404
    assert client.get("/analysis/country/KEN", params={"indicator": "nope"}).status_code == 404
    odd = client.get("/analysis/country/%3Cscript%3E")
    assert odd.status_code == 404 and "<script>" not in odd.text


def test_data_gaps_and_methodology_pages(client: TestClient) -> None:
    r = client.get("/analysis/data-gaps")
    assert r.status_code == 200 and "Where the partnership knows least" in r.text
    assert "conceptual clarity" in r.text.lower() or "high · high" in r.text
    m = client.get("/analysis/methodology")
    assert m.status_code == 200 and "Truncation at parity" in m.text and "0.98" in m.text


def test_embed_renders_the_chart_alone(client: TestClient) -> None:
    r = client.get("/analysis/data-gaps", params={"embed": "1"})
    assert r.status_code == 200
    assert "js-analysis-chart" in r.text and "site-header" not in r.text


@pytest.mark.browser
def test_charts_draw_in_chromium(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for path, chart in (
            ("/analysis", "#chart-ranks"),
            ("/analysis/country/KEN?indicator=women_in_parliament", "#chart-trend"),
            ("/analysis/data-gaps", "#chart-availability"),
        ):
            page.goto(live_server + path)
            page.wait_for_selector(f"{chart}[data-state=ready]", timeout=60_000)
            assert page.locator(f"{chart} svg").count() == 1
            assert page.locator(".js-download[data-format=svg]").first.is_visible()
            for fmt, magic in (("svg", b"<svg"), ("png", b"\x89PNG")):
                with page.expect_download() as dl:
                    page.locator(f".js-download[data-format={fmt}]").first.click()
                path = dl.value.path()
                assert path is not None and magic in Path(path).read_bytes()[:64]
            code = page.locator(".js-embed-code").first.input_value()
            assert code.startswith('<iframe src="http') and "embed=1" in code
        # phone layout: the ranking page still draws and nothing overflows the viewport width
        phone = browser.new_context(viewport={"width": 390, "height": 844})
        p2 = phone.new_page()
        p2.goto(live_server + "/analysis/data-gaps")
        p2.wait_for_selector("#chart-availability[data-state=ready]", timeout=60_000)
        width = p2.evaluate("document.documentElement.scrollWidth")
        assert width <= 400
        phone.close()
    finally:
        context.close()
    assert errors == []
