"""The session form, its validation findings and the sign-in page in French and Spanish
(and unchanged in English), through the real app with a real database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from equals.auth import Role, create_user, issue_token
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

PASSWORD = "correct horse battery"
# A report missing its date and rapporteur, with a key issue of two sentences, and a year out
# of range: it cannot be filed, so the form comes back with its findings.
DRAFT = {
    "template": "igf-2016-workshop",
    "event": "IGF",
    "year": "1800",
    "field_title": "Women in tech leadership",
    "field_key_issues": "Access is low. Skills are lacking too.",
}


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    url = f"sqlite:///{tmp_path / 'i18n.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", PASSWORD, roles=[Role.RAPPORTEUR])
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as c:
        yield c, store
    store.dispose()


def csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page carries a CSRF token"
    return m.group(1)


def sign_in(c: TestClient, prefix: str) -> None:
    page = c.get(f"{prefix}/login")
    creds = {"name": "amina", "password": PASSWORD, "next": "/sessions/new"}
    r = c.post(f"{prefix}/login", data={**creds, "csrf_token": csrf(page.text)})
    assert r.status_code == 200, r.text  # followed to the form


@pytest.mark.parametrize(
    ("prefix", "words"),
    [
        ("", ["Sign in", "Name", "Password", "Accounts are created by an administrator"]),
        ("/fr", ["Se connecter", "Nom", "Mot de passe", "Les comptes sont créés par"]),
        ("/es", ["Iniciar sesión", "Nombre", "Contraseña", "Las cuentas las crea"]),
    ],
)
def test_sign_in_page(web: tuple[TestClient, Store], prefix: str, words: list[str]) -> None:
    c, _ = web
    page = c.get(f"{prefix}/login").text
    for word in words:
        assert word in page, word
    assert "<code>equals users add NAME --role rapporteur</code>" in page  # markup kept


@pytest.mark.parametrize(
    ("prefix", "wrong"),
    [
        ("", "Wrong name or password."),
        ("/fr", "Nom ou mot de passe incorrect."),
        ("/es", "Nombre o contraseña incorrectos."),
    ],
)
def test_a_failed_sign_in_says_so_in_the_page_language(
    web: tuple[TestClient, Store], prefix: str, wrong: str
) -> None:
    c, _ = web
    token = csrf(c.get(f"{prefix}/login").text)
    data = {"name": "amina", "password": "not it", "csrf_token": token}
    r = c.post(f"{prefix}/login", data=data)
    assert r.status_code == 401 and wrong in r.text


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "",
            [
                "File a session report",
                "required field &#39;Date&#39; is missing or empty",
                "no rapporteur/notetaker named",
                "item 1 has 2 sentences",
                "File report",
            ],
        ),
        (
            "/fr",
            [
                "Déposer un rapport de session",
                "le champ obligatoire &#39;Date&#39; est absent ou vide",
                "aucun rapporteur ni preneur de notes n’est nommé",
                "l’élément 1 compte 2 phrases",
                "Déposer le rapport",
                "Un par ligne.",
            ],
        ),
        (
            "/es",
            [
                "Presentar un informe de sesión",
                "el campo obligatorio &#39;Date&#39; falta o está vacío",
                "no se nombra a ningún relator ni encargado de las notas",
                "el elemento 1 tiene 2 frases",
                "Presentar el informe",
                "Uno por línea.",
            ],
        ),
    ],
)
def test_the_form_and_its_findings(
    web: tuple[TestClient, Store], prefix: str, expected: list[str]
) -> None:
    c, _ = web
    sign_in(c, prefix)
    form = c.get(f"{prefix}/sessions/new")
    assert form.status_code == 200
    r = c.post(f"{prefix}/sessions/new", data={**DRAFT, "csrf_token": csrf(form.text)})
    assert r.status_code == 422
    for text in expected:
        assert text in r.text, text
    # Field labels are the IGF form's own words (data): never translated.
    assert '>Date <span class="req"' in r.text or ">Date<" in r.text


def test_the_status_lines_of_the_live_check_come_translated(
    web: tuple[TestClient, Store],
) -> None:
    c, _ = web
    sign_in(c, "/fr")
    page = c.get("/fr/sessions/new").text
    assert 'data-validate="/api/v1/sessions/validate?lang=fr"' in page
    assert 'data-say-valid="Valide\u00a0: %(warnings)s avertissement(s)."' in page
    assert "%(errors)s erreur(s) et %(warnings)s avertissement(s)" in page


def test_the_validate_api_adds_the_text_in_the_language_asked(
    web: tuple[TestClient, Store],
) -> None:
    c, store = web
    auth = {"Authorization": f"Bearer {issue_token(store, 'amina')}"}
    body = {"template": "igf-2016-workshop", "fields": {"title": "Draft"}}
    english = c.post("/api/v1/sessions/validate", json=body, headers=auth).json()
    spanish = c.post("/api/v1/sessions/validate?lang=es", json=body, headers=auth).json()
    by_field = {f["field"]: f for f in spanish["validation"]["findings"]}
    date = by_field["date"]
    assert date["message"] == "required field 'Date' is missing or empty"  # stays English
    assert date["text"] == "el campo obligatorio 'Date' falta o está vacío"
    assert [f["message"] for f in english["validation"]["findings"]] == [
        f["message"] for f in spanish["validation"]["findings"]
    ]
    assert all(f["text"] == f["message"] for f in english["validation"]["findings"])
    bad = c.post("/api/v1/sessions/validate?lang=de", json=body, headers=auth)
    assert bad.status_code == 422


def test_session_pages_in_french(web: tuple[TestClient, Store]) -> None:
    c, _ = web
    page = c.get("/fr/sessions")
    assert page.status_code == 200
    for text in ("Rapports de session", "0 session", "Domaine d’action", "Société civile"):
        assert text in page.text or text.replace("\u00a0", " ") in page.text, text
    assert 'href="/fr/sessions/participation"' in page.text  # links keep the language
    people = c.get("/es/sessions/people").text
    assert "Personas en los informes de sesión" in people and "Nadie coincide." in people


@pytest.mark.parametrize(
    ("prefix", "words"),
    [
        ("", ["API and downloads", "curl examples", "Tables in the Data Package"]),
        ("/fr", ["API et téléchargements", "Exemples curl", "Tables du Data Package"]),
        ("/es", ["API y descargas", "Ejemplos con curl", "Tablas del Data Package"]),
    ],
)
def test_the_downloads_page(client: TestClient, prefix: str, words: list[str]) -> None:
    page = client.get(f"{prefix}/downloads")
    assert page.status_code == 200
    for word in words:
        assert word in page.text, word
