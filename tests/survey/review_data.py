"""Test data shared by the review tests of the survey engine."""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def design_columns(rng: np.random.Generator, n: int) -> dict[str, pa.Array]:
    """Stratum, PSU, weight and sex columns of ``n`` rows (the review tests' design)."""
    return {
        "st": pa.array(rng.integers(1, 4, n), pa.int32()),
        "psu": pa.array(rng.integers(0, 30, n), pa.int32()),
        "w": pa.array(rng.uniform(0.5, 3, n)),
        "sex": pa.array(rng.integers(1, 3, n), pa.int8()),
    }
