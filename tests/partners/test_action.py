"""Evidence to action: the under-served ranking, who does what and overlaps, on a copy of the
loaded database. Reference values are hand-computed from the bundled WDI files (provenance in
the comments): Internet use, % of women / men (World Bank WDI IT.NET.USER.FE.ZS / .MA.ZS)."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Iterator

import pytest

from equals.core.vocabulary import Pillar
from equals.evidence.queries import Evidence
from equals.partners import create_initiative, create_partner
from equals.partners.action import GapMethod, action_gaps, country_action, who_does_what
from equals.partners.freshness import FreshnessRule
from equals.store import Store
from tests.partners.conftest import OPERATOR, initiative_body

# src/equals/data/wdi/ddf--datapoints--it_net_user_{fe,ma}_zs--by--economy--year.csv:
#   ken,2019,20.2305 (women) and 25.1738 (men); ner,2017,5.28571 and 15.9925 (latest years
#   with both values). gap = 1 − F/M:
KEN_GAP = 1 - 20.2305 / 25.1738  # = 0.196366857…
NER_GAP = 1 - 5.28571 / 15.9925  # = 0.669488197…
TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def ev(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Evidence]:
    path = tmp_path_factory.mktemp("partners-action") / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    store = Store(f"sqlite:///{path}")
    store.migrate()
    for name, group in (("GSMA", "private_sector"), ("APC", "civil_society")):
        create_partner(store, {"name": name, "stakeholder_group": group}, actor=OPERATOR)

    def add(lead: str, title: str, **over: object) -> None:
        body = initiative_body(lead, title=title, targets=[], **over)
        create_initiative(store, body, actor=OPERATOR)

    add("gsma", "A", action_areas=["access"], countries=["KEN"], as_of="2026-05-01")
    add("gsma", "B old", action_areas=["access"], countries=["KEN"], as_of="2023-01-01")
    add("gsma", "C skills", action_areas=["skills"], countries=["KEN"], as_of="2026-05-01")
    add(
        "apc",
        "D finalising",
        action_areas=["access"],
        countries=["NER"],
        status="3",
        as_of="2026-05-01",
    )
    add(
        "apc",
        "E",
        action_areas=["access"],
        countries=["KEN", "MEX"],
        as_of="2026-01-01",
        target_groups=["girls_in_school", "rural_women"],
        budget=1000,
        currency="EUR",
    )
    yield Evidence(store)
    store.dispose()


METHOD = GapMethod(rule=FreshnessRule(today=TODAY))


def test_ranking_formula_by_hand(ev: Evidence) -> None:
    rows = action_gaps(ev, Pillar.ACCESS, method=METHOD)
    ken = next(r for r in rows if r.country == "KEN")
    # Active in KEN for Access: A and E (B's information is from 2023: inactive; C is Skills).
    assert ken.initiatives == 2
    assert ken.gap == pytest.approx(KEN_GAP, abs=1e-12)
    assert ken.score == pytest.approx(KEN_GAP / 3, abs=1e-12)  # 0.065455619
    assert (ken.year, ken.female, ken.male, ken.source) == (2019, 20.2305, 25.1738, "wdi")
    assert ken.budgets == {"USD": 250000.0, "EUR": 1000.0}
    ner = next(r for r in rows if r.country == "NER")
    assert ner.initiatives == 0  # D is in finalisation (IATI 3), not counted
    assert ner.score == pytest.approx(NER_GAP, abs=1e-12)
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(rows))
    assert rows[0].country == "NER"  # the largest Internet-use gap, and no action there


def test_target_group_filter(ev: Evidence) -> None:
    rows = action_gaps(ev, Pillar.ACCESS, target_group="rural_women", method=METHOD)
    ken = next(r for r in rows if r.country == "KEN")
    assert ken.initiatives == 1 and ken.score == pytest.approx(KEN_GAP / 2, abs=1e-12)


def test_a_new_initiative_shows_at_once(ev: Evidence) -> None:
    before = next(r for r in action_gaps(ev, Pillar.ACCESS, method=METHOD) if r.country == "MEX")
    create_initiative(
        ev.store,
        initiative_body(
            "apc",
            title="F",
            targets=[],
            action_areas=["access"],
            countries=["MEX"],
            as_of="2026-06-01",
        ),
        actor=OPERATOR,
    )
    after = next(r for r in action_gaps(ev, Pillar.ACCESS, method=METHOD) if r.country == "MEX")
    assert after.initiatives == before.initiatives + 1


def test_who_does_what_and_overlaps(ev: Evidence) -> None:
    with ev.store.connect() as conn:
        who, overlaps = who_does_what(conn, "KEN", METHOD)
    cells = {(w.organization_id, w.action_area, w.target_group) for w in who}
    # A (GSMA, access, girls in school), C (GSMA, skills, girls), E (APC, access, girls + rural)
    assert cells == {
        ("gsma", "access", "girls_in_school"),
        ("gsma", "skills", "girls_in_school"),
        ("apc", "access", "girls_in_school"),
        ("apc", "access", "rural_women"),
    }
    assert [(o.action_area, o.target_group, o.leads) for o in overlaps] == [
        ("access", "girls_in_school", ["APC", "GSMA"])
    ]


def test_country_action(ev: Evidence) -> None:
    areas = {a.pillar: a for a in country_action(ev, "KEN", METHOD)}
    assert len(areas["access"].initiatives) == 2 and areas["access"].partners == ["APC", "GSMA"]
    assert areas["access"].gap is not None and areas["access"].gap.gap == pytest.approx(KEN_GAP)
    assert len(areas["skills"].initiatives) == 1
