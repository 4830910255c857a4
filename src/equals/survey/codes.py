"""Key columns as integer codes into their sorted distinct values (−1: missing).

Every key column of the cells (stratum, PSU, domain variables) is used as codes: the cells are
grouped, regrouped and labelled by them. The codes are what ``pd.factorize(sort=True)`` gives,
found without hashing where the values allow it: integers by their range, text by Arrow's
dictionary encoding, straight from the aggregation's Arrow batches (no DataFrame in between).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

I64 = npt.NDArray[np.int64]
Coded = tuple[I64, np.ndarray]  # (code of each row, the sorted distinct values)


def fits_table(span: int, rows: int) -> bool:
    """Whether numbers below ``span`` are coded by a table of the values present (no hashing,
    no sort): when the table has at most a few entries per number."""
    return span < 2 * rows + 65_536


def dense_codes(values: I64) -> tuple[I64, I64]:
    """Codes of non-negative integers into their sorted distinct values: by a table of the
    values present when their range is small (:func:`fits_table`), else by hashing."""
    if not len(values):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    top = int(values.max())
    if not fits_table(top + 1, len(values)):
        codes, uniques = pd.factorize(values, sort=True)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=np.int64)
    present = np.zeros(top + 1, dtype=bool)
    present[values] = True
    rank: np.ndarray = np.cumsum(present, dtype=np.int32 if top < 2**31 else np.int64)
    rank -= 1  # on the table, not on every value
    codes = np.empty(len(values), dtype=np.int64)
    codes[:] = rank[values]
    return codes, np.flatnonzero(present)


def is_text(kind: pa.DataType) -> bool:
    """Text, or a dictionary of text."""
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        return is_text(kind.value_type)
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def one_array(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A column as one Arrow array (its chunks joined; one chunk as it is)."""
    import pyarrow as pa

    if not isinstance(column, pa.ChunkedArray):
        return column
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def factorize_sorted(values: pd.Series | np.ndarray) -> Coded:
    """Codes into the sorted distinct values (−1: missing)."""
    numpy_int = isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu"
    if numpy_int and len(values):  # numpy integers (no missing value)
        return _integer_codes(np.asarray(values))
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.is_monotonic_increasing:
        # coded by the engine (text keys): the categories are the sorted distinct values
        coded: I64 = np.asarray(pd.Series(values).cat.codes, dtype=np.int64)
        return coded, np.asarray(dtype.categories, dtype=object)
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques)


def _integer_codes(array: np.ndarray) -> Coded:
    low, high = int(array.min()), int(array.max())
    if high - low >= 2**62 or high >= 2**63:  # beyond 64-bit offsets (or int64 at all)
        codes, uniques = pd.factorize(array, sort=True)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniques)
    codes, offsets = dense_codes(np.asarray(array, dtype=np.int64) - low)
    return codes, offsets + low


def arrow_codes(column: pa.Array | pa.ChunkedArray) -> Coded:
    """:func:`factorize_sorted` of an Arrow column, without a pandas Series: integers (missing
    values or not) by their range, text by a dictionary encoding whose dictionary is sorted;
    any other type through pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = one_array(column)
    kind = column.type
    if pa.types.is_integer(kind):
        if not len(column) or column.null_count == len(column):
            return np.full(len(column), -1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if not column.null_count:
            return _integer_codes(column.to_numpy(zero_copy_only=False))
        missing = column.is_null().to_numpy(zero_copy_only=False)
        low = pc.min(column).as_py()
        codes, uniques = _integer_codes(column.fill_null(low).to_numpy(zero_copy_only=False))
        codes[missing] = -1
        return codes, uniques
    if is_text(kind):
        return _text_codes(column if pa.types.is_dictionary(kind) else pc.dictionary_encode(column))
    return factorize_sorted(column.to_pandas())


def _text_codes(encoded: pa.DictionaryArray) -> Coded:
    """A dictionary-encoded text column → codes into its sorted dictionary (values that do
    not occur are dropped, as ``pd.factorize`` would not see them)."""
    import pyarrow.compute as pc

    dictionary = encoded.dictionary
    indices = encoded.indices
    if not len(dictionary):  # every value missing
        return np.full(len(indices), -1, dtype=np.int64), np.zeros(0, dtype=object)
    missing = indices.is_null().to_numpy(zero_copy_only=False)
    index = np.asarray(indices.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    used = np.zeros(len(dictionary), dtype=bool)
    used[index[~missing]] = True
    order = np.asarray(pc.sort_indices(dictionary), dtype=np.int64)
    order = order[used[order]]  # the distinct values present, sorted
    rank = np.full(len(dictionary), -1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = np.where(missing, -1, rank[index])
    uniques = np.asarray(dictionary.take(order).to_pylist(), dtype=object)
    return np.asarray(codes, dtype=np.int64), uniques
