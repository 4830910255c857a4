"""A domain variable with no value on any row forms no domain: every way in refuses it by name
(EmptyDomainVariableError) instead of returning no estimates; a variable missing on only some
rows still gives the domains of the rest."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from equals.survey import Design, aggregate_many, estimate, gender_gaps, proportion
from equals.survey.engine import DuckDBEngine
from equals.survey.errors import EmptyDomainVariableError

DESIGN = Design("w", "st", "psu")


def frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 200
    return pd.DataFrame(
        {
            "st": np.repeat([1, 2], n // 2),
            "psu": np.repeat(np.arange(20), n // 20),
            "w": rng.uniform(1, 2, n),
            "sex": rng.integers(1, 3, n),
            "y": rng.integers(0, 2, n),
            "region": pd.Series([None] * n, dtype="object"),
            "zone": pd.array([None] * n, dtype="Int64"),
        }
    )


def sources(tmp_path: Path) -> dict[str, object]:
    df = frame()
    parquet = tmp_path / "s.parquet"
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.set_column(
        table.column_names.index("region"), "region", pa.nulls(len(df), pa.string())
    )
    pq.write_table(table, parquet)
    csv = tmp_path / "s.csv"
    df.to_csv(csv, index=False)
    return {"frame": df, "parquet": str(parquet), "csv": str(csv)}


@pytest.mark.parametrize("kind", ["frame", "parquet", "csv"])
@pytest.mark.parametrize("column", ["region", "zone"])
def test_estimate_refuses_an_empty_domain_variable(tmp_path: Path, kind: str, column: str) -> None:
    source = sources(tmp_path)[kind]
    with pytest.raises(EmptyDomainVariableError, match=f"'{column}' has no value on any row"):
        estimate(source, DESIGN, [proportion("y")], ["sex", column])  # type: ignore[arg-type]


@pytest.mark.parametrize("columnar", [True, False])
def test_batch_and_gaps_refuse_it_too(tmp_path: Path, columnar: bool) -> None:
    path = sources(tmp_path)["parquet"]
    with pytest.raises(EmptyDomainVariableError, match="'region'"):
        aggregate_many(
            path,  # type: ignore[arg-type]
            DESIGN,
            [proportion("y")],
            [["sex"], ["region"]],
            engine=DuckDBEngine(str(path), columnar=columnar),
        )
    with pytest.raises(EmptyDomainVariableError, match="'region'"):
        gender_gaps(
            path,  # type: ignore[arg-type]
            DESIGN,
            [proportion("y")],
            sex="sex",
            female=2,
            male=1,
            by=["region"],
        )


def test_a_sex_column_without_values_is_refused_for_gaps() -> None:
    df = frame()
    df["sex"] = np.nan
    with pytest.raises(EmptyDomainVariableError, match="'sex'"):
        gender_gaps(df, DESIGN, [proportion("y")], sex="sex", female=2, male=1)


def test_a_variable_missing_on_some_rows_still_gives_the_rest() -> None:
    df = frame()
    df.loc[df.index[:150], "region"] = "north"  # 50 rows without a region
    got = estimate(df, DESIGN, [proportion("y")], ["region"])
    assert [e.domain for e in got] == [{"region": "north"}]
    assert got[0].n == 150
