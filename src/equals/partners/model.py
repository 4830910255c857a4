"""The registry's records as pydantic models: what a writer sends (``…In``) and what a reader gets.

Input models check types, lengths and ranges, and that every date is plausible (:data:`Date`,
:data:`TermDate`: the one rule of ``common.implausible_date``); an API client gets 422 naming
the field. The service checks what needs the database or the code lists (organisations,
countries, IATI codes, catalogue indicators, end before start). Text fields refuse NUL, other
control characters and lone surrogates, so nothing unstorable reaches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

from equals.core.i18n import Msg
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.partners.common import implausible_date

_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_ID = re.compile(r"^[a-z0-9][a-z0-9:._-]*$")


def _clean(value: str) -> str:
    if _BAD.search(value):
        raise ValueError(Msg("contains a control character or an unpaired surrogate"))
    return value.strip()


def _url(value: str) -> str:
    value = _clean(value)
    if value and not _URL.match(value):
        raise ValueError(Msg("must be an http(s) URL, e.g. https://example.org"))
    return value


def _email(value: str) -> str:
    value = _clean(value)
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError(Msg("must be an e-mail address such as name@example.org"))
    return value


def _org_id(value: str) -> str:
    value = _clean(value)
    if not _ID.match(value):
        raise ValueError(Msg("an organisation id is lower-case letters, digits and . _ : -"))
    return value


def _plausible(value: dt.date, info: ValidationInfo) -> dt.date:
    why = implausible_date(value, info.field_name or "date")
    if why is not None:
        raise ValueError(why)
    return value


def _in_term(value: dt.date, info: ValidationInfo) -> dt.date:
    why = implausible_date(value, info.field_name or "date", term=True)
    if why is not None:
        raise ValueError(why)
    return value


#: Every date the registry accepts: 1900-01-01 to 50 years from today (``common.check_date``).
Date = Annotated[dt.date, AfterValidator(_plausible)]
#: A governance term's date: from EQUALS's founding (2016-01-01) to 50 years from today.
TermDate = Annotated[dt.date, AfterValidator(_in_term)]
Line = Annotated[str, Field(max_length=300), AfterValidator(_clean)]
Name = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_clean)]
Prose = Annotated[str, Field(max_length=20_000), AfterValidator(_clean)]
Url = Annotated[str, Field(max_length=2_000), AfterValidator(_url)]
Email = Annotated[str, Field(max_length=320), AfterValidator(_email)]
OrgId = Annotated[str, Field(min_length=1, max_length=128), AfterValidator(_org_id)]
Code = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_clean)]
Year = Annotated[int, Field(ge=1900, le=2100)]
Value = Annotated[float, Field(ge=-1e12, le=1e12, allow_inf_nan=False)]

_IN = ConfigDict(extra="forbid", str_max_length=20_000)


class ContactIn(BaseModel):
    model_config = _IN
    name: Name
    role: Line = ""
    email: Email = ""


class PartnerIn(BaseModel):
    """A partner: an organisation (existing id, or a name to find or create) with membership."""

    model_config = _IN
    organization_id: OrgId | None = Field(None, description="Existing organisation id.")
    name: Line = Field("", description="Organisation name (to find it by alias, or create it).")
    full_name: Line = ""
    stakeholder_group: StakeholderGroup
    country: Code | None = Field(None, description="ISO 3166-1 alpha-3 of the headquarters.")
    website: Url = ""
    joined: Date | None = None
    iati_org_id: Annotated[str, Field(max_length=128), AfterValidator(_clean)] | None = None
    iati_org_type: Code | None = Field(None, description="IATI OrganisationType code.")
    description: Prose = ""
    contacts: list[ContactIn] = Field(default_factory=list, max_length=50)
    aliases: list[Name] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _named(self) -> PartnerIn:
        if not self.organization_id and not self.name:
            raise ValueError(Msg("give organization_id or name"))
        return self


class ParticipantIn(BaseModel):
    model_config = _IN
    organization_id: OrgId
    role: Code = Field(
        description="IATI OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing."
    )


class DeliverableIn(BaseModel):
    """A SMART deliverable: specific title, how it is measured, when it is due."""

    model_config = _IN
    title: Name
    measure: Line = ""
    due: Date | None = None
    done: bool = False


class TargetIn(BaseModel):
    """A target on a catalogue indicator in one country (optionally for one sex)."""

    model_config = _IN
    id: int | None = Field(None, ge=1, le=2**31 - 1, description="Keep an existing target.")
    indicator: Code
    country: Code
    sex: Annotated[str, Field(pattern="^(female|male|total)$")] = "female"
    baseline_value: Value | None = None
    baseline_year: Year | None = None
    target_value: Value
    target_year: Year

    @model_validator(mode="after")
    def _years(self) -> TargetIn:
        if (self.baseline_value is None) != (self.baseline_year is None):
            raise ValueError(Msg("baseline_value and baseline_year go together"))
        return self


class InitiativeIn(BaseModel):
    model_config = _IN
    title: Name
    description: Prose = ""
    lead_organization_id: OrgId
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=200)
    action_areas: list[Pillar] = Field(default_factory=list, max_length=3)
    target_groups: list[Code] = Field(default_factory=list, max_length=20)
    countries: list[Code] = Field(default_factory=list, max_length=250)
    regions: list[Code] = Field(default_factory=list, max_length=50)
    status: Code = Field("2", description="IATI ActivityStatus code (2 = implementation).")
    start_date: Date | None = None
    end_date: Date | None = None
    budget: Annotated[float, Field(ge=0, le=1e15, allow_inf_nan=False)] | None = None
    currency: Code | None = None
    gender_marker: Code | None = Field(None, description="IATI PolicySignificance (0-4).")
    sectors: list[Code] = Field(default_factory=list, max_length=50)
    deliverables: list[DeliverableIn] = Field(default_factory=list, max_length=100)
    targets: list[TargetIn] = Field(default_factory=list, max_length=200)
    iati_identifier: Annotated[str, Field(max_length=255), AfterValidator(_clean)] | None = None
    website: Url = ""
    as_of: Date | None = Field(None, description="Date of this information (default: today).")


class ActualIn(BaseModel):
    model_config = _IN
    target_id: int = Field(ge=1, le=2**31 - 1)
    value: Value
    year: Year


class ProgressIn(BaseModel):
    model_config = _IN
    date: Date
    narrative: Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(_clean)]
    links: list[Url] = Field(default_factory=list, max_length=50)
    values: list[ActualIn] = Field(default_factory=list, max_length=200)


class MemberIn(BaseModel):
    model_config = _IN
    organization_id: OrgId
    since: Date | None = None


class CoalitionIn(BaseModel):
    model_config = _IN
    id: Annotated[str, Field(min_length=1, max_length=64, pattern="^[a-z0-9][a-z0-9-]*$")]
    name: Name
    action_area: Literal["access", "skills", "leadership", "research"]
    description: Prose = ""
    lead_organization_id: OrgId | None = None
    members: list[MemberIn] = Field(default_factory=list, max_length=500)


class SeatIn(BaseModel):
    model_config = _IN
    body: Annotated[str, Field(pattern="^(co-founder|steering-committee|secretariat)$")]
    seat: Line = ""
    organization_id: OrgId
    holder: Line = ""
    since: TermDate | None = None
    until: TermDate | None = None


class SeatEndIn(BaseModel):
    model_config = _IN
    until: TermDate = Field(description="The last day of the term.")


# -- what readers get -------------------------------------------------------------------------
class Contact(BaseModel):
    name: str
    role: str
    email: str | None = Field(None, description="Only for the partner's editors and admins.")


class CodeLabel(BaseModel):
    code: str
    label: str


class OrgRef(BaseModel):
    id: str
    name: str
    partner: bool = False


class Partner(BaseModel):
    organization_id: str
    name: str
    full_name: str
    stakeholder_group: CodeLabel
    country: CodeLabel | None
    website: str
    joined: str | None
    iati_org_id: str | None
    iati_org_type: CodeLabel | None
    description: str
    aliases: list[str]
    merged: list[str] = Field(description="Organisation ids merged into this one.")
    contacts: list[Contact]
    coalitions: list[str]
    example: bool
    source_note: str
    version: int
    url: str


class Participant(BaseModel):
    organization: OrgRef
    role: CodeLabel


class Deliverable(BaseModel):
    title: str
    measure: str
    due: str | None
    done: bool


class Target(BaseModel):
    id: int
    indicator: str
    indicator_title: str
    country: CodeLabel
    sex: str
    baseline_value: float | None
    baseline_year: int | None
    target_value: float
    target_year: int
    latest_actual: float | None = None
    latest_actual_year: int | None = None


class Freshness(BaseModel):
    code: str = Field(description="on_track | no_report_for_a_year | inactive | closed")
    label: str
    last_information: str


class Initiative(BaseModel):
    id: int
    title: str
    description: str
    lead: OrgRef
    participants: list[Participant]
    action_areas: list[str]
    target_groups: list[CodeLabel]
    countries: list[CodeLabel]
    regions: list[CodeLabel]
    status: CodeLabel
    freshness: Freshness
    start_date: str | None
    end_date: str | None
    budget: float | None
    currency: str | None
    gender_marker: CodeLabel | None
    sectors: list[CodeLabel]
    deliverables: list[Deliverable]
    targets: list[Target]
    iati_identifier: str | None
    website: str
    as_of: str
    example: bool
    source_note: str
    version: int
    url: str


class Actual(BaseModel):
    target_id: int
    value: float
    year: int


class ProgressReport(BaseModel):
    id: int
    initiative_id: int
    date: str
    narrative: str
    links: list[str]
    values: list[Actual]
    actor: str


class Member(BaseModel):
    organization: OrgRef
    since: str | None


class Coalition(BaseModel):
    id: str
    name: str
    action_area: str
    description: str
    lead: OrgRef | None
    members: list[Member]
    example: bool
    source_note: str
    version: int


class Seat(BaseModel):
    id: int
    body: CodeLabel
    seat: str
    organization: OrgRef
    holder: str
    since: str | None
    until: str | None
    example: bool
    source_note: str
    version: int
