"""Web benchmark: the real app under uvicorn, every page and the API, with Datasette as the peer.

    .venv/bin/python benchmarks/web.py [--duration 10] [--concurrency 20] [--db URL]

1. Builds a temporary SQLite database from the bundled data, with ``--partners`` synthetic
   initiatives (labelled SYNTHETIC; never committed), or uses ``--db``.
2. Starts ``create_app(Settings(db_url))`` under uvicorn (one worker, one process) on a free
   loopback port in a subprocess. A tiny ASGI wrapper adds an ``x-bench-server-ms`` header:
   the time from request to response start inside the server, to tell server time from
   client and queueing time.
3. Per target: the first (cold) request, a warm-up, an unloaded run (1 client, sequential),
   then the loaded run: ``wrk -t2 -c20 -d10s --latency`` when ``wrk`` is installed (Debian
   package ``wrk``; percentiles from its latency histogram through a small Lua ``done`` hook),
   else the built-in asyncio client (bounded by ``--requests`` and ``--max-seconds``), and the
   report says which.
4. The peer, in the same run: Datasette (the version pinned in the ``bench`` extra) serving the
   same SQLite file, answering the same observations query (KEN, Internet use, default source)
   as JSON and as its HTML table page, under the same load; ratios against the app's
   observations API and country page are printed.
5. A floor in the same run: the same API questions answered in-process by plain ``sqlite3``
   queries + ``json.dumps`` (no framework, no HTTP), reported as ratios.
6. Where time goes: the app's own layers timed in-process (query, records, JSON rendering; for
   pages, the render with and without the page cache); ``--profile`` adds a pyinstrument call
   tree per target.

Goals: every HTML page p99 < 100 ms, every API endpoint p95 < 50 ms, at 20 clients.
Results print as a table; ``--json`` and ``--markdown`` write them to files.

A second mode, ``--backends``, compares deployments under heavy load: the app on SQLite with one
uvicorn worker, and on PostgreSQL (a throwaway server from ``tests/pg.py``) with
``--workers`` uvicorn worker processes, each driven by ``--concurrency`` clients (use 100):

    .venv/bin/python benchmarks/web.py --backends --workers 3 --concurrency 100 \
        --requests 3000 --markdown docs/benchmark-backends.md
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib.metadata
import itertools
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import fmean
from typing import Any
from urllib.parse import urlencode

API_GOAL_P95_MS = 50.0
PAGE_GOAL_P99_MS = 100.0


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    kind: str  # "page" or "api"


TARGETS = (
    # Evidence pages
    Target("home page", "/", "page"),
    Target("indicator list", "/indicators", "page"),
    Target("indicator page", "/indicator/internet_use", "page"),
    Target("country list", "/countries", "page"),
    Target("country page", "/country/KEN", "page"),
    Target("about", "/about", "page"),
    Target("downloads", "/downloads", "page"),
    # Analysis pages
    Target("analysis: index", "/analysis", "page"),
    Target("analysis: country", "/analysis/country/KEN", "page"),
    Target("analysis: data gaps", "/analysis/data-gaps", "page"),
    Target("analysis: methodology", "/analysis/methodology", "page"),
    # Partnership pages, with --partners synthetic initiatives in the database
    Target("partner directory", "/partners", "page"),
    Target("partner page", "/partners/apc", "page"),
    Target("coalitions", "/coalitions", "page"),
    Target("initiative list", "/initiatives", "page"),
    Target("initiative page", "/initiatives/1", "page"),
    Target("action map page", "/action?pillar=access", "page"),
    Target("who does what page", "/action/KEN", "page"),
    # Sessions
    Target("sessions list", "/sessions", "page"),
    Target("people list", "/sessions/people", "page"),
    # API
    Target("observations", "/api/v1/observations?indicator=internet_use&country=KEN", "api"),
    Target("gaps", "/api/v1/gaps?indicator=internet_use", "api"),
    Target("country profile", "/api/v1/countries/KEN", "api"),
    Target("action-gaps", "/api/v1/action-gaps?pillar=access", "api"),
    Target("initiatives in a country", "/api/v1/initiatives?country=KEN&limit=50", "api"),
    Target("initiative", "/api/v1/initiatives/1", "api"),
    Target("initiative progress", "/api/v1/initiatives/1/progress", "api"),
)


# -- statistics --------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Run:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    capped_by_time: bool = False
    statuses: dict[int, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        lat, srv = self.latencies_ms, self.server_ms
        return {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "capped_by_time": self.capped_by_time,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "throughput_rps": round(self.throughput, 1),
            "p50_ms": percentile(lat, 50),
            "p95_ms": percentile(lat, 95),
            "p99_ms": percentile(lat, 99),
            "max_ms": max(lat) if lat else None,
            "server_p50_ms": percentile(srv, 50),
            "server_p95_ms": percentile(srv, 95),
        }


# -- a minimal keep-alive HTTP/1.1 client ---------------------------------------------------
class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def get(self, path: str) -> tuple[int, float | None, bytes]:
        """GET ``path``: (status, server milliseconds from the timing header, body)."""
        for attempt in (0, 1):
            if self.writer is None:
                await self._open()
            try:
                return await self._get(path)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _get(self, path: str) -> tuple[int, float | None, bytes]:
        assert self.reader is not None and self.writer is not None
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "User-Agent: equals-bench\r\nAccept: */*\r\n\r\n".encode()
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                parts.append(chunk[:-2])
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        timing = headers.get("x-bench-server-ms")
        return status, float(timing) if timing else None, body


async def drive(
    port: int, path: str, *, requests: int, concurrency: int, max_seconds: float
) -> Run:
    """``concurrency`` clients share ``requests`` requests; stop early at ``max_seconds``."""
    run = Run()
    tickets = itertools.count()
    started = time.perf_counter()
    stop_at = started + max_seconds

    async def client() -> None:
        conn = Connection("127.0.0.1", port)
        try:
            while next(tickets) < requests:
                if time.perf_counter() > stop_at:
                    run.capped_by_time = True
                    return
                t0 = time.perf_counter()
                try:
                    status, server_ms, _ = await conn.get(path)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    status, server_ms = 0, None
                run.latencies_ms.append((time.perf_counter() - t0) * 1000)
                run.requests += 1
                run.statuses[status] = run.statuses.get(status, 0) + 1
                if status != 200:
                    run.errors += 1
                if server_ms is not None:
                    run.server_ms.append(server_ms)
        finally:
            await conn.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    return run


async def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = Connection("127.0.0.1", port)
    try:
        status, _, body = await conn.get(path)
    finally:
        await conn.close()
    return status, body


# -- the server subprocess ------------------------------------------------------------------
def with_server_timing(app: Any) -> Any:
    """Wrap an ASGI app: add ``x-bench-server-ms`` (request in to response start)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start = time.perf_counter()

        async def timed_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                ms = f"{(time.perf_counter() - start) * 1000:.3f}".encode()
                headers = [*message.get("headers", []), (b"x-bench-server-ms", ms)]
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, timed_send)

    return wrapped


def serve(db_url: str, port: int, *, inline_sync: bool = False, page_cache: bool = True) -> None:
    """Entry point of the server subprocess (``--serve``)."""
    import uvicorn

    from equals.settings import Settings
    from equals.web.app import create_app

    inner = create_app(Settings(db_url=db_url))
    if not page_cache and hasattr(inner.state, "page_cache"):
        inner.state.page_cache.max_bytes = 0  # stores nothing: every page is rendered
    app = with_server_timing(inner)
    with InProcessApp.threadpool_inlined() if inline_sync else contextlib.nullcontext():
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(
    db_url: str, log: Path, *, inline_sync: bool = False, page_cache: bool = True
) -> Iterator[int]:
    port = free_port()
    extra = ["--inline-sync"] if inline_sync else []
    extra += [] if page_cache else ["--no-page-cache"]
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--db", db_url, "--port", str(port), *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                status, _ = asyncio.run(fetch(port, "/api/v1/sources"))
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"server did not answer in 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- wrk: the load generator, when installed ---------------------------------------------------
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK-JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"connect\\": %d, \\"read\\": %d, "
    .. "\\"write\\": %d, \\"status\\": %d, \\"timeout\\": %d, \\"p50\\": %d, \\"p90\\": %d, "
    .. "\\"p95\\": %d, \\"p99\\": %d, \\"max\\": %d, \\"mean\\": %.1f}\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""
_WRK_LINE = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def wrk_version(binary: str) -> str:
    out = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).split("\n")[0].strip()


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(text: str) -> dict[str, Any]:
    """wrk's output: the Lua hook's JSON line (exact percentiles from the histogram, in µs)
    and, as a cross-check, the ``--latency`` distribution it prints."""
    line = next((x for x in text.splitlines() if x.startswith("WRK-JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{text[-2000:]}")
    raw = json.loads(line.removeprefix("WRK-JSON "))
    seconds = raw["duration_us"] / 1e6
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    distribution = {f"p{q}": _ms(v, u) for q, v, u in _WRK_LINE.findall(text)}
    return {
        "requests": raw["requests"],
        "errors": socket_errors + raw["status"],
        "seconds": round(seconds, 3),
        "capped_by_time": False,
        "statuses": {"non-2xx": raw["status"]} if raw["status"] else {},
        "socket_errors": socket_errors,
        "throughput_rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": raw["p50"] / 1000,
        "p90_ms": raw["p90"] / 1000,
        "p95_ms": raw["p95"] / 1000,
        "p99_ms": raw["p99"] / 1000,
        "max_ms": raw["max"] / 1000,
        "mean_ms": raw["mean"] / 1000,
        "server_p50_ms": None,
        "server_p95_ms": None,
        "wrk_latency_distribution_ms": distribution,
    }


def run_wrk(
    binary: str, port: int, path: str, *, threads: int, connections: int, seconds: float,
    workdir: Path,
) -> dict[str, Any]:  # fmt: skip
    script = workdir / "done.lua"
    if not script.exists():
        script.write_text(WRK_SCRIPT)
    cmd = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
           "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}{path}"]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=seconds + 60)
    return parse_wrk(out.stdout + out.stderr)


# -- the peer: Datasette on the same SQLite file ---------------------------------------------
DATASETTE_SQL = """select o.indicator_id as indicator, o.area_code as country,
  a.name as country_name, o.year, o.sex, o.breakdown, o.value, o.source_id as source,
  s.licence, o.flag, o.note
from observations o join areas a on a.code = o.area_code join sources s on s.id = o.source_id
where o.indicator_id = :indicator and o.source_id = :source and o.area_code = :country
  and o.breakdown = ''
order by o.year, o.sex"""


def datasette_paths(db_path: str) -> tuple[str, str]:
    """The observations question as Datasette URLs: (JSON array, HTML table page)."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        (source,) = conn.execute(
            "SELECT default_source FROM indicators WHERE id = 'internet_use'"
        ).fetchone()
    name = Path(db_path).stem
    query = urlencode(
        {"sql": DATASETTE_SQL, "indicator": "internet_use", "source": source, "country": "KEN"}
    )
    return f"/{name}.json?{query}&_shape=array", f"/{name}?{query}"


@contextlib.contextmanager
def datasette_server(db_path: str, log: Path) -> Iterator[int]:
    """``datasette serve`` (one uvicorn process, as the app) on the same file."""
    port = free_port()
    cmd = [sys.executable, "-m", "datasette", "serve", db_path, "--host", "127.0.0.1",
           "--port", str(port), "--setting", "sql_time_limit_ms", "5000"]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"datasette exited:\n{log.read_text()[-3000:]}")
            try:
                if asyncio.run(fetch(port, "/-/versions.json"))[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"datasette did not answer in 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- the floor: plain sqlite3 + json.dumps, in process --------------------------------------
FLOOR_OBSERVATIONS = """
SELECT o.indicator_id, o.area_code, a.name, o.year, o.sex, o.breakdown, o.value,
       o.source_id, s.licence, o.flag, o.note
FROM observations o JOIN areas a ON a.code = o.area_code JOIN sources s ON s.id = o.source_id
WHERE o.indicator_id = ? AND o.source_id = ? AND o.area_code = ? AND o.breakdown = ''
ORDER BY o.year, o.sex
"""
OBS_KEYS = (
    "indicator", "country", "country_name", "year", "sex", "breakdown", "value", "source",
    "licence", "flag", "note",
)  # fmt: skip
FLOOR_GAPS = """
WITH p AS (
  SELECT area_code, year,
         MAX(CASE WHEN sex = 'female' THEN value END) AS f,
         MAX(CASE WHEN sex = 'male' THEN value END) AS m,
         MAX(CASE WHEN sex = 'total' THEN value END) AS t
  FROM observations
  WHERE indicator_id = ? AND source_id = ? AND breakdown = ''
  GROUP BY area_code, year
  HAVING f IS NOT NULL AND m IS NOT NULL
), latest AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY area_code ORDER BY year DESC) AS n FROM p
)
SELECT l.area_code, a.name, l.year, l.f, l.m, l.t,
       CASE WHEN l.m > 0 THEN l.f / l.m END AS parity,
       CASE WHEN l.m > 0 THEN (l.m - l.f) / l.m END AS relative,
       l.f - l.m AS difference, a.region, a.income_group
FROM latest l JOIN areas a ON a.code = l.area_code
WHERE l.n = 1 AND a.kind = 'country'
ORDER BY parity IS NULL, parity, l.area_code
"""
GAP_KEYS = (
    "country", "country_name", "year", "female", "male", "total", "parity", "relative",
    "difference", "region", "income_group",
)  # fmt: skip
FLOOR_PROFILE = """
SELECT o.indicator_id, o.area_code, a.name, o.year, o.sex, o.breakdown, o.value,
       o.source_id, s.licence, o.flag, o.note
FROM observations o JOIN areas a ON a.code = o.area_code JOIN sources s ON s.id = o.source_id
WHERE o.area_code = ? AND o.breakdown = ''
ORDER BY o.indicator_id, o.year, o.sex
"""


Floor = tuple[str, Callable[[], str], str]  # (label, function, what it leaves out)


def floor_functions(db_path: str) -> dict[str, list[Floor]]:
    """Per API target: functions answering the same question, and what they leave out."""
    conn = sqlite3.connect(db_path, check_same_thread=False)
    default = dict(conn.execute("SELECT id, default_source FROM indicators"))

    def observations() -> str:
        rows = conn.execute(FLOOR_OBSERVATIONS, ("internet_use", default["internet_use"], "KEN"))
        return json.dumps([dict(zip(OBS_KEYS, r, strict=True)) for r in rows])

    def gaps() -> str:
        rows = conn.execute(FLOOR_GAPS, ("internet_use", default["internet_use"]))
        out = []
        for r in rows:
            rec = dict(zip(GAP_KEYS, r, strict=True))
            p = rec["parity"]
            rec["status"] = None if p is None else ("parity" if 0.98 <= p <= 1.02 else "gap")
            out.append(rec)
        return json.dumps(out)

    def profile() -> str:
        rows = conn.execute(FLOOR_PROFILE, ("KEN",))
        return json.dumps([dict(zip(OBS_KEYS, r, strict=True)) for r in rows])

    cached_gaps = json.loads(gaps())

    return {
        "observations": [("SQL + json.dumps", observations, "nothing: same rows and keys")],
        "gaps": [
            ("SQL + json.dumps", gaps, "no cache; no notes/source columns"),
            (
                "json.dumps of a cached answer",
                lambda: json.dumps(cached_gaps),
                "the query: the app caches gap tables too",
            ),
        ],
        "country profile": [
            ("SQL + json.dumps", profile, "KEN's rows only: no latest gaps, no peer comparisons")
        ],
    }


def time_calls(fn: Callable[[], object], n: int, max_seconds: float) -> list[float]:
    out: list[float] = []
    stop_at = time.perf_counter() + max_seconds
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
        if time.perf_counter() > stop_at:
            break
    return out


# -- where the app's time goes, in process ---------------------------------------------------
class InProcessApp:
    """Calls the ASGI app directly (no HTTP server, no sockets) on a private event loop.

    ``inline=True`` runs FastAPI's sync routes and dependencies in the calling thread instead
    of the threadpool, so a profiler sees the whole request in one thread.
    """

    def __init__(self, db_url: str) -> None:
        from sqlalchemy import event

        from equals.settings import Settings
        from equals.web.app import create_app

        self.app = create_app(Settings(db_url=db_url, init_on_start=False))
        self.loop = asyncio.new_event_loop()
        self.statements = 0

        @event.listens_for(self.app.state.store.engine, "before_cursor_execute")
        def _count(*_: Any) -> None:
            self.statements += 1

    def statements_per_request(self, path: str, n: int = 20) -> float:
        """SQL statements the app runs per request of ``path``, warm caches, mean of ``n``
        (pages: per render, the page cache emptied before each request)."""
        self.get(path)
        before = self.statements
        for _ in range(n):
            self.clear_page_cache()
            self.get(path)
        return (self.statements - before) / n

    def clear_page_cache(self) -> None:
        cache = getattr(self.app.state, "page_cache", None)
        if cache is not None:
            cache.clear()

    def render(self, path: str) -> tuple[int, bytes]:
        """``path`` rendered again: the page cache emptied first (data caches stay warm)."""
        self.clear_page_cache()
        return self.get(path)

    async def _call(self, path: str) -> tuple[int, bytes]:
        raw, _, query = path.partition("?")
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": raw, "raw_path": raw.encode(),
            "query_string": query.encode(), "root_path": "", "headers": [(b"host", b"bench")],
            "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {},
        }  # fmt: skip
        out: dict[str, Any] = {"status": 0, "body": []}

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                out["status"] = message["status"]
            elif message["type"] == "http.response.body":
                out["body"].append(message.get("body", b""))

        await self.app(scope, receive, send)
        return out["status"], b"".join(out["body"])

    def get(self, path: str) -> tuple[int, bytes]:
        return self.loop.run_until_complete(self._call(path))

    @staticmethod
    @contextlib.contextmanager
    def threadpool_inlined() -> Iterator[None]:
        import fastapi.dependencies.utils as deps
        import fastapi.routing as routing

        async def inline(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        saved = routing.run_in_threadpool, deps.run_in_threadpool
        routing.run_in_threadpool = deps.run_in_threadpool = inline  # type: ignore[assignment]
        try:
            yield
        finally:
            routing.run_in_threadpool, deps.run_in_threadpool = saved


def app_layers(
    db_url: str, targets: tuple[Target, ...] | list[Target] = TARGETS
) -> tuple[dict[str, dict[str, Callable[[], object]]], dict[str, float]]:
    """Per target: the whole app in process, and the API routes' own steps one by one;
    and the SQL statements one request runs."""
    from fastapi.responses import JSONResponse

    from equals.evidence.profile import country_profile
    from equals.evidence.queries import Evidence
    from equals.evidence.records import gap_record, observation_record, profile_record
    from equals.store import Store

    app = InProcessApp(db_url)
    ev = Evidence(Store(db_url))
    obs = ev.observations(indicator="internet_use", country="KEN")
    gps = ev.gaps("internet_use")
    prof = country_profile(ev, "KEN")
    obs_recs = [observation_record(r) for r in obs]
    gap_recs = [gap_record(r) for r in gps]
    prof_rec = profile_record(prof)

    def whole(path: str) -> dict[str, Callable[[], object]]:
        def inline() -> object:
            with InProcessApp.threadpool_inlined():
                return app.get(path)

        return {
            "whole app, ASGI in process (threadpool)": lambda: app.get(path),
            "whole app, ASGI in process (inline)": inline,
        }

    def page(path: str) -> dict[str, Callable[[], object]]:
        return {
            "page cache hit, ASGI in process": lambda: app.get(path),
            "render (page cache emptied), ASGI in process": lambda: app.render(path),
        }

    paths = {t.name: t.path for t in targets}
    statements = {t.name: app.statements_per_request(t.path) for t in targets}
    steps: dict[str, dict[str, Callable[[], object]]] = {
        t.name: page(t.path) for t in targets if t.kind == "page"
    }
    if not {"observations", "gaps", "country profile"} <= paths.keys():
        return steps, statements
    steps |= {
        "observations": {
            **whole(paths["observations"]),
            "Evidence.observations": lambda: ev.observations(
                indicator="internet_use", country="KEN"
            ),
            "observation_record x rows": lambda: [observation_record(r) for r in obs],
            "JSONResponse render": lambda: JSONResponse(obs_recs).body,
        },
        "gaps": {
            **whole(paths["gaps"]),
            "Evidence.gaps (cached)": lambda: ev.gaps("internet_use"),
            "gap_record x rows": lambda: [gap_record(r) for r in gps],
            "JSONResponse render": lambda: JSONResponse(gap_recs).body,
        },
        "country profile": {
            **whole(paths["country profile"]),
            "country_profile": lambda: country_profile(ev, "KEN"),
            "profile_record": lambda: profile_record(prof),
            "JSONResponse render": lambda: JSONResponse(prof_rec).body,
        },
    }
    return steps, statements


def profile_targets(db_url: str, out_dir: Path, n: int) -> dict[str, str]:
    """A pyinstrument call tree per target: ``n`` whole requests (at most 5 s), inlined."""
    try:
        from pyinstrument import Profiler
    except ImportError as exc:
        raise SystemExit(
            "--profile needs pyinstrument: .venv/bin/pip install pyinstrument"
        ) from exc

    out_dir.mkdir(parents=True, exist_ok=True)
    app = InProcessApp(db_url)
    paths = {}
    with InProcessApp.threadpool_inlined():
        for t in TARGETS:
            for _ in range(5):
                app.get(t.path)
            profiler = Profiler(interval=0.0002, async_mode="disabled")
            profiler.start()
            stop_at = time.perf_counter() + 5
            done = 0
            while done < n and time.perf_counter() < stop_at:
                app.get(t.path)
                done += 1
            profiler.stop()
            path = out_dir / f"profile-{t.name.replace(' ', '-')}.txt"
            head = f"{t.path}: {done} requests in process, sync routes inlined\n"
            text = profiler.output_text(unicode=False, color=False, show_all=False)
            path.write_text(head + text)
            paths[t.name] = str(path)
    return paths


# -- machine ----------------------------------------------------------------------------------
def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break

    def version(pkg: str) -> str | None:
        try:
            return importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            return None

    commit = None
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True, cwd=Path(__file__).parent,
        ).stdout.strip()  # fmt: skip
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "packages": {
            p: version(p)
            for p in (
                "fastapi",
                "starlette",
                "uvicorn",
                "sqlalchemy",
                "uvloop",
                "httptools",
                "datasette",
            )
        },
        "commit": commit,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# -- report -----------------------------------------------------------------------------------
def fmt(v: float | None, digits: int = 1) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def goal(t: dict[str, Any]) -> str:
    """Pages: p99 < 100 ms; API: p95 < 50 ms; both without errors."""
    r = t["loaded"]
    if t["kind"] == "page" and r["p99_ms"] is not None:
        return "yes" if r["p99_ms"] < PAGE_GOAL_P99_MS and not r["errors"] else "**no**"
    if t["kind"] == "api" and r["p95_ms"] is not None:
        return "yes" if r["p95_ms"] < API_GOAL_P95_MS and not r["errors"] else "**no**"
    return "n/a"


def _rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for t in [*results["targets"], *results.get("peer", [])]:
        r, s = t["loaded"], t["sequential"]
        status = ", ".join(f"{k}×{v}" for k, v in r["statuses"].items()) or "all 2xx"
        rows.append([
            f"{t['name']} `{t['path'][:60]}`", status, str(r["requests"]), str(r["errors"]),
            fmt(r["throughput_rps"]), fmt(r["p50_ms"]), fmt(r["p95_ms"]), fmt(r["p99_ms"]),
            fmt(s["p50_ms"], 2), fmt(t["first_ms"]), goal(t),
        ])  # fmt: skip
    return rows


COLUMNS = (
    "target", "status", "requests", "errors", "req/s", "p50", "p95", "p99", "1-client p50",
    "first request", "goal",
)  # fmt: skip


def print_report(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 200)
    m = results["machine"]
    console.print(
        f"[bold]EQUALS Hub web benchmark[/] {m['date']} — {m['cpu']}, {m['cores']} cores, "
        f"Python {m['python']}, SQLite {m['sqlite']}, commit {m['commit']}; load average "
        f"{m['load_average_at_start']} → {m.get('load_average_at_end')}; {results['driver']}"
    )
    table = Table(title="Loaded run (latency in ms, client side, queueing included)")
    for col in COLUMNS:
        table.add_column(col, justify="left" if col in ("target", "status") else "right")
    for row in _rows(results):
        table.add_row(*row)
    console.print(table)
    if results.get("peer_ratios"):
        peer = Table(title="The app against Datasette, same SQLite file, same load")
        for col in ("app", "peer", "app req/s ÷ peer req/s", "app p99 ÷ peer p99", "records"):
            peer.add_column(col)
        for r in results["peer_ratios"]:
            peer.add_row(
                r["app"], r["peer"], fmt(r["rps_ratio"], 2), fmt(r["p99_ratio"], 2),
                f"{r['app_records']} / {r['peer_records']}",
            )  # fmt: skip
        console.print(peer)
    floor = Table(title="Floor: the same API answers in process, plain sqlite3 (1 thread)")
    for col in (
        "target", "floor", "floor p50 ms", "floor calls/s", "app 1-client p50 ÷ floor p50",
        "floor calls/s ÷ app req/s", "floor leaves out",
    ):  # fmt: skip
        floor.add_column(col)
    for t in results["targets"]:
        for f in t.get("floors", []):
            floor.add_row(
                t["name"], f["floor"], fmt(f["p50_ms"], 3), fmt(f["calls_per_s"]),
                fmt(f["latency_ratio"]), fmt(f["throughput_ratio"]), f["leaves_out"],
            )  # fmt: skip
    console.print(floor)
    layers = Table(title="Where the app's time goes, in process (median ms per call)")
    for col in ("target", "step", "p50 ms"):
        layers.add_column(col)
    for t in results["targets"]:
        for step, ms in (t.get("layers") or {}).items():
            layers.add_row(t["name"], step, fmt(ms, 3))
        layers.add_row(
            t["name"], "SQL statements per request (pages: per render)",
            fmt(t["sql_statements_per_request"], 2),
        )  # fmt: skip
    console.print(layers)
    for note in results["notes"]:
        console.print(f"note: {note}")


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}; SQLite {m['sqlite']}; "
        f"{m['platform']}; {m['date']}; commit {m['commit'] or 'n/a'}; load average (1, 5, 15"
        f" min) {m['load_average_at_start']} at start, {m.get('load_average_at_end')} at end.",
        "",
        f"Loaded run: {results['driver']} per target, after the first request (its time is"
        " *first request*), a warm-up and a 1-client run. Latencies in ms, client side. Goals:"
        f" pages p99 < {PAGE_GOAL_P99_MS:.0f} ms, API p95 < {API_GOAL_P95_MS:.0f} ms.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(results)]
    if results.get("peer_ratios"):
        lines += [
            "",
            "The app against Datasette (same file, same query, same load):",
            "",
            "| app | peer | app req/s | peer req/s | req/s ratio | app p99 | peer p99 |"
            " p99 ratio | records (app / peer) |",
            "|---|---|--:|--:|--:|--:|--:|--:|---|",
        ]
        for r in results["peer_ratios"]:
            lines.append(
                f"| {r['app']} | {r['peer']} | {fmt(r['app_rps'])} | {fmt(r['peer_rps'])} | "
                f"{fmt(r['rps_ratio'], 2)} | {fmt(r['app_p99_ms'])} | {fmt(r['peer_p99_ms'])} | "
                f"{fmt(r['p99_ratio'], 2)} | {r['app_records']} / {r['peer_records']} |"
            )
    lines += [
        "",
        "Floor: the same API answers in process with plain `sqlite3` + `json.dumps`, one"
        " thread, no framework, no HTTP:",
        "",
        "| target | floor | floor p50 ms | floor calls/s | app 1-client p50 ÷ floor p50 |"
        " floor calls/s ÷ app req/s | floor leaves out |",
        "|---|---|--:|--:|--:|--:|---|",
    ]
    for t in results["targets"]:
        for f in t.get("floors", []):
            lines.append(
                f"| {t['name']} | {f['floor']} | {fmt(f['p50_ms'], 3)} | "
                f"{fmt(f['calls_per_s'])} | {fmt(f['latency_ratio'])} | "
                f"{fmt(f['throughput_ratio'])} | {f['leaves_out']} |"
            )
    lines += ["", "Where the app's time goes, in process (median ms per call):", ""]
    lines += ["| target | step | p50 ms |", "|---|---|--:|"]
    for t in results["targets"]:
        for step, ms in (t.get("layers") or {}).items():
            lines.append(f"| {t['name']} | {step} | {fmt(ms, 3)} |")
        statements = fmt(t["sql_statements_per_request"], 2)
        lines.append(
            f"| {t['name']} | SQL statements per request (pages: per render) | {statements} |"
        )
    lines += [""] + [f"- {n}" for n in results["notes"]]
    return "\n".join(lines) + "\n"


# -- main -------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=10, help="seconds per target under wrk (10)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    p.add_argument(
        "--driver",
        choices=("auto", "wrk", "builtin"),
        default="auto",
        help="load generator: wrk when installed (auto), or the built-in asyncio client",
    )
    p.add_argument("--no-datasette", action="store_true", help="skip the Datasette peer")
    p.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every page (the page cache stores nothing): what the cache saves",
    )
    p.add_argument(
        "--only",
        action="append",
        help="only targets whose path is or contains this (repeatable; '/' is the home page)",
    )
    p.add_argument(
        "--requests", type=int, default=2000, help="per target, built-in client's loaded run"
    )
    p.add_argument("--concurrency", type=int, default=20, help="concurrent clients (20)")
    p.add_argument("--db", help="database URL (default: a temporary SQLite from the bundle)")
    p.add_argument(
        "--max-seconds",
        type=float,
        default=60,
        help="built-in client: cap on the loaded runs, all targets together (60)",
    )
    p.add_argument(
        "--partners",
        type=int,
        default=10_000,
        help="synthetic initiatives added to the temporary database (labelled SYNTHETIC; 10000)",
    )
    p.add_argument("--sequential", type=int, default=200, help="1-client requests per target")
    p.add_argument("--warmup", type=int, default=100, help="warm-up requests per target")
    p.add_argument("--json", type=Path, help="write the results as JSON here")
    p.add_argument("--markdown", type=Path, help="write the results as Markdown here")
    p.add_argument("--profile", type=Path, help="write pyinstrument call trees to this dir")
    p.add_argument(
        "--inline-sync",
        action="store_true",
        help="experiment: run FastAPI's sync routes and dependencies on the event loop instead "
        "of the threadpool (what `async def` routes would do)",
    )
    p.add_argument(
        "--backends",
        action="store_true",
        help="compare SQLite (1 worker) with PostgreSQL (--workers workers) under load",
    )
    p.add_argument("--workers", type=int, default=3, help="uvicorn workers on PostgreSQL (3)")
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def sqlite_path(db_url: str) -> str | None:
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return str(url.database)
    return None


def measure(
    port: int, t: Target, args: argparse.Namespace, workdir: Path, wrk: str | None
) -> dict[str, Any]:
    """One target: the first request (timed), warm-up, 1 client, then the loaded run."""
    t0 = time.perf_counter()
    status, body = asyncio.run(fetch(port, t.path))
    first_ms = (time.perf_counter() - t0) * 1000
    warm = asyncio.run(
        drive(port, t.path, requests=args.warmup, concurrency=args.concurrency, max_seconds=3)
    )
    seq = asyncio.run(drive(port, t.path, requests=args.sequential, concurrency=1, max_seconds=3))
    if wrk:
        loaded = run_wrk(
            wrk, port, t.path, threads=args.threads, connections=args.concurrency,
            seconds=args.duration, workdir=workdir,
        )  # fmt: skip
    else:
        loaded = asyncio.run(
            drive(port, t.path, requests=args.requests, concurrency=args.concurrency,
                  max_seconds=args.max_seconds / len(TARGETS))
        ).summary()  # fmt: skip
    entry: dict[str, Any] = {
        **asdict(t),
        "first_status": status,
        "first_ms": first_ms,
        "body_bytes": len(body),
        "warmup_requests": warm.requests,
        "sequential": seq.summary(),
        "loaded": loaded,
    }
    if t.kind in ("api", "peer-api") and status == 200:
        entry["records"] = len(json.loads(body)) if body.startswith(b"[") else 1
    print(
        f"{t.name:<28} first {first_ms:8.1f} ms  {loaded['throughput_rps']:8.1f} req/s  "
        f"p95 {fmt(loaded['p95_ms'])}  p99 {fmt(loaded['p99_ms'])} ms  errors {loaded['errors']}",
        file=sys.stderr,
    )
    return entry


def bench(args: argparse.Namespace, db_url: str, workdir: Path) -> dict[str, Any]:
    notes: list[str] = []
    wrk = None if args.driver == "builtin" else wrk_binary()
    if args.driver == "wrk" and wrk is None:
        raise SystemExit("--driver wrk: wrk is not installed (Debian: apt-get install wrk)")
    driver = (
        f"{wrk_version(wrk)}: wrk -t{args.threads} -c{args.concurrency} -d{args.duration:g}s "
        "--latency"
        if wrk
        else f"built-in asyncio client, {args.concurrency} keep-alive connections"
    )
    if not wrk:
        notes.append("wrk is not installed: the built-in asyncio client drove the loaded runs.")
    results: dict[str, Any] = {
        "machine": machine_info(),
        "db": "temporary SQLite file from the bundle" if not args.db else "--db",
        "inline_sync": args.inline_sync,
        "page_cache": not args.no_page_cache,
        "concurrency": args.concurrency,
        "driver": driver,
        "requests": args.requests,
        "duration": args.duration,
        "targets": [],
        "peer": [],
        "notes": notes,
    }
    if args.inline_sync:
        notes.append(
            "Experiment --inline-sync: sync routes and dependencies ran on the event loop, "
            "not in the threadpool (as `async def` routes would)."
        )
    only = [
        t
        for t in TARGETS
        if not args.only or any(o == t.path or (len(o) > 1 and o in t.path) for o in args.only)
    ]
    if args.no_page_cache:
        notes.append("--no-page-cache: the page cache stored nothing; every page was rendered.")
    with server(
        db_url, workdir / "server.log", inline_sync=args.inline_sync,
        page_cache=not args.no_page_cache,
    ) as port:  # fmt: skip
        for t in only:
            entry = measure(port, t, args, workdir, wrk)
            if entry["first_status"] == 404:
                notes.append(f"{t.path} answered 404: the page is not built yet.")
            elif entry["first_status"] != 200:
                notes.append(f"{t.path} answered {entry['first_status']}.")
            if entry["loaded"]["capped_by_time"]:
                notes.append(f"{t.name}: stopped by the time cap.")
            results["targets"].append(entry)
        tail = (workdir / "server.log").read_text()[-2000:].strip()
        if tail:
            notes.append(f"server log tail: {tail}")
    db_file = sqlite_path(db_url)
    if db_file and not args.no_datasette:
        json_path, html_path = datasette_paths(db_file)
        with datasette_server(db_file, workdir / "datasette.log") as port:
            for t in (
                Target("Datasette: observations JSON", json_path, "peer-api"),
                Target("Datasette: observations HTML", html_path, "peer-page"),
            ):
                results["peer"].append(measure(port, t, args, workdir, wrk))
        results["peer_ratios"] = peer_ratios(results)
    elif not db_file:
        notes.append("Datasette skipped: the database is not a SQLite file.")

    path = sqlite_path(db_url)
    floors = floor_functions(path) if path else {}
    if not path:
        notes.append("floor skipped: the database is not a SQLite file.")
    layers, statements = app_layers(db_url, only)
    for entry in results["targets"]:
        name = entry["name"]
        for label, fn, leaves_out in floors.get(name, []):
            for _ in range(20):
                fn()
            times = time_calls(fn, max(args.sequential, 500), 2)
            p50 = percentile(times, 50) or 0.0
            calls_per_s = 1000 / fmean(times)
            app_p50 = entry["sequential"]["p50_ms"]
            app_rps = entry["loaded"]["throughput_rps"]
            floor = {
                "floor": label,
                "p50_ms": p50,
                "calls_per_s": calls_per_s,
                "latency_ratio": app_p50 / p50 if app_p50 and p50 else None,
                "throughput_ratio": calls_per_s / app_rps if app_rps else None,
                "records": len(json.loads(fn())),
                "leaves_out": leaves_out,
            }
            entry.setdefault("floors", []).append(floor)
            if name != "country profile" and floor["records"] != entry.get("records"):
                notes.append(
                    f"{name}: the floor returned {floor['records']} records, "
                    f"the app {entry.get('records')}."
                )
        entry["sql_statements_per_request"] = statements.get(name)
        if name in layers:
            entry["layers"] = {}
            for step, fn in layers[name].items():
                for _ in range(5):
                    fn()
                entry["layers"][step] = percentile(time_calls(fn, 200, 1.5), 50)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.profile:
        results["profiles"] = profile_targets(db_url, args.profile, 200)
    notes.append(
        "Client and server share the machine's 2 cores (wrk's threads, or the minimal asyncio "
        "client, take CPU from the one uvicorn process they measure); other work ran on the "
        "machine too: see the load average."
    )
    return results


def peer_ratios(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The app against Datasette, same question, same load: req/s and p99 ratios."""
    by_name = {t["name"]: t for t in results["targets"]}
    peer = {t["name"]: t for t in results["peer"]}
    pairs = (
        ("observations", "Datasette: observations JSON"),
        ("country page", "Datasette: observations HTML"),
        ("indicator page", "Datasette: observations HTML"),
    )
    out = []
    for ours, theirs in pairs:
        if ours not in by_name or theirs not in peer:
            continue
        a, b = by_name[ours]["loaded"], peer[theirs]["loaded"]
        out.append(
            {
                "app": ours,
                "peer": theirs,
                "app_rps": a["throughput_rps"],
                "peer_rps": b["throughput_rps"],
                "rps_ratio": a["throughput_rps"] / b["throughput_rps"]
                if b["throughput_rps"]
                else None,
                "app_p99_ms": a["p99_ms"],
                "peer_p99_ms": b["p99_ms"],
                "p99_ratio": a["p99_ms"] / b["p99_ms"] if a["p99_ms"] and b["p99_ms"] else None,
                "app_records": by_name[ours].get("records"),
                "peer_records": peer[theirs].get("records"),
            }
        )
    return out


# -- --backends: SQLite with one worker against PostgreSQL with several -----------------------
BACKEND_TARGETS = tuple(t for t in TARGETS if t.name in {
    "home page", "country page", "observations", "gaps", "country profile"})  # fmt: skip
ENV_BENCH_DB = "EQUALS_BENCH_DB"


def bench_app() -> Any:
    """Factory for ``uvicorn --factory --workers N`` (each worker builds its own app).

    The database is initialised once before the workers start: workers that each run the
    start-up initialisation race on the example content (a duplicate-key error stops one,
    and uvicorn then stops them all)."""
    from equals.settings import Settings
    from equals.web.app import create_app

    settings = Settings(db_url=os.environ[ENV_BENCH_DB], init_on_start=False)
    return with_server_timing(create_app(settings))


@contextlib.contextmanager
def worker_server(db_url: str, workers: int, log: Path) -> Iterator[int]:
    """The app under ``uvicorn --workers`` in a subprocess; yields its port once it answers."""
    port = free_port()
    env = {**os.environ, ENV_BENCH_DB: db_url}
    cmd = [sys.executable, "-m", "uvicorn", "web:bench_app", "--factory", "--app-dir",
           str(Path(__file__).parent), "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                if asyncio.run(fetch(port, "/api/v1/sources"))[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"server did not answer in 120 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        for _ in range(workers * 20):  # every worker has started and opened its pool
            asyncio.run(fetch(port, "/api/v1/sources"))
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def drive_backend(name: str, port: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    # Every worker must have started (lifespan done) and filled its caches before the timed
    # runs: a pass over all targets first, so that no request waits for a cold worker.
    for t in BACKEND_TARGETS:
        asyncio.run(drive(port, t.path, requests=args.warmup, concurrency=args.concurrency,
                          max_seconds=120))  # fmt: skip
    rows = []
    for t in BACKEND_TARGETS:
        asyncio.run(drive(port, t.path, requests=args.warmup, concurrency=args.concurrency,
                          max_seconds=30))  # fmt: skip
        run = asyncio.run(
            drive(port, t.path, requests=args.requests, concurrency=args.concurrency,
                  max_seconds=args.max_seconds / len(BACKEND_TARGETS))
        )  # fmt: skip
        rows.append({"backend": name, "target": t.name, "path": t.path, **run.summary()})
        print(f"{name:<28} {t.name:<16} {run.throughput:8.1f} req/s  p99 "
              f"{fmt(percentile(run.latencies_ms, 99))} ms  errors {run.errors}",
              file=sys.stderr)  # fmt: skip
    return rows


def backends_markdown(results: dict[str, Any]) -> str:
    lines = [
        f"Run {results['started']} on {results['machine'].get('cores')} cores "
        f"({results['machine'].get('cpu')}), load average {results['load_before']} before the "
        f"run (a shared machine); "
        f"{results['concurrency']} concurrent keep-alive clients, up to {results['requests']} "
        "requests per target after a warm-up. Latency is client-side (queueing included).",
        "",
        "| deployment | target | requests | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results["runs"]:
        lines.append(
            f"| {r['backend']} | {r['target']} | {r['requests']} | {r['throughput_rps']:.0f} | "
            f"{fmt(r['p50_ms'])} | {fmt(r['p99_ms'])} | {r['errors']} |"
        )
    return "\n".join(lines) + "\n"


def backends_main(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(Path(__file__).parents[1]))  # tests/pg.py: a throwaway PostgreSQL
    from tests.pg import postgres_server

    from equals.bootstrap import initialise
    from equals.store import Store

    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": machine_info(),
        "concurrency": args.concurrency,
        "requests": args.requests,
        "workers": args.workers,
        "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "runs": [],
    }
    with tempfile.TemporaryDirectory(prefix="equals-bench-") as tmp:
        workdir = Path(tmp)
        sqlite_url = f"sqlite:///{workdir / 'bench.db'}"
        store = Store(sqlite_url)
        store.init()
        store.dispose()
        with server(sqlite_url, workdir / "sqlite.log") as port:
            results["runs"] += drive_backend("SQLite, 1 worker", port, args)
        with postgres_server() as pg_url:
            store = Store(pg_url)
            initialise(store)  # once, before the workers (see bench_app)
            store.dispose()
            label = f"PostgreSQL, {args.workers} workers"
            with worker_server(pg_url, args.workers, workdir / "pg.log") as port:
                results["runs"] += drive_backend(label, port, args)
        for log in ("sqlite.log", "pg.log"):  # the servers' own words, when anything failed
            if any(r["errors"] for r in results["runs"]) and (workdir / log).exists():
                print(f"--- {log}\n{(workdir / log).read_text()[-4000:]}", file=sys.stderr)
    text = backends_markdown(results)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    if args.markdown:
        args.markdown.write_text(text)
    return 0 if all(r["errors"] == 0 for r in results["runs"]) else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve:
        serve(args.db, args.port, inline_sync=args.inline_sync, page_cache=not args.no_page_cache)
        return 0
    if args.backends:
        return backends_main(args)
    with tempfile.TemporaryDirectory(prefix="equals-bench-") as tmp:
        workdir = Path(tmp)
        db_url = args.db
        if not db_url:
            from equals.store import Store

            db_url = f"sqlite:///{workdir / 'bench.db'}"
            t0 = time.perf_counter()
            store = Store(db_url)
            store.init()
            if args.partners:
                from equals.partners.synthetic import generate

                generate(store, initiatives=args.partners)
            store.dispose()
            print(f"initialised {db_url} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        results = bench(args, db_url, workdir)
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    if args.markdown:
        args.markdown.write_text(markdown(results))
    missed = [t["name"] for t in results["targets"] if goal(t) == "**no**"]
    if missed:
        print(
            f"Goal (pages p99 < {PAGE_GOAL_P99_MS:.0f} ms, API p95 < {API_GOAL_P95_MS:.0f} ms) "
            f"missed: {', '.join(missed)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
