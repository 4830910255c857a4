"""The index over the real bundled data: what every score lists, and values traced back."""

from __future__ import annotations

import pytest

from equals.analysis import compute_index
from equals.core.vocabulary import Pillar
from equals.evidence.queries import Evidence


def test_every_score_lists_its_indicators_years_and_sources(evidence: Evidence) -> None:
    result = compute_index(evidence, draws=100)
    assert result.reference_year == 2024  # latest year of the index indicators (WDI Findex)
    assert result.first_year == 2015
    assert len(result.ranked) >= 100
    sources = evidence.sources()
    for c in result.ranked:
        assert c.rank_low <= c.rank <= c.rank_high  # type: ignore[operator]
        for p in c.pillars:
            assert p.score is not None
            assert p.components_used >= p.components_required
            for comp in p.components:
                for v in comp.values:
                    assert result.first_year <= v.year <= result.reference_year
                    assert v.source == evidence.indicator(v.indicator).default_source
                    assert v.licence == sources[v.source].licence


def test_a_score_traces_back_to_the_gap_table(evidence: Evidence) -> None:
    # Kenya's Internet-use ratio in the index equals the evidence layer's parity score for the
    # same year (equals.indicators.gaps: F / M from the WDI files), truncated at 1.
    result = compute_index(evidence, draws=0)
    ken = result.country("KEN")
    comp = next(c for c in ken.pillar(Pillar.ACCESS).components if c.id == "internet_use")
    value = comp.values[0]
    gap = evidence.gap("internet_use", "KEN")
    assert gap is not None and value.year == gap.year
    assert value.ratio == pytest.approx(gap.gap.parity, rel=1e-12)
    assert comp.value == pytest.approx(min(gap.gap.parity or 0, 1.0), rel=1e-12)


def test_same_seed_same_intervals(evidence: Evidence) -> None:
    one = compute_index(evidence, draws=60, seed=11)
    evidence._cache.clear()
    two = compute_index(evidence, draws=60, seed=11)
    assert [(c.country, c.rank_low, c.rank_high) for c in one.countries] == [
        (c.country, c.rank_low, c.rank_high) for c in two.countries
    ]
