"""``equals data``: exit codes and output of import, diff and releases."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from equals.cli import app
from equals.store import Store
from tests.releases.helpers import WDI_FE, read_csv, write_csv
from tests.releases.test_import import wdi_release


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_diff_import_releases(store: Store, tmp_path: Path) -> None:
    path, old = wdi_release(tmp_path)
    code, out, _ = run("data", "diff", str(path), "--source", "wdi", "--db", store.url,
                       "--format", "json")  # fmt: skip
    assert code == 0
    changes = json.loads(out)
    assert {c["change"] for c in changes} == {"added", "revised", "removed"}
    revised = next(c for c in changes if c["change"] == "revised")
    assert revised["old"] == float(old["ken2019"]) and revised["new"] == 30.5
    added = next(c for c in changes if c["change"] == "added")
    assert (added["country"], added["year"], added["new"]) == ("KEN", 2025, 41.25)
    removed = next(c for c in changes if c["change"] == "removed")
    assert (removed["country"], removed["old"]) == ("ALB", float(old["alb_value"]))
    code, out, _ = run("data", "import", str(path), "--source", "wdi", "--db", store.url,
                       "--release", "WDI 2025", "--release-date", "2025-07-01")  # fmt: skip
    assert (
        code == 0
        and "imported release 2 of wdi" in out
        and "new years for internet_use: 2025" in out
    )
    change = 30.5 - float(old["ken2019"])
    assert f"internet_use/female: 1 new, 1 revised, 1 removed; mean |revision| {change:.4g}" in out
    code, out, _ = run("data", "releases", "--db", store.url, "--format", "json")
    recs = json.loads(out)
    assert [(r["kind"], r["current"]) for r in recs] == [("import", True), ("bundled", False)]
    code, out, _ = run("data", "observations", "2", "--db", store.url)
    assert code == 0 and "internet_use,KEN,2025,female,,41.25,wdi,2" in out


def test_bad_input_exits_2(store: Store, tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", [*read_csv(WDI_FE), ["ken", "2024", "-5"]])
    code, _, err = run("data", "import", str(bad), "--source", "wdi", "--db", store.url)
    assert code == 2 and "value(s) out of range" in err and "nothing was imported" in err
    code, _, err = run("data", "import", str(tmp_path / "none.csv"), "--source", "wdi",
                       "--db", store.url)  # fmt: skip
    assert code == 2 and "file not found" in err
    code, _, err = run("data", "diff", str(bad), "--source", "nope", "--db", store.url)
    assert code == 2
