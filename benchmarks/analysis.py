"""Analysis benchmark: the composite index with Monte Carlo rank intervals, all countries.

    .venv/bin/python benchmarks/analysis.py [--draws 1000] [--repeat 5] [--db URL]

1. Builds a temporary SQLite database from the bundled data (or uses ``--db``).
2. Times, in this process: loading the panel from the store (first call, uncached), the
   nominal scores alone (0 draws), and the full index with ``--draws`` Monte Carlo draws
   (panel already loaded, result cache bypassed), ``--repeat`` times; reports min/median.
3. Times the whole command ``equals index --format json`` as a user runs it (a fresh Python
   process: imports, database open, panel, Monte Carlo, JSON), ``--repeat`` times.

Goal (issue 14): ``equals index`` for all countries with 1,000 draws in under 5 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 5.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()

    import numpy as np

    from equals.analysis.index import index_from_panel
    from equals.analysis.method import load_method
    from equals.analysis.panel import load_panel
    from equals.evidence.queries import Evidence
    from equals.store import Store

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    store = Store(url)
    if not store.is_initialised():
        t = time.perf_counter()
        store.init()
        print(f"built {url} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    evidence = Evidence(store)
    method = load_method()

    t = time.perf_counter()
    panel = load_panel(evidence, method.indicators)
    load_s = time.perf_counter() - t

    def timed(draws: int) -> list[float]:
        out = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = index_from_panel(panel, method, draws=draws)
            out.append(time.perf_counter() - t0)
        assert len(result.ranked) > 0
        return out

    nominal = timed(0)
    full = timed(args.draws)
    result = index_from_panel(panel, method, draws=args.draws)
    widths = [c.rank_high - c.rank_low for c in result.ranked]  # type: ignore[operator]

    env = {**os.environ, "EQUALS_DB": url}
    cli = []
    cli_cpu = []
    for _ in range(args.repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                str(Path(sys.executable).parent / "equals"),
                "index",
                "--format",
                "json",
                "--draws",
                str(args.draws),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        cli.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    rows = json.loads(proc.stdout)

    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}",
        "countries": len(panel.countries),
        "ranked": len(result.ranked),
        "draws": args.draws,
        "panel_load_s": round(load_s, 3),
        "nominal_s": {
            "min": round(min(nominal), 3),
            "median": round(statistics.median(nominal), 3),
        },
        "index_with_draws_s": {
            "min": round(min(full), 3),
            "median": round(statistics.median(full), 3),
        },
        "cli_end_to_end_s": {"min": round(min(cli), 3), "median": round(statistics.median(cli), 3)},
        "cli_cpu_s": {
            "min": round(min(cli_cpu), 3),
            "median": round(statistics.median(cli_cpu), 3),
        },
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cli_rows": len(rows),
        "rank_interval_width": {"median": statistics.median(widths), "max": max(widths)},
        "goal_s": GOAL_SECONDS,
        "goal_met": statistics.median(cli) < GOAL_SECONDS,
    }
    print(json.dumps(report, indent=2))
    store.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
