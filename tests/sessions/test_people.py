"""Speaker lines in the shapes reports use; organisations and groups as entities."""

from __future__ import annotations

import pytest

from equals.core.vocabulary import StakeholderGroup as G
from equals.sessions.entities import normalize_organization, stakeholder_group
from equals.sessions.people import parse_organizations, parse_people


def one(line: str) -> tuple[str, str | None, G | None]:
    (p,) = parse_people([(line, False)])
    return p.name, p.organization.name if p.organization else None, p.stakeholder_group


SHAPES = [
    ("Microsoft, Paul Mitchell – Private Sector", "Paul Mitchell", "Microsoft", G.PRIVATE_SECTOR),
    ("Paul Mitchell, Microsoft", "Paul Mitchell", "Microsoft", None),
    ("Paul Mitchell (Microsoft)", "Paul Mitchell", "Microsoft", None),
    ("GSMA, Claire Sibthorpe– Private Sector", "Claire Sibthorpe", "GSMA", G.PRIVATE_SECTOR),
    ("Speaker 1: Grace Wanjiru, Civil Society, African Group", "Grace Wanjiru", None,
     G.CIVIL_SOCIETY),
    ("- Ana Souza, Internet Society - Technical Community", "Ana Souza", "Internet Society",
     G.TECHNICAL_COMMUNITY),
    ("Kwame Mensah (UNESCO) – Intergovernmental Organisation", "Kwame Mensah", "UNESCO",
     G.INTERGOVERNMENTAL),
    ("Mexico, Yolanda Martínez Mancilla - Government", "Yolanda Martínez Mancilla",
     "Government of Mexico", G.GOVERNMENT),
    ("Doreen Bogdan-Martin", "Doreen Bogdan-Martin", None, None),
    ("Jac SM Kee, APC, Civil Society", "Jac SM Kee", "APC", G.CIVIL_SOCIETY),
]  # fmt: skip


@pytest.mark.parametrize(("line", "name", "org", "group"), SHAPES)
def test_speaker_shapes(line: str, name: str, org: str | None, group: G | None) -> None:
    assert one(line) == (name, org, group)


def test_name_title_organisation_country() -> None:
    (p,) = parse_people([("Jane Doe, Senior Policy Manager, Acme Widgets, Kenya", False)])
    assert (p.name, p.title, p.country) == ("Jane Doe", "Senior Policy Manager", "Kenya")
    assert p.organization is not None and p.organization.name == "Acme Widgets"


def test_region() -> None:
    (p,) = parse_people([("Speaker 3: Alice Smith, Private Sector, WEOG", False)])
    assert (p.name, p.stakeholder_group, p.region) == ("Alice Smith", G.PRIVATE_SECTOR, "WEOG")


def test_line_wrapped_in_a_stakeholder_group_is_joined() -> None:
    lines = [
        ("Association for Progressive Communications (APC), Jac SM Kee Civil", False),
        ("Society", False),
        ("UNWOMEN, Lara Blanco – International", False),
        ("Organization", False),
    ]
    people = parse_people(lines)
    assert [(p.name, p.stakeholder_group) for p in people] == [
        ("Jac SM Kee", G.CIVIL_SOCIETY),
        ("Lara Blanco", G.INTERGOVERNMENTAL),
    ]


def test_ambiguous_lines_follow_the_list_order() -> None:
    lines = [("Microsoft, Paul Mitchell", False), ("Acme Widgets, Jane Doe", False)]
    assert [p.name for p in parse_people(lines)] == ["Paul Mitchell", "Jane Doe"]
    lines = [("Paul Mitchell, Microsoft", False), ("Jane Doe, Acme Widgets", False)]
    assert [p.name for p in parse_people(lines)] == ["Paul Mitchell", "Jane Doe"]


@pytest.mark.parametrize("spelling", ["UNWOMEN", "UN Women", "UN-Women", "un women", "UN  Women"])
def test_un_women_is_one_entity(spelling: str) -> None:
    org = normalize_organization(spelling)
    assert (org.name, org.id, org.raw) == ("UN Women", "un-women", " ".join(spelling.split()))


def test_known_organisations() -> None:
    assert normalize_organization("Association for Progressive Communications (APC)").id == "apc"
    assert normalize_organization("World Wide Web Foundation").id == "web-foundation"
    assert normalize_organization("Alliance for Affordable Internet").id == "a4ai"
    assert normalize_organization("The World Bank").id == "world-bank"
    unknown = normalize_organization("Acme Widgets Ltd")
    assert (unknown.name, unknown.id) == ("Acme Widgets Ltd", None)


def test_organisers() -> None:
    assert [o.name for o in parse_organizations([("ITU & UN Women", False)])] == [
        "ITU",
        "UN Women",
    ]
    assert [o.name for o in parse_organizations([("GSMA, APC and ITU", False)])] == [
        "GSMA",
        "APC",
        "ITU",
    ]
    kept = parse_organizations([("Ministry of Science and Technology", False)])
    assert [o.name for o in kept] == ["Ministry of Science and Technology"]


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Private Sector", G.PRIVATE_SECTOR),
        ("private-sector", G.PRIVATE_SECTOR),
        ("Civil Society", G.CIVIL_SOCIETY),
        ("International Organisation", G.INTERGOVERNMENTAL),
        ("Intergovernmental Organization", G.INTERGOVERNMENTAL),
        ("Technical Community", G.TECHNICAL_COMMUNITY),
        ("Academia", G.ACADEMIA),
        ("Government", G.GOVERNMENT),
        ("Unicorns", None),
    ],
)
def test_stakeholder_groups(text: str, group: G | None) -> None:
    assert stakeholder_group(text) is group
