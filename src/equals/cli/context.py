"""The CLI's settings: read from the environment once per process, then passed down.

Library code never reads the environment (see ``equals.settings``); commands ask here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache

from equals.core.i18n import normalise
from equals.settings import Settings

LANGUAGE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Where the language comes from when ``--lang`` is not given, first set first (POSIX)."""


@cache
def cli_settings() -> Settings:
    """``Settings.from_env()`` for this process."""
    return Settings.from_env()


def engine_options(engine: str, spark_master: str | None) -> dict[str, str]:
    """Keyword arguments for ``open_engine``: the memory limit and, for Spark, the master
    (``--spark-master`` first, else ``$EQUALS_SPARK_MASTER``)."""
    settings = cli_settings()
    options: dict[str, str] = {}
    if settings.duckdb_memory:
        options["memory_limit"] = settings.duckdb_memory
    master = spark_master or (settings.spark_master if engine == "spark" else None)
    if master:
        options["spark_master"] = master
    return options


def requested_language(args: Sequence[str], environ: Mapping[str, str] | None = None) -> str | None:
    """The language a run asks for: ``--lang X`` (or ``--lang=X``), else the first of
    ``$LC_ALL``, ``$LC_MESSAGES``, ``$LANG`` that is set. ``None`` when neither names a shipped
    language (``C``, ``de_DE.UTF-8``…): the command line is then in English."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return normalise(args[i + 1])
        if arg.startswith("--lang="):
            return normalise(arg.partition("=")[2])
    env = os.environ if environ is None else environ
    for name in LANGUAGE_VARIABLES:
        if env.get(name):
            return normalise(env[name])
    return None
