"""The registry's services on SQLite: one organisation entity with aliases and merges, versioned
updates (stale → EditConflictError, nothing written), an audit entry with before/after for every
write, and 422-style errors that name the field and write nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from equals.auth import audit_entries
from equals.core.errors import EditConflictError, ValidationError
from equals.partners import (
    FreshnessRule,
    add_progress,
    create_initiative,
    create_partner,
    freshness,
    get_initiative,
    get_partner,
    list_partners,
    partner_sessions,
    update_initiative,
    update_partner,
)
from equals.partners.organizations import ensure_org, merge
from equals.store import Store
from equals.store.tables import partners as t
from tests.partners.conftest import OPERATOR, Registry, file_example_report, initiative_body


def _count(store: Store, table: Any) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_aliases_resolve_to_the_organisation_the_session_reports_use(store: Store) -> None:
    sid = file_example_report(store)  # the report writes "UNWOMEN" and "Association for … (APC)"
    un = create_partner(
        store, {"name": "UN Women", "stakeholder_group": "intergovernmental"}, actor=OPERATOR
    )
    apc = create_partner(
        store, {"name": "APC", "stakeholder_group": "civil_society"}, actor=OPERATOR
    )
    assert (un.organization_id, apc.organization_id) == ("un-women", "apc")
    assert [s.id for s in partner_sessions(store, "un-women")] == [sid]
    assert [s.id for s in partner_sessions(store, "apc")] == [sid]
    with store.transaction() as conn:  # the alias spellings reach the same row
        assert ensure_org(conn, "UNWOMEN") == "un-women"
        assert ensure_org(conn, "Alliance for Progressive Communications") == "apc"


def test_contacts_email_is_private(registry: Registry) -> None:
    public = get_partner(registry.store, registry.own)
    private = get_partner(registry.store, registry.own, private=True)
    assert [c.email for c in public.contacts] == [None]
    assert [c.email for c in private.contacts] == ["ada@gsma.example"]
    assert "ada@gsma.example" not in public.model_dump_json()
    assert all(c.email is None for p in list_partners(registry.store) for c in p.contacts)


def test_stale_update_conflicts_and_writes_nothing(registry: Registry) -> None:
    store = registry.store
    body = initiative_body(registry.own, title="First edit")
    first = update_initiative(store, registry.own_initiative, body, based_on=1, actor=OPERATOR)
    assert first.version == 2
    audits = len(audit_entries(store, limit=1000))
    with pytest.raises(EditConflictError) as err:
        update_initiative(
            store,
            registry.own_initiative,
            initiative_body(registry.own, title="Stale"),
            based_on=1,
            actor=OPERATOR,
        )
    assert err.value.current == 2
    now = get_initiative(store, registry.own_initiative)
    assert (now.title, now.version) == ("First edit", 2)
    assert len(audit_entries(store, limit=1000)) == audits


def test_partner_update_is_versioned_and_audited(registry: Registry) -> None:
    store = registry.store
    body = {
        "organization_id": registry.own,
        "stakeholder_group": "private_sector",
        "website": "https://www.gsma.com",
        "country": "GBR",
    }
    after = update_partner(store, registry.own, body, based_on=1, actor=OPERATOR)
    assert after.version == 2 and after.contacts == []
    entry = audit_entries(store, entity="partner", entity_id=registry.own)[0]
    assert entry.action == "partner.update"
    assert entry.detail["before"]["website"] == "" and entry.detail["before"]["version"] == 1
    assert entry.detail["after"]["website"] == "https://www.gsma.com"
    # the audit log keeps the before state of private fields (it is not public)
    assert entry.detail["before"]["contacts"][0]["email"] == "ada@gsma.example"
    with pytest.raises(EditConflictError):
        update_partner(store, registry.own, body, based_on=1, actor=OPERATOR)


def test_every_write_is_audited(registry: Registry) -> None:
    store = registry.store
    iid = registry.own_initiative
    target = get_initiative(store, iid).targets[0].id
    add_progress(
        store,
        iid,
        {
            "date": "2025-02-01",
            "narrative": "Forty clubs.",
            "values": [{"target_id": target, "value": 27.5, "year": 2024}],
        },
        actor=OPERATOR,
    )
    actions = [e.action for e in audit_entries(store, limit=100)]
    assert actions.count("partner.create") == 2
    assert actions.count("initiative.create") == 2
    assert actions.count("progress.create") == 1
    created = next(
        e
        for e in audit_entries(store, entity="initiative", entity_id=iid)
        if e.action == "initiative.create"
    )
    assert created.detail["before"] is None and created.detail["after"]["title"]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"countries": ["KEN", "XYZ"]}, "countries[1]", "unknown-country"),
        ({"start_date": "2025-01-01", "end_date": "2024-12-31"}, "end_date", "end-before-start"),
        ({"budget": -1}, "budget", "invalid"),
        (
            {
                "targets": [
                    {
                        "indicator": "internet_usage",
                        "country": "KEN",
                        "target_value": 1,
                        "target_year": 2030,
                    }
                ]
            },
            "targets[0].indicator",
            "unknown-indicator",
        ),
        (
            {
                "targets": [
                    {
                        "indicator": "internet_use",
                        "country": "KEM",
                        "target_value": 1,
                        "target_year": 2030,
                    }
                ]
            },
            "targets[0].country",
            "unknown-country",
        ),
        ({"lead_organization_id": "nobody"}, "lead_organization_id", "unknown-organization"),
        ({"status": "9"}, "status", "invalid-code"),
        ({"sectors": ["99999"]}, "sectors[0]", "invalid-code"),
        ({"title": "a\x00b"}, "title", "invalid"),
        ({"title": "lone \ud800 surrogate"}, "title", "invalid"),
        ({"currency": None}, "currency", "invalid"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    registry: Registry, change: dict[str, Any], field: str, code: str
) -> None:
    store = registry.store
    counts = [_count(store, x) for x in (t.initiatives, t.targets, t.initiative_countries)]
    audits = len(audit_entries(store, limit=1000))
    with pytest.raises(ValidationError) as err:
        create_initiative(store, initiative_body(registry.own, **change), actor=OPERATOR)
    assert err.value.location == field
    assert err.value.code == code
    assert [_count(store, x) for x in (t.initiatives, t.targets, t.initiative_countries)] == counts
    assert len(audit_entries(store, limit=1000)) == audits


def test_targets_with_reported_values_are_kept(registry: Registry) -> None:
    store = registry.store
    ini = get_initiative(store, registry.own_initiative)
    tid = ini.targets[0].id
    add_progress(
        store,
        ini.id,
        {
            "date": "2025-02-01",
            "narrative": "x",
            "values": [{"target_id": tid, "value": 30, "year": 2024}],
        },
        actor=OPERATOR,
    )
    with pytest.raises(ValidationError) as err:
        update_initiative(
            store, ini.id, initiative_body(registry.own, targets=[]), based_on=1, actor=OPERATOR
        )
    assert err.value.code == "target-in-use"
    kept = initiative_body(registry.own)
    kept["targets"][0]["id"] = tid
    kept["targets"][0]["target_value"] = 45.0
    after = update_initiative(store, ini.id, kept, based_on=1, actor=OPERATOR)
    assert after.targets[0].id == tid and after.targets[0].target_value == 45.0
    assert after.targets[0].latest_actual == 30.0


def test_merge_moves_references_and_sessions_follow(store: Store) -> None:
    sid = file_example_report(store)
    with store.transaction() as conn:  # a duplicate spelling nobody had aliased
        dup = ensure_org(conn, "Progressive Communications Association")
    assert dup.startswith("x:")
    create_partner(
        store, {"organization_id": dup, "stakeholder_group": "civil_society"}, actor=OPERATOR
    )
    merge(store, dup, "apc", actor=OPERATOR)
    p = get_partner(store, "apc")
    assert p.organization_id == "apc" and dup in p.merged
    assert "Progressive Communications Association" in p.aliases
    assert get_partner(store, dup).organization_id == "apc"  # the old id still resolves
    assert [s.id for s in partner_sessions(store, "apc")] == [sid]
    entry = audit_entries(store, entity="organization", entity_id="apc")[0]
    assert entry.action == "organization.merge"
    assert entry.detail["before"]["merged"]["id"] == dup


def test_freshness_rule() -> None:
    # Hand-computed: 2026-06-30 − 2025-07-01 = 364 days (on track); − 2025-06-30 = 365 (still on
    # track, the bound is inclusive); − 2024-07-01 = 729 (no report for a year); − 2024-06-29 =
    # 731 days (inactive). Closed/cancelled/suspended ignore dates.
    rule = FreshnessRule(today=dt.date(2026, 6, 30))
    assert freshness("2", "2025-07-01", rule).code == "on_track"
    assert freshness("2", "2025-06-30", rule).code == "on_track"
    assert freshness("2", "2024-07-01", rule).code == "no_report_for_a_year"
    assert freshness("2", "2024-06-29", rule).code == "inactive"
    assert freshness("4", "2026-06-01", rule).code == "closed"
    assert freshness("6", "2026-06-01", rule).code == "suspended"
    assert (
        freshness("2", "2025-01-01", FreshnessRule(fresh_days=90, today=dt.date(2025, 6, 1))).code
        == "no_report_for_a_year"
    )


def test_initiatives_named_in_a_report_are_suggested_never_linked(store: Store) -> None:
    from equals.partners import list_initiatives
    from equals.partners.examples import load_examples
    from equals.partners.links import (
        decide_link,
        linked_initiatives,
        linked_sessions,
        suggest_links,
    )

    sid = file_example_report(store)
    load_examples(store)
    by_title = {i.title: i.id for i in list_initiatives(store)}
    for title, phrase in (
        ("Pink Cloud Initiative", "Pink Cloud Initiative"),
        ("Youth SPARK", "Youth SPARK initiatives"),
        ("Digital Government Unit, Ministry of Public Administration", "Digital Government Unit"),
    ):
        iid = by_title[title]
        found = suggest_links(store, iid)
        assert [s.session_id for s in found] == [sid]
        assert phrase in found[0].evidence
        assert linked_sessions(store, iid) == []  # a suggestion is not a link
    pink = by_title["Pink Cloud Initiative"]
    decide_link(store, pink, sid, confirm=True, actor=OPERATOR)
    assert [s.id for s in linked_sessions(store, pink)] == [sid]
    assert linked_initiatives(store, sid) == [(pink, "Pink Cloud Initiative")]
    assert suggest_links(store, pink) == []  # decided: no longer suggested
    youth = by_title["Youth SPARK"]
    decide_link(store, youth, sid, confirm=False, actor=OPERATOR)
    assert linked_sessions(store, youth) == [] and suggest_links(store, youth) == []
    assert (
        audit_entries(store, entity="initiative", entity_id=youth)[0].action
        == "session-link.reject"
    )


def test_coalition_and_governance_writes_are_versioned_and_audited(registry: Registry) -> None:
    from equals.partners import add_seat, create_coalition, get_coalition, update_coalition

    store = registry.store
    body = {
        "id": "access",
        "name": "Access Coalition",
        "action_area": "access",
        "lead_organization_id": registry.own,
        "members": [
            {"organization_id": registry.own, "since": "2017-03-08"},
            {"organization_id": registry.other},
        ],
    }
    made = create_coalition(store, body, actor=OPERATOR)
    assert made.version == 1 and [m.organization.id for m in made.members] == ["apc", "gsma"]
    body["description"] = "Closing the access gap."
    after = update_coalition(store, "access", body, based_on=1, actor=OPERATOR)
    assert (
        after.version == 2
        and get_coalition(store, "access").description == "Closing the access gap."
    )
    with pytest.raises(EditConflictError):
        update_coalition(store, "access", body, based_on=1, actor=OPERATOR)
    seat = add_seat(
        store,
        {
            "body": "steering-committee",
            "seat": "Private sector seat",
            "organization_id": registry.own,
            "since": "2019-01-01",
            "until": "2020-12-31",
        },
        actor=OPERATOR,
    )
    with pytest.raises(ValidationError) as err:
        add_seat(
            store,
            {
                "body": "steering-committee",
                "organization_id": registry.own,
                "since": "2021-01-01",
                "until": "2020-12-31",
            },
            actor=OPERATOR,
        )
    assert err.value.location == "until"
    actions = [(e.action, e.entity_id) for e in audit_entries(store, limit=50)]
    assert ("coalition.create", "access") in actions and ("coalition.update", "access") in actions
    assert ("governance.create", str(seat.id)) in actions
    assert get_partner(store, registry.own).coalitions == ["access"]


def test_merge_moves_partner_editor_grants_to_the_surviving_organisation(store: Store) -> None:
    from equals.auth import Grant, Role, create_user, get_user
    from equals.partners.permissions import Action, require

    with store.transaction() as conn:
        dup = ensure_org(conn, "Progressive Communications Association")
        ensure_org(conn, "Association for Progressive Communications")
    create_partner(
        store, {"organization_id": dup, "stakeholder_group": "civil_society"}, actor=OPERATOR
    )
    pw = "correct horse battery staple"
    moved = create_user(store, "ed-dup", pw, roles=[Grant(Role.PARTNER_EDITOR, dup)])
    twice = create_user(
        store,
        "ed-both",
        pw,
        roles=[Grant(Role.PARTNER_EDITOR, dup), Grant(Role.PARTNER_EDITOR, "apc")],
    )
    merge(store, dup, "apc", actor=OPERATOR)
    after = get_user(store, "ed-dup")
    assert after.grants == (Grant(Role.PARTNER_EDITOR, "apc"),)
    require(after, Action.UPDATE_PARTNER, "apc")  # may edit the surviving organisation
    assert get_user(store, "ed-both").grants == (Grant(Role.PARTNER_EDITOR, "apc"),)
    entry = audit_entries(store, entity="organization", entity_id="apc")[0]
    assert entry.action == "organization.merge"
    assert sorted((g["user_id"], g["change"]) for g in entry.detail["grants"]) == sorted(
        [(moved.id, "moved"), (twice.id, "dropped-duplicate")]
    )
    assert all(g["from"] == dup and g["to"] == "apc" for g in entry.detail["grants"])
