"""Server-rendered pages: content, 404s, static files, and that nothing loads from the internet."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from equals.evidence.queries import Evidence
from equals.settings import Settings
from equals.web.app import create_app

PAGES = [
    "/",
    "/?indicator=women_managers",
    "/indicators",
    "/indicator/internet_use",
    "/indicator/women_in_parliament",
    "/countries",
    "/country/KEN",
    "/about",
    "/sources",
]


class _Assets(HTMLParser):
    """Collects script src and stylesheet/icon hrefs of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"] or "")
        if tag in {"img", "iframe"} and a.get("src"):
            self.urls.append(a["src"] or "")


def _html(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def _ranking_rows(html: str) -> list[str]:
    body = html.split('id="ranking"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>", body)


@pytest.mark.parametrize("url", PAGES)
def test_page_is_html_with_layout(client: TestClient, url: str) -> None:
    html = _html(client, url)
    assert '<meta name="viewport"' in html
    assert 'href="/docs"' in html  # footer link to the API
    assert "Sources:" in html and "World Bank" in html  # attribution line
    assert "<main" in html and "<nav" in html


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_nothing_from_the_internet(client: TestClient, url: str) -> None:
    parser = _Assets()
    parser.feed(_html(client, url))
    assert parser.urls
    for asset in parser.urls:
        assert not re.match(r"^(https?:)?//", asset), f"{url} loads {asset}"
        assert asset.startswith("/static/"), asset


def test_home_shows_map_selectors_and_largest_gaps(client: TestClient, evidence: Evidence) -> None:
    html = _html(client, "/")
    assert 'class="map js-map"' in html
    assert 'data-gaps-url="/api/v1/gaps?indicator=internet_use&amp;format=json"' in html
    for label in ('for="pillar-select"', 'for="indicator-select"', 'for="year-select"'):
        assert label in html
    assert "Largest gaps" in html
    lowest = [r for r in evidence.gaps("internet_use") if r.gap.parity is not None][:10]
    gap_list = html.split('class="gap-list"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'href="/country/([A-Z]{3})\?', gap_list) == [r.area for r in lowest]
    assert "Licence" in html and "CC BY 4.0" in html
    assert "/static/vendor/vega-lite/vega-lite.min.js" in html


def test_home_indicator_and_year_in_query_string(client: TestClient, evidence: Evidence) -> None:
    year = evidence.years("women_managers")[-3]
    html = _html(client, f"/?indicator=women_managers&year={year}")
    assert '<option value="women_managers" selected>' in html
    assert f'<option value="{year}" selected>' in html
    assert f"year={year}" in html  # the map fetches that exact year


def test_home_bad_year_falls_back_to_latest(client: TestClient) -> None:
    html = _html(client, "/?indicator=internet_use&year=1850")
    assert "showing the latest year" in html
    assert '<option value="" selected>Latest available</option>' in html
    assert "showing the latest" in _html(client, "/?year=abc")


def test_home_unknown_indicator_is_html_404(client: TestClient) -> None:
    html = _html(client, "/?indicator=internet_usage", status=404)
    assert "internet_usage" in html
    assert 'href="/indicator/internet_use"' in html  # suggestion


def test_indicator_page(client: TestClient, evidence: Evidence) -> None:
    html = _html(client, "/indicator/internet_use")
    ind = evidence.indicator("internet_use")
    assert ind.title in html
    assert ind.unit in html
    assert "17.8.1" in html
    assert "CC BY 4.0" in html  # default source's licence
    assert 'for="source-select"' in html  # alternative sources
    assert 'class="js-sortable"' in html and 'data-sort="num"' in html
    rows = _ranking_rows(html)
    assert len(rows) == len(evidence.gaps("internet_use"))
    assert 'href="/api/v1/gaps?indicator=internet_use&amp;format=csv"' in html
    assert 'href="/api/v1/gaps?indicator=internet_use&amp;format=json"' in html


def test_indicator_downloads_match_table(client: TestClient) -> None:
    html = _html(client, "/indicator/internet_use?source=itu-urban-rural&breakdown=location=urban")
    assert '<option value="location=urban" selected>Urban</option>' in html
    match = re.search(r'href="(/api/v1/gaps\?[^"]*format=csv)"', html)
    assert match
    url = match.group(1).replace("&amp;", "&")
    assert "breakdown=location%3Durban" in url and "source=itu-urban-rural" in url
    table = list(csv.DictReader(io.StringIO(client.get(url).text)))
    assert len(table) == len(_ranking_rows(html)) > 0
    assert {r["breakdown"] for r in table} == {"location=urban"}
    first = table[0]["country_name"]
    assert first in html.split('id="ranking"', 1)[1]


def test_indicator_female_share_columns(client: TestClient) -> None:
    html = _html(client, "/indicator/women_in_parliament")
    assert "Women&#39;s share" in html or "Women's share" in html
    assert "Distance from 50%" in html


def test_indicator_year_choice(client: TestClient, evidence: Evidence) -> None:
    year = evidence.years("account_ownership")[-1]
    html = _html(client, f"/indicator/account_ownership?year={year}")
    assert f"year={year}" in html
    assert len(_ranking_rows(html)) == len(evidence.gaps("account_ownership", year=year))


def test_unknown_indicator_and_source_are_html_404(client: TestClient) -> None:
    html = _html(client, "/indicator/internet", status=404)
    assert "internet" in html and 'href="/indicator/internet_use"' in html
    html = _html(client, "/indicator/internet_use?source=nope", status=404)
    assert 'href="?source=wdi"' in html


def test_country_page_kenya(client: TestClient, evidence: Evidence) -> None:
    html = _html(client, "/country/KEN")
    assert "<h1>Kenya</h1>" in html
    api = client.get("/api/v1/countries/KEN").json()
    for entry in api["indicators"]:
        assert entry["indicator"]["short_title"] in html.replace("&#39;", "'")
    for missing in api["missing"]:
        assert f'href="/indicator/{missing["id"]}"' in html
    latest = next(e["latest"] for e in api["indicators"] if e["indicator"]["id"] == "internet_use")
    assert f'data-testid="female-internet_use" data-value="{latest["female"]}"' in html
    assert f"{latest['female']:.1f}%" in html
    assert "unweighted mean" in html  # comparison method label
    assert 'class="trend js-trend" data-indicator="internet_use"' in html
    assert 'data-profile-url="/api/v1/countries/KEN"' in html
    assert "No data for Kenya" in html


def test_country_highlight_from_map_click(client: TestClient) -> None:
    html = _html(client, "/country/KEN?indicator=internet_use")
    assert 'class="card entry is-highlighted" id="ind-internet_use"' in html


def test_country_code_is_canonicalised(client: TestClient) -> None:
    r = client.get("/country/ken?indicator=internet_use", follow_redirects=False)
    assert r.status_code == 308
    assert r.headers["location"] == "/country/KEN?indicator=internet_use"


def test_unknown_country_is_friendly_html_404(client: TestClient) -> None:
    html = _html(client, "/country/KENYAA", status=404)
    assert "KENYAA" in html
    assert 'href="/country/KEN"' in html  # suggestion by name
    assert 'href="/countries"' in html


def test_countries_and_indicators_lists(client: TestClient, evidence: Evidence) -> None:
    html = _html(client, "/countries")
    assert 'href="/country/KEN">Kenya</a>' in html
    html = _html(client, "/indicators")
    for ind in evidence.catalogue:
        assert f'href="/indicator/{ind.id}"' in html


def test_about_lists_sources_and_formulas(client: TestClient, evidence: Evidence) -> None:
    html = _html(client, "/about")
    for source in evidence.sources().values():
        assert f'id="source-{source.id}"' in html
        assert source.licence.replace("&", "&amp;") in html
    for formula in ("F / M", "(M − F) / M", "F − M", "S − 50", "0.98", "1.02"):
        assert formula in html


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/vega/vega.min.js",
        "/static/vendor/vega-lite/vega-lite.min.js",
        "/static/vendor/vega-embed/vega-embed.min.js",
        "/static/vendor/world-atlas/countries-110m.json",
        "/static/vendor/vega/LICENSE",
        "/static/vendor/README.md",
        "/static/css/site.css",
        "/static/js/map.js",
        "/static/js/trend.js",
        "/static/js/table-sort.js",
        "/static/js/controls.js",
        "/static/img/favicon.svg",
    ],
)
def test_static_files_served(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert len(r.content) > 100


def test_world_atlas_ids_join_to_m49(client: TestClient) -> None:
    atlas = client.get("/static/vendor/world-atlas/countries-110m.json").json()
    ids = {g.get("id") for g in atlas["objects"]["countries"]["geometries"]}
    m49 = {a["m49"] for a in client.get("/api/v1/countries").json() if a["m49"] is not None}
    joined = {int(i) for i in ids if i is not None} & m49
    assert len(joined) >= 170
    assert "404" in ids  # Kenya, zero-padded string ids


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/initiatives/abc", 404),
        ("/initiatives/99999999999999999999", 404),  # was a 500 (SQLite integer overflow)
        ("/initiatives/99999999999999999999/edit", 404),
        ("/initiatives/0", 404),
    ],
)
def test_pages_answer_bad_parameters_with_pages(client: TestClient, path: str, status: int) -> None:
    """A page never answers with the API's JSON error body, and never with a 500."""
    r = client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")


def test_a_bad_query_value_on_a_page_is_an_html_422(app_settings: Settings) -> None:
    """A page route with a typed query parameter answers a bad value with a page, not JSON."""
    app = create_app(app_settings)

    def probe(n: int) -> dict[str, int]:
        return {"n": n}

    app.add_api_route("/probe", probe)
    with TestClient(app) as c:
        r = c.get("/probe", params={"n": "many"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "value of n is not valid" in r.text
