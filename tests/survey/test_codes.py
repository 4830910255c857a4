"""Key columns coded from Arrow equal ``pd.factorize(sort=True, use_na_sentinel=True)`` on the
same values — the reference, an independent hash-and-sort implementation in pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from equals.survey.codes import arrow_codes, dense_codes, factorize_sorted


def _reference(values: list[object]) -> tuple[list[int], list[object]]:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=True)
    return [int(c) for c in codes], list(uniques)


CASES = {
    "int, no missing": pa.array([5, 3, 5, 9, 3, 3], type=pa.int32()),
    "int, missing": pa.array([5, None, 5, -2, None, 7], type=pa.int16()),
    "int, all missing": pa.array([None, None], type=pa.int64()),
    "int, wide range": pa.array([10**12, 3, 10**12, -(10**12)], type=pa.int64()),
    "int8": pa.array([1, 2, 1, None], type=pa.int8()),
    "text": pa.array(["b", "a", None, "c", "a"]),
    "large text": pa.array(["x", "é", "x", None], type=pa.large_string()),
    "float": pa.array([1.5, None, -0.5, 1.5]),
    "bool": pa.array([True, False, None, True]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_arrow_codes_equal_pandas_factorize(name: str) -> None:
    column = CASES[name]
    codes, uniques = arrow_codes(column)
    want_codes, want_uniques = _reference(column.to_pylist())
    assert codes.tolist() == want_codes
    assert [u.item() if hasattr(u, "item") else u for u in uniques] == want_uniques
    assert codes.dtype == np.int64


def test_chunked_and_dictionary_columns() -> None:
    """Batches arrive as chunks; a dictionary may hold values no row uses (they are dropped,
    since pandas never sees them) and is not sorted."""
    chunked = pa.chunked_array([pa.array(["m", "f"]), pa.array([None, "f", "x"])])
    codes, uniques = arrow_codes(chunked)
    assert (codes.tolist(), list(uniques)) == _reference(chunked.to_pylist())
    dictionary = pa.DictionaryArray.from_arrays(
        pa.array([2, 0, None, 2], type=pa.int32()), pa.array(["z", "unused", "a"])
    )
    codes, uniques = arrow_codes(dictionary)
    assert codes.tolist() == [0, 1, -1, 0] and list(uniques) == ["a", "z"]


def test_random_integers_against_pandas() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(-50, 5_000, 20_000)
    mask = rng.random(20_000) < 0.1
    column = pa.array(values, mask=mask)
    codes, uniques = arrow_codes(column)
    want_codes, want_uniques = pd.factorize(pd.Series(values).mask(mask), sort=True)
    np.testing.assert_array_equal(codes, want_codes)
    np.testing.assert_array_equal(uniques, np.asarray(want_uniques, dtype=np.int64))


def test_dense_codes_both_ways_agree() -> None:
    """The table of present values (small range) and hashing (wide range) give the same codes."""
    rng = np.random.default_rng(5)
    values = rng.integers(0, 1_000, 5_000)
    small = dense_codes(values)
    wide = dense_codes(values * 10**9)
    np.testing.assert_array_equal(small[0], wide[0])
    np.testing.assert_array_equal(small[1] * 10**9, wide[1])
    codes, uniques = factorize_sorted(values)
    np.testing.assert_array_equal(uniques[codes], values)
