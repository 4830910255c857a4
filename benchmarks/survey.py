"""Survey-engine benchmark: 8 ITU indicators × 5 domain sets with all gender gaps.

    .venv/bin/python benchmarks/survey.py                 # 2M and 10M persons, every peer
    .venv/bin/python benchmarks/survey.py --sizes 2000000 --peers duckdb,svy,r
    .venv/bin/python benchmarks/survey.py --report benchmarks/data/results.json \
        --chart docs/img/survey-benchmark.svg              # Markdown tables + chart, no run

Data: ``equals.survey.simulate`` (synthetic, country KEN, seed 1) written to benchmarks/data/
(gitignored — never commit it), plus a CSV copy for R. Each peer runs in its own process
under ``/usr/bin/time -v`` (wall time and peak RSS of the whole process); each peer's own
timer separates loading the file from estimation. Work, for every peer:

* 8 proportions (internet_use, computer_use, mobile_use, mobile_own, 3 skills, hh_internet),
* domains: overall, sex, sex × urban, sex × age group, sex × region,
* gender gaps (male − female, with SE) overall and by urban, age group and region
  (ours: ``gender_gaps``; R: ``svyby(covmat=TRUE)`` + ``svycontrast``; svy and samplics
  have no female–male covariance by domain, so they do the estimates only).

Every peer has a time limit (``--timeout``, default 600 s; ``--peer-timeout r=1800``); a peer
that would exceed it is stopped and reported with the work it finished, extrapolated.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported by the orchestrator only: a worker's CPU is its peer's
    from rich.progress import Progress

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
VARS = ["internet_use", "computer_use", "mobile_use", "mobile_own", "skill_copy_paste",
        "skill_email_attachment", "skill_programming", "hh_internet"]  # fmt: skip
BYS: list[list[str]] = [[], ["sex"], ["sex", "urban"], ["sex", "age_group"], ["sex", "region"]]
GAP_BYS: list[list[str]] = [[], ["urban"], ["age_group"], ["region"]]
PEERS = ("duckdb", "spark", "r", "svy", "samplics")


# -- workers (run in a child process) ------------------------------------------------------


def work_ours(path: str, engine_name: str) -> dict[str, float | int]:
    from equals.survey import Design, aggregate_many, proportion

    design = Design(weight="weight", strata="stratum", psu="psu")
    quantities = [proportion(v) for v in VARS]
    t0 = time.perf_counter()
    cpu = time.process_time()  # every thread of the process (DuckDB's too)
    engine: object
    if engine_name == "duckdb":
        from equals.survey.engine import DuckDBEngine

        engine = DuckDBEngine(path)
    else:
        from equals.survey.spark import SparkEngine

        engine = SparkEngine(path)
    t1 = time.perf_counter()
    n = 0
    # One scan for every request: cells at sex × urban × age group × region, summed per set.
    bys = [*BYS, *([*b, "sex"] for b in GAP_BYS)]
    batch = aggregate_many(path, design, quantities, bys, engine=engine)
    for by in BYS:
        n += len(batch.estimate(by))
    t_estimates = time.perf_counter()  # what svy computes: the estimates, no gaps
    for by in GAP_BYS:
        n += len(batch.gender_gaps(sex="sex", female=2, male=1, by=by))
    t2 = time.perf_counter()
    return {"load_s": t1 - t0, "estimate_s": t2 - t1, "results": n,
            "cpu_s": time.process_time() - cpu,
            "estimates_only_s": t_estimates - t1}  # fmt: skip


def work_svy(path: str) -> dict[str, float | int]:
    import polars as pl
    import svy

    t0 = time.perf_counter()
    data = pl.read_parquet(path, columns=["stratum", "psu", "weight", "sex", "urban",
                                          "age_group", "region", *VARS])  # fmt: skip
    sample = svy.Sample(data=data, design=svy.Design(stratum="stratum", psu="psu", wgt="weight"))
    t1 = time.perf_counter()
    cpu = time.process_time()  # every thread of the process (polars' too)
    n = 0
    for by in BYS:
        for v in VARS:
            r = sample.estimation.mean(y=v, by=by or None, drop_nulls=True)
            n += 1 if r is not None else 0
            print(f"progress {n} {time.perf_counter() - t1:.3f}", flush=True)
    t2 = time.perf_counter()
    return {"load_s": t1 - t0, "estimate_s": t2 - t1, "results": n,
            "cpu_s": time.process_time() - cpu}  # fmt: skip


def work_samplics(path: str) -> dict[str, float | int]:
    import warnings

    import pandas as pd

    warnings.simplefilter("ignore")
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam

    t0 = time.perf_counter()
    data = pd.read_parquet(path, columns=["stratum", "psu", "weight", "sex", "urban",
                                          "age_group", "region", *VARS])  # fmt: skip
    t1 = time.perf_counter()
    n = 0
    for by in BYS:
        domain = None
        if by:
            domain = data[by].astype(str).agg("|".join, axis=1)
        for v in VARS:
            est = TaylorEstimator(PopParam.mean)
            est.estimate(y=data[v], samp_weight=data["weight"], stratum=data["stratum"],
                         psu=data["psu"], domain=domain, remove_nan=True)  # fmt: skip
            n += 1
            print(f"progress {n} {time.perf_counter() - t1:.3f}", flush=True)
    t2 = time.perf_counter()
    return {"load_s": t1 - t0, "estimate_s": t2 - t1, "results": n}


R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
d <- read.csv(args[1])
t1 <- Sys.time()
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = d)
vars <- strsplit(args[2], ",")[[1]]
bys <- list(NULL, ~sex, ~sex + urban, ~sex + age_group, ~sex + region)
gbys <- list(~sex, ~urban + sex, ~age_group + sex, ~region + sex)
n <- 0
for (v in vars) {
  f <- as.formula(paste0("~", v))
  dv <- des[!is.na(d[[v]]), ]  # a domain (subset keeps every PSU); svyby(covmat) needs no NA
  for (b in bys) {
    if (is.null(b)) r <- svymean(f, des, na.rm = TRUE)
    else r <- svyby(f, b, des, svymean, na.rm = TRUE)
    n <- n + 1
    cat(sprintf("progress %d %.3f\n", n, as.numeric(Sys.time() - t1, units = "secs")))
  }
  for (b in gbys) {
    r <- svyby(f, b, dv, svymean, covmat = TRUE)
    k <- length(coef(r)) / 2
    # rows are ordered with sex varying slowest: male (1) block, then female (2) block
    for (i in seq_len(k)) {
      w <- rep(0, 2 * k); w[i] <- 1; w[k + i] <- -1
      g <- svycontrast(r, w)
    }
    n <- n + 1
    cat(sprintf("progress %d %.3f\n", n, as.numeric(Sys.time() - t1, units = "secs")))
  }
}
t2 <- Sys.time()
cat(sprintf("RESULT {\"load_s\": %.3f, \"estimate_s\": %.3f, \"results\": %d}\n",
    as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs"), n))
"""


ALL_SETS: list[list[str]] = [
    [list(c) for c in itertools.combinations(["sex", "urban", "age_group", "region"], k)]
    for k in (2, 1, 3, 0, 4)
]  # type: ignore[assignment]
ALL_SETS = [s for group in ALL_SETS for s in group]  # type: ignore[misc]  # 16 subsets


def work_sets(path: str) -> dict[str, object]:
    """Estimation time against the number of domain sets (1 … 16 subsets of sex, urban, age
    group and region; the finest cells are the same for every count), one pass each."""
    from equals.survey import Design, aggregate_many, proportion

    design = Design(weight="weight", strata="stratum", psu="psu")
    quantities = [proportion(v) for v in VARS]
    points = []
    for k in (1, 2, 4, 8, 12, 16):
        bys = [["sex", "urban", "age_group", "region"], *ALL_SETS[: k - 1]]
        t, cpu = time.perf_counter(), time.process_time()
        batch = aggregate_many(path, design, quantities, bys)
        n = sum(len(batch.estimate(by)) for by in bys)
        points.append({"sets": k, "estimate_s": time.perf_counter() - t, "results": n,
                       "cpu_s": time.process_time() - cpu})  # fmt: skip
        print(f"progress {len(points)} {points[-1]['estimate_s']:.3f}", flush=True)
    return {"sets_curve": points}


def memory_bandwidth(mb: int = 512, repeat: int = 5) -> dict[str, float]:
    """Read bandwidth in GB/s: numpy sums of a ``mb`` MB array, one thread and one thread per
    core (numpy releases the GIL in the reduction), best of ``repeat``."""
    import numpy as np

    a = np.ones(mb * 2**20 // 8)
    threads = os.cpu_count() or 1
    parts = np.array_split(a, threads)

    def one() -> float:
        t = time.perf_counter()
        a.sum()
        return time.perf_counter() - t

    def many() -> float:
        pool = [threading.Thread(target=part.sum) for part in parts]
        t = time.perf_counter()
        for th in pool:
            th.start()
        for th in pool:
            th.join()
        return time.perf_counter() - t

    return {
        "one_thread_gb_s": a.nbytes / min(one() for _ in range(repeat)) / 1e9,
        "all_threads_gb_s": a.nbytes / min(many() for _ in range(repeat)) / 1e9,
        "threads": float(threads),
    }


def bytes_scanned(path: Path) -> dict[str, int]:
    """The bytes the pass must read at least once: each column it uses at its in-memory width
    (DuckDB's: VARCHAR is a 16-byte string header), and the finest cell table it yields."""
    import duckdb

    from equals.survey import Design, proportion
    from equals.survey.engine import DuckDBEngine
    from equals.survey.plan import prepare

    width = {"TINYINT": 1, "SMALLINT": 2, "INTEGER": 4, "BIGINT": 8, "DOUBLE": 8, "FLOAT": 4,
             "VARCHAR": 16}  # fmt: skip
    cols = ["weight", "stratum", "psu", "sex", "urban", "age_group", "region", *VARS]
    source = f"read_parquet('{path}')"
    types = {
        str(r[0]): str(r[1]) for r in duckdb.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()
    }
    rows = duckdb.sql(f"SELECT COUNT(*) FROM {source}").fetchall()[0][0]
    engine = DuckDBEngine(path)
    design = Design(weight="weight", strata="stratum", psu="psu")
    finest = ["sex", "urban", "age_group", "region"]
    plan = prepare(engine, design, [proportion(v) for v in VARS], finest)
    cells = engine.query(f"SELECT COUNT(*) AS n FROM ({plan.sql})")["n"][0]
    moments = len(engine.query(f"SELECT * FROM ({plan.sql}) LIMIT 1").columns) - 2 - len(finest)
    return {
        "rows": int(rows),
        "scan_bytes": int(rows) * sum(width[str(types[c])] for c in cols),
        "cells": int(cells),
        "cell_bytes": int(cells) * (moments * 8 + (2 + len(finest)) * 8),
    }


# -- orchestration ------------------------------------------------------------------------


def ensure_data(persons: int, country: str) -> tuple[Path, Path]:
    DATA.mkdir(exist_ok=True)
    parquet = DATA / f"survey_{country}_{persons}.parquet"
    csv = parquet.with_suffix(".csv")
    if not parquet.exists():
        from equals.survey.simulate import SimulationSpec, Target, simulate

        # Kenya's bundled figures (ITU via WDI 2019 / UNSD 2019), fixed so that runs compare.
        targets = {
            "internet_use": Target("internet_use", 0.2023, 0.2517, "wdi KEN 2019"),
            "mobile_own": Target("mobile_own", 0.4703, 0.4760, "unsd-gender-itu KEN 2019"),
        }
        t = time.perf_counter()
        simulate(SimulationSpec(country, persons, 1, targets), parquet)
        print(f"simulated {persons:,} persons in {time.perf_counter() - t:.1f}s", flush=True)
    if not csv.exists():
        import duckdb

        duckdb.sql(f"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{csv}' (HEADER)")
    return parquet, csv


def _calls(peer: str) -> int:
    """How many progress steps a peer reports (R: 5 domain sets + 4 gap sets per variable)."""
    return len(VARS) * (9 if peer == "r" else len(BYS))


def run_peer(
    peer: str, parquet: Path, csv: Path, timeout: float, bar: Progress
) -> dict[str, object]:
    """Run one peer in its own process under ``/usr/bin/time -v``, showing its progress."""
    if peer == "r":
        script = Path(tempfile.mkdtemp()) / "bench.R"
        script.write_text(R_SCRIPT)
        cmd = ["Rscript", str(script), str(csv), ",".join(VARS)]
    else:
        cmd = [sys.executable, __file__, "--worker", peer, "--file", str(parquet)]
    full = ["/usr/bin/time", "-v", *cmd]
    total = _calls(peer) if peer in ("r", "svy", "samplics") else None
    task = bar.add_task(f"{peer} ({parquet.stem})", total=total)
    t = time.perf_counter()
    proc = subprocess.Popen(
        full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    lines: queue.Queue[str] = queue.Queue()
    errors: list[str] = []
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout or []], daemon=True).start()
    threading.Thread(target=lambda: errors.extend(proc.stderr or []), daemon=True).start()
    out: list[str] = []
    timed_out = False
    while True:
        try:
            line = lines.get(timeout=0.5)
            out.append(line)
            if step := re.match(r"progress (\d+)", line):
                bar.update(task, completed=int(step.group(1)))
        except queue.Empty:
            pass
        if proc.poll() is not None and lines.empty():
            break
        if time.perf_counter() - t > timeout:
            os.killpg(proc.pid, signal.SIGKILL)  # the peer and its children (R, the JVM)
            proc.wait()
            timed_out = True
            break
    time.sleep(0.2)  # let the reader threads drain
    while not lines.empty():
        out.append(lines.get())
    bar.update(task, completed=total or 1, total=total or 1)
    wall = time.perf_counter() - t
    stdout, err = "".join(out), "".join(errors)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    res: dict[str, object] = {"peer": peer, "wall_s": wall, "timed_out": timed_out,
                              "peak_rss_mb": int(rss.group(1)) / 1024 if rss else None}  # fmt: skip
    user = re.search(r"User time \(seconds\): ([\d.]+)", err)
    system = re.search(r"System time \(seconds\): ([\d.]+)", err)
    if user and system:  # the whole process's CPU, every thread (load and all)
        res["process_cpu_s"] = float(user.group(1)) + float(system.group(1))
    found = re.search(r"RESULT (\{.*\})", stdout)
    if found:
        res.update(json.loads(found.group(1)))
    else:
        steps = re.findall(r"progress (\d+) ([\d.]+)", stdout)
        if steps:
            done, secs = int(steps[-1][0]), float(steps[-1][1])
            res["partial"] = f"{done} of {_calls(peer)} calls in {secs:.0f}s"
            res["estimate_s_extrapolated"] = secs / done * _calls(peer)
    if not found and not timed_out:
        res["error"] = err.split("\tCommand being timed")[0].strip().splitlines()[-8:]
    return res


LABELS = {
    "duckdb": "ours, DuckDB",
    "spark": "ours, Spark local[2]",
    "r": "R survey",
    "svy": "svy (estimates only)",
    "samplics": "samplics (estimates only)",
}


def _estimate_s(r: dict[str, object]) -> float | None:
    value = r.get("estimate_s") or r.get("estimate_s_extrapolated")
    return float(value) if isinstance(value, int | float) else None


def _load(r: dict[str, object]) -> str:
    load = r.get("load_1min")
    if not isinstance(load, list) or len(load) != 2:
        return "–"
    return f"{float(load[0]):.1f}–{float(load[1]):.1f}"


def markdown(results: list[dict[str, object]]) -> str:
    """A table per size: estimation and wall time, peak memory, and the ratio to ours."""
    parts: list[str] = []
    for size in sorted({int(r["persons"]) for r in results}):  # type: ignore[call-overload]
        rows = [r for r in results if r["persons"] == size and not r.get("round")]
        ours = next((_estimate_s(r) for r in rows if r["peer"] == "duckdb"), None)
        parts.append(f"**{size:,} persons**\n")
        ours_cpu = next((r.get("process_cpu_s") for r in rows if r["peer"] == "duckdb"), None)
        parts.append("| peer | estimation s | wall s | peak RSS | estimation ÷ ours "
                     "| process CPU s | CPU ÷ ours | load (1 min) | note |")  # fmt: skip
        parts.append("|---|--:|--:|--:|--:|--:|--:|--:|---|")
        for r in rows:
            est = _estimate_s(r)
            name = LABELS.get(str(r["peer"]), str(r["peer"]))
            wall = float(r["wall_s"])  # type: ignore[arg-type]
            if est is None:
                error = r.get("error") or ["no result"]
                last = error[-2] if isinstance(error, list) and len(error) > 1 else error
                failed = f"failed: {str(last).strip()}"
                parts.append(f"| {name} | – | {wall:.1f} | – | – | – | – | {_load(r)} | {failed} |")
                continue
            note = "stopped at the time limit; " if r.get("timed_out") else ""
            if r.get("partial"):
                note += f"extrapolated from {r['partial']}"
            ratio = f"{est / ours:.1f}" if ours else "–"
            approx = "~" if r.get("partial") else ""
            rss = r.get("peak_rss_mb")
            mem = f"{float(rss) / 1024:.2f} GB" if rss is not None else "–"  # type: ignore[arg-type]
            cpu = r.get("process_cpu_s")
            cpu_text = f"{float(cpu):.1f}" if cpu is not None else "–"  # type: ignore[arg-type]
            cpu_ratio = (
                f"{float(cpu) / float(ours_cpu):.1f}"  # type: ignore[arg-type]
                if cpu is not None and ours_cpu and not r.get("timed_out")
                else "–"
            )
            parts.append(
                f"| {name} | {approx}{est:.1f} | {wall:.1f} | {mem} | {approx}{ratio} | "
                f"{cpu_text} | {cpu_ratio} | {_load(r)} | {note} |"
            )
        parts.append("")
    return "\n".join(parts)


def svg_chart(results: list[dict[str, object]]) -> str:
    """Estimation time per peer and size as horizontal bars on a log scale (an SVG file)."""
    rows = [(r, _estimate_s(r)) for r in results if _estimate_s(r)]
    width, left, bar_h, gap = 880, 250, 18, 6
    top = 40
    height = top + len(rows) * (bar_h + gap) + 60
    lo, hi = 1.0, max(float(e) for _, e in rows) * 1.5  # type: ignore[arg-type]
    span = math.log10(hi) - math.log10(lo)

    def x(v: float) -> float:
        return left + (width - left - 190) * (math.log10(max(v, lo)) - math.log10(lo)) / span

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{left}" y="20" font-size="14" font-weight="bold">Estimation time '
        "(seconds, log scale; shorter is better)</text>",
    ]
    tick = 1.0
    while tick <= hi:
        out.append(f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" '
                   f'y2="{height - 45}" stroke="#ddd"/>')  # fmt: skip
        out.append(f'<text x="{x(tick):.1f}" y="{height - 30}" text-anchor="middle">'
                   f"{tick:g}</text>")  # fmt: skip
        tick *= 10
    for i, (r, est) in enumerate(rows):
        y = top + i * (bar_h + gap)
        ours = str(r["peer"]) in ("duckdb", "spark")
        colour = "#5b2c83" if ours else "#9e9e9e"
        label = f"{LABELS.get(str(r['peer']), r['peer'])}, {int(r['persons']) / 1e6:g}M"  # type: ignore[call-overload]
        out.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{label}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{x(float(est)) - left:.1f}" '  # type: ignore[arg-type]
                   f'height="{bar_h}" fill="{colour}"/>')  # fmt: skip
        text = f"{float(est):,.1f} s" + (" (extrapolated)" if r.get("partial") else "")  # type: ignore[arg-type]
        out.append(f'<text x="{x(float(est)) + 4:.1f}" y="{y + 13}">{text}</text>')  # type: ignore[arg-type]
    out.append(f'<text x="{left}" y="{height - 10}" fill="#555">Same machine and data; svy and '
               "samplics compute the estimates only (no gaps).</text>")  # fmt: skip
    out.append("</svg>")
    return "\n".join(out) + "\n"


def repeat_markdown(results: list[dict[str, object]]) -> str:
    """With ``--repeat``: each round's estimation time of every peer and its ratio to ours in
    the same round, then the medians (time, and estimation CPU where the peer reports it)."""
    out: list[str] = []
    for size in sorted({int(r["persons"]) for r in results}):  # type: ignore[call-overload]
        rows = [r for r in results if r["persons"] == size and "round" in r]
        rounds = sorted({int(r["round"]) for r in rows})  # type: ignore[call-overload]
        if len(rounds) < 2:
            continue
        peers = list(dict.fromkeys(str(r["peer"]) for r in rows if r["peer"] != "duckdb"))
        by = {(int(r["round"]), str(r["peer"])): r for r in rows}  # type: ignore[call-overload]
        out.append(f"**{size:,} persons, {len(rounds)} rounds** (each round runs every peer "
                   "once, in turn; ratio = peer ÷ ours of the same round)\n")  # fmt: skip
        head = "| round | ours s | " + " | ".join(f"{LABELS.get(p, p)} s | ÷ ours" for p in peers)
        out += [head + " |", "|--:|--:|" + "--:|--:|" * len(peers)]
        ratios: dict[str, list[float]] = {p: [] for p in peers}
        times: dict[str, list[float]] = {p: [] for p in ["duckdb", *peers]}
        cpus: dict[str, list[float]] = {p: [] for p in ["duckdb", *peers]}
        for k in rounds:
            ours = _estimate_s(by.get((k, "duckdb"), {}))
            cells = [f"{ours:.3f}" if ours else "–"]
            if ours:
                times["duckdb"].append(ours)
            for peer, r in ((p, by.get((k, p), {})) for p in ["duckdb", *peers]):
                if isinstance(r.get("cpu_s"), int | float) and not r.get("partial"):
                    cpus[peer].append(float(r["cpu_s"]))  # type: ignore[arg-type]
            for p in peers:
                est = _estimate_s(by.get((k, p), {}))
                if est is None or not ours:
                    cells += ["–", "–"]
                    continue
                times[p].append(est)
                ratios[p].append(est / ours)
                cells += [f"{est:.1f}", f"{est / ours:.1f}×"]
            out.append(f"| {k + 1} | " + " | ".join(cells) + " |")
        med = [f"{statistics.median(times['duckdb']):.3f}" if times["duckdb"] else "–"]
        for p in peers:
            med += [f"{statistics.median(times[p]):.1f}" if times[p] else "–",
                    f"{statistics.median(ratios[p]):.1f}×" if ratios[p] else "–"]  # fmt: skip
        out.append("| median | " + " | ".join(med) + " |")
        low = [f"{min(ratios[p]):.1f}×–{max(ratios[p]):.1f}×" for p in peers if ratios[p]]
        out.append(f"\nRatio range over the rounds: {', '.join(low) or '–'}.")
        like = {k: by[(k, "duckdb")].get("estimates_only_s") for k in rounds if (k, "duckdb") in by}
        for p in (p for p in peers if p in ("svy", "samplics")):
            pairs = [(_estimate_s(by.get((k, p), {})), like.get(k)) for k in rounds]
            same = [est / ours for est, ours in pairs if est and isinstance(ours, float) and ours]
            if same:
                mid, lo, hi = statistics.median(same), min(same), max(same)
                out.append(f"Like for like — ours up to the estimates, without the gender gaps "
                           f"{LABELS.get(p, p)} does not compute: median {mid:.1f}× "
                           f"({lo:.1f}×–{hi:.1f}×).")  # fmt: skip
        if cpus["duckdb"]:
            ours_cpu = statistics.median(cpus["duckdb"])
            parts = [f"ours {ours_cpu:.3f} s"]
            parts += [f"{LABELS.get(p, p)} {statistics.median(cpus[p]):.1f} s "
                      f"({statistics.median(cpus[p]) / ours_cpu:.1f}×)"
                      for p in peers if cpus[p]]  # fmt: skip
            out.append("Median estimation CPU (every thread): " + ", ".join(parts) + ".")
        out.append("")
    return "\n".join(out)


def bound_markdown(results: list[dict[str, object]]) -> str:
    """Ours against the memory-bandwidth bound: (columns scanned + finest cells) ÷ bandwidth."""
    rows = [r for r in results if r["peer"] == "duckdb" and r.get("bandwidth")]
    if not rows:
        return ""
    out = ["| persons | columns scanned | finest cells | bandwidth (all cores) | bound s "
           "| ours wall s | wall ÷ bound | ours CPU s | CPU ÷ bound |",
           "|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]  # fmt: skip
    for r in rows:
        bw = float(r["bandwidth"]["all_threads_gb_s"])  # type: ignore[index]
        total = int(r["scan_bytes"]) + int(r["cell_bytes"])  # type: ignore[call-overload]
        bound = total / (bw * 1e9)
        est = _estimate_s(r) or math.nan
        cpu = float(r.get("cpu_s") or math.nan)  # type: ignore[arg-type]
        out.append(
            f"| {int(r['persons']):,} | {int(r['scan_bytes']) / 1e6:,.0f} MB | "  # type: ignore[call-overload]
            f"{int(r['cells']):,} ({int(r['cell_bytes']) / 1e6:,.0f} MB) | {bw:.1f} GB/s | "  # type: ignore[call-overload]
            f"{bound:.3f} | {est:.2f} | {est / bound:.0f}× | {cpu:.2f} | {cpu / bound:.0f}× |"
        )
    return "\n".join(out) + "\n"


def _stream_rows() -> int:
    """Sources up to this many rows take the columnar pass (equals.survey.engine)."""
    from equals.survey.engine import STREAM_ROWS

    return STREAM_ROWS


def scaling_chart(results: list[dict[str, object]]) -> str:
    """Two panels: ours (CPU seconds of the whole estimation, every thread; steadier than wall
    time on a shared machine) against persons, and against the number of domain sets, each
    with the least-squares line through its points."""
    rows = sorted(
        (int(r["persons"]), float(r["cpu_s"]))  # type: ignore[call-overload, arg-type]
        for r in results
        if r["peer"] == "duckdb" and r.get("cpu_s")
    )
    sets = next(
        ([(int(p["sets"]), float(p["cpu_s"])) for p in r["sets_curve"]]  # type: ignore[attr-defined]
         for r in results if r["peer"] == "sets" and r.get("sets_curve")), [],
    )  # fmt: skip
    w, h, pad = 420, 300, 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * w}" height="{h}" '
           'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>']  # fmt: skip
    for i, (points, xlabel, scale) in enumerate(
        ((rows, "persons (millions)", 1e6), (sets, "domain sets (finest cells fixed)", 1.0))
    ):
        left = i * w + pad
        if not points:
            continue
        xs = [x / scale for x, _ in points]
        ys = [y for _, y in points]
        x_max, y_max = max(xs) * 1.1, max(ys) * 1.2

        def px(x: float, left: int = left, x_max: float = x_max) -> float:
            return left + (w - 2 * pad) * x / x_max

        def py(y: float, y_max: float = y_max) -> float:
            return h - pad - (h - 2 * pad) * y / y_max

        out.append(f'<line x1="{left}" y1="{h - pad}" x2="{left + w - 2 * pad}" y2="{h - pad}" '
                   'stroke="#333"/>')  # fmt: skip
        out.append(f'<line x1="{left}" y1="{pad}" x2="{left}" y2="{h - pad}" stroke="#333"/>')
        out.append(f'<text x="{left + (w - 2 * pad) / 2}" y="{h - 12}" text-anchor="middle">'
                   f"{xlabel}</text>")  # fmt: skip
        out.append(f'<text x="{left}" y="{pad - 14}">CPU s, all threads (max {max(ys):.2f})</text>')
        # Persons: the columnar pass up to STREAM_ROWS, the SQL pass above (two lines).
        limit = _stream_rows() / scale if i == 0 else math.inf
        groups = [
            (label, colour, [(x, y) for x, y in zip(xs, ys, strict=True) if keep(x)])
            for label, colour, keep in (
                ("columnar" if i == 0 else "", "#5b2c83", lambda x, lim=limit: x <= lim),
                ("SQL", "#d9822b", lambda x, lim=limit: x > lim),
            )
        ]
        for k, (label, colour, pts) in enumerate(g for g in groups if g[2]):
            for x, y in pts:
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="4" fill="{colour}"/>')
                out.append(f'<text x="{px(x):.1f}" y="{py(y) - 8:.1f}" text-anchor="middle" '
                           f'font-size="10">{y:.2f}</text>')  # fmt: skip
            if len(pts) < 2:
                continue
            n = len(pts)
            mx, my = sum(x for x, _ in pts) / n, sum(y for _, y in pts) / n
            sxx = sum((x - mx) ** 2 for x, _ in pts) or 1.0
            slope = sum((x - mx) * (y - my) for x, y in pts) / sxx
            icpt = my - slope * mx
            ss_res = sum((y - icpt - slope * x) ** 2 for x, y in pts)
            ss_tot = sum((y - my) ** 2 for _, y in pts) or 1.0
            x0, x1 = (0.0, min(limit, x_max)) if k == 0 else (limit, x_max)  # its own range
            out.append(f'<line x1="{px(x0):.1f}" y1="{py(icpt + slope * x0):.1f}" '
                       f'x2="{px(x1):.1f}" y2="{py(icpt + slope * x1):.1f}" stroke="{colour}" '
                       'stroke-opacity="0.5" stroke-dasharray="4 3"/>')  # fmt: skip
            name = f"{label}: " if label else ""
            r2 = f", R² = {1 - ss_res / ss_tot:.3f}" if n > 2 else ""
            out.append(f'<text x="{left + 8}" y="{pad + 4 + 14 * k}" fill="{colour}">{name}fit '
                       f"{icpt:.2f} + {slope:.3f}·x s{r2}</text>")  # fmt: skip
        for x in xs:
            out.append(f'<text x="{px(x):.1f}" y="{h - pad + 15}" text-anchor="middle" '
                       f'font-size="10">{x:g}</text>')  # fmt: skip
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2_000_000, 10_000_000])
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--country", default="KEN")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per peer")
    ap.add_argument("--peer-timeout", action="append", default=[], metavar="PEER=SECONDS",
                    help="a different limit for one peer, e.g. samplics=240")  # fmt: skip
    ap.add_argument("--out", type=Path, default=DATA / "results.json")
    ap.add_argument(
        "--report",
        nargs="+",
        type=Path,
        metavar="RESULTS",
        help="print the Markdown tables of saved results files, and no run",
    )
    ap.add_argument("--chart", type=Path, help="with --report: also write an SVG bar chart")
    ap.add_argument(
        "--scaling-chart",
        type=Path,
        help="with --report: write the SVG of time against rows and domain sets",
    )
    ap.add_argument("--sets", action="store_true",
                    help="also time ours against the number of domain sets (1…16), at the "
                         "first size")  # fmt: skip
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="run the peers N times in turn (rounds) and report each round's "
                         "ratios and their medians: the machine's noise, measured")  # fmt: skip
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.report:
        saved = [r for f in args.report for r in json.loads(f.read_text())["results"]]
        print(markdown([r for r in saved if r["peer"] != "sets"]))
        print(repeat_markdown(saved))
        print(bound_markdown(saved))
        if args.scaling_chart:
            args.scaling_chart.parent.mkdir(parents=True, exist_ok=True)
            args.scaling_chart.write_text(scaling_chart(saved))
            print(f"wrote {args.scaling_chart}")
        saved = [r for r in saved if r["peer"] != "sets"]
        if args.chart:
            args.chart.parent.mkdir(parents=True, exist_ok=True)
            args.chart.write_text(svg_chart(saved))
            print(f"wrote {args.chart}")
        return
    if args.worker:
        workers = {
            "duckdb": lambda p: work_ours(p, "duckdb"),
            "spark": lambda p: work_ours(p, "spark"),
            "svy": work_svy,
            "samplics": work_samplics,
            "sets": work_sets,
        }
        print("RESULT " + json.dumps(workers[args.worker](args.file)), flush=True)
        return
    machine = {
        "date": date.today().isoformat(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    limits = {k: float(v) for k, v in (x.split("=", 1) for x in args.peer_timeout)}
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    results: list[dict[str, object]] = []
    console = Console(stderr=True)
    for size in args.sizes:
        parquet, csv = ensure_data(size, args.country)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            peers = args.peers.split(",")
            if args.sets and size == args.sizes[0]:
                peers.append("sets")
            rounds = [(k, p) for k in range(max(args.repeat, 1)) for p in peers if k == 0 or
                      p != "sets"]  # fmt: skip
            for k, peer in rounds:
                load_before = os.getloadavg()[0]
                r = run_peer(peer, parquet, csv, limits.get(peer, args.timeout), bar)
                r["persons"] = size
                if args.repeat > 1:
                    r["round"] = k
                r["load_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
                if peer == "duckdb":  # the bound: bytes the pass must read ÷ bandwidth
                    r |= bytes_scanned(parquet)
                    r["bandwidth"] = memory_bandwidth()
                results.append(r)
                bar.console.print(json.dumps(r), highlight=False, soft_wrap=True)
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    print(f"\nwrote {args.out}")
    print("\n" + markdown([r for r in results if r["peer"] != "sets"]))
    print(repeat_markdown(results))
    print(bound_markdown(results))
    results = [r for r in results if r["peer"] != "sets"]
    for size in args.sizes:
        rows = {str(r["peer"]): r for r in results if r["persons"] == size}
        ours = rows.get("duckdb", {}).get("estimate_s")
        print(f"\n{size:,} persons")
        for peer, r in rows.items():
            est = r.get("estimate_s") or r.get("estimate_s_extrapolated")
            ratio = f"{float(est) / float(ours):8.1f}×" if est and ours else "       –"  # type: ignore[arg-type]
            print(f"  {peer:9} wall {float(r['wall_s']):8.1f}s  estimate {est}  "  # type: ignore[arg-type]
                  f"ratio vs ours {ratio}  peak {r['peak_rss_mb']} MB")  # fmt: skip


if __name__ == "__main__":
    main()
