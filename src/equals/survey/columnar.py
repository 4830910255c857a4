"""The aggregation pass computed on columns in memory: Arrow columns in, a coded cell table out.

The same pass as the SQL text of :class:`equals.survey.sql.Pass` — the same cells, the same
moments, from the same description — for a source small enough to hold its columns in memory
(:data:`equals.survey.engine.STREAM_ROWS` rows). It is faster there because it works on
codes and streams:

1. each key column gives one digit per row, read in place from Arrow's buffers: an integer's
   offset from its smallest value, a text's index in its dictionary (a Parquet file's own
   when the column is read as one); 0 for a missing value;
2. the digits are combined into one cell number per row in mixed radix, widest key first;
   whenever the radix would pass a few entries per row the numbers are made dense by a table
   of the numbers present (a cumulative sum, no sort, no hashing), so keys nested in the PSUs
   (stratum, region …) cost one pass each and add no cells;
3. each moment is one product of its columns per row (missing values are 0, so only sums
   over rows valid on another column need a mask), added into its cell's column of the
   matrix in place (``np.add.at``);
4. the cells' keys are coded into their sorted distinct values from one row of each cell
   (:func:`equals.survey.codes.arrow_codes`), as the SQL pass's keys are.

A hash aggregation (DuckDB's, or polars') updates every aggregate's state through a pointer per
row: with ~0.3 cells per row, as in a household survey's PSU × domain cells, that was 12 ns per
row and aggregate, 0.24 s of the 0.38 s pass at 2M rows × 12 moments (docs/benchmarks.md,
session 7).

:func:`aggregate` returns None when a column's type is not one it reads the way the SQL does
(see :func:`_supported`); the caller then runs the SQL.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt

from equals.survey.codes import Coded, arrow_codes, dense_codes, fits_table, is_text, one_array
from equals.survey.engine import CellTable
from equals.survey.quantities import Scalar
from equals.survey.sql import WEIGHT, Aggregate, Pass, Term

if TYPE_CHECKING:
    import pyarrow as pa

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def aggregate(table: pa.Table, spec: Pass) -> CellTable | None:
    """The cells of ``spec`` over the rows of ``table`` (which holds at least
    ``spec.columns``), or None when a column's type is not supported."""
    rows = table.num_rows
    if not rows or not _supported(table, spec):  # no rows: the SQL's one row of NULLs
        return None
    table = _without_null_entries(table, spec.columns)
    keys = {alias: _Key(table.column(col), rows) for alias, col in spec.keys}
    cell, n = cell_numbers(list(keys.values()), rows)
    row_of = np.zeros(n, dtype=np.int64)  # a row of each cell (any: they share their keys)
    row_of[cell] = np.arange(rows, dtype=np.int64)
    coded = {alias: key.cell_codes(row_of) for alias, key in keys.items()}
    values = _zeros((n, len(spec.aggregates)))
    columns = _Columns(table, spec.weight)
    scratch = np.empty(rows, dtype=np.float64)
    for j, agg in enumerate(spec.aggregates):
        _moment(agg, columns, cell, values[:, j], scratch)
    return CellTable.from_codes(coded, values, tuple(a.alias for a in spec.aggregates))


def _zeros(shape: tuple[int, int]) -> F64:
    """A column-major matrix of zeros written as zeros, not ``np.zeros``: a large calloc is
    fresh zero pages, and adding into them (read, then write) faults each page twice — once to
    map the shared zero page, once to copy it. Writing the zeros first faults it once: at 611k
    cells × 12 moments, 14,300 faults instead of 28,600 and 61 ms instead of 92 ms."""
    out = np.empty(shape, dtype=np.float64, order="F")
    out.fill(0.0)
    return out


def _without_null_entries(table: pa.Table, columns: Sequence[str]) -> pa.Table:
    """The table with each dictionary column that has a missing value *in its dictionary*
    decoded: a row pointing at it is missing (as the SQL sees it), though its index is not —
    and the digits, codes and validity here read the indices. (Not from a Parquet file or
    DuckDB, whose dictionaries hold no missing value; from an Arrow table given directly.)"""
    import pyarrow as pa

    for name in columns:
        column = table.column(name)
        if pa.types.is_dictionary(column.type) and any(
            chunk.dictionary.null_count for chunk in column.chunks
        ):
            index = table.column_names.index(name)
            table = table.set_column(index, name, column.cast(column.type.value_type))
    return table


def _raw(array: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, B | None]:
    """A numeric (or dictionary) column's values as numpy, without a copy where Arrow allows,
    and which rows have a value (None: every row). Values under a missing one are arbitrary.
    Booleans come as 0/1 bytes (a copy)."""
    import pyarrow as pa

    array = one_array(array)
    valid = (
        np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        if array.null_count
        else None
    )
    if pa.types.is_dictionary(array.type):
        array = array.indices
    if pa.types.is_boolean(array.type):
        filled = array.fill_null(False) if array.null_count else array
        return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=np.uint8), valid
    dtype = np.dtype(array.type.to_pandas_dtype())
    buffer = array.buffers()[1]
    values = np.frombuffer(buffer, dtype=dtype, count=len(array) + array.offset)[array.offset :]
    return values, valid


class _Key:
    """A key column as one digit per row for the cell numbers (0: missing), and its codes into
    its sorted distinct values on the cells (:data:`equals.survey.codes.Coded`)."""

    def __init__(self, column: pa.Array | pa.ChunkedArray, rows: int) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        column = one_array(column)
        if pa.types.is_dictionary(column.type) and len(pc.unique(column.dictionary)) != len(
            column.dictionary
        ):  # a value twice in the dictionary (chunks joined without unifying them)
            column = column.cast(column.type.value_type)
        if is_text(column.type) and not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        self.column = column
        self.values, self.valid = _raw(column)
        self.low = 0
        self.sorted: Coded | None = None  # codes of every row, when coded row by row
        if pa.types.is_dictionary(column.type):
            self.radix = len(column.dictionary) + 1
            return
        present = self.values if self.valid is None else self.values[self.valid]
        if not len(present):
            self.radix = 1
            return
        low, high = int(present.min()), int(present.max())
        if fits_table(high - low + 2, rows) and high < 2**63:
            self.low, self.radix = low, high - low + 2
        else:  # a wide range (ids of 10 digits …): coded row by row into its distinct values
            self.sorted = arrow_codes(column)
            self.radix = len(self.sorted[1]) + 1

    def digit(self) -> np.ndarray:
        """The digit of each row: value − low + 1 (dictionary index + 1), 0 where missing."""
        if self.sorted is not None:
            return self.sorted[0] + 1
        digit = self.values.astype(np.int64)
        digit -= self.low  # both within 64 bits (the range is small)
        digit += 1
        if self.valid is not None:
            digit[~self.valid] = 0
        return digit

    def constant_within(self, groups: I64, row_of: I64) -> bool:
        """Whether the key has one value (or is missing) on every row of each group
        (``groups``: a dense number per row; ``row_of``: a row of each group)."""
        if self.sorted is not None or self.valid is not None:
            digit = self.digit()
            return bool(np.array_equal(digit, digit[row_of][groups]))
        return bool(np.array_equal(self.values, self.values[row_of][groups]))

    def shift_in(self, number: I64) -> None:
        """number ← number · radix + digit, in place (one pass each, no digit array unless
        the key has missing values or was coded row by row)."""
        number *= self.radix
        if self.sorted is not None or self.valid is not None:
            number += self.digit()
            return
        values = self.values
        if values.dtype == np.uint64:  # int64 + uint64 is float64 in numpy: exact only to 2^53
            values = values.view(np.int64)  # the same bits: modular, as below
        np.add(number, values, out=number, casting="unsafe")
        number -= self.low  # modular: the sum fits, whatever the steps
        number += 1

    def cell_codes(self, row_of: I64) -> Coded:
        """Codes of the cells (their rows ``row_of``) into the sorted distinct values."""
        import pyarrow as pa

        if self.sorted is not None:
            codes, uniques = self.sorted
            return codes[row_of], uniques
        mask = None if self.valid is None else ~self.valid[row_of]
        if pa.types.is_dictionary(self.column.type):
            indices = pa.array(self.values[row_of], mask=mask)
            cells = pa.DictionaryArray.from_arrays(indices, self.column.dictionary)
        else:
            cells = pa.array(self.values[row_of], mask=mask, type=self.column.type)
        return arrow_codes(cells)


def cell_numbers(keys: Sequence[_Key], rows: int) -> tuple[I64, int]:
    """One number per row for its combination of keys, dense in ``[0, cells)``; returns it and
    the number of cells.

    The widest key (the PSU, in a survey) is made dense first. A key constant within each of
    its groups — stratum, region, urban/rural are, in a household survey — adds no cell and is
    left out (one comparison per row finds it). The other keys' digits are combined with it
    in mixed radix, in place; whenever the radix would outgrow a table of the numbers present
    (:func:`equals.survey.codes.fits_table`), the numbers so far are made dense first
    (:func:`_dense`). No sort and, unless a key alone is wider than that, no hashing."""
    if not keys:  # one cell, as an aggregation without GROUP BY gives one row
        return np.zeros(rows, dtype=np.int64), 1
    widest, *others = sorted(keys, key=lambda k: -k.radix)
    number, span = _dense(widest.digit(), widest.radix)
    if others:
        row_of = np.empty(span, dtype=np.int64)  # a row of each group of the widest key
        row_of[number] = np.arange(rows, dtype=np.int64)
        others = [key for key in others if not key.constant_within(number, row_of)]
    for key in others:
        if not fits_table(span * key.radix, rows):
            number, span = _dense(number, span)
        key.shift_in(number)
        span *= key.radix
    return (number, span) if not others else _dense(number, span)


def _dense(number: I64, span: int) -> tuple[I64, int]:
    """Numbers in ``[0, span)`` → dense numbers of the distinct values present, and how
    many there are (:func:`equals.survey.codes.dense_codes`)."""
    codes, present = dense_codes(number)
    return codes, len(present)


CACHED = 4  # per-row arrays of each kind kept at once (beyond the weight's)

K = TypeVar("K")
V = TypeVar("V")


class _Recent(OrderedDict[K, V]):
    """A dict that keeps only the ``size`` entries set or read last."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __getitem__(self, key: K) -> V:
        self.move_to_end(key)
        return super().__getitem__(key)

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class _Columns:
    """Per-row arrays of the source's columns: their values as numpy (without a copy where
    Arrow allows), which rows have a value, indicators of a level."""

    def __init__(self, table: pa.Table, weight: str) -> None:
        self.table = table
        self.weight = weight
        # Bounded: the aggregates come measure by measure, so a few columns are reused at a
        # time; holding every column's copy would cost up to 8 bytes per row and column.
        self._raw: _Recent[str, np.ndarray] = _Recent(CACHED)
        self._present: _Recent[tuple[str, ...], B | None] = _Recent(CACHED)
        self._levels: _Recent[tuple[str, Scalar], F64] = _Recent(CACHED)
        self._kept: dict[str, np.ndarray] = {}  # the weight's: w·w, w ≠ 0

    def raw(self, column: str) -> np.ndarray:
        """The column's values as numbers (integers as they are, booleans as 0/1), 0 where a
        value is missing — so a product with the column is 0 on the rows where it is not
        valid, as the SQL's ``SUM`` skips them."""
        if column not in self._raw:
            values, valid = _raw(self.table.column(column))
            if valid is not None:  # under a missing value Arrow's number is arbitrary
                values = np.where(valid, values, values.dtype.type(0))
            self._raw[column] = values
        return self._raw[column]

    def value(self, column: str) -> F64:
        """The column as doubles (``CAST(… AS DOUBLE)``), 0 where missing."""
        values = np.asarray(self.raw(column), dtype=np.float64)
        present = self.present((column,))
        return values if present is None else np.where(present, values, 0.0)

    def nonzero_weight(self) -> B:
        if "nonzero" not in self._kept:
            self._kept["nonzero"] = np.asarray(self.raw(self.weight) != 0, dtype=bool)
        return np.asarray(self._kept["nonzero"], dtype=bool)

    def present(self, columns: tuple[str, ...]) -> B | None:
        """Rows where every column has a value (None: every row)."""
        if columns not in self._present:
            mask: B | None = None
            for column in columns:
                array = self.table.column(column)
                if not array.null_count:
                    continue
                valid = np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
                mask = valid if mask is None else mask & valid
            self._present[columns] = mask
        return self._present[columns]

    def indicator(self, column: str, level: Scalar) -> F64:
        """1.0 where the column equals ``level``, else 0.0 (missing: 0.0), as the SQL's
        ``CASE WHEN column = level THEN 1.0 ELSE 0.0 END``."""
        key = (column, level)
        if key not in self._levels:
            import pyarrow as pa
            import pyarrow.compute as pc

            array = self.table.column(column)
            kind = array.type
            if pa.types.is_dictionary(kind):
                array = array.cast(kind.value_type)
                kind = kind.value_type
            if is_text(kind):
                hit = pc.equal(array, pa.scalar(str(level), kind))
                equal = np.asarray(hit.fill_null(False).to_numpy(zero_copy_only=False), bool)
            elif pa.types.is_boolean(kind):
                hit = pc.equal(array, pa.scalar(bool(level)))
                equal = np.asarray(hit.fill_null(False).to_numpy(zero_copy_only=False), bool)
            elif pa.types.is_integer(kind) and isinstance(level, int):
                equal = _integer_equal(array, level)
            else:  # a number compared as a double
                equal = self.value(column) == float(level)
                present = self.present((column,))
                if present is not None:
                    equal &= present
            self._levels[key] = equal.astype(np.float64)
        return self._levels[key]

    def factor(self, f: str | Term) -> np.ndarray:
        if f == WEIGHT:
            return self.raw(self.weight)
        assert isinstance(f, Term)
        return self.raw(f.column) if f.level is None else self.indicator(f.column, f.level)

    def product(self, factors: tuple[str | Term, ...], out: F64) -> np.ndarray:
        """The product of the factors, left to right as the SQL multiplies them, in doubles,
        in ``out`` (or a kept array: one factor's values; ``w·w``, shared by the second
        moments)."""
        if len(factors) == 1:
            return self.factor(factors[0])
        if factors == (WEIGHT, WEIGHT):
            if "ww" not in self._kept:
                w = self.raw(self.weight)
                self._kept["ww"] = np.multiply(w, w, dtype=np.float64)
            return self._kept["ww"]
        head = self.product(factors[:-1], out)
        return np.asarray(np.multiply(head, self.factor(factors[-1]), out=out, dtype=np.float64))


def _integer_equal(array: pa.ChunkedArray | pa.Array, level: int) -> B:
    """Rows of an integer column equal to ``level`` (exactly, at any width)."""

    array = one_array(array)
    kind = np.dtype(array.type.to_pandas_dtype())
    info = np.iinfo(kind)
    if not info.min <= level <= info.max:  # not a value of this type: no row has it
        return np.zeros(len(array), dtype=bool)
    filled = array.fill_null(0 if level != 0 else 1) if array.null_count else array
    return np.asarray(filled.to_numpy(zero_copy_only=False) == kind.type(level), dtype=bool)


def _moment(agg: Aggregate, columns: _Columns, cell: I64, out: F64, scratch: F64) -> None:
    """One aggregate per cell, into ``out`` (zeros); ``scratch``: a row-length array to
    compute in. Sums are added in place (``np.add.at``): no array per moment."""
    n = len(out)
    if agg.extreme:
        term = agg.factors[0]
        assert isinstance(term, Term)
        out[:] = np.inf if agg.extreme == "MIN" else -np.inf
        ufunc = np.minimum if agg.extreme == "MIN" else np.maximum
        ufunc.at(out, cell, columns.value(term.column))
        return
    # A product is 0 on the rows where one of its columns is missing (:meth:`_Columns.raw`),
    # so only a sum over rows where columns outside the product are valid needs a mask.
    outside = set(agg.valid or ()) - {f.column for f in agg.factors if isinstance(f, Term)}
    mask = columns.present(agg.valid) if agg.valid is not None and outside else None
    if agg.nonzero:
        nonzero = columns.nonzero_weight()
        mask = nonzero if mask is None else mask & nonzero
    if not agg.factors:  # a row count
        out[:] = np.bincount(cell if mask is None else cell[mask], minlength=n)
        return
    product = columns.product(agg.factors, scratch)
    if mask is not None:
        product = np.multiply(product, mask, out=scratch, dtype=np.float64)
    np.add.at(out, cell, product)


def _supported(table: pa.Table, spec: Pass) -> bool:
    """Whether every column the pass reads has a type read here as the SQL reads it: keys of
    integers or text (a dictionary of text too), values of integers, floats or booleans, a
    level's column of integers, floats, booleans or text with a level of the same kind."""
    import pyarrow as pa

    names = table.column_names
    if len(set(names)) != len(names) or not set(spec.columns) <= set(names):
        return False

    def kind(column: str) -> pa.DataType:
        t = table.schema.field(column).type
        return t.value_type if pa.types.is_dictionary(t) else t

    def number(t: pa.DataType) -> bool:
        return bool(pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t))

    for _, column in spec.keys:  # integers, or text (a dictionary of text too)
        t = table.schema.field(column).type
        if not (pa.types.is_integer(t) or is_text(t)):
            return False
    if not number(kind(spec.weight)):
        return False
    for agg in spec.aggregates:
        for f in agg.factors:
            if not isinstance(f, Term):
                continue
            t = kind(f.column)
            if f.level is None:
                if not number(t) or pa.types.is_dictionary(table.schema.field(f.column).type):
                    return False
            elif not _level_matches(t, f.level):
                return False
    return True


def _level_matches(t: pa.DataType, level: Scalar) -> bool:
    import pyarrow as pa

    if is_text(t):
        return isinstance(level, str)
    if pa.types.is_boolean(t):
        return isinstance(level, bool)
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        return (
            isinstance(level, int | float) and not isinstance(level, bool) and math.isfinite(level)
        )
    return False
