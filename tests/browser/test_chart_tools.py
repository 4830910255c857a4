"""The chart toolbar in a real browser (issue 14): SVG and PNG downloads from the home map and a
country trend chart are valid files, the embed snippet carries an absolute URL, and an embed
draws inside another site's frame while an ordinary page refuses to be framed there.

Headless Debian Chromium through Playwright (fixtures ``browser`` and ``live_server`` in
tests/conftest.py). Every test fails on a console error.
"""

from __future__ import annotations

import http.server
import struct
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = context.new_page()
    p.errors = []
    p.on("console", lambda m: p.errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: p.errors.append(f"page error: {e}"))
    try:
        yield p
    finally:
        context.close()


def _download(page: Any, toolbar: str, fmt: str) -> tuple[str, bytes]:
    button = page.locator(f'{toolbar} .js-download[data-format="{fmt}"]')
    assert button.is_visible(), f"{toolbar}: the {fmt} button is not shown"
    with page.expect_download() as info:
        button.click()
    path = info.value.path()
    assert path is not None
    return info.value.suggested_filename, Path(path).read_bytes()


def _check_svg(data: bytes, min_paths: int) -> ET.Element:
    root = ET.fromstring(data)  # well-formed XML
    assert root.tag == f"{SVG_NS}svg"
    assert float(root.get("width", "0")) > 100 and float(root.get("height", "0")) > 100
    assert len(root.findall(f".//{SVG_NS}path")) >= min_paths
    return root


def _check_png(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 200 and height > 100
    assert data.rstrip(b"\x00")[-8:-4] == b"IEND"  # a complete file
    return width, height


def test_home_map_downloads_svg_and_png(page: Any, live_server: str) -> None:
    page.goto(live_server + "/?indicator=internet_use")
    page.wait_for_selector("#map[data-state=ready]", timeout=30_000)
    toolbar = '.js-chart-tools[data-chart="map"]'
    name, svg = _download(page, toolbar, "svg")
    assert name.endswith(".svg") and name.startswith("internet")
    root = _check_svg(svg, min_paths=100)  # one shape per country
    # the file says what it shows and where the numbers come from (as grapher downloads do)
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert "Internet use" in texts and "Licence" in texts and "0.98–1.02 parity" in texts
    assert f"{live_server}/?indicator=internet_use" in texts
    drawn = page.locator("#map svg path").count()
    assert len(root.findall(f".//{SVG_NS}path")) >= drawn * 0.9
    name, png = _download(page, toolbar, "png")
    assert name.endswith(".png")
    width, _ = _check_png(png)
    shown = page.locator("#map svg").bounding_box()
    assert width >= 2 * int(shown["width"]) - 2  # exported at twice the size on screen
    code = page.locator(f"{toolbar} .js-embed-code").input_value()
    assert code.startswith(f'<iframe src="{live_server}/?indicator=internet_use')
    assert "embed=1" in code
    assert page.get_attribute(f"{toolbar} .js-share", "href").endswith("#map")
    assert page.errors == []


def test_country_trend_downloads_svg_and_png(page: Any, live_server: str) -> None:
    page.goto(live_server + "/country/KEN")
    page.wait_for_selector("#trend-internet_use[data-state=ready]", timeout=30_000)
    toolbar = '.js-chart-tools[data-chart="trend-internet_use"]'
    page.locator(toolbar).scroll_into_view_if_needed()
    name, svg = _download(page, toolbar, "svg")
    assert name.endswith(".svg") and "kenya" in name
    root = _check_svg(svg, min_paths=2)  # a line per sex at least
    texts = "".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert "Women" in texts and "Men" in texts  # the legend is in the file
    assert "Kenya: Internet use" in texts and "Licence" in texts  # title and source line
    _, png = _download(page, toolbar, "png")
    _check_png(png)
    assert page.errors == []


@pytest.fixture
def other_site(live_server: str) -> Iterator[str]:
    """Another origin (its own port on loopback) whose page frames an embed and a normal page."""
    body = (
        f'<!doctype html><title>Another site</title><iframe id="ok" width="900" height="600" '
        f'src="{live_server}/?indicator=internet_use&amp;embed=1"></iframe>'
        f'<iframe id="no" src="{live_server}/indicators" width="900" height="300"></iframe>'
    ).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_embed_draws_inside_another_sites_frame(page: Any, other_site: str) -> None:
    """Another origin frames an embed (it draws) and an ordinary page (refused)."""
    page.goto(other_site)
    frame = page.frame_locator("#ok")
    frame.locator("#map[data-state=ready]").wait_for(timeout=30_000)
    assert frame.locator("#map svg path").count() > 100
    assert frame.locator(".site-header").count() == 0
    assert frame.locator(".embed-back a").get_attribute("target") == "_blank"
    # inside a frame the link opens the full page in a new tab
    assert frame.locator(".js-share").get_attribute("target") == "_blank"
    # the ordinary page was refused by the browser (frame-ancestors 'none'): nothing rendered
    refused = page.locator("#no").element_handle().content_frame()
    assert refused.url.startswith("chrome-error:")  # the browser's "refused to connect" page
    assert refused.locator(".site-header").count() == 0
    ok = page.locator("#ok").element_handle().content_frame()
    assert ok.url.endswith("embed=1")
    # Chromium may report the refused frame on the console; nothing else may fail
    assert [e for e in page.errors if "frame-ancestors" not in e and "Refused" not in e] == []


@pytest.mark.parametrize(
    ("path", "chart"),
    [
        ("/indicator/internet_use?source=itu-urban-rural&breakdown=location%3Durban", "map"),
        ("/action?pillar=skills", "action-map"),
        ("/country/KEN?indicator=internet_use&embed=1", "trend-internet_use"),
        ("/embed/action-map?pillar=access&embed=1", "action-map"),
    ],
)
def test_every_kind_of_chart_offers_its_images(
    page: Any, live_server: str, path: str, chart: str
) -> None:
    """The other charts (and embeds) hand their view to the toolbar too: an SVG comes out."""
    page.goto(live_server + path)
    page.wait_for_selector(f"#{chart}[data-state=ready]", timeout=30_000)
    toolbar = f'.js-chart-tools[data-chart="{chart}"]'
    page.locator(toolbar).scroll_into_view_if_needed()
    _, svg = _download(page, toolbar, "svg")
    root = _check_svg(svg, min_paths=2)
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert "Licence" in texts, texts[-300:]
    assert page.errors == []
