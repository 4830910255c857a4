"""Fixtures for the partnership registry: an empty migrated store (SQLite), users of every role,
and a small registry (two partners, one initiative) to act on."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from equals.auth import Actor, Grant, Role, User
from equals.partners import create_initiative, create_partner
from equals.store import Store

OPERATOR = Actor("cli:test")
PASSWORD = "a long enough passphrase 42"  # the web tests' root user
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(client: TestClient, prefix: str = "") -> TestClient:
    """A new client on ``client``'s app, signed in as ``root`` (``PASSWORD``) through the login
    form of the language ``prefix`` ("" or "/fr" …)."""
    c = TestClient(client.app)
    token = CSRF.search(c.get(f"{prefix}/login").text).group(1)  # type: ignore[union-attr]
    r = c.post(
        f"{prefix}/login",
        data={"name": "root", "password": PASSWORD, "csrf_token": token, "next": "/partners"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return c


@dataclass(frozen=True)
class Registry:
    store: Store
    own: str  # organisation id of the editor's own organisation
    other: str
    own_initiative: int
    other_initiative: int


def initiative_body(lead: str, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Digital skills for girls in secondary school",
        "description": "Coding clubs in public schools.",
        "lead_organization_id": lead,
        "action_areas": ["skills"],
        "target_groups": ["girls_in_school"],
        "countries": ["KEN"],
        "status": "2",
        "start_date": "2024-01-01",
        "end_date": "2026-12-31",
        "budget": 250000,
        "currency": "USD",
        "gender_marker": "2",
        "sectors": ["22040"],
        "deliverables": [
            {"title": "40 coding clubs open", "measure": "clubs", "due": "2025-06-30"}
        ],
        "targets": [
            {
                "indicator": "internet_use",
                "country": "KEN",
                "sex": "female",
                "baseline_value": 24.0,
                "baseline_year": 2019,
                "target_value": 40.0,
                "target_year": 2026,
            }
        ],
    }
    body.update(over)
    return body


def seed(store: Store) -> Registry:
    a = create_partner(
        store,
        {
            "name": "GSMA",
            "stakeholder_group": "private_sector",
            "country": "GBR",
            "contacts": [{"name": "Ada", "role": "Programme lead", "email": "ada@gsma.example"}],
        },
        actor=OPERATOR,
    )
    b = create_partner(
        store,
        {
            "name": "Association for Progressive Communications",
            "stakeholder_group": "civil_society",
        },
        actor=OPERATOR,
    )
    i = create_initiative(store, initiative_body(a.organization_id), actor=OPERATOR)
    j = create_initiative(
        store, initiative_body(b.organization_id, title="Feminist internet"), actor=OPERATOR
    )
    return Registry(store, a.organization_id, b.organization_id, i.id, j.id)


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("partners-template") / "template.db"
    store = Store(f"sqlite:///{path}")
    store.migrate()
    store.dispose()
    return path


@pytest.fixture
def store(_migrated_template: Path, tmp_path: Path) -> Iterator[Store]:
    """An empty migrated SQLite store of its own (a copy of one migrated file: fast)."""
    path = tmp_path / "registry.db"
    shutil.copy(_migrated_template, path)
    s = Store(f"sqlite:///{path}")
    yield s
    s.dispose()


@pytest.fixture
def registry(store: Store) -> Iterator[Registry]:
    yield seed(store)


def user(role: Role | None, org: str | None = None, *, uid: int = 1) -> User:
    grants = () if role is None else (Grant(role, org if role is Role.PARTNER_EDITOR else None),)
    return User(id=uid, name=f"u-{role or 'none'}", grants=grants)


EXAMPLE_REPORT = Path("/work/shared/examples/igf2016-equals-workshop-report.txt")


def file_example_report(store: Store) -> int:
    """File the real IGF 2016 EQUALS session report (the archive's own filing); its id."""
    from equals.archive.filing import EventRef, file_report
    from equals.sessions import parse_report

    text = EXAMPLE_REPORT.read_text("utf-8")
    filed = file_report(store, parse_report(text), actor=OPERATOR, event=EventRef("IGF", 2016))
    return filed.session_id
