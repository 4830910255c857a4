"""Review of session 8: PSU-level keys in batches, written zeros, the empty-domain refusal and
the huge-page hint — adversarial inputs checked against separate single requests."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from equals.survey import (
    Design,
    LonelyPSU,
    aggregate_many,
    estimate,
    gender_gaps,
    mean,
    proportion,
    total,
)
from equals.survey.cells import psu_level_keys
from equals.survey.engine import DuckDBEngine
from equals.survey.errors import EmptyDomainVariableError, SurveyError
from equals.survey.pages import _switch, small_pages
from tests.survey.test_batch import same as _same


def _frame(seed: int, nested: bool) -> pd.DataFrame:
    """PSU ids repeated across strata when ``nested``; keys of every kind, PSU-level or not."""
    rng = np.random.default_rng(seed)
    n = 1200
    st = rng.integers(0, 4, n)
    local = rng.integers(0, 6, n)
    psu = local if nested else st * 10 + local
    pid = st * 10 + local  # the true PSU (for PSU-level keys)
    region = np.array(["n", "s", "e"], dtype=object)[pid % 3]
    df = pd.DataFrame(
        {
            "st": st,
            "psu": psu,
            "w": rng.uniform(0.5, 3.0, n),
            "fpc": (st + 1) * 40.0,
            "sex": rng.choice([1, 2], n),
            "region": region,  # PSU-level text
            "rural": (pid % 4 == 0).astype(np.int64),  # PSU-level integer
            "zone": (pid % 5).astype(float) + 0.5,  # PSU-level float
            "age": rng.integers(1, 4, n),  # varies within PSUs
            "edu": np.array(["a", "b", None], dtype=object)[rng.integers(0, 3, n)],
            "y": rng.integers(0, 2, n).astype(float),
            "x": rng.normal(10, 2, n),
        }
    )
    # a region missing in one whole PSU; a zone missing on part of another (not PSU-level there)
    df.loc[pid == 11, "region"] = None
    part = np.flatnonzero(pid == 22)[:2]
    df.loc[part, "zone"] = np.nan
    # rural differs on one row of one PSU only: PSU-level except in that PSU
    one = np.flatnonzero(pid == 31)[0]
    df.loc[one, "rural"] = 1 - df.loc[one, "rural"]
    df.loc[rng.random(n) < 0.05, "w"] = 0.0
    df.loc[rng.random(n) < 0.08, "y"] = np.nan
    return df


BYS: list[list[str]] = [
    [],
    ["region"],
    ["zone"],
    ["rural"],
    ["region", "zone"],
    ["zone", "region"],
    ["region", "age"],
    ["age", "zone", "region"],
    ["sex", "region", "edu"],
    ["edu", "rural", "region"],
    ["region", "zone", "rural"],
    ["sex"],
]
FINEST = ["sex", "age", "zone", "region", "edu", "rural"]


def _check(
    source: object, design: Design, bys: Sequence[Sequence[str]], engine: object = "duckdb"
) -> None:
    qs = [proportion("y"), mean("x"), total("x")]
    batch = aggregate_many(source, design, qs, [*bys, FINEST], engine=engine)  # type: ignore[arg-type]
    for by in bys:
        got = batch.estimate(by)
        want = estimate(source, design, qs, by)  # type: ignore[arg-type]
        assert len(got) == len(want) > 0, by
        for a, b in zip(got, want, strict=True):
            _same(a.to_record(), b.to_record())
    for by in [[], ["region"], ["zone", "age"], ["rural", "region"]]:
        gq = qs[:2]
        gbatch = aggregate_many(source, design, gq, [*bys, FINEST], engine=engine)  # type: ignore[arg-type]
        got_g = gbatch.gender_gaps(sex="sex", female=2, male=1, by=by)
        want_g = gender_gaps(source, design, gq, sex="sex", female=2, male=1, by=by)  # type: ignore[arg-type]
        assert len(got_g) == len(want_g) > 0, by
        for g, h in zip(got_g, want_g, strict=True):
            _same(g.to_record(), h.to_record())


DESIGNS = [
    Design("w", "st", "psu"),
    Design("w", "st", "psu", fpc="fpc"),
    Design("w", None, "psu", lonely_psu=LonelyPSU.ADJUST),
    Design("w", "st", "psu", lonely_psu=LonelyPSU.AVERAGE),
    Design("w", "st"),
]


@pytest.mark.parametrize("nested", [True, False])
@pytest.mark.parametrize("design", DESIGNS)
def test_batch_equals_separate_requests_on_psu_level_keys(design: Design, nested: bool) -> None:
    df = _frame(11, nested)
    if design.psu and not design.strata and nested:
        df["psu"] = df["st"] * 10 + df["psu"]  # without strata, PSU ids are global
    _check(df, design, BYS)


def test_psu_level_keys_detected_on_nested_psus() -> None:
    df = _frame(5, nested=True)
    batch = aggregate_many(df, Design("w", "st", "psu"), [mean("x")], [FINEST])
    level = psu_level_keys(batch.cells)
    names = {batch.keys([b])[b]: b for b in FINEST}
    # region is PSU-level (missing in a whole PSU); zone and rural are broken in one PSU each
    assert {names[k] for k in level} == {"region"}


def test_lonely_psu_strata_and_all_keys_psu_level() -> None:
    df = _frame(3, nested=False)
    df = df[~((df["st"] == 3) & (df["psu"] != 30))].copy()  # stratum 3: one PSU (lonely)
    df["zone"] = ((df["st"] * 10 + df["psu"] % 10) % 5).astype(float)
    for rule in [LonelyPSU.ADJUST, LonelyPSU.AVERAGE, LonelyPSU.CERTAINTY, LonelyPSU.REMOVE]:
        design = Design("w", "st", "psu", lonely_psu=rule)
        qs = [proportion("y"), mean("x")]
        bys = [["region"], ["zone", "region"], ["region", "zone"], ["zone"]]
        batch = aggregate_many(df, design, qs, [*bys, ["region", "zone"]])
        assert len(psu_level_keys(batch.cells)) == 2  # every key PSU-level
        for by in bys:
            for a, b in zip(batch.estimate(by), estimate(df, design, qs, by), strict=True):
                _same(a.to_record(), b.to_record())


@pytest.mark.parametrize("kind", ["parquet", "csv", "rowwise"])
def test_file_sources_and_engines_agree(tmp_path: Path, kind: str) -> None:
    df = _frame(21, nested=True)
    design = Design("w", "st", "psu", fpc="fpc")
    if kind == "csv":
        path = tmp_path / "s.csv"
        df.to_csv(path, index=False)
        _check(str(path), design, BYS[:8])
    else:
        path = tmp_path / "s.parquet"
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=200)
        engine: object = "duckdb" if kind == "parquet" else DuckDBEngine(str(path), columnar=False)
        _check(str(path), design, BYS, engine)


# --- the empty-domain refusal -------------------------------------------------------------


def _empty_frame() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    n = 400
    return pd.DataFrame(
        {
            "st": np.repeat([1, 2], n // 2),
            "psu": np.tile(np.repeat(np.arange(10), n // 20), 2),
            "w": rng.uniform(1, 2, n),
            "sex": rng.integers(1, 3, n),
            "y": rng.integers(0, 2, n).astype(float),
            "nan": np.full(n, np.nan),
        }
    )


@pytest.mark.parametrize("columnar", [True, False])
def test_all_null_parquet_column_over_row_groups(tmp_path: Path, columnar: bool) -> None:
    df = _empty_frame()
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.append_column("region", pa.nulls(len(df), pa.string()))
    table = table.append_column("code", pa.nulls(len(df), pa.int64()))
    path = tmp_path / "s.parquet"
    pq.write_table(table, path, row_group_size=37)
    assert pq.ParquetFile(path).num_row_groups > 5
    design = Design("w", "st", "psu")
    for col in ["region", "code", "nan"]:
        engine = DuckDBEngine(str(path), columnar=columnar)
        with pytest.raises(EmptyDomainVariableError, match=f"'{col}'"):
            estimate(str(path), design, [proportion("y")], ["sex", col], engine=engine)
    with pytest.raises(EmptyDomainVariableError, match="'sex'"):
        table2 = table.set_column(
            table.column_names.index("sex"), "sex", pa.nulls(len(df), pa.int64())
        )
        pq.write_table(table2, tmp_path / "t.parquet", row_group_size=37)
        gender_gaps(
            str(tmp_path / "t.parquet"),
            design,
            [proportion("y")],
            sex="sex",
            female=2,
            male=1,
            engine=DuckDBEngine(str(tmp_path / "t.parquet"), columnar=columnar),
        )


def test_nan_is_treated_like_null_in_every_source(tmp_path: Path) -> None:
    """A float column all NaN is refused from a frame and from Parquet alike; one NaN on some
    rows gives the same domains (NaN counted as missing) from both."""
    df = _empty_frame()
    df["half"] = np.where(np.arange(len(df)) % 2 == 0, 1.5, np.nan)
    path = tmp_path / "s.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=50)
    design = Design("w", "st", "psu")
    sources: list[pd.DataFrame | str] = [df, str(path)]
    for source in sources:
        with pytest.raises(EmptyDomainVariableError, match="'nan'"):
            estimate(source, design, [proportion("y")], ["nan"])
    a = estimate(df, design, [proportion("y")], ["half"])
    b = estimate(str(path), design, [proportion("y")], ["half"])
    assert [e.domain for e in a] == [e.domain for e in b] == [{"half": 1.5}]
    for x, z in zip(a, b, strict=True):
        _same(x.to_record(), z.to_record())


def test_an_all_null_by_that_is_a_design_column_is_refused() -> None:
    df = _empty_frame()
    with pytest.raises(SurveyError):  # missing PSU values are refused (by name or as empty)
        df2 = df.assign(psu=np.nan)
        estimate(df2, Design("w", "st", "psu"), [proportion("y")], ["psu"])
    # a by column equal to a design column (with values) still works
    got = estimate(df, Design("w", "st", "psu"), [proportion("y")], ["st"])
    assert [e.domain for e in got] == [{"st": 1}, {"st": 2}]


def test_an_empty_by_only_in_one_domain_set_refuses_the_batch() -> None:
    df = _empty_frame().assign(region=pd.Series([None] * 400, dtype=object))
    with pytest.raises(EmptyDomainVariableError, match="'region'"):
        aggregate_many(df, Design("w", "st", "psu"), [proportion("y")], [["sex"], ["region"]])


# --- small_pages ----------------------------------------------------------------------------


def _hint() -> bool:
    setter = _switch()
    assert setter is not None
    before = bool(setter(True))
    setter(before)
    return before


@pytest.fixture(params=[True, False])
def start(request: pytest.FixtureRequest) -> Iterator[bool]:
    setter = _switch()
    if setter is None:
        pytest.skip("this NumPy has no huge-page switch")
    before = bool(setter(request.param))
    yield request.param
    setter(before)


def test_small_pages_exception_nested_and_threads(start: bool) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), small_pages():
        with small_pages():
            assert _hint() is False
        assert _hint() is False
        raise Boom
    assert _hint() is start

    @small_pages()
    def fails() -> None:
        raise Boom

    for _ in range(2):  # a decorated function can be called again (fresh generator each call)
        with pytest.raises(Boom):
            fails()
    assert _hint() is start

    barrier = threading.Barrier(4)
    inside: list[bool] = []
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            with small_pages():
                barrier.wait(timeout=10)
                inside.append(_hint())
                barrier.wait(timeout=10)
                if i == 0:
                    raise Boom
        except Boom:
            pass
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert inside == [False] * 4
    assert _hint() is start


def test_a_failing_request_restores_the_hint(start: bool) -> None:
    df = _empty_frame()
    with pytest.raises(EmptyDomainVariableError):
        estimate(df, Design("w", "st", "psu"), [proportion("y")], ["nan"])
    assert _hint() is start
    batch = aggregate_many(df, Design("w", "st", "psu"), [proportion("y")], [["sex"]])
    assert _hint() is start
    batch.estimate(["sex"])
    assert _hint() is start


def test_gaps_with_a_sex_constant_within_psus() -> None:
    """Single-sex PSUs (sex PSU-level, e.g. boys' and girls' schools) and a PSU-level region:
    the gaps attach both through the PSU and equal separate requests."""
    df = _frame(8, nested=True)
    pid = df["st"] * 10 + df["psu"]
    df["sex"] = np.where(pid % 2 == 0, 1, 2)
    design = Design("w", "st", "psu", fpc="fpc")
    qs = [proportion("y"), mean("x")]
    batch = aggregate_many(df, design, qs, [["sex", "region", "age"]])
    assert len(psu_level_keys(batch.cells)) == 2
    for by in [[], ["region"], ["age"], ["region", "age"]]:
        got = batch.gender_gaps(sex="sex", female=2, male=1, by=by)
        want = gender_gaps(df, design, qs, sex="sex", female=2, male=1, by=by)
        assert len(got) == len(want) > 0
        for g, h in zip(got, want, strict=True):
            _same(g.to_record(), h.to_record())
    for by in [["sex"], ["region", "sex"], ["sex", "age"]]:
        for a, b in zip(batch.estimate(by), estimate(df, design, qs, by), strict=True):
            _same(a.to_record(), b.to_record())


def test_an_empty_csv_column_is_refused(tmp_path: Path) -> None:
    df = _empty_frame().drop(columns="nan")
    df["blank"] = ""
    path = tmp_path / "s.csv"
    df.to_csv(path, index=False)
    with pytest.raises(EmptyDomainVariableError, match="'blank'"):
        estimate(str(path), Design("w", "st", "psu"), [proportion("y")], ["blank"])


def test_written_zeros_are_zeros_in_column_order() -> None:
    from equals.survey.columnar import _zeros

    z = _zeros((1 << 16, 5))
    assert z.shape == (1 << 16, 5) and z.dtype == np.float64 and z.flags.f_contiguous
    assert not z.any()
    assert _zeros((0, 3)).shape == (0, 3)


def test_call_order_duplicates_and_a_zero_weight_psu() -> None:
    """Coarse sets asked before fine ones (the totals cache), repeated by-variables, and a PSU
    of zero weights holding the only rows of one region."""
    df = _frame(2, nested=True)
    pid = df["st"] * 10 + df["psu"]
    df.loc[pid == 12, "w"] = 0.0
    df.loc[pid == 12, "region"] = "only-zero-weight"
    design = Design("w", "st", "psu")
    qs = [mean("x"), proportion("y")]
    batch = aggregate_many(df, design, qs, [["region", "age", "sex", "edu"]])
    assert batch.keys(["region"])["region"] in psu_level_keys(batch.cells)
    bys: list[list[str]] = [
        ["region"],
        [],
        ["edu", "region"],
        ["edu"],
        ["region", "region"],
        ["age", "sex", "region"],
        ["sex", "region"],
        ["region", "edu", "sex"],
        ["age", "region", "age"],
    ]
    for by in bys:
        got, want = batch.estimate(by), estimate(df, design, qs, by)
        assert len(got) == len(want) > 0, by
        assert all(e.domain.get("region") != "only-zero-weight" for e in got)
        for a, b in zip(got, want, strict=True):
            _same(a.to_record(), b.to_record())
    got_g = batch.gender_gaps(sex="sex", female=2, male=1, by=["sex", "region"])
    want_g = gender_gaps(df, design, qs, sex="sex", female=2, male=1, by=["sex", "region"])
    assert len(got_g) == len(want_g) > 0
    for g, h in zip(got_g, want_g, strict=True):
        _same(g.to_record(), h.to_record())


@pytest.mark.parametrize("columnar", [True, False])
def test_empty_categorical_and_nan_without_parquet_statistics(
    tmp_path: Path, columnar: bool
) -> None:
    """No column statistics in the file (the null count is counted, not read) and an all-null
    categorical: refused from the frame and from Parquet alike."""
    df = _empty_frame()
    df["cat"] = pd.Categorical([None] * len(df), categories=["a", "b"])
    path = tmp_path / "s.parquet"
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table, path, write_statistics=False, row_group_size=64)
    design = Design("w", "st", "psu")
    for col in ["cat", "nan"]:
        with pytest.raises(EmptyDomainVariableError, match=f"'{col}'"):
            estimate(df, design, [proportion("y")], ["sex", col])
        with pytest.raises(EmptyDomainVariableError, match=f"'{col}'"):
            estimate(
                str(path),
                design,
                [proportion("y")],
                [col, "sex"],
                engine=DuckDBEngine(str(path), columnar=columnar),
            )
