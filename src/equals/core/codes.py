"""Meanings of problem codes whose owners have not documented them yet.

These are fallbacks (:func:`equals.core.problems.describe`): a docstring on the exception class
or a :func:`~equals.core.problems.define` call in the owning module replaces them. Move each
one next to its code when you touch that module; ``tests/test_problems.py`` checks that every
code here is still used somewhere.
"""

from __future__ import annotations

from equals.core.problems import describe

_FALLBACKS: dict[str, tuple[str, str]] = {
    # auth
    "auth-error": ("auth", "An account or sign-in operation failed; the message says why."),
    "not-authorised": ("auth", "The user lacks the role or grant this action needs."),
    "weak-password": ("auth", "The password is too short or too common; choose a longer one."),
    "user-exists": ("auth", "A user with this name already exists."),
    "unknown-user": ("auth", "No user has this name."),
    # survey engine
    "engine-unavailable": (
        "survey",
        "The estimation engine asked for (e.g. Spark) is not installed or cannot start.",
    ),
    "unknown-engine": ("survey", "The estimation engine is not one of those available."),
    "missing-column": (
        "survey",
        "A column named in the design or the analysis is not in the survey file; the "
        "message lists the columns that are.",
    ),
    "non-numeric-variable": (
        "survey",
        "An analysis variable is not numeric (means, totals, ratios and proportions need "
        "numbers or 0/1 codes).",
    ),
    "non-numeric-weight": ("survey", "The weight column is not numeric."),
    "too-many-levels": (
        "survey",
        "A domain variable has too many distinct values to be a domain (e.g. a continuous "
        "variable given to --by).",
    ),
    # store
    "store-error": (
        "store",
        "The database is not on this version's schema (not initialised, or older), or a "
        "write was refused; `equals init` migrates and loads it.",
    ),
    # archive
    "unknown-session": ("archive", "No filed session report has this id."),
    "invalid-year": ("archive", "A year outside the range the archive accepts."),
    "invalid-text": (
        "archive",
        "Text with characters that cannot be stored or shown (e.g. NUL, control characters).",
    ),
    "too-many-terms": ("archive", "A full-text search with more terms than allowed."),
    "unknown-template": ("archive", "No report template has this id."),
    "no-report": ("archive", "A report was expected (as text or fields) but none was given."),
    "unknown-person": ("archive", "No person of the session archive has this id."),
    "already-merged": ("archive", "The two people are already one identity."),
    "not-merged": ("archive", "The person is not merged into another, so cannot be split off."),
    "same-person": ("archive", "A person cannot be marked distinct from itself."),
    # backup
    "backup-invalid": (
        "backup",
        "A backup package that cannot be restored (wrong format, damaged or from an "
        "incompatible version); nothing was written.",
    ),
    # evidence exports
    "datapackage-invalid": (
        "evidence",
        "The evidence Data Package did not validate (frictionless); nothing was kept.",
    ),
    # partners
    "unknown-partner": ("partners", "No partner has this id."),
    "unknown-organization": ("partners", "No organization has this id."),
    "unknown-coalition": ("partners", "No coalition has this id."),
    "unknown-governance-seat": ("partners", "No governance seat (term) has this id."),
    "unknown-initiative": ("partners", "No initiative has this id."),
    "already-a-partner": (
        "partners",
        "The organization is already a partner; update that record instead.",
    ),
    "invalid-code": ("partners", "A value that is not in its IATI code list."),
    "target-in-use": (
        "partners",
        "An initiative target with reported values cannot be removed.",
    ),
    # analysis
    "bad-draws": ("analysis", "The number of uncertainty draws is out of range."),
    "no-data": ("analysis", "No data for any indicator the analysis needs."),
    "no-headline": ("analysis", "Headline counts are not computed for this indicator."),
}

for _code, (_area, _meaning) in _FALLBACKS.items():
    describe(_code, _meaning, area=_area)
