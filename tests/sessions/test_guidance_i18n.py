"""The guidance beside each field of the rapporteur form is our text: French and Spanish
under /fr and /es, English otherwise. The field labels are the IGF templates' own printed
headings (what the parser matches): they stay as published in every language (issue 12)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equals.auth import Role, create_user
from equals.cli import app as cli_app
from equals.core.i18n import use_language
from equals.sessions.template import load_template, templates
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app
from equals.web.pages import msg

PASSWORD = "correct horse battery"
MODERATORS = {
    "": "Who chaired or moderated the session.",
    "/fr": "La personne qui a présidé ou modéré la session.",
    "/es": "Quién presidió o moderó la sesión.",
}
TIME = {
    "": "Start and end time of the session (e.g. 10:15-11:15).",
    "/fr": "Heure de début et de fin de la session (p. ex. 10:15-11:15).",
    "/es": "Hora de inicio y de finalización de la sesión (p. ej., 10:15-11:15).",
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'guidance.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", PASSWORD, roles=[Role.RAPPORTEUR])
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as c:
        page = c.get("/login")
        m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert m, "the sign-in page carries a CSRF token"
        creds = {"name": "amina", "password": PASSWORD, "next": "/sessions/new"}
        r = c.post("/login", data={**creds, "csrf_token": m.group(1)}, follow_redirects=False)
        assert r.status_code == 303, r.text
        yield c
    store.dispose()


def rows(page: str) -> dict[str, tuple[str, str]]:
    """field id -> (label text, guidance text) of every row of the form."""
    found = {}
    for m in re.finditer(
        r'<div class="form-row" data-field="([^"]+)">.*?<label for="field_[^"]+">(.*?)'
        r'(?: <span class="req".*?)?</label>.*?<aside class="guidance">(.*?)</aside>',
        page,
        re.S,
    ):
        guidance = re.sub(r"\s*<em>.*?</em>", "", m.group(3))
        found[m.group(1)] = (html.unescape(m.group(2)), html.unescape(guidance).strip())
    return found


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_the_guidance_is_in_the_readers_language_and_labels_stay(
    client: TestClient, prefix: str
) -> None:
    r = client.get(f"{prefix}/sessions/new")
    assert r.status_code == 200 and 'name="template" value="igf-2016-workshop"' in r.text
    shown = rows(r.text)
    template = load_template("igf-2016-workshop")
    assert list(shown) == [f.id for f in template.fields]
    assert shown["moderators"][1] == MODERATORS[prefix]
    assert shown["time"][1] == TIME[prefix]
    # The labels are the template's printed headings, whatever the language.
    assert [label for label, _ in shown.values()] == [f.label for f in template.fields]
    assert shown["moderators"][0] == "Chair/Moderator"
    english = {f.id: f.guidance for f in template.fields}
    if prefix:  # every guidance sentence of the form is translated, none left in English
        assert all(shown[k][1] != english[k] for k in english), [
            k for k in english if shown[k][1] == english[k]
        ]
    else:
        assert {k: g for k, (_, g) in shown.items()} == english


def test_another_template_keeps_its_labels_and_its_whole_guidance(client: TestClient) -> None:
    r = client.get("/es/sessions/new?template=igf-2019-report")
    assert r.status_code == 200
    shown = rows(r.text)
    # A '#' in the guidance is text, not a YAML comment: the whole sentence is read.
    assert shown["title"] == (
        "Session Title",
        "Tomado de la línea del título («IGF 2019 WS #267 <título>»).",
    )
    assert shown["theme"] == ("Theme", "Uno de los tres temas del IGF 2019.")


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_guidance_sentence_of_every_template_is_translated(lang: str) -> None:
    sentences = {f.guidance for t in templates().values() for f in t.fields if f.guidance}
    assert len(sentences) >= 70
    with use_language(lang):
        untranslated = sorted(s for s in sentences if msg(s) == s)
        assert untranslated == []
        # Quoted spellings are the templates' own words (what the parser reads): kept.
        assert "Online Moderator" in msg(
            'The moderator(s). "Online Moderator" and "Onsite Moderator" are roles, recorded'
            " with each person, never names."
        )


def test_the_cli_shows_the_guidance_translated_and_the_labels_as_published() -> None:
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "LANGUAGE": "", "COLUMNS": "300"}
    runner = CliRunner()
    fr = runner.invoke(
        cli_app, ["--lang", "fr", "sessions", "templates", "igf-2016-workshop"], env=env
    )
    assert fr.exit_code == 0, fr.output
    assert "guidance: La personne qui a présidé ou modéré la session." in fr.stdout
    assert "label: Chair/Moderator" in fr.stdout
    en = runner.invoke(cli_app, ["sessions", "templates", "igf-2016-workshop"], env=env)
    assert en.exit_code == 0, en.output
    assert "guidance: Who chaired or moderated the session." in en.stdout
    assert "label: Chair/Moderator" in en.stdout
