"""``equals partners|initiatives|action-gaps`` through Typer's CliRunner on a copy of the loaded
database (``open_store`` adds the example content, as ``equals init`` does)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from equals.cli import app

runner = CliRunner()
IATI = Path("/work/shared/data/iati")


@pytest.fixture(scope="module")
def db(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("partners-cli") / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    from equals.bootstrap import initialise
    from equals.store import Store

    store = Store(url)
    initialise(store)
    store.dispose()
    return url


def run(db: str, *args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, [*args, "--db", db])
    return r.exit_code, r.stdout, r.stderr


def test_partners_list_and_show(db: str) -> None:
    code, out, _ = run(db, "partners", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["organization_id"] for r in rows} >= {"apc", "gsma", "microsoft", "un-women"}
    assert all(r["example"] for r in rows)
    code, out, _ = run(db, "partners", "show", "microsoft", "--format", "json")
    rec = json.loads(out)
    assert code == 0 and {i["title"] for i in rec["initiatives"]} == {
        "Pink Cloud Initiative",
        "Youth SPARK",
    }
    code, _, err = run(db, "partners", "show", "nobody")
    assert code == 2 and "unknown partner 'nobody'" in err


def test_initiatives(db: str) -> None:
    code, out, _ = run(db, "initiatives", "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and any(r["title"] == "Youth SPARK" for r in rows)
    iid = next(r["id"] for r in rows if r["title"] == "Youth SPARK")
    code, out, _ = run(db, "initiatives", "show", iid, "--format", "json")
    assert code == 0 and json.loads(out)["lead"]["id"] == "microsoft"
    assert run(db, "initiatives", "show", "999999")[0] == 2


def test_initiatives_list_pages_with_the_api_total(db: str) -> None:
    """--limit/--offset page the list; the table says "Showing first–last of total", JSON stays
    an array unless --with-total, CSV has only the rows; the total and the page are the API's."""
    from fastapi.testclient import TestClient

    from equals.settings import Settings
    from equals.web.app import create_app

    with TestClient(create_app(Settings(db_url=db, init_on_start=False))) as c:
        api = c.get("/api/v1/initiatives", params={"limit": 2, "offset": 1})
        total = int(api.headers["X-Total-Count"])
        api_ids = [i["id"] for i in api.json()]
    assert total >= 3 and len(api_ids) == 2
    code, out, _ = run(
        db, "initiatives", "list", "--format", "json", "--limit", "2", "--offset", "1"
    )
    rows = json.loads(out)
    assert code == 0 and isinstance(rows, list) and [int(r["id"]) for r in rows] == api_ids
    code, out, _ = run(
        db, "initiatives", "list", "-f", "json", "--limit", "2", "--offset", "1", "--with-total"
    )
    page = json.loads(out)
    assert (page["total"], page["offset"], page["limit"]) == (total, 1, 2)
    assert [int(r["id"]) for r in page["items"]] == api_ids
    code, out, _ = run(db, "initiatives", "list", "--limit", "2", "--offset", "1")
    assert code == 0 and f"Showing 2–3 of {total}" in out
    code, out, _ = run(db, "initiatives", "list")
    assert f"Showing 1–{total} of {total}" in out
    code, out, _ = run(db, "initiatives", "list", "--offset", str(total + 5))
    assert code == 0 and f"Showing none of {total} (offset {total + 5})" in out
    code, out, _ = run(db, "initiatives", "list", "-f", "csv", "--limit", "2", "--offset", "1")
    csv_rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(r["id"]) for r in csv_rows] == api_ids and "Showing" not in out
    fr = runner.invoke(app, ["--lang", "fr", "initiatives", "list", "--offset", "1", "--db", db])
    assert fr.exit_code == 0 and f"Affichage de 2 à {total} sur {total}" in fr.stdout, fr.stdout
    assert run(db, "initiatives", "list", "--offset", "-1")[0] == 2


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_action_gaps_formats(db: str, fmt: str) -> None:
    code, out, _ = run(db, "action-gaps", "--pillar", "skills", "--format", fmt, "--limit", "5")
    assert code == 0
    if fmt == "json":
        rows = json.loads(out)
        assert len(rows) == 5 and [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
        assert {"country", "pillar", "gap", "initiatives", "score"} <= set(rows[0])
    elif fmt == "csv":
        assert out.splitlines()[0].startswith("rank,country,country_name,gap,initiatives,score")
    else:
        assert "Under-served: Skills" in out


def test_bad_pillar_is_exit_2(db: str) -> None:
    assert run(db, "action-gaps", "--pillar", "money")[0] == 2
    code, _, err = run(db, "action-gaps", "--pillar", "access", "--target-group", "girls")
    assert code == 2 and "target_group" in err


def test_iati_export_and_import(db: str, tmp_path: Path) -> None:
    code, _, err = run(db, "partners", "import-iati", str(IATI / "samples" / "worked-example.xml"))
    assert code == 2 and "--lead" in err
    code, out, _ = run(
        db,
        "partners",
        "import-iati",
        str(IATI / "samples" / "worked-example.xml"),
        "--lead",
        "gsma",
    )
    assert code == 0 and "1 created" in out and "not imported: worked-example.xml:" in out
    target = tmp_path / "out.xml"
    code, _, err = run(db, "partners", "export-iati", "--out", str(target))
    assert code == 0 and "1 activities exported" in err  # the examples have no start date
    schema = etree.XMLSchema(etree.parse(str(IATI / "iati-activities-schema.xsd")))
    assert schema.validate(etree.parse(str(target))), schema.error_log
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<iati-activities><oops")
    code, _, err = run(db, "partners", "import-iati", str(bad))
    assert code == 2 and "bad.xml:1" in err


def test_remove_examples_last(db: str) -> None:
    code, out, _ = run(db, "partners", "remove-examples")
    assert code == 0 and "11 partners" in out
    code, out, _ = run(db, "partners", "list", "--format", "json")
    assert json.loads(out) == []


def test_partner_editor_made_on_the_command_line_writes_through_the_api(
    db: str, tmp_path: Path
) -> None:
    """`equals users add NAME --role partner-editor --organization ORG_ID` (kept as it is) gives
    a token that may write that organisation's initiatives and no other's."""
    from fastapi.testclient import TestClient

    from equals.settings import Settings
    from equals.web.app import create_app
    from tests.partners.conftest import initiative_body

    r = runner.invoke(
        app,
        [
            "users",
            "add",
            "cli-apc",
            "--role",
            "partner-editor",
            "--organization",
            "apc",
            "--password-stdin",
            "--db",
            db,
        ],
        input="a long enough passphrase 42\n",
    )
    assert r.exit_code == 0, r.output
    token = runner.invoke(app, ["users", "token", "cli-apc", "--db", db]).stdout.strip()
    with TestClient(create_app(Settings(db_url=db, init_on_start=False))) as c:
        h = {"Authorization": f"Bearer {token}"}
        ok = c.post(
            "/api/v1/initiatives", json=initiative_body("apc", title="APC from CLI"), headers=h
        )
        assert ok.status_code == 201, ok.text
        no = c.post("/api/v1/initiatives", json=initiative_body("gsma"), headers=h)
        assert no.status_code == 403
