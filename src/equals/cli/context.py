"""The CLI's settings: read from the environment once per process, then passed down.

Library code never reads the environment (see ``equals.settings``); commands ask here.
"""

from __future__ import annotations

from functools import cache

from equals.settings import Settings


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
