"""Tidy evidence records: where a number came from (Source) and the number (Observation)."""

from __future__ import annotations

from dataclasses import dataclass

from equals.core.vocabulary import Sex


@dataclass(frozen=True, slots=True)
class Source:
    """One bundled (or published) dataset, with everything needed to cite it.

    ``id`` is short and stable (``wdi``, ``itu-urban-rural``, ``unsd-gender``...).
    """

    id: str
    organisation: str
    title: str
    licence: str
    retrieved_from: str
    files: tuple[str, ...] = ()
    licence_url: str = ""
    coverage: str = ""
    citation: str = ""
    notes: str = ""
    origin: str = "bundled"  # "bundled" (shipped data) or "survey" (published estimates)

    def cite(self, year: int | None = None) -> str:
        """A one-line citation: organisation, title, year of data, licence."""
        text = self.citation or f"{self.organisation}, {self.title}"
        if year is not None:
            text += f" ({year})"
        return f"{text}. Licence: {self.licence}."


@dataclass(frozen=True, slots=True)
class Observation:
    """One value of one indicator for one area, year and sex.

    ``breakdown`` is ``""`` for the whole population or ``dimension=value`` pairs joined by
    ``;`` in sorted order (``location=urban``, ``skill=EMAIL``). ``flag`` keeps the source's
    own status code (``E`` estimated, ``Unreliable``, ``‡`` UIS estimation...).

    Estimates published from survey microdata also carry their uncertainty, in the unit of
    ``value``: ``se``, the confidence interval ``ci_low``–``ci_high`` at level ``ci_level``,
    the unweighted ``n`` and the quality ``flags`` (``small_n``, ``use_with_caution``,
    ``unreliable``...). Bundled observations leave them ``None``.
    """

    indicator: str
    area: str
    year: int
    sex: Sex
    value: float
    source: str
    breakdown: str = ""
    note: str = ""
    flag: str = ""
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    flags: tuple[str, ...] | None = None
    ci_level: float | None = None  # confidence level of ci_low/ci_high (e.g. 0.95)
