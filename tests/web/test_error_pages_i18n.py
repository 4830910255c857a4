"""The small error pages (a bad query value, a request too large, a form without its CSRF
token, a method a page does not take) in the reader's language, while the API's error bodies
stay English; through the real app over a database of its own."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from babel.numbers import format_decimal
from fastapi.testclient import TestClient

from equals.core.errors import DatabaseUnavailableError, EditConflictError
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

NB = "\N{NO-BREAK SPACE}"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('error-pages') / 'web.db'}"
    store = Store(url)
    store.migrate()
    app = create_app(Settings(db_url=url, init_on_start=False, max_request_bytes=1000))

    def probe(n: int) -> dict[str, int]:
        return {"n": n}

    app.add_api_route("/probe", probe)

    def conflict() -> None:
        raise EditConflictError("partner 'apc'", based_on=1, current=2)

    def gone() -> None:
        raise DatabaseUnavailableError("the database server is not answering")

    for path in ("/probe-conflict", "/api/v1/probe-conflict"):
        app.add_api_route(path, conflict)
    app.add_api_route("/probe-gone", gone)
    with TestClient(app) as c:
        yield c
    store.dispose()


def _page(text: str) -> tuple[str, str, str, str]:
    """The page's language, heading, paragraph and back link (unescaped)."""
    m = re.search(r'<html lang="(\w+)">.*<h1>(.*)</h1><p>(.*)</p><p><a href="([^"]*)">', text, re.S)
    assert m, text
    lang, heading, para, home = m.groups()
    return lang, html.unescape(heading), html.unescape(para), home


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", ("en", "Invalid request", "The value of n is not valid.", "/")),
        ("/fr", ("fr", "Requête non valide", "La valeur de n n’est pas valide.", "/fr")),
        ("/es", ("es", "Solicitud no válida", "El valor de n no es válido.", "/es")),
    ],
)
def test_a_bad_query_value_is_said_in_the_page_language(
    client: TestClient, prefix: str, expected: tuple[str, str, str, str]
) -> None:
    r = client.get(f"{prefix}/probe", params={"n": "many"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert _page(r.text) == expected


@pytest.mark.parametrize(
    ("prefix", "lang", "title", "words"),
    [
        ("", "en", "Request too large", "The request body is larger than this server accepts"),
        ("/fr", "fr", "Requête trop volumineuse", "Le corps de la requête dépasse la taille"),
        ("/es", "es", "Solicitud demasiado grande", "El cuerpo de la solicitud supera el tamaño"),
    ],
)
def test_a_request_too_large_is_said_in_the_page_language(
    client: TestClient, prefix: str, lang: str, title: str, words: str
) -> None:
    r = client.post(f"{prefix}/login", data={"name": "x" * 2000, "password": "y"})
    assert r.status_code == 413
    got_lang, heading, para, _ = _page(r.text)
    limit = format_decimal(1000, format="#,##0", locale=lang)  # the reader's number format
    unit = "octets" if lang == "fr" else "bytes"
    assert (got_lang, heading) == (lang, title)
    assert para.startswith(words) and para.endswith(f"({limit} {unit}).")


def test_the_api_says_too_large_in_english_whatever_the_language(client: TestClient) -> None:
    r = client.post(
        "/api/v1/sessions/validate",
        content=b"x" * 2000,
        headers={"content-type": "application/json", "accept-language": "fr"},
    )
    assert r.status_code == 413
    assert r.json()["error"]["message"] == (
        "the request body is larger than this server accepts (1,000 bytes)"
    )


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", ("en", "Not allowed", "Missing or invalid CSRF token; reload the form.", "/")),
        (
            "/fr",
            (
                "fr",
                "Action non autorisée",
                f"Jeton CSRF absent ou non valide{NB}; rechargez le formulaire.",
                "/fr",
            ),
        ),
        (
            "/es",
            (
                "es",
                "Acción no permitida",
                "Token CSRF ausente o no válido; vuelva a cargar el formulario.",
                "/es",
            ),
        ),
    ],
)
def test_a_form_without_its_csrf_token_gets_a_page_in_its_language(
    client: TestClient, prefix: str, expected: tuple[str, str, str, str]
) -> None:
    r = client.post(f"{prefix}/sessions/people/1", data={"action": "split"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert _page(r.text) == expected


def test_a_method_a_page_does_not_take_is_a_page_and_the_api_stays_json(
    client: TestClient,
) -> None:
    r = client.delete("/fr/partners")
    assert r.status_code == 405 and r.headers["content-type"].startswith("text/html")
    assert "GET" in r.headers["allow"]
    assert _page(r.text)[:3] == (
        "fr",
        "Méthode non autorisée",
        "Cette adresse n’accepte pas cette méthode.",
    )
    r = client.delete("/api/v1/partners", headers={"accept-language": "fr"})
    assert r.status_code == 405 and r.json()["error"]["code"] == "method-not-allowed"
    r = client.post("/api/v1/sessions", json={}, headers={"accept-language": "es"})
    assert r.status_code == 401
    assert r.json()["error"]["message"] == "a bearer token is required"


@pytest.mark.parametrize(
    ("prefix", "lang", "title"),
    [("", "en", "Edit conflict"), ("/fr", "fr", "Conflit de modification"),
     ("/es", "es", "Conflicto de edición")],
)  # fmt: skip
def test_a_library_error_on_a_page_is_a_page_in_its_language(
    client: TestClient, prefix: str, lang: str, title: str
) -> None:
    """An error no route caught (here an edit conflict) answers a page with the error's
    status and its message in the reader's language; the API keeps its English JSON."""
    r = client.get(f"{prefix}/probe-conflict")
    assert r.status_code == 409 and r.headers["content-type"].startswith("text/html")
    page_lang, heading, para, home = _page(r.text)
    assert (page_lang, heading, home) == (lang, title, prefix or "/")
    assert "'apc'" in para and "2" in para
    assert ("changed since version" in para) is (lang == "en")
    api = client.get("/api/v1/probe-conflict", headers={"Accept-Language": "fr"})
    assert api.status_code == 409
    assert api.json()["error"]["message"].startswith("partner 'apc' changed since version 1")


def test_a_database_outage_on_a_page_says_to_retry(client: TestClient) -> None:
    r = client.get("/fr/probe-gone")
    assert r.status_code == 503 and r.headers["retry-after"] == "5"
    assert _page(r.text)[1] == "Temporairement indisponible"
