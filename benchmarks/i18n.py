"""What translation costs: the same pages rendered in English, French and Spanish, in-process.

    .venv/bin/python benchmarks/i18n.py [--repeat 15] [--db URL]

Builds a temporary SQLite database from the bundled data (or uses ``--db``), then renders each
evidence and analysis page through the real app (``create_app`` + Starlette's TestClient, so
the language middleware, the page cache and every template run) with a fresh query string each
time, so the page cache never answers. Interleaved per round (en, fr, es, en, …) so that the
noisy machine hits every language alike; reports the median per page and the ratio of French
and Spanish to English (the peer: the same page, same data, same run). Also times the first
use of each language's catalogues (parsed and compiled in memory once per process).

``--formatting`` instead compares locale number formatting: each page rendered with
``format_number``'s fast path (f-string + the locale's symbols, read once) and with Babel's
``format_decimal`` (``format_number_babel``, what every call cost before), interleaved in the
same run, with the number of formatting calls per page.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from equals.core import i18n
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

PAGES = [
    "/",
    "/indicators",
    "/indicator/internet_use",
    "/countries",
    "/country/KEN",
    "/about",
    "/analysis/country/KEN",
    "/analysis/methodology",
]
LANGS = ["en", "fr", "es"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite from the bundle)")
    parser.add_argument("--formatting", action="store_true", help="fast path against Babel")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        if not args.db:
            store = Store(url)
            store.init()
            store.dispose()
        i18n.translations.cache_clear()
        for lang in LANGS[1:]:
            t0 = time.perf_counter()
            i18n.translations(lang)
            ms = 1000 * (time.perf_counter() - t0)
            print(f"catalogues of {lang}: parsed and compiled in {ms:.1f} ms (first use)")
        with TestClient(create_app(Settings(db_url=url))) as client:
            for lang in LANGS:  # warm-up: every template compiled, caches filled
                for page in PAGES:
                    client.get(("" if lang == "en" else f"/{lang}") + page)
            if args.formatting:
                compare_formatting(client, args.repeat)
                return
            times: dict[tuple[str, str], list[float]] = {}
            for n in range(args.repeat):
                for page in PAGES:
                    for lang in LANGS:
                        prefix = "" if lang == "en" else f"/{lang}"
                        sep = "&" if "?" in page else "?"
                        t0 = time.perf_counter()
                        r = client.get(f"{prefix}{page}{sep}bench={n}")
                        elapsed = time.perf_counter() - t0
                        assert r.status_code == 200, (lang, page, r.status_code)
                        times.setdefault((page, lang), []).append(elapsed * 1000)
    print(f"\n{'page':28} {'en ms':>8} {'fr ms':>8} {'es ms':>8} {'fr/en':>6} {'es/en':>6}")
    ratios = []
    for page in PAGES:
        med = {lang: statistics.median(times[(page, lang)]) for lang in LANGS}
        ratios += [med["fr"] / med["en"], med["es"] / med["en"]]
        print(
            f"{page:28} {med['en']:8.1f} {med['fr']:8.1f} {med['es']:8.1f} "
            f"{med['fr'] / med['en']:6.2f} {med['es'] / med['en']:6.2f}"
        )
    print(f"\nmedian ratio (fr and es / en) over the pages: {statistics.median(ratios):.2f}")


def compare_formatting(client: TestClient, repeat: int) -> None:
    """Each page with the fast formatter and with Babel's, interleaved; medians and ratio."""
    fast, babel = i18n.format_number, i18n.format_number_babel
    calls = 0

    def counting(value: float, digits: int = 1, *, signed: bool = False) -> str:
        nonlocal calls
        calls += 1
        return fast(value, digits, signed=signed)

    times: dict[tuple[str, str, str], list[float]] = {}
    counts: dict[tuple[str, str], int] = {}
    try:
        for n in range(repeat):
            for page in PAGES:
                for lang in LANGS:
                    for mode, impl in (("fast", fast), ("babel", babel)):
                        i18n.format_number = impl
                        prefix = "" if lang == "en" else f"/{lang}"
                        t0 = time.perf_counter()
                        r = client.get(f"{prefix}{page}?fmt={mode}{n}")
                        elapsed = time.perf_counter() - t0
                        assert r.status_code == 200, (lang, page, r.status_code)
                        times.setdefault((page, lang, mode), []).append(elapsed * 1000)
                    if n == 0:
                        calls = 0
                        i18n.format_number = counting
                        client.get(f"{prefix}{page}?fmt=count")
                        counts[(page, lang)] = calls
    finally:
        i18n.format_number = fast
    print(f"\n{'page':24} {'lang':4} {'calls':>6} {'Babel ms':>9} {'fast ms':>8} {'ratio':>6}")
    ratios = []
    for page in PAGES:
        for lang in LANGS:
            b = statistics.median(times[(page, lang, "babel")])
            f = statistics.median(times[(page, lang, "fast")])
            ratios.append(b / f)
            print(f"{page:24} {lang:4} {counts[(page, lang)]:6} {b:9.1f} {f:8.1f} {b / f:6.2f}")
    print(f"\nmedian Babel/fast ratio over pages and languages: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
