"""A populated start: ``equals init`` files the IGF 2016 report as labelled example content
(once, in one transaction); ``--no-examples`` skips it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equals.archive.examples import EXAMPLE_ACTOR, example_bytes, load_examples
from equals.archive.repository import get_session, list_sessions
from equals.archive.search import search_sessions
from equals.cli import app as cli_app
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

from ..conftest import EXAMPLE

TITLE = "EQUALS: The need for collaboration on the global gender digital divide"


def test_the_packaged_copy_is_the_shared_example() -> None:
    assert example_bytes() == EXAMPLE.read_bytes()
    shared = Path("/work/shared/examples/igf2016-equals-workshop-report.txt")
    if shared.exists():
        assert example_bytes() == shared.read_bytes()


def test_load_examples_files_the_report_once(store: Store) -> None:
    summary = load_examples(store)
    assert summary is not None and "IGF 2016" in summary
    (s,) = list_sessions(store)
    assert (s.title, s.event, s.year, s.date, s.example) == (TITLE, "IGF", 2016, "2016-12-09", True)
    d = get_session(store, s.id)
    (rev,) = d.revisions
    # Revision 1 is the original text, byte for byte.
    assert rev.source_sha256 == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert rev.actor == EXAMPLE_ACTOR.name and rev.number == 1
    assert load_examples(store) is None  # idempotent
    assert len(list_sessions(store)) == 1 and len(get_session(store, s.id).revisions) == 1
    hits = search_sessions(store, '"digital divide"')
    assert [h.session.id for h in hits] == [s.id]


def test_equals_init_files_it_and_no_examples_skips_it(tmp_path: Path) -> None:
    runner = CliRunner()
    with_examples = f"sqlite:///{tmp_path / 'a.db'}"
    res = runner.invoke(cli_app, ["init", "--db", with_examples])
    assert res.exit_code == 0, res.output
    store = Store(with_examples)
    assert [s.title for s in list_sessions(store)] == [TITLE]
    with TestClient(create_app(Settings(db_url=with_examples, init_on_start=False))) as client:
        page = client.get("/sessions")
        assert TITLE in page.text and "Example" in page.text
        found = client.get("/sessions", params={"q": "Pink Cloud"})
        assert found.status_code == 200 and "<mark>" in found.text
        (api,) = client.get("/api/v1/sessions").json()
        assert api["example"] is True
    store.dispose()
    without = f"sqlite:///{tmp_path / 'b.db'}"
    res = runner.invoke(cli_app, ["init", "--no-examples", "--db", without])
    assert res.exit_code == 0, res.output
    store = Store(without)
    assert list_sessions(store) == []
    store.dispose()
