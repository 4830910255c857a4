"""Reporting status of an initiative, computed from the freshness of its information, as the
UN SDG Actions platform does for commitments.

The rule (``FreshnessRule``, configurable per call; defaults below):

- IATI status 4 (Closed) or 5 (Cancelled): ``closed``; 6 (Suspended): ``suspended``.
- Otherwise, by the days since the latest information (the newest progress report, or the date
  the record's information is from, ``as_of``, whichever is later):
  at most ``fresh_days`` (365) → ``on_track``; at most ``inactive_days`` (730) →
  ``no_report_for_a_year``; more → ``inactive``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from equals.core.i18n import N_
from equals.partners.model import Freshness


@dataclass(frozen=True, slots=True)
class FreshnessRule:
    fresh_days: int = 365
    inactive_days: int = 730
    today: dt.date | None = None  # for tests; default: the current UTC date


LABELS = {
    "on_track": N_("On track (reported within a year)"),
    "no_report_for_a_year": N_("No report for a year"),
    "inactive": N_("Inactive (no report for two years)"),
    "closed": N_("Closed"),
    "suspended": N_("Suspended"),
}


def freshness(status: str, last_information: str, rule: FreshnessRule | None = None) -> Freshness:
    rule = rule or FreshnessRule()
    if status in ("4", "5"):
        code = "closed"
    elif status == "6":
        code = "suspended"
    else:
        today = rule.today or dt.datetime.now(dt.UTC).date()
        age = (today - dt.date.fromisoformat(last_information[:10])).days
        if age <= rule.fresh_days:
            code = "on_track"
        elif age <= rule.inactive_days:
            code = "no_report_for_a_year"
        else:
            code = "inactive"
    return Freshness(code=code, label=LABELS[code], last_information=last_information[:10])


def is_active(status: str, f: Freshness) -> bool:
    """Counted as action on the ground: IATI status 2 (Implementation) and not inactive."""
    return status == "2" and f.code in ("on_track", "no_report_for_a_year")
