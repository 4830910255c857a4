"""One typed settings object, built explicitly (never read at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_DB = "EQUALS_DB"
ENV_SECRET = "EQUALS_SECRET_KEY"


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
class Settings:
    """Everything the app needs to run; pass it to ``create_app(settings)``."""

    db_url: str
    # Load the bundled data into an empty or outdated database on start.
    init_on_start: bool = True
    # Signs login cookies and CSRF tokens. None: a random secret per process (logins then
    # end when the server restarts). Set $EQUALS_SECRET_KEY in a shared deployment.
    secret_key: str | None = None

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, db_url: str | None = None
    ) -> Settings:
        env = os.environ if env is None else env
        return cls(db_url=db_url or default_db_url(env), secret_key=env.get(ENV_SECRET) or None)
