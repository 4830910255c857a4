"""Partnership endpoints with 10,000 synthetic initiatives, timed in process (sequential).

    .venv/bin/python benchmarks/partners.py [--initiatives 10000] [--db PATH] [--repeat 40]

1. Builds a SQLite database from the bundled data plus ``--initiatives`` synthetic initiatives
   (``equals.partners.synthetic``: titled SYNTHETIC, never committed) in a temporary directory,
   or reuses ``--db PATH`` (built there when missing, so that reruns skip the build).
2. Calls each target through Starlette's ``TestClient`` (the whole app, no network), one request
   at a time: the first call (cold: nothing cached for this registry version), then ``--repeat``
   calls, and reports p50 and p95 (nearest rank) of those, and the p50 of the process's CPU
   time per call (client and app together: it moves much less with the machine's load).
3. ``--no-page-cache`` empties the app's anonymous-page cache (where the app has one), so that
   pages measure the registry's own cached views and rendering.
4. ``--write-between`` also measures each target right after a registry write (a progress
   report: the registry's change counter moves, so per-version caches are cold again), which is
   the worst case a cache cannot hide.

The machine is shared, so compare targets measured in the same run; the same run also times
an evidence endpoint (``/api/v1/gaps``) as the peer whose goal is already met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import tempfile
import time
from pathlib import Path

TARGETS = (
    ("peer: gaps (evidence)", "/api/v1/gaps?indicator=internet_use"),
    ("action-gaps", "/api/v1/action-gaps?pillar=access"),
    ("initiatives in a country (50 full records)", "/api/v1/initiatives?country=KEN&limit=50"),
    ("one initiative", "/api/v1/initiatives/1"),
    ("who-does-what (API)", "/api/v1/who-does-what?country=KEN"),
    ("partner directory page", "/partners"),
    ("who-does-what page", "/action/KEN"),
    ("action map page", "/action?pillar=access"),
    ("initiatives page (country)", "/initiatives?country=KEN"),
    ("partner page", "/partners/x:synthetic-0001"),
    ("initiative page", "/initiatives/1"),
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def build(path: Path, initiatives: int) -> None:
    from equals.partners.synthetic import generate
    from equals.store import Store

    t0 = time.perf_counter()
    store = Store(f"sqlite:///{path}")
    store.init()
    generate(store, initiatives=initiatives)
    store.dispose()
    print(f"built {path} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def write_progress(client: object, store_url: str) -> None:
    from equals.auth import Actor
    from equals.partners import add_progress
    from equals.store import Store

    store = Store(store_url)
    add_progress(
        store,
        1,
        {"date": dt.date.today().isoformat(), "narrative": "SYNTHETIC benchmark report"},
        actor=Actor("bench"),
    )
    store.dispose()


def run(
    db: Path, repeat: int, write_between: bool, page_cache: bool = True
) -> list[tuple[str, float, float, float, float, float]]:
    from fastapi.testclient import TestClient

    from equals.settings import Settings
    from equals.web.app import create_app

    url = f"sqlite:///{db}"
    out = []
    app = create_app(Settings(db_url=url))
    cache = getattr(app.state, "page_cache", None)  # the anonymous-page cache, where present
    if cache is not None and not page_cache:
        cache.max_bytes = 0  # stores nothing: every page is rendered (the registry's views)
    with TestClient(app) as client:
        client.get("/api/v1/gaps?indicator=internet_use")  # start-up work out of the way
        for name, path in TARGETS:
            t0 = time.perf_counter()
            r = client.get(path)
            cold = (time.perf_counter() - t0) * 1000
            if r.status_code != 200:
                raise SystemExit(f"{path}: HTTP {r.status_code}: {r.text[:300]}")
            times, cpu = [], []
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            after_write = float("nan")
            if write_between:
                write_progress(client, url)
                t0 = time.perf_counter()
                client.get(path)
                after_write = (time.perf_counter() - t0) * 1000
            out.append(
                (
                    name,
                    cold,
                    percentile(times, 50),
                    percentile(times, 95),
                    percentile(cpu, 50),
                    after_write,
                )
            )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--initiatives", type=int, default=10_000)
    ap.add_argument("--db", type=Path, help="reuse (or build once) this SQLite file")
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--write-between", action="store_true")
    ap.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every page (measures the registry's own views, not the page cache)",
    )
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="equals-partners-bench-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if not db.exists():
            build(db, args.initiatives)
        rows = run(db, args.repeat, args.write_between, page_cache=not args.no_page_cache)
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.python_version()}, "
        f"load average {load}, {args.initiatives} initiatives, {args.repeat} repeats"
        + (", page cache off" if args.no_page_cache else "")
    )
    print("| target | first call | p50 | p95 | CPU p50 | after a write |")
    print("|---|--:|--:|--:|--:|--:|")
    for name, cold, p50, p95, cpu, after in rows:
        aw = "" if after != after else f"{after:.1f} ms"
        print(f"| {name} | {cold:.1f} ms | {p50:.1f} ms | {p95:.1f} ms | {cpu:.1f} ms | {aw} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
