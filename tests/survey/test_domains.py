"""Domain grouping of cells: the order, labels and missing-key rule of pandas' sorted groupby.

Reference: ``DataFrame.groupby(keys, sort=True, dropna=True).ngroup()`` on the same key
columns — an independent implementation (hash groupby + sort of the group keys).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equals.survey import domains
from equals.survey.cells import build_cells, by_key
from equals.survey.design import Design, LonelyPSU
from equals.survey.domains import domain_groups

DESIGN = Design(weight="w", lonely_psu=LonelyPSU.CERTAINTY)  # tiny frames: one-row strata
VALUES = {
    "int": st.one_of(st.none(), st.integers(0, 4)),
    "str": st.one_of(st.none(), st.sampled_from(["15-24", "25-74", "75+", "a'b"])),
}


def _cells(columns: dict[str, list[object]]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({by_key(i): col for i, col in enumerate(columns.values())})
    frame["cell__n"] = np.ones(n)
    return frame


@st.composite
def key_frames(draw: st.DrawFn) -> pd.DataFrame:
    kinds = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=4))
    n = draw(st.integers(1, 40))
    columns: dict[str, list[object]] = {}
    for i, kind in enumerate(kinds):
        values = draw(st.lists(VALUES[kind], min_size=n, max_size=n))
        dtype = "Int64" if kind == "int" else "object"
        columns[f"v{i}"] = pd.array(values, dtype=dtype)
    return _cells(columns)


def _reference(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, list[tuple[object, ...]]]:
    grouped = frame.groupby(keys, sort=True, dropna=True)
    code = grouped.ngroup().fillna(-1).to_numpy(dtype=np.int64)
    index = grouped.size().index
    labels = list(index) if isinstance(index, pd.MultiIndex) else [(k,) for k in index]
    return code, labels


@pytest.mark.parametrize("radix_limit", [2**62, 3])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frame=key_frames())
def test_groups_match_sorted_groupby(
    frame: pd.DataFrame, radix_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same limit for every example, so the fixture's scope does not matter.
    monkeypatch.setattr(domains, "RADIX_LIMIT", radix_limit)  # 3: re-number at every key
    keys = [c for c in frame.columns if c.startswith("k__by")]
    cells = build_cells(frame, DESIGN, "<test>")
    groups = domain_groups(cells, keys, keys)
    code, labels = _reference(frame, keys)
    assert groups.code.tolist() == code.tolist()
    got = [tuple(d[k] for k in keys) for d in groups.domains]
    assert got == [tuple(domains.native(v) for v in label) for label in labels]


def test_no_keys_is_one_group_of_every_cell() -> None:
    cells = build_cells(_cells({"a": [1, None, 2]}), DESIGN, "<test>")
    groups = domain_groups(cells, [], [])
    assert groups.code.tolist() == [0, 0, 0]
    assert groups.domains == ({},)
