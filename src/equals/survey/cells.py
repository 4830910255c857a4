"""The aggregated cells (stratum × PSU × domain keys) and the strata facts the variance needs.

Per stratum h: n_h, the number of PSUs in the *whole* design (PSUs without a member of a
domain still count, as in R's ``svyby`` / ``subset``), and the finite population factor
f_h = 1 − n_h/N_h (1 without fpc), built from the fpc column exactly as R's ``as.fpc``.
When the design has no PSU column each row is a PSU, so n_h is the row count of stratum h.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

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
    """The cell table: its key columns as a frame, its moments as one float matrix."""

    keys: pd.DataFrame  # the domain key columns (``by_key(i)``), one row per cell
    values: F64  # (cells × moments), column-major, missing → 0
    columns: dict[str, int]  # moment name → column of ``values`` (aliases resolved)
    stratum: I64  # stratum code per cell
    psu: I64 | None  # global PSU code per cell; None when every row is its own PSU
    psu_stratum: I64  # stratum code per PSU code (empty without PSU column)
    n_h: F64  # PSUs per stratum (rows, without PSU column)
    f_h: F64  # 1 − n_h/N_h
    labels: tuple[object, ...]  # stratum labels by code
    lonely: LonelyPSU
    _codes: dict[str, tuple[I64, np.ndarray]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def key_codes(self, key: str) -> tuple[I64, np.ndarray]:
        """A key column as codes into its sorted distinct values (−1: missing)."""
        if key not in self._codes:
            codes, uniques = pd.factorize(self.keys[key], sort=True, use_na_sentinel=True)
            self._codes[key] = (np.asarray(codes, dtype=np.int64), np.asarray(uniques))
        return self._codes[key]

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
    frame = table.keys
    columns = {name: j for j, name in enumerate(table.names)}
    for alias, target in (aliases or {}).items():
        columns[alias] = columns[target]
    n_cells = len(table.values)
    if design.strata:
        codes, uniq = pd.factorize(frame[STRATUM], sort=True)
        stratum = np.asarray(codes, dtype=np.int64)
        labels: tuple[object, ...] = tuple(uniq.tolist())
    else:
        stratum = np.zeros(n_cells, dtype=np.int64)
        labels = ("(whole sample)",)
    n_strata = len(labels)
    psu: I64 | None = None
    psu_stratum = np.zeros(0, dtype=np.int64)
    if design.psu:
        pairs = pd.DataFrame({"h": stratum, "p": frame[PSU].to_numpy()})
        psu = np.asarray(pairs.groupby(["h", "p"], sort=False).ngroup(), dtype=np.int64)
        psu_stratum = np.zeros(int(psu.max()) + 1 if n_cells else 0, dtype=np.int64)
        psu_stratum[psu] = stratum
        n_h = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)
    else:
        counts = table.values[:, columns["cell__n"]]
        n_h = np.asarray(np.bincount(stratum, weights=counts, minlength=n_strata), np.float64)
    f_h = _fpc_factor(table, columns, design, stratum, n_h, labels, location)
    key_names = [c for c in frame.columns if c.startswith("k__by")]
    cells = Cells(
        frame[key_names],
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
            f"stratum {names} of {design.strata or 'the design'!r} has only one PSU; choose a "
            "lonely-PSU rule (certainty, remove, adjust or average)",
            location=location,
        )
    return cells


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
    where = f"column {design.fpc!r}"
    varies = np.flatnonzero(lo != hi)
    if varies.size:
        raise FpcError(
            f"{where}: fpc varies within stratum {labels[varies[0]]!r} ({lo[varies[0]]} to "
            f"{hi[varies[0]]})",
            location=location,
        )
    fpc = lo
    is_popsize = bool((fpc > 1).any())
    if is_popsize != bool((fpc >= 1).all()) or (fpc < 0).any():
        raise FpcError(
            f"{where}: give every fpc as a population count (≥ 1) or every fpc as a sampling "
            "fraction (≤ 1), not both",
            location=location,
        )
    with np.errstate(divide="ignore"):
        popsize = fpc if is_popsize else n_h / fpc
    too_big = np.flatnonzero(popsize < n_h)
    if too_big.size:
        h = too_big[0]
        raise FpcError(
            f"{where}: fpc implies more than 100% sampling in stratum {labels[h]!r} "
            f"(population {popsize[h]:g}, sampled {n_h[h]:g})",
            location=location,
        )
    with np.errstate(invalid="ignore"):
        return np.asarray(np.where(np.isinf(popsize), 1.0, (popsize - n_h) / popsize))
