"""The API's request and response shapes (pydantic, through django-ninja)."""

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel, field_validator

Figure = int | float | str | None  # a number, or a protection mark ("< 5", "•", "–")


# The activity pages are built as plain dicts (``api.selectors.activities_out``): plain
# pydantic models validate them without ninja's attribute resolver, which cost more than the
# SQL of a page (bench/api.py).
class Page(BaseModel):
    next: str | None = Field(None, description="Cursor of the next page; absent on the last")


class AgreementOut(Schema):
    slug: str
    title: str
    subtitle: str
    topic: str
    status: str
    in_force_on: datetime.date | None
    partners: list[str]


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    level: int
    source: str
    yearly_target: Figure


class GoalOut(Schema):
    code: str
    title: str
    description: str
    indicators: list[IndicatorOut]


class IndicatorValueOut(Schema):
    code: str
    name: str
    unit: str
    goal_code: str | None
    target: Figure
    actual: Figure
    previous: Figure
    status: str
    note: str


class IndicatorValuesOut(Schema):
    agreement: str
    period: str
    start: datetime.date
    end: datetime.date
    exact: bool
    indicators: list[IndicatorValueOut]


class ReachOut(BaseModel):
    category: str = Field(description="dimension.key, e.g. group.fathers")
    count: int


class ActivityOut(BaseModel):
    id: int
    agreement: str
    organisation: int
    format: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    online: bool
    kreis: str | None
    place_name: str
    status: str
    participants: int
    first_timers: int
    external_ref: str
    version: int
    goals: list[str]
    reach: list[ReachOut]


class ActivityPage(Page):
    results: list[ActivityOut]


def has_nul(value: Any) -> bool:
    """NUL characters, which PostgreSQL cannot store in text (in strings, lists, dict keys)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


class Input(Schema):
    """A request body: no field may hold a NUL character (400 naming the field)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if has_nul(value):
            raise ValueError("NUL characters are not allowed")
        return value


class ActivityIn(Input):
    agreement: str = Field(description="Slug of the agreement", min_length=1, max_length=80)
    external_ref: str = Field(
        description="Externe Referenz: the partner system's own id; a repeated POST with the "
        "same reference returns the existing activity",
        min_length=1,
        max_length=80,
    )
    format: str = Field(description="Key of the agreement's format", min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=200)
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    online: bool = False
    kreis: str | None = Field(None, description="AGS of the Kreis (5 digits)", max_length=5)
    place_name: str = Field("", max_length=120)
    description: str = Field("", max_length=10000)
    participants: int = Field(0, ge=0, le=100000)
    first_timers: int = Field(0, ge=0, le=100000)
    goals: list[str] = Field(default_factory=list, description="Goal codes", max_length=50)
    reach: dict[str, int] = Field(
        default_factory=dict, description="Counts by category (dimension.key)"
    )
    document: bool = Field(False, description="Mark the activity as documented (§ 7)")


class ActivityUpdate(ActivityIn):
    external_ref: str | None = Field(
        None,
        description="A new Externe Referenz; absent keeps the current one",
        min_length=1,
        max_length=80,
    )
    version: int = Field(ge=1, description="The version read; a stale one answers 409")


class CounsellingTableOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[str]
    values: list[list[Figure]] = Field(description="rows × (columns + total), sum row last")


class CounsellingOut(Schema):
    agreement: str
    year: int
    period: str
    exact: bool
    tables: list[CounsellingTableOut]


class FeedbackQuestionOut(Schema):
    key: str
    label: str
    kind: str
    answered: Figure
    shown: bool
    bars: list[dict[str, Figure]]
    mean: Figure
    share_agree: Figure


class FeedbackSectionOut(Schema):
    questionnaire: str
    responses: Figure
    shown: bool
    questions: list[FeedbackQuestionOut]


class FeedbackOut(Schema):
    agreement: str
    year: int
    exact: bool
    sections: list[FeedbackSectionOut]


class AdjustmentOut(Schema):
    id: int
    goal: str | None
    what: str
    due_on: datetime.date
    status: str
    outcome: str


class EvaluationOut(Schema):
    id: int
    period_kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    agreed_on: datetime.date | None
    adjustments: list[AdjustmentOut]


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str
    invalid_params: list[dict[str, str]] | None = None


class PortfolioTableOut(Schema):
    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[str]
    row_keys: list[str]
    values: list[list[Figure]] = Field(description="rows × columns, as the portfolio page")
    note: str


class PortfolioOut(Schema):
    years: list[int]
    agreements: list[str]
    exact: bool = Field(description="true only when every figure is exact for the caller")
    threshold: int
    tables: list[PortfolioTableOut]
