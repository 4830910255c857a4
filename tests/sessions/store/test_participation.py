"""Women's participation aggregates (issue 11): stated figures only, with the number of
reports behind each and what is missing; service, API (JSON, CSV) and page.

Expected values are hand computations from the fixture reports (tests/sessions/fixtures):
- workshop-2015.txt: 55 participants, 30 women; gender discussed;
- igf2018-short.txt: 60 participants, 35 women; gender discussed;
- report-2019.txt: about 80 + 20 online = 100 participants, around 45 women; 3 of the 5
  speakers and the (one) moderator were women; gender discussed;
- short-report-2021.md: about 40-50 participants, "roughly half were women" (no count);
- igf2016-equals-workshop-report.txt: states nothing about participation.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from equals.archive.filing import EventRef, file_report
from equals.archive.participation import GroupBy, participation
from equals.auth import Actor
from equals.sessions import parse_report
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

from ..conftest import EXAMPLE, FIXTURES

FILES = {
    "workshop-2015.txt": 2015,
    "igf2018-short.txt": 2018,
    "report-2019.txt": 2019,
    "short-report-2021.md": 2021,
    EXAMPLE.name: 2016,
}


def _load(store: Store) -> None:
    for name, year in FILES.items():
        path = FIXTURES / name
        report = parse_report(
            path.read_text("utf-8"), format="markdown" if name.endswith(".md") else None
        )
        file_report(store, report, actor=Actor.cli(), event=EventRef("IGF", year))


def test_pooled_and_mean_shares_with_reports_behind_them(store: Store) -> None:
    _load(store)
    result = participation(store, GroupBy.YEAR)
    by = {g.key: g for g in result.groups}
    assert sorted(by) == ["2015", "2016", "2018", "2019", "2021"]
    assert by["2015"].women_share.value == pytest.approx(30 / 55)
    assert by["2018"].women_share.value == pytest.approx(35 / 60)
    assert by["2019"].women_speakers_share.value == pytest.approx(3 / 5)
    assert by["2019"].women_moderators_share.value == pytest.approx(1.0)
    assert by["2021"].women_share.value is None and by["2021"].women_share.reports == 0
    assert by["2021"].women_share_mean.value == pytest.approx(0.5)
    assert by["2016"].missing == {
        "participants": 1, "women": 1, "women_speakers": 1, "women_moderators": 1,
        "gender_reflection": 1,
    }  # fmt: skip
    o = result.overall
    assert o.reports == 5
    # Pooled over the three reports stating both counts: (30 + 35 + 45) / (55 + 60 + 100).
    assert (o.women, o.participants) == (110, 215)
    assert o.women_share.value == pytest.approx(110 / 215) and o.women_share.reports == 3
    # Mean of the four stated shares: (30/55 + 35/60 + 45/100 + 0.5) / 4.
    assert o.women_share_mean.value == pytest.approx((30 / 55 + 35 / 60 + 0.45 + 0.5) / 4)
    assert o.women_share_mean.reports == 4
    assert (o.women_speakers_share.reports, o.women_moderators_share.reports) == (1, 1)
    assert o.gender_discussed.value == pytest.approx(1.0) and o.gender_discussed.reports == 4
    assert o.missing["participants"] == 1 and o.missing["women"] == 1
    assert o.missing["women_speakers"] == 4


def test_by_stakeholder_group_and_theme(store: Store) -> None:
    _load(store)
    groups = {g.key: g for g in participation(store, GroupBy.STAKEHOLDER_GROUP).groups}
    # civil_society speakers: the 2015 workshop and the 2018 short report (and the 2016 one).
    cs = groups["civil_society"]
    assert cs.women_share.value == pytest.approx((30 + 35) / (55 + 60))
    themes = {g.key: g for g in participation(store, GroupBy.THEME).groups}
    assert themes["Digital Inclusion & Accessibility"].reports == 1  # the 2018 report
    assert themes["Security, Safety, Stability and Resilience"].reports == 1  # the 2019 report
    assert themes["no theme stated"].reports == 3


def test_api_json_csv_and_page(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    store = Store(url)
    store.migrate()
    _load(store)
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        r = client.get("/api/v1/sessions/participation?by=year")
        assert r.status_code == 200
        body = r.json()
        assert body["overall"]["women_share"]["value"] == round(110 / 215, 4)
        assert body["overall"]["women_share"]["reports"] == 3
        assert "never inferred" in body["basis"]
        r = client.get("/api/v1/sessions/participation?by=event&format=csv")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [x["event"] for x in rows][-1] == "all reports"
        igf2018 = next(x for x in rows if x["event"] == "IGF 2018")
        assert igf2018["women_share"] == str(round(35 / 60, 4)) and igf2018["reports"] == "1"
        assert client.get("/api/v1/sessions/participation?by=nope").status_code == 422
        assert client.get("/api/v1/sessions/participation?year=5").status_code == 422
        page = client.get("/sessions/participation?by=year")
        assert page.status_code == 200
        assert 'id="participation-data"' in page.text and "51.2" in page.text  # 110/215
        assert "<script>" not in page.text  # no inline script (CSP)
        assert client.get("/sessions/participation?year=%C2%B2").status_code == 422
        assert client.get("/sessions/participation?by=%00").status_code == 200
    store.dispose()


def test_the_session_page_shows_what_the_report_states(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'page.db'}"
    store = Store(url)
    store.migrate()
    report = parse_report((FIXTURES / "report-2019.txt").read_text("utf-8"))
    sid = file_report(store, report, actor=Actor.cli(), event=EventRef("IGF", 2019)).session_id
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        page = client.get(f"/sessions/{sid}").text
    assert "45 women of 100 participants" in page
    assert "Women among speakers: 3 of 5" in page and "Women among moderators: 1 of 1" in page
    assert "gender was discussed" in page
    store.dispose()
