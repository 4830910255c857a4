"""First start: `./hub serve` on a fresh clone (no virtualenv, no database) until the map shows.

    .venv/bin/python benchmarks/first_start.py                  # clone HEAD, default installer
    .venv/bin/python benchmarks/first_start.py --installer pip  # force the plain-pip fallback
    .venv/bin/python benchmarks/first_start.py --runs 2 --json first_start.json

Each run clones this repository (``git clone``: committed files only) into a new temporary
directory, points the database at an empty data directory there (``XDG_DATA_HOME``), starts
``./hub serve --port P`` and polls until the home page answers 200 and the three data files
the map needs (gap table, world atlas, countries; the ``data-*-url`` attributes of the
``js-map`` element) answer 200 too. The phases are read from the timestamps of the lines the
hub and the server print:

* environment: start → the hub's "installing Python packages" line (virtualenv created),
* install: → the hub's "packages installed" line,
* database load: → the ``EQUALS Hub on http://…`` line (``equals serve`` creates and loads
  the database before it prints it; this includes importing the package),
* server start: → the port answers,
* first request: the home page and the map's data, one after the other.

Package caches (pip's and uv's) are left as they are: a second run on the same machine shows
the warm-cache time; ``--cold`` points both caches at an empty directory first.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return int(r.status), r.read()
    except OSError:
        return 0, b""


def one_run(installer: str | None, cold: bool, limit: float, hub: Path | None) -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="equals-first-start-"))
    clone = tmp / "hub"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    if hub is not None:  # try a changed hub script before committing it
        shutil.copy(hub, clone / "hub")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "EQUALS_DB")}
    env["XDG_DATA_HOME"] = str(tmp / "data")
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))
    )
    if installer:
        env["EQUALS_INSTALLER"] = installer
    if cold:
        env["PIP_CACHE_DIR"] = str(tmp / "pip-cache")
        env["UV_CACHE_DIR"] = str(tmp / "uv-cache")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines: list[tuple[float, str]] = []
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ["./hub", "serve", "--port", str(port)],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def read() -> None:
        for line in proc.stdout or []:
            lines.append((time.perf_counter() - t0, line.rstrip()))

    threading.Thread(target=read, daemon=True).start()
    result: dict[str, object] = {"installer": installer or "default", "cold_cache": cold}
    try:
        listening = None
        while time.perf_counter() - t0 < limit:
            if proc.poll() is not None:
                raise RuntimeError("hub serve exited:\n" + "\n".join(x for _, x in lines[-20:]))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            except OSError:
                time.sleep(0.05)
                continue
            listening = time.perf_counter() - t0
            break
        if listening is None:
            raise RuntimeError(f"no answer within {limit:.0f} s")
        status, page = get(base + "/", 30.0)
        if status != 200:
            raise RuntimeError(f"home page answered {status}")
        urls = re.findall(rb'data-(?:gaps|atlas|countries)-url="([^"]+)"', page)
        if len(urls) < 3:
            raise RuntimeError("the home page has no js-map element with its three data URLs")
        for u in urls:
            status, _ = get(base + u.decode().replace("&amp;", "&"), 30.0)
            if status != 200:
                raise RuntimeError(f"{u.decode()} answered {status}")
        served = time.perf_counter() - t0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the hub and everything it waited for (venv, installer, server): on a machine
    # shared with other jobs, a steadier measure than wall time (not counting network waits).
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stamp = {name: next((t for t, x in lines if pat in x), None) for name, pat in (
        ("install_start", "installing Python packages"),
        ("installed", "packages installed"),
        ("server_line", "EQUALS Hub on http"),
    )}  # fmt: skip
    start = stamp["install_start"] or 0.0
    installed = stamp["installed"] or start
    server_line = stamp["server_line"] or listening
    result |= {
        "environment_s": round(start, 2),
        "install_s": round(installed - start, 2),
        "database_load_s": round(server_line - installed, 2),
        "server_start_s": round(listening - server_line, 2),
        "first_request_s": round(served - listening, 2),
        "total_s": round(served, 2),
        "cpu_s": round(cpu, 2),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "log": [f"{t:7.2f}s {x}" for t, x in lines[:15]],
    }
    shutil.rmtree(tmp, ignore_errors=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--installer", choices=["uv", "pip"], help="EQUALS_INSTALLER for the hub")
    ap.add_argument("--cold", action="store_true", help="empty pip and uv caches")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--limit", type=float, default=300.0, help="seconds before giving up")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--hub", type=Path, help="use this hub script instead of the committed one")
    args = ap.parse_args()
    results = []
    for i in range(args.runs):
        r = one_run(args.installer, args.cold, args.limit, args.hub)
        results.append(r)
        print(f"run {i + 1}: " + json.dumps({k: v for k, v in r.items() if k != "log"}), flush=True)
        for line in r["log"]:  # type: ignore[attr-defined]
            print("   ", line)
    print("\n| run | installer | environment s | install s | database load s | server start s "
          "| first request s | total s | CPU s | load average |\n"
          "|--:|---|--:|--:|--:|--:|--:|--:|--:|---|")  # fmt: skip
    for i, r in enumerate(results, 1):
        print(f"| {i} | {r['installer']}{' (cold cache)' if r['cold_cache'] else ''} | "
              f"{r['environment_s']} | {r['install_s']} | {r['database_load_s']} | "
              f"{r['server_start_s']} | {r['first_request_s']} | **{r['total_s']}** | "
              f"{r['cpu_s']} | {r['load_average'][0]} |")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    sys.exit(0)


if __name__ == "__main__":
    main()
