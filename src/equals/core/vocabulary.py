"""The platform's shared words: action areas (pillars), sex, indicator kinds, stakeholders."""

from __future__ import annotations

from enum import StrEnum


class Pillar(StrEnum):
    """The partnership's three action areas."""

    ACCESS = "access"
    SKILLS = "skills"
    LEADERSHIP = "leadership"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Sex(StrEnum):
    """Sex of the population an observation describes."""

    FEMALE = "female"
    MALE = "male"
    TOTAL = "total"


class IndicatorKind(StrEnum):
    """How an indicator is disaggregated.

    ``pair``: separate values for women and men (gap = compare F with M).
    ``female_share``: one value, the percentage of women in a group (gap = distance from 50%).
    """

    PAIR = "pair"
    FEMALE_SHARE = "female_share"


class StakeholderGroup(StrEnum):
    """IGF / WSIS stakeholder groups, used for partners and session speakers."""

    GOVERNMENT = "government"
    PRIVATE_SECTOR = "private_sector"
    CIVIL_SOCIETY = "civil_society"
    TECHNICAL_COMMUNITY = "technical_community"
    ACADEMIA = "academia"
    INTERGOVERNMENTAL = "intergovernmental"
