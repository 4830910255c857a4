"""The aggregated cells (stratum × PSU × domain keys) and the strata facts the variance needs.

Per stratum h: n_h, the number of PSUs in the *whole* design (PSUs without a member of a
domain still count, as in R's ``svyby`` / ``subset``), and the finite population factor
f_h = 1 − n_h/N_h (1 without fpc), built from the fpc column exactly as R's ``as.fpc``.
When the design has no PSU column each row is a PSU, so n_h is the row count of stratum h.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from equals.core.i18n import Msg
from equals.survey.codes import dense_codes
from equals.survey.design import Design, LonelyPSU
from equals.survey.engine import CellTable
from equals.survey.errors import FpcError, LonelyPSUError

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

STRATUM = "k__stratum"
PSU = "k__psu"
SELF_REPRESENTING = 1e-7  # R onestrat(): strata with f < 1e-7 contribute no variance


def by_key(i: int) -> str:
    return f"k__by{i}"


@dataclass(frozen=True)
class Cells:
    """A table of totals: one row per stratum × PSU × domain-key combination, its key columns
    as integer codes, its moments as one float matrix.

    The aggregation pass gives the finest table (every key of the request); :func:`regroup`
    totals it over fewer keys — the rows are then the variance's units for that key set
    (PSU × domain; stratum × domain when every row is its own PSU).
    """

    codes: dict[str, I64]  # key column (``by_key(i)``) → code of each row (−1: missing)
    uniques: dict[str, np.ndarray]  # key column → its sorted distinct values
    values: F64  # (rows × moments), column-major, missing → 0
    columns: dict[str, int]  # moment name → column of ``values`` (aliases resolved)
    stratum: I64  # stratum code per row
    psu: I64 | None  # global PSU code per row; None when every row is its own PSU
    psu_stratum: I64  # stratum code per PSU code (empty without PSU column)
    n_h: F64  # PSUs per stratum (rows, without PSU column)
    f_h: F64  # 1 − n_h/N_h
    labels: tuple[object, ...]  # stratum labels by code
    lonely: LonelyPSU

    def key_codes(self, key: str) -> tuple[I64, np.ndarray]:
        """A key column as codes into its sorted distinct values (−1: missing)."""
        return self.codes[key], self.uniques[key]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.codes)

    @property
    def n_strata(self) -> int:
        return len(self.n_h)

    def __len__(self) -> int:
        return len(self.values)

    def col(self, name: str) -> F64:
        return self.values[:, self.columns[name]]

    @property
    def lonely_h(self) -> npt.NDArray[np.bool_]:
        """Strata with one PSU that are not self-representing."""
        return np.asarray((self.n_h == 1) & (self.f_h >= SELF_REPRESENTING))


def build_cells(
    table: CellTable | pd.DataFrame,
    design: Design,
    location: str,
    aliases: Mapping[str, str] | None = None,
) -> Cells:
    """Cells from an aggregation pass (a :class:`CellTable`, or its rows as a DataFrame);
    ``aliases``: moments not summed because they equal another column
    (:class:`equals.survey.sql.Moments`)."""
    if isinstance(table, pd.DataFrame):
        table = CellTable.from_frame(table)
    coded = table.coded
    columns = {name: j for j, name in enumerate(table.names)}
    for alias, target in (aliases or {}).items():
        columns[alias] = columns[target]
    n_cells = len(table.values)
    if design.strata:
        stratum, uniq = coded[STRATUM]
        labels: tuple[object, ...] = tuple(uniq.tolist())
    else:
        stratum = np.zeros(n_cells, dtype=np.int64)
        labels = ("(whole sample)",)
    n_strata = len(labels)
    psu: I64 | None = None
    psu_stratum = np.zeros(0, dtype=np.int64)
    if design.psu:
        # PSU ids are nested in strata: number (stratum, PSU) pairs, in stratum order.
        local, seen = coded[PSU]
        psu, pairs = dense_codes(stratum * max(len(seen), 1) + local)
        psu_stratum = pairs // max(len(seen), 1)
        n_h = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
    else:
        counts = table.values[:, columns["cell__n"]]
        n_h = np.asarray(np.bincount(stratum, weights=counts, minlength=n_strata), np.float64)
    f_h = _fpc_factor(table, columns, design, stratum, n_h, labels, location)
    key_codes = {c: coded[c] for c in coded if c.startswith("k__by")}
    cells = Cells(
        {k: c for k, (c, _) in key_codes.items()},
        {k: u for k, (_, u) in key_codes.items()},
        table.values,
        columns,
        stratum,
        psu,
        psu_stratum,
        n_h,
        f_h,
        labels,
        design.lonely_psu,
    )
    if design.lonely_psu is LonelyPSU.ERROR and cells.lonely_h.any():
        names = ", ".join(repr(labels[h]) for h in np.flatnonzero(cells.lonely_h)[:10])
        raise LonelyPSUError(
            Msg(
                "stratum %(names)s of %(design)s has only one PSU; choose a lonely-PSU rule "
                "(certainty, remove, adjust or average)",
                names=names,
                design=repr(design.strata or "the design"),
            ),
            location=location,
        )
    return cells


NOT_SUMMED = ("cell__fpc_min", "cell__fpc_max")  # read once by build_cells; not totals


def regroup(cells: Cells, keys: Sequence[str]) -> Cells:
    """The totals of ``cells`` over the key columns ``keys`` (a subset of its keys): one row
    per PSU × key combination (stratum × key combination without PSU column), a missing key
    value kept as a value of its own. Rows already unique on ``keys`` are shared, not copied."""
    keys = list(dict.fromkeys(keys))
    unit = cells.psu if cells.psu is not None else cells.stratum
    # Key-major, then unit: the rows come sorted by domain and, within it, by stratum (PSUs
    # are numbered in stratum order), so the variance totals them run by run.
    combined = np.zeros(len(cells), dtype=np.int64)
    for key in keys:
        codes, uniques = cells.key_codes(key)
        span = len(uniques) + 1  # + missing
        if int(combined.max(initial=0)) >= RADIX_LIMIT // span:
            combined = dense_codes(combined)[0]
        combined = combined * span + (codes + 1)
    units = max(len(cells.psu_stratum) if cells.psu is not None else cells.n_strata, 1)
    if int(combined.max(initial=0)) >= RADIX_LIMIT // units:
        combined = dense_codes(combined)[0]
    combined = combined * units + unit
    row, distinct = dense_codes(combined)
    n_rows = len(distinct)
    kept = {k: cells.codes[k] for k in keys}
    values_of = {k: cells.uniques[k] for k in keys}
    if n_rows == len(cells):  # every row is its own unit: nothing to total
        return with_keys(cells, kept, values_of)
    first = np.empty(n_rows, dtype=np.int64)  # a row of each unit (its keys and stratum)
    first[row] = np.arange(len(row))
    values = np.zeros((n_rows, cells.values.shape[1]), dtype=np.float64, order="F")
    skip = {cells.columns[c] for c in NOT_SUMMED if c in cells.columns}
    for j in range(cells.values.shape[1]):
        if j not in skip:
            values[:, j] = np.bincount(row, weights=cells.values[:, j], minlength=n_rows)
    return replace(
        cells,
        codes={k: c[first] for k, c in kept.items()},
        uniques=values_of,
        values=values,
        stratum=cells.stratum[first],
        psu=None if cells.psu is None else cells.psu[first],
    )


RADIX_LIMIT = 2**62  # combined key codes are re-numbered densely before they could overflow


def psu_level_keys(cells: Cells) -> dict[str, I64]:
    """The key columns constant within each PSU (region, urban/rural … in a household survey),
    each with its code per PSU (−1: missing). Totals over PSU × other keys are then already
    totals over PSU × other keys × these: such a key adds no unit (:meth:`Batch.table
    <equals.survey.batch.Batch.table>`). Empty without a PSU column."""
    if cells.psu is None:
        return {}
    out: dict[str, I64] = {}
    for key in cells.keys:
        codes = cells.codes[key]
        per_psu = np.full(len(cells.psu_stratum), -1, dtype=np.int64)
        per_psu[cells.psu] = codes  # any row's code: they agree when the key is PSU-level
        if np.array_equal(per_psu[cells.psu], codes):
            out[key] = per_psu
    return out


def with_keys(cells: Cells, codes: Mapping[str, I64], uniques: Mapping[str, np.ndarray]) -> Cells:
    """The same rows with these key columns (in the order given)."""
    return replace(cells, codes=dict(codes), uniques=dict(uniques))


def _fpc_factor(
    table: CellTable,
    columns: Mapping[str, int],
    design: Design,
    stratum: I64,
    n_h: F64,
    labels: tuple[object, ...],
    location: str,
) -> F64:
    if not design.fpc:
        return np.ones(len(n_h))
    lo = np.full(len(n_h), np.inf)
    hi = np.full(len(n_h), -np.inf)
    np.minimum.at(lo, stratum, table.values[:, columns["cell__fpc_min"]])
    np.maximum.at(hi, stratum, table.values[:, columns["cell__fpc_max"]])
    col = repr(design.fpc)
    varies = np.flatnonzero(lo != hi)
    if varies.size:
        raise FpcError(
            Msg(
                "column %(col)s: fpc varies within stratum %(stratum)s (%(lo)s to %(hi)s)",
                col=col,
                stratum=repr(labels[varies[0]]),
                lo=str(lo[varies[0]]),
                hi=str(hi[varies[0]]),
            ),
            location=location,
        )
    fpc = lo
    is_popsize = bool((fpc > 1).any())
    if is_popsize != bool((fpc >= 1).all()) or (fpc < 0).any():
        raise FpcError(
            Msg(
                "column %(col)s: give every fpc as a population count (≥ 1) or every fpc as a "
                "sampling fraction (≤ 1), not both",
                col=col,
            ),
            location=location,
        )
    with np.errstate(divide="ignore"):
        popsize = fpc if is_popsize else n_h / fpc
    too_big = np.flatnonzero(popsize < n_h)
    if too_big.size:
        h = too_big[0]
        raise FpcError(
            Msg(
                "column %(col)s: fpc implies more than 100%% sampling in stratum %(stratum)s "
                "(population %(population)s, sampled %(sampled)s)",
                col=col,
                stratum=repr(labels[h]),
                population=f"{popsize[h]:g}",
                sampled=f"{n_h[h]:g}",
            ),
            location=location,
        )
    with np.errstate(invalid="ignore"):
        return np.asarray(np.where(np.isinf(popsize), 1.0, (popsize - n_h) / popsize))
