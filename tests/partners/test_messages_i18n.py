"""The registry's and the accounts' error messages in the reader's language (issue 12).

A form posted with a bad value on a French or Spanish page shows the error in that language;
the API answers the same input in English; the command line's ``--lang`` translates its
errors. The English text is the one the services always raised (pydantic's own words for input
checks, byte for byte). Real app, real database, real pydantic: nothing is mocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pydantic
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equals.auth import Grant, Role, TooManyAttemptsError, User, create_user, issue_token
from equals.cli import app as cli
from equals.core.errors import PermissionDeniedError, ValidationError, message_of
from equals.core.i18n import Msg, use_language
from equals.partners import create_partner
from equals.partners.common import input_message, parse
from equals.partners.iati_import import import_iati
from equals.partners.iati_read import ImportReport
from equals.partners.model import InitiativeIn, PartnerIn
from equals.partners.permissions import ACTION_WORDS, Action, require
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app
from tests.partners.conftest import CSRF, OPERATOR, PASSWORD, signed_in

NB = "\N{NO-BREAK SPACE}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('partners-i18n') / 'equals.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "root", PASSWORD, roles=[Role.ADMIN])
    lead = create_partner(
        store,
        {"name": "Tech Sisters", "stakeholder_group": "civil_society"},
        actor=OPERATOR,
    )
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        client.app.state.test_lead = lead.organization_id  # type: ignore[attr-defined]
        yield client, store
    store.dispose()


def _signed_in(client: TestClient, prefix: str) -> tuple[TestClient, str]:
    """Signed in, with the CSRF token of the new-partner form."""
    c = signed_in(client, prefix)
    form = c.get(f"{prefix}/partners/new").text
    return c, CSRF.search(form).group(1)  # type: ignore[union-attr]


def _field_error(html: str, field: str) -> str:
    m = re.search(rf'id="err-{field}"[^>]*>([^<]*)<', html)
    assert m, f"no error shown for {field}"
    return m.group(1).strip()


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", "Value error, must be an http(s) URL, e.g. https://example.org"),
        ("/fr", f"Valeur non valide{NB}: doit être une URL http(s), p. ex. https://example.org"),
        ("/es", "Valor no válido: debe ser una URL http(s), p. ej., https://example.org"),
    ],
)
def test_a_bad_value_in_the_partner_form_is_said_in_the_page_language(
    site: tuple[TestClient, Store], prefix: str, expected: str
) -> None:
    client, _ = site
    c, token = _signed_in(client, prefix)
    data = {
        "csrf_token": token,
        "name": "Bad Link Org",
        "stakeholder_group": "academia",
        "website": "ftp://example.org",
    }
    r = c.post(f"{prefix}/partners/new", data=data)
    assert r.status_code == 422
    assert _field_error(r.text, "website") == expected
    assert 'value="Bad Link Org"' in r.text  # what was typed is kept


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", "end date 2024-01-01 is before start date 2025-01-01"),
        ("/fr", "la date de fin 2024-01-01 est antérieure à la date de début 2025-01-01"),
        ("/es", "la fecha de finalización 2024-01-01 es anterior a la fecha de inicio 2025-01-01"),
    ],
)
def test_a_service_check_in_the_initiative_form_is_said_in_the_page_language(
    site: tuple[TestClient, Store], prefix: str, expected: str
) -> None:
    client, _ = site
    c, token = _signed_in(client, prefix)
    data = {
        "csrf_token": token,
        "title": "Dates the wrong way round",
        "lead_organization_id": client.app.state.test_lead,  # type: ignore[attr-defined]
        "action_areas": ["skills"],
        "status": "2",
        "start_date": "2025-01-01",
        "end_date": "2024-01-01",
    }
    r = c.post(f"{prefix}/initiatives/new", data=data)
    assert r.status_code == 422, r.text
    assert _field_error(r.text, "end_date") == expected


def test_the_api_answers_the_same_input_in_english(site: tuple[TestClient, Store]) -> None:
    client, store = site
    headers = {
        "Authorization": f"Bearer {issue_token(store, 'root')}",
        "Accept-Language": "fr",
        "Cookie": "equals_lang=fr",
    }
    body = {"name": "Bad Link Org", "stakeholder_group": "academia", "website": "ftp://x.org"}
    r = client.post("/api/v1/partners", json=body, headers=headers)
    assert r.status_code == 422
    assert r.json()["error"]["message"] == (
        "website: Value error, must be an http(s) URL, e.g. https://example.org"
    )


def test_permission_refusals_read_as_one_sentence_per_language() -> None:
    editor = User(id=1, name="u1", grants=(Grant(Role.PARTNER_EDITOR, "gsma"),))
    with pytest.raises(PermissionDeniedError) as caught:
        require(editor, Action.UPDATE_PARTNER, "apc")
    exc = caught.value
    english = (
        "user 'u1' may not partner update of organisation 'apc': a partner-editor edits only "
        "their own organisation's records"
    )
    assert str(exc) == english
    with use_language("fr"):
        assert str(exc) == english  # logs and the API
        assert message_of(exc) == (
            f"l’utilisateur 'u1' ne peut pas modifier un partenaire pour l’organisation 'apc'{NB}: "
            "un éditeur de partenaire ne modifie que les fiches de sa propre organisation"
        )
    with pytest.raises(PermissionDeniedError) as caught:
        require(editor, Action.WRITE_COALITION, None)
    assert str(caught.value) == "user 'u1' may not coalition write: only admins may"
    with use_language("es"):
        assert message_of(caught.value) == (
            "el usuario 'u1' no puede modificar una coalición: solo los administradores pueden "
            "hacerlo"
        )


def test_every_action_is_named_by_its_code_in_english() -> None:
    assert {a: str(w) for a, w in ACTION_WORDS.items()} == {
        a: a.value.replace(".", " ") for a in Action
    }


def test_the_throttle_says_minute_or_minutes_as_before() -> None:
    assert str(TooManyAttemptsError("for this account", 30)) == (
        "too many failed sign-ins for this account; try again in 1 minute"
    )
    exc = TooManyAttemptsError("from this address", 600)
    assert str(exc) == "too many failed sign-ins from this address; try again in 10 minutes"
    with use_language("fr"):
        assert exc.localised() == (
            f"trop d’échecs de connexion depuis cette adresse{NB}; réessayez dans 10 minutes"
        )


# Inputs that the registry's forms can send, and pydantic's own message for each: the Msg must
# be that text byte for byte (else the English of the API would change) and be a Msg (else it
# would not be translated: a newer pydantic wording falls back to English, and this test says so).
BAD_INPUTS: list[tuple[type[pydantic.BaseModel], dict[str, object]]] = [
    (InitiativeIn, {"title": "", "lead_organization_id": "x"}),
    (InitiativeIn, {"title": "t" * 301, "lead_organization_id": "x"}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "X Y"}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "x", "action_areas": ["cooking"]}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "x", "action_areas": ["access"] * 4}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "x", "budget": "lots"}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "x", "budget": "-5"}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "x", "budget": "1e16"}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "x", "start_date": "2020-13-01"}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "x", "start_date": "2020/01/01"}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "x", "start_date": "2020-01-01T10:00"}),
    (InitiativeIn, {"title": "t", "lead_organization_id": "x", "extra": 1}),
    (InitiativeIn, {"lead_organization_id": "x"}),
    (
        InitiativeIn,
        {
            "title": "t",
            "lead_organization_id": "x",
            "targets": [
                {"indicator": "i", "country": "KEN", "target_value": 1, "target_year": 1800}
            ],
        },
    ),
    (
        InitiativeIn,
        {
            "title": "t",
            "lead_organization_id": "x",
            "targets": [
                {
                    "indicator": "i",
                    "country": "KEN",
                    "target_value": 1,
                    "target_year": "2030.5",
                    "sex": "all",
                }
            ],
        },
    ),
    (PartnerIn, {"stakeholder_group": "academia"}),
    (PartnerIn, {"name": "n", "stakeholder_group": "academia", "contacts": [{"name": "a\x00"}]}),
    (PartnerIn, {"name": "n", "stakeholder_group": "academia", "website": "ftp://x"}),
]


@pytest.mark.parametrize(("model", "data"), BAD_INPUTS)
def test_input_messages_are_pydantics_words_and_translated(
    model: type[pydantic.BaseModel], data: dict[str, object]
) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        model.model_validate(data)
    for err in caught.value.errors():
        message = input_message(err)
        assert message == err["msg"]
        assert isinstance(message, Msg), f"{err['type']}: {err['msg']!r} is not translated"
        with use_language("fr"):
            french = message.localised()
        with use_language("es"):
            spanish = message.localised()
        assert french != message and spanish != message and french != spanish


def test_a_message_for_several_bad_fields_counts_the_others() -> None:
    with pytest.raises(ValidationError) as caught:
        parse(InitiativeIn, {"title": "", "lead_organization_id": "X Y", "budget": "lots"})
    exc = caught.value
    assert str(exc) == "title: String should have at least 1 character (and 2 more)"
    with use_language("fr"):
        assert exc.localised() == "title: Ce champ ne peut pas être vide (et 2 autre(s))"


def test_an_iati_file_that_is_not_xml_is_said_in_the_requested_language(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    Store(url).migrate()
    bad = tmp_path / "activities.xml"
    bad.write_text("<iati-activities><iati-activity>", "utf-8")
    runner = CliRunner()
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "COLUMNS": "200"}
    args = ["partners", "import-iati", str(bad), "--db", url]
    r = runner.invoke(cli, ["--lang", "es", *args], env=env)
    assert r.exit_code == 2
    assert "error: activities.xml:1: XML mal formado: " in r.stderr
    add = ["users", "add", "no spaces allowed", "--password-stdin", "--db", url]
    r = runner.invoke(cli, ["--lang", "fr", *add], input=f"{PASSWORD}\n", env=env)
    assert r.exit_code != 0
    assert f"erreur{NB}: nom d’utilisateur non valide 'no spaces allowed'{NB}: de 2 à 64" in (
        r.stderr
    )
    r = runner.invoke(cli, args, env=env)
    assert "error: activities.xml:1: not well-formed XML: " in r.stderr


def test_iati_import_notes_are_english_in_the_report_and_localised_for_people() -> None:
    report = ImportReport()
    xml = (
        b'<iati-activities><iati-activity default-currency="USD">'
        b"<iati-identifier>XM-1</iati-identifier><title><narrative>T</narrative></title>"
        b'<activity-status code="2"/><recipient-country code="QQ"/>'
        b"</iati-activity></iati-activities>"
    )
    from equals.partners.iati_read import parse_activities

    parse_activities(xml, "a.xml", report)
    note = next(n for n in report.unmapped if "QQ" in n)
    assert note == "a.xml:1: <recipient-country> code 'QQ' is not an ISO 3166-1 alpha-2 country"
    with use_language("fr"):
        assert isinstance(note, Msg) and note.localised() == (
            f"a.xml:1{NB}: <recipient-country> le code 'QQ' n’est pas un pays ISO 3166-1 alpha-2"
        )


def test_import_errors_keep_their_translation_behind_the_file_location(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'iati.db'}"
    store = Store(url)
    store.migrate()
    xml = (
        b"<iati-activities><iati-activity>"
        b"<iati-identifier>XM-1</iati-identifier><title><narrative>T</narrative></title>"
        b'<activity-status code="2"/>'
        b"</iati-activity></iati-activities>"
    )
    with pytest.raises(ValidationError) as caught:
        import_iati(store, xml, actor=OPERATOR, name="a.xml")
    exc = caught.value
    assert str(exc).startswith("a.xml:1 (activity 1): no reporting-org or participating-org")
    with use_language("es"):
        assert exc.localised().startswith(
            "a.xml:1 (activity 1): ninguna reporting-org ni participating-org"
        )
    store.dispose()


def test_the_example_content_summary_reads_in_the_reader_s_language(tmp_path: Path) -> None:
    from equals.partners.examples import load_examples

    store = Store(f"sqlite:///{tmp_path / 'examples.db'}")
    store.migrate()
    summary = load_examples(store)
    assert summary is not None
    assert re.fullmatch(
        r"partnership examples: \d+ partners, \d+ coalitions, \d+ seats, \d+ initiatives", summary
    )
    counts = re.findall(r"\d+", summary)
    with use_language("fr"):
        assert isinstance(summary, Msg) and summary.localised() == (
            f"exemples du partenariat{NB}: {counts[0]} partenaires, {counts[1]} coalitions, "
            f"{counts[2]} sièges, {counts[3]} initiatives"
        )
    assert load_examples(store) is None  # nothing missing: nothing to say
    store.dispose()


def test_target_groups_are_named_in_the_page_language(site: tuple[TestClient, Store]) -> None:
    """Target groups are our own vocabulary (``target_groups.yaml``), not published data: the
    initiative filters name them in the reader's language."""
    client, _store = site
    assert "Teachers and trainers" in client.get("/initiatives").text
    fr = client.get("/fr/initiatives").text
    assert "Enseignants et formateurs" in fr and "Teachers and trainers" not in fr
    assert "Docentes y formadores" in client.get("/es/initiatives").text
