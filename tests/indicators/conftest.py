"""Fixtures for the bundled-evidence tests: the loaded bundle and raw-file access."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from equals.indicators.bundle import Bundle, default_data_dir, load_bundle
from equals.indicators.model import Observation

ObsKey = tuple[str, str, int, str, str, str]  # indicator, area, year, sex, breakdown, source
RawRecord = Callable[[str, int], dict[str, str]]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return default_data_dir()


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return load_bundle()


@pytest.fixture(scope="session")
def obs_index(bundle: Bundle) -> dict[ObsKey, Observation]:
    return {
        (o.indicator, o.area, o.year, o.sex.value, o.breakdown, o.source): o
        for o in bundle.observations
    }


@cache
def _lines(path: Path) -> tuple[str, ...]:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return tuple(raw.decode("utf-8-sig").splitlines())


@pytest.fixture(scope="session")
def raw_record(data_dir: Path) -> RawRecord:
    """``raw_record(file, line)``: the record on physical ``line`` (1 = header) as a dict.

    Reads the raw file's literal text, independently of the loaders.
    """

    def get(rel: str, line: int) -> dict[str, str]:
        lines = _lines(data_dir / rel)
        header = next(csv.reader([lines[0]]))
        cells = next(csv.reader([lines[line - 1]]))
        assert len(cells) == len(header), f"{rel}:{line} is not a single-line record"
        return dict(zip(header, cells, strict=True))

    return get
