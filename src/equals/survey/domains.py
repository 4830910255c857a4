"""Domains: which group each aggregated cell belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from equals.survey.cells import I64, Cells
from equals.survey.quantities import Scalar


def native(v: object) -> Scalar:
    """numpy scalars → Python; integral floats (SPSS/Stata codes) → int."""
    item = getattr(v, "item", None)
    value = item() if callable(item) else v
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


RADIX_LIMIT = 2**62  # combined key codes are re-numbered densely before they could overflow
DENSE_LIMIT = 1 << 22  # key combinations counted in a table up to this many, else hashed


@dataclass(frozen=True)
class Groups:
    """``code[c]``: the group of row c (−1: a domain value is missing, the row is in none)."""

    code: I64
    domains: tuple[dict[str, Scalar], ...]
    keys: tuple[str, ...] = ()  # the key columns grouped on

    @property
    def n(self) -> int:
        return len(self.domains)


def domain_groups(cells: Cells, keys: Sequence[str], names: Sequence[str]) -> Groups:
    """Groups of the cells by the key columns ``keys`` (reported under ``names``), in sorted
    key order; a cell with a missing key value is in no group."""
    if not keys:
        return Groups(np.zeros(len(cells), dtype=np.int64), ({},))
    columns = [cells.key_codes(k) for k in keys]
    valid = np.ones(len(cells), dtype=bool)
    combined = np.zeros(len(cells), dtype=np.int64)
    radices: list[int] = []  # the radix of each key, from the last re-numbering on
    span = 1
    for codes, uniques in columns:  # mixed radix: lexicographic in the sorted key values
        valid &= codes >= 0
        size = max(len(uniques), 1)
        if span * size > RADIX_LIMIT:
            return _hashed(cells, columns, keys, names)
        combined = combined * size + codes
        span *= size
        radices.append(size)
    inside = np.flatnonzero(valid) if not valid.all() else None
    present_codes = combined if inside is None else combined[inside]
    if span <= DENSE_LIMIT:  # count the combinations in a table: no hashing, no sort
        present = np.flatnonzero(np.bincount(present_codes, minlength=span))
        rank = np.full(span, -1, dtype=np.int64)
        rank[present] = np.arange(len(present))
        group = rank[present_codes]
    else:
        seen, distinct = pd.factorize(present_codes, sort=True)
        present, group = np.asarray(distinct, dtype=np.int64), np.asarray(seen, dtype=np.int64)
    code = group if inside is None else np.full(len(cells), -1, dtype=np.int64)
    if inside is not None:
        code[inside] = group
    # Decode each present combination into its key values (mixed radix, last key fastest).
    digits: list[I64] = []
    rest = present
    for size in reversed(radices):
        digits.append(rest % size)
        rest = rest // size
    digits.reverse()
    values = [uniques[d] for (_, uniques), d in zip(columns, digits, strict=True)]
    domains = tuple(
        {name: native(v[i]) for name, v in zip(names, values, strict=True)}
        for i in range(len(present))
    )
    return Groups(code, domains, tuple(keys))


def _hashed(
    cells: Cells,
    columns: Sequence[tuple[I64, np.ndarray]],
    keys: Sequence[str],
    names: Sequence[str],
) -> Groups:
    """Many keys with many values: re-number the combinations as they grow (hashing)."""
    valid = np.logical_and.reduce([codes >= 0 for codes, _ in columns])
    combined = np.zeros(len(cells), dtype=np.int64)
    span = 1
    for codes, uniques in columns:
        if span * max(len(uniques), 1) > RADIX_LIMIT:
            _, combined = np.unique(combined, return_inverse=True)
            span = int(combined.max()) + 1 if len(combined) else 1
        combined = combined * len(uniques) + codes
        span *= max(len(uniques), 1)
    inside = np.flatnonzero(valid)
    seen, distinct = pd.factorize(combined[inside], sort=False)
    seen = np.asarray(seen, dtype=np.int64)
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[np.argsort(np.asarray(distinct), kind="stable")] = np.arange(len(distinct))
    code = np.full(len(cells), -1, dtype=np.int64)
    code[inside] = rank[seen]
    # factorize numbers values in order of first appearance: firsts are where the running
    # maximum of the codes steps up.
    steps = np.flatnonzero(np.diff(np.maximum.accumulate(seen), prepend=-1) > 0)
    rows = np.empty(len(distinct), dtype=np.int64)
    rows[rank[seen[steps]]] = inside[steps]
    domains = tuple(
        {
            name: native(uniques[codes[row]])
            for (codes, uniques), name in zip(columns, names, strict=True)
        }
        for row in rows
    )
    return Groups(code, domains, tuple(keys))
