"""Bad input to ``equals users``: exit code 2 and the exact message; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from equals.auth import audit_entries, create_user
from equals.cli import app
from equals.store import Store

runner = CliRunner()

UNKNOWN = "error: unknown user 'nobody'"
WEAK = "error: a password needs at least 8 characters"
CASES = [
    # (arguments after "users", stdin, message)
    (["disable", "nobody"], "", UNKNOWN),
    (["enable", "nobody"], "", UNKNOWN),
    (["password", "nobody", "--password-stdin"], "a long passphrase\n", UNKNOWN),
    (["revoke", "nobody"], "", UNKNOWN),
    (["sessions", "nobody"], "", UNKNOWN),
    (["disable", "bad name!"], "", "error: unknown user 'bad name!'"),
    (["password", "amina", "--password-stdin"], "short\n", WEAK),
    (["password", "amina", "--password-stdin"], "\n", WEAK),
]  # fmt: skip


@pytest.mark.parametrize(("args", "stdin", "message"), CASES)
def test_bad_user_commands(tmp_path: Path, args: list[str], stdin: str, message: str) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", "correct horse battery")
    before = len(audit_entries(store))
    result = runner.invoke(app, ["users", *args, "--db", url], input=stdin)
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert len(audit_entries(store)) == before  # nothing written
    store.dispose()
