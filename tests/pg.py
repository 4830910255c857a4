"""A throwaway PostgreSQL server for the test session.

``postgres_server()`` yields a SQLAlchemy URL. With ``EQUALS_TEST_PG_URL`` set it yields that
URL as is; otherwise it starts a private server from the machine's PostgreSQL binaries
(Debian: ``/usr/lib/postgresql/*/bin``, or ``initdb``/``pg_ctl`` on ``PATH``) in a temporary
directory, listening on 127.0.0.1 on a free port, with trust auth and durability switched off
for speed, and removes it all at the end, also when a test fails.

Tests run as root in CI and PostgreSQL refuses to run as root, so under root the server runs as
the ``postgres`` OS user (``runuser -u postgres --``) and owns its directory.

Register with ``pytest_plugins = ["tests.pg"]`` in ``tests/conftest.py``: that gives the
session-scoped fixture ``pg_url``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

ENV_URL = "EQUALS_TEST_PG_URL"
DB_NAME = "equals_test"
SERVER_USER = "postgres"
FAST_SETTINGS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    " -c max_connections=60 -c shared_buffers=32MB"
)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip locally when a tool is missing, but fail in CI (same rule as tests/conftest.py)."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries (or no way to run them) on this machine."""


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parent.parent.name  # /usr/lib/postgresql/<version>/bin/initdb
    return tuple(int(x) for x in part.split(".") if x.isdigit())


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: newest Debian install, else PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key, reverse=True
    )
    for initdb in candidates:
        bindir = Path(initdb).parent
        if (bindir / "pg_ctl").exists():
            return bindir
    initdb_on_path = shutil.which("initdb")
    if initdb_on_path and shutil.which("pg_ctl"):
        return Path(initdb_on_path).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no server log)"
    return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"


class _Server:
    """One private server: its directory, binaries and the OS user that runs it."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                self.user = pwd.getpwnam(SERVER_USER)
            except KeyError as exc:
                raise PostgresUnavailable(
                    f"running as root but there is no {SERVER_USER!r} OS user to run PostgreSQL"
                ) from exc
        self.root = Path(tempfile.mkdtemp(prefix="equals-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "server.log"
        self.sockets.mkdir()
        if self.as_root:
            for p in (self.root, self.sockets):
                os.chown(p, self.user.pw_uid, self.user.pw_gid)
        self.port: int | None = None
        self.started = False

    def run(self, args: Sequence[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", SERVER_USER, "--", *cmd]
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        return subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
            cwd=self.root,
        )

    def initdb(self) -> None:
        res = self.run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        if res.returncode != 0:
            output = f"{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
            raise RuntimeError(f"initdb failed (exit {res.returncode}):\n{output}")

    def start(self, attempts: int = 3) -> None:
        last = ""
        for _ in range(attempts):
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} {FAST_SETTINGS}"
            )
            res = self.run(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            )
            if res.returncode == 0:
                self.started = True
                return
            last = f"{res.stdout}\n{res.stderr}\n--- server log (tail) ---\n{_tail(self.log)}"
            if "could not bind" not in last and "already in use" not in last:
                break
        raise RuntimeError(f"PostgreSQL did not start:\n{last}")

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {DB_NAME}")

    def stop(self) -> None:
        if self.started:
            self.run(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                timeout=60,
            )
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{DB_NAME}"


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the SQLAlchemy URL of a throwaway PostgreSQL database; clean up afterwards.

    Raises :class:`PostgresUnavailable` when the machine has no PostgreSQL binaries and
    ``EQUALS_TEST_PG_URL`` is not set; ``RuntimeError`` (with the server log tail) when the
    server does not start.
    """
    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailable(
            "no PostgreSQL binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH;"
            f" install PostgreSQL (Debian: apt-get install postgresql) or set {ENV_URL}"
        )
    server = _Server(bindir)
    try:
        server.initdb()
        server.start()
        server.create_database()
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """SQLAlchemy URL of an empty PostgreSQL database for this test session (or worker)."""
    cm = postgres_server()
    try:
        url = cm.__enter__()
    except PostgresUnavailable as exc:
        require(False, str(exc))
        raise  # unreachable: require() skips or fails
    try:
        yield url
    finally:
        cm.__exit__(None, None, None)


def fresh_database(server_url: str, name: str) -> str:
    """Create (or re-create, empty) database ``name`` on the server of ``server_url``.

    Lets a test module own a database of its own on the session's server. With
    ``EQUALS_TEST_PG_URL`` the role needs the CREATEDB privilege.
    """
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe database name {name!r}")
    with psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return url.set(database=name).render_as_string(hide_password=False)
