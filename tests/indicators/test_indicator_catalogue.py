"""The indicator catalogue is complete, documented and consistent with the bundled sources."""

from __future__ import annotations

from collections import Counter

import pytest

from equals.core.vocabulary import IndicatorKind, Pillar, Sex
from equals.indicators.bundle import Bundle
from equals.indicators.catalogue import Catalogue, Indicator, load_catalogue

REQUIRED_IDS = {
    "internet_use", "mobile_phone_ownership", "account_ownership", "digital_payments",
    "ict_skill_copy_paste", "ict_skill_copy_move_file", "ict_skill_email_attachment",
    "ict_skill_spreadsheet_formula", "ict_skill_install_devices",
    "ict_skill_find_install_software", "ict_skill_presentation", "ict_skill_transfer_files",
    "ict_skill_programming", "stem_graduates", "ict_graduates",
    "female_engineering_researchers", "tertiary_enrolment", "ict_professionals",
    "telecom_employment", "women_share_ict_professionals", "women_managers",
    "women_senior_middle_management", "women_in_parliament", "women_ministers",
    "women_local_government",
}  # fmt: skip


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_size_and_pillars(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 15
    assert {i.id for i in catalogue} >= REQUIRED_IDS
    assert {i.pillar for i in catalogue} == set(Pillar)


def test_every_indicator_is_documented(catalogue: Catalogue, bundle: Bundle) -> None:
    sources = {s.id: s for s in bundle.sources}
    for ind in catalogue:
        assert ind.title and ind.unit and ind.definition and ind.short_title, ind.id
        assert ind.notes, ind.id
        assert ind.sources, ind.id
        default = sources[ind.default_source]
        assert default.licence and default.organisation and default.retrieved_from, ind.id


def test_every_referenced_source_exists(catalogue: Catalogue, bundle: Bundle) -> None:
    ids = {s.id for s in bundle.sources}
    assert {sid for ind in catalogue for sid in ind.sources} <= ids


def test_every_indicator_has_observations_from_every_listed_source(
    catalogue: Catalogue, bundle: Bundle
) -> None:
    seen = Counter((o.indicator, o.source) for o in bundle.observations)
    for ind in catalogue:
        for sid in ind.sources:
            assert seen[(ind.id, sid)] > 0, (ind.id, sid)


def test_kinds_match_the_sexes_observed(catalogue: Catalogue, bundle: Bundle) -> None:
    sexes: dict[str, set[Sex]] = {}
    for o in bundle.observations:
        sexes.setdefault(o.indicator, set()).add(o.sex)
    for ind in catalogue:
        if ind.kind is IndicatorKind.FEMALE_SHARE:
            assert sexes[ind.id] == {Sex.FEMALE}, ind.id
        else:
            assert {Sex.FEMALE, Sex.MALE} <= sexes[ind.id], ind.id


def test_breakdowns_declared(catalogue: Catalogue, bundle: Bundle) -> None:
    used: dict[str, set[str]] = {}
    for o in bundle.observations:
        if o.breakdown:
            dims = {part.split("=")[0] for part in o.breakdown.split(";")}
            used.setdefault(o.indicator, set()).update(dims)
    for ind_id, dims in used.items():
        assert dims <= set(catalogue.get(ind_id).breakdowns), ind_id
    assert used == {"internet_use": {"location"}}


def test_descriptor_round_trip(catalogue: Catalogue) -> None:
    descriptors = catalogue.to_descriptor()
    again = Catalogue.from_descriptor(descriptors)
    assert again == catalogue
    for ind in catalogue:
        assert Indicator.from_descriptor(ind.to_descriptor()) == ind


def test_defaults_documented(catalogue: Catalogue) -> None:
    assert catalogue.get("internet_use").default_source == "wdi"
    assert catalogue.get("account_ownership").default_source == "wdi"
    assert catalogue.get("mobile_phone_ownership").default_source == "unsd-gender-itu"
    assert catalogue.get("ict_skill_programming").default_source == "unsd-gender-itu"
    assert "computed by EQUALS Hub" in catalogue.get("women_share_ict_professionals").notes
