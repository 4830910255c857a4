"""One typed settings object, built explicitly (never read at import time).

Every setting the platform has lives in :class:`Settings` and is documented in :data:`SETTINGS`
(the table in ``docs/settings.md`` is generated from it, and a test keeps the two in step).
Library code never reads the environment: the CLI and the server build ``Settings.from_env()``
once and pass the values down (``create_app(settings)``, ``Store(settings.db_url)``,
``open_engine(..., memory_limit=settings.duckdb_memory)``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from equals.core.errors import ValidationError
from equals.core.i18n import Msg

ENV_DB = "EQUALS_DB"
ENV_SECRET = "EQUALS_SECRET_KEY"
ENV_SECURE_COOKIES = "EQUALS_SECURE_COOKIES"
ENV_MAX_REQUEST = "EQUALS_MAX_REQUEST_BYTES"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def _flag(text: str | None) -> bool | None:
    """``1/true/yes/on`` → True, ``0/false/no/off`` → False, unset or ``auto`` → None."""
    value = (text or "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return None


ENV_DUCKDB_MEMORY = "EQUALS_DUCKDB_MEMORY"
ENV_SPARK_MASTER = "EQUALS_SPARK_MASTER"
ENV_LOG_LEVEL = "EQUALS_LOG_LEVEL"

LOG_LEVELS = ("debug", "info", "warning", "error")


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """The documented default database file.

    ``$XDG_DATA_HOME/equals-hub/equals.db``, else ``~/.local/share/equals-hub/equals.db``.
    """
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "equals-hub" / "equals.db"


def default_db_url(env: Mapping[str, str] | None = None) -> str:
    """``$EQUALS_DB`` if set, else SQLite at :func:`default_db_path`."""
    env = os.environ if env is None else env
    url = env.get(ENV_DB)
    if url:
        return url
    return f"sqlite:///{default_db_path(env)}"


@dataclass(frozen=True, slots=True)
class SettingDoc:
    """One row of the settings table: the field, its environment variable, default, meaning."""

    field: str
    env: str | None
    default: str
    meaning: str


SETTINGS: tuple[SettingDoc, ...] = (
    SettingDoc(
        "db_url",
        ENV_DB,
        "SQLite at `$XDG_DATA_HOME/equals-hub/equals.db` (else `~/.local/share/…`)",
        "SQLAlchemy URL of the database, e.g. `postgresql+psycopg://user@host/equals`. "
        "Every command also takes `--db URL`.",
    ),
    SettingDoc(
        "init_on_start",
        None,
        "true",
        "The web app migrates and loads the bundled data (and example content) on startup.",
    ),
    SettingDoc(
        "secret_key",
        ENV_SECRET,
        "a random key per process (a warning is logged)",
        "Signs login cookies and CSRF tokens. Set it in any shared deployment; without it "
        "sign-ins end when the server restarts.",
    ),
    SettingDoc(
        "secure_cookies",
        ENV_SECURE_COOKIES,
        "auto; on when `equals serve` binds a host other than loopback",
        "`1`: cookies get the `Secure` flag (sent over HTTPS only); `0`: never; `auto`: when "
        "the request came over HTTPS (directly, or through a proxy uvicorn trusts). Set `0` "
        "only for a plain-HTTP test deployment on a trusted network.",
    ),
    SettingDoc(
        "max_request_bytes",
        ENV_MAX_REQUEST,
        "`2097152` (2 MiB)",
        "The largest request body any endpoint accepts; a larger one gets 413 before it is read.",
    ),
    SettingDoc(
        "duckdb_memory",
        ENV_DUCKDB_MEMORY,
        "`500MB`",
        "DuckDB's working memory for the survey engine; larger aggregations spill to a "
        "temporary directory.",
    ),
    SettingDoc(
        "spark_master",
        ENV_SPARK_MASTER,
        "`local[2]`",
        "Spark master URL for `--engine spark` (e.g. `spark://host:7077`); "
        "`--spark-master` overrides it.",
    ),
    SettingDoc(
        "log_level",
        ENV_LOG_LEVEL,
        "`info`",
        "Logging threshold: debug, info, warning or error. `--log-level` overrides it.",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the platform needs to run; see :data:`SETTINGS` for each field's meaning."""

    db_url: str
    init_on_start: bool = True
    secret_key: str | None = None
    # Secure cookies: True/False, or None = auto (Secure when the request came over HTTPS).
    secure_cookies: bool | None = None
    # The largest request body accepted (413 above it).
    max_request_bytes: int = 2 * 1024 * 1024
    duckdb_memory: str | None = None
    spark_master: str | None = None
    log_level: str = "info"

    def __post_init__(self) -> None:
        if self.log_level.lower() not in LOG_LEVELS:
            raise ValidationError(
                Msg(
                    "log level %(level)s is not one of: %(levels)s",
                    level=repr(self.log_level),
                    levels=", ".join(LOG_LEVELS),
                ),
                location=ENV_LOG_LEVEL,
                code="invalid-setting",
            )

    @property
    def log_level_number(self) -> int:
        number: int = logging.getLevelName(self.log_level.upper())
        return number

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        db_url: str | None = None,
        host: str | None = None,
    ) -> Settings:
        """Settings from ``EQUALS_*`` environment variables (``db_url`` overrides ``EQUALS_DB``).

        ``host`` is the address the server binds: any host but loopback turns Secure cookies
        on unless ``EQUALS_SECURE_COOKIES`` says otherwise.
        """
        env = os.environ if env is None else env
        raw_secure = (env.get(ENV_SECURE_COOKIES) or "").strip().lower()
        secure = _flag(raw_secure)
        if raw_secure == "" and host is not None and host not in LOOPBACK_HOSTS:
            secure = True
        max_bytes = (env.get(ENV_MAX_REQUEST) or "").strip()
        return cls(
            db_url=db_url or default_db_url(env),
            secret_key=env.get(ENV_SECRET) or None,
            secure_cookies=secure,
            max_request_bytes=int(max_bytes) if max_bytes.isdigit() else 2 * 1024 * 1024,
            duckdb_memory=env.get(ENV_DUCKDB_MEMORY) or None,
            spark_master=env.get(ENV_SPARK_MASTER) or None,
            log_level=(env.get(ENV_LOG_LEVEL) or "info").lower(),
        )


def settings_table() -> str:
    """The Markdown table of every setting (``docs/settings.md`` embeds it)."""
    rows = [
        "| setting | environment variable | default | meaning |",
        "|---|---|---|---|",
    ]
    for doc in SETTINGS:
        env = f"`{doc.env}`" if doc.env else "—"
        rows.append(f"| `{doc.field}` | {env} | {doc.default} | {doc.meaning} |")
    return "\n".join(rows)


def undocumented_settings() -> list[str]:
    """Fields of :class:`Settings` without a row in :data:`SETTINGS` (a test keeps this empty)."""
    documented = {doc.field for doc in SETTINGS}
    return [f.name for f in fields(Settings) if f.name not in documented]
