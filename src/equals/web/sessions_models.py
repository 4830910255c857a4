"""Pydantic bodies of the sessions API (requests and responses), so the OpenAPI document
describes every one. JSON keys are those of the library's ``to_record`` methods."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator, model_validator

from equals.archive.rules import YEAR_MAX, YEAR_MIN, bad_character

MAX_TEXT = 500_000  # characters of one report (about 80,000 words)
MAX_FIELD = 100_000  # characters of one form field
MAX_FIELDS = 64  # fields of one form
MAX_BODY = 2_000_000  # bytes of a request body (413 above)


def _storable(value: Any, where: str) -> None:
    if isinstance(value, str):
        problem = bad_character(value)
        if problem is not None:
            raise ValueError(f"{where} contains {problem}; remove it")
    elif isinstance(value, dict):
        for k, v in value.items():
            _storable(k, f"{where} key")
            _storable(v, f"{where}.{k}")


FieldText = Annotated[str, Field(max_length=MAX_FIELD)]


class ReportIn(BaseModel):
    """A report as text (txt or Markdown) or as one text per template field."""

    template: str | None = Field(
        None, max_length=64, description="Template id (default: detected)."
    )
    text: str | None = Field(None, max_length=MAX_TEXT, description="The report's text.")
    fields: dict[Annotated[str, Field(max_length=64)], FieldText] | None = Field(
        None, max_length=MAX_FIELDS, description="Field id → text (form input)."
    )

    @field_validator("template", "text", "fields")
    @classmethod
    def _no_nul_or_surrogate(cls, value: Any) -> Any:
        _storable(value, "the value")
        return value

    @model_validator(mode="after")
    def _total(self) -> ReportIn:
        total = sum(len(v) for v in (self.fields or {}).values())
        if total > MAX_TEXT:
            raise ValueError(
                f"the fields hold {total:,} characters together; at most {MAX_TEXT:,} are allowed"
            )
        return self


class FileIn(ReportIn):
    event: str = Field("IGF", min_length=1, max_length=200)
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    strict: bool = False

    @field_validator("event")
    @classmethod
    def _event_text(cls, value: str) -> str:
        _storable(value, "the event")
        return value


class Finding(BaseModel):
    code: str
    severity: str
    field: str | None
    message: str = Field(description="What was found, in English (stable).")
    text: str | None = Field(
        None, description="The message in the language asked for (``?lang=``); validate only."
    )


class ValidationOut(BaseModel):
    source: str
    template: str
    valid: bool
    errors: int
    warnings: int
    findings: list[Finding]


class FiledOut(BaseModel):
    session_id: int
    revision: int
    version: int = Field(description='The session\'s version now (its ETag is "v<version>").')
    created: bool
    unchanged: bool
    validation: ValidationOut
    url: str


class ValidateOut(BaseModel):
    validation: ValidationOut
    report: dict[str, Any] = Field(description="The parsed report (equals.sessions record).")


class _Session(BaseModel):
    id: int
    title: str
    event: str
    year: int
    date: str | None
    start_time: str | None
    end_time: str | None
    template_id: str
    theme: str | None
    updated_at: str
    areas: list[str]
    speakers: int
    valid: bool
    version: int
    example: bool = Field(description="Labelled example content (filed by equals init).")


class SessionOut(_Session):
    revisions: int = Field(description="Number of revisions.")


class SearchHitOut(SessionOut):
    rank: float
    title_html: str = Field(description="The title, HTML-escaped, matches in <mark>.")
    snippet: str
    snippet_html: str
    highlights: list[str]


class RoleOut(BaseModel):
    role: str
    position: int
    name: str | None
    person_id: int | None = Field(description="Stable identity id (/api/v1/sessions/people/…).")
    organization: str | None
    organization_id: str | None
    stakeholder_group: str | None
    title: str | None
    country: str | None
    region: str | None
    raw: str


class EvidenceOut(BaseModel):
    field: str
    sentence: str
    terms: list[str]


class AreaOut(BaseModel):
    area: str
    sentences: int
    evidence: list[EvidenceOut]


class StatedOut(BaseModel):
    """Only as the report states them; null means not stated (never inferred from names)."""

    participants: int | None
    women: int | None
    women_speakers: int | None = None
    women_moderators: int | None = None
    gender_reflection: bool | None = None


class GenderOut(BaseModel):
    participants: int | None
    women: int | None
    women_share: float | None
    basis: str


class DiversityOut(BaseModel):
    sessions: int
    speakers: int
    stakeholder_groups: dict[str, int]
    distinct_groups: int
    organizations: dict[str, int]
    group_balance: float
    gender: GenderOut


class RevisionOut(BaseModel):
    id: int
    number: int
    actor: str
    author_id: int | None
    created_at: str
    valid: bool
    source_name: str
    source_format: str
    source_sha256: str


class SessionDetailOut(_Session):
    roles: list[RoleOut]
    action_areas: list[AreaOut]
    stated: StatedOut
    diversity: DiversityOut
    revisions: list[RevisionOut]
    validation: ValidationOut
