"""Reads for the annual evaluation (§ 8): lists, the previous round, and the detail page."""

import copy
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone, translation

from buendnis.accounts.models import Organisation
from buendnis.agreements.models import Agreement, AgreementPartner, Goal, Indicator
from buendnis.evaluation.models import (
    Adjustment,
    Approval,
    Evaluation,
    EvaluationEvent,
    GoalReflection,
    ManualValue,
)
from buendnis.evaluation.periods import Period, PeriodInvalid, calendar_year, parse

if TYPE_CHECKING:
    from buendnis.evaluation.engine import IndicatorValue
    from buendnis.evaluation.live_cache import DataVersion

OPEN_ADJUSTMENT = (Adjustment.Status.OPEN, Adjustment.Status.IN_PROGRESS)


def evaluations_of(agreement: Agreement) -> QuerySet[Evaluation]:
    """The agreement's evaluations, newest period first."""
    return Evaluation.objects.filter(agreement=agreement).order_by("-starts_on", "-ends_on")


def evaluation_of_period(*, agreement: Agreement, period: Period) -> Evaluation | None:
    """The agreement's evaluation of exactly this period, if one was opened."""
    return (
        Evaluation.objects.select_related("agreement")
        .filter(agreement=agreement, starts_on=period.start, ends_on=period.end)
        .first()
    )


def evaluation_for(*, agreement: Agreement, period_key: str) -> Evaluation | None:
    """The evaluation behind a URL's period key, or None when there is none (or no such key)."""
    try:
        period = parse(period_key, agreement)
    except PeriodInvalid:
        return None
    return evaluation_of_period(agreement=agreement, period=period)


def evaluation_before(*, agreement_id: int, day: datetime.date) -> Evaluation | None:
    """The agreement's latest evaluation whose period ended before ``day``."""
    return (
        Evaluation.objects.filter(agreement_id=agreement_id, ends_on__lt=day)
        .order_by("-ends_on", "-starts_on")
        .first()
    )


def previous_evaluation(evaluation: Evaluation) -> Evaluation | None:
    """The latest evaluation of the same agreement whose period ends before this one starts."""
    return evaluation_before(agreement_id=evaluation.agreement_id, day=evaluation.starts_on)


def adjustments_from_last_time(
    evaluation: Evaluation, *, previous: Evaluation | None
) -> list[Adjustment]:
    """The previous evaluation's adjustments, and older ones that are still not closed.

    ``previous`` is ``previous_evaluation(evaluation)``, which the caller shows too.
    """
    if previous is None:
        return []
    earlier = Q(evaluation=previous) | Q(
        evaluation__agreement_id=evaluation.agreement_id,
        evaluation__ends_on__lt=previous.starts_on,
        status__in=OPEN_ADJUSTMENT,
    )
    return list(
        Adjustment.objects.filter(earlier)
        .select_related("evaluation", "goal", "responsible")
        .order_by("-evaluation__starts_on", "due_on", "pk")
    )


def editable(evaluation: Evaluation) -> bool:
    """Reflection, comments, meeting and new adjustments: in draft and review, not once agreed."""
    return evaluation.status != Evaluation.Status.AGREED


def indicator_rows(evaluation: Evaluation, today: datetime.date | None = None) -> list[dict]:
    """The frozen figures once in review, the live ones while a draft (as the report has them)."""
    from buendnis.evaluation.live_cache import live_indicator_rows

    if evaluation.snapshot:
        return list(evaluation.snapshot.get("indicators", []))
    today = today or timezone.localdate()
    return live_indicator_rows(evaluation.agreement, evaluation.period, today)


def protected_indicator_rows(
    evaluation: Evaluation, rows: list[dict], today: datetime.date
) -> list[dict]:
    """The indicator values as the ministry's copy of the report shows them."""
    from buendnis.evaluation.report.data import period_dict
    from buendnis.evaluation.report.protect import protected_indicators

    frozen_copy = (evaluation.snapshot or {}).get("ministry_copy")
    if frozen_copy:
        return list(frozen_copy["indicators"])
    period = evaluation.period
    return protected_indicators(
        rows,
        agreement=evaluation.agreement,
        periods=[period_dict(period), period_dict(period.previous())],
        today=today,
    )


def indicator_values(
    evaluation: Evaluation, today: datetime.date | None = None
) -> list["IndicatorValue"]:
    """The evaluation's indicator values: frozen once in review, live while a draft."""
    from buendnis.evaluation.engine import IndicatorValue

    return [IndicatorValue.from_dict(row) for row in indicator_rows(evaluation, today)]


def display(value: Decimal | str | None) -> str:
    """A figure as the page prints it: localised like the report, "–" when missing."""
    from buendnis.evaluation.report.formatting import format_value

    return format_value(value)


@dataclass(frozen=True)
class Row:
    """One indicator as the page shows it (values possibly suppressed, formatted)."""

    value: "IndicatorValue"
    target: str
    actual: str
    previous: str
    status_label: str

    @classmethod
    def of(cls, row: dict[str, Any], shown: dict[str, Any]) -> "Row":
        """Format an indicator for the page: ``shown`` is the exact row or its protected copy."""
        from buendnis.evaluation.engine import STATUS_LABELS, IndicatorValue

        value = IndicatorValue.from_dict(row)
        return cls(
            value=value,
            target=display(value.target),
            actual=display(shown["actual"]),
            previous=display(shown["previous"]),
            status_label=str(STATUS_LABELS.get(value.status, value.status)),
        )


def indicator_rows_this_year(
    *,
    agreement: Agreement,
    exact: bool,
    today: datetime.date | None = None,
    data_version: "DataVersion | None" = None,
) -> dict[str, Row]:
    """Each indicator's target and value for the calendar year so far, by code (live).

    Without ``exact`` the values are those of the protected publication (as the ministry's
    copy of the report shows them). The engine's values are kept until the data change
    (``evaluation.live_cache``); ``data_version`` is passed by a page that has read it.
    """
    from buendnis.core.versioned import remembered
    from buendnis.evaluation.engine import indicator_values as engine_values
    from buendnis.evaluation.live_cache import indicator_data_version
    from buendnis.evaluation.report.data import period_dict
    from buendnis.evaluation.report.protect import protected_indicators

    today = today or timezone.localdate()
    period = calendar_year(today.year)
    version = (
        translation.get_language(),
        data_version or indicator_data_version(agreement=agreement, today=today),
    )
    rows = copy.deepcopy(  # the remembered list is shared: never hand it out to be changed
        remembered(
            "indicator-rows-this-year",
            version,
            lambda: [
                value.as_dict()
                for value in engine_values(
                    agreement=agreement, period=period, today=today, with_previous=False
                )
            ],
        )
    )
    shown = (
        rows
        if exact
        else protected_indicators(
            rows,
            agreement=agreement,
            periods=[period_dict(period), period_dict(period.previous())],
            today=today,
        )
    )
    return {row["code"]: Row.of(row, seen) for row, seen in zip(rows, shown, strict=True)}


@dataclass
class GoalSection:
    """One goal on the page: its indicators, the reflection and comment, its adjustments."""

    goal: Goal
    indicators: list[Row]
    reflection: GoalReflection | None
    adjustments: list[Adjustment]


@dataclass(frozen=True)
class PartnerApproval:
    """A party to the agreement and its confirmation, if given."""

    organisation: Organisation
    role_label: str
    approval: Approval | None


@dataclass(frozen=True)
class ManualRow:
    """A manually measured indicator and its value for the period, if entered."""

    indicator: Indicator
    value: ManualValue | None


@dataclass
class EvaluationDetail:
    """Everything the evaluation page shows, loaded in a fixed number of queries."""

    evaluation: Evaluation
    rows: list[Row]
    goals: list[GoalSection]
    duties: list[Row]
    approvals: list[PartnerApproval]
    events: list[EvaluationEvent]
    previous: Evaluation | None
    last_time: list[Adjustment]
    manual: list[ManualRow]
    exact: bool
    unassigned: list[Adjustment] = field(default_factory=list)

    @property
    def frozen(self) -> bool:
        """Whether the figures come from the snapshot."""
        return self.evaluation.snapshot is not None

    @property
    def pending(self) -> list[Organisation]:
        """Parties that have not confirmed yet."""
        return [p.organisation for p in self.approvals if p.approval is None]


def _manual_rows(evaluation: Evaluation) -> list[ManualRow]:
    indicators = list(
        Indicator.objects.filter(
            agreement_id=evaluation.agreement_id, source=Indicator.Source.MANUAL
        ).order_by("code")
    )
    values = {
        v.indicator_id: v
        for v in ManualValue.objects.filter(
            indicator__in=indicators, starts_on=evaluation.starts_on, ends_on=evaluation.ends_on
        )
    }
    return [ManualRow(indicator, values.get(indicator.pk)) for indicator in indicators]


def with_partners(agreement: Agreement) -> Agreement:
    """Read the agreement's partners with their organisations once, onto the agreement.

    The rules (``agreement.partners.all()``) and the approvals then ask no query of their own;
    Django skips the read when the partners are on the agreement already.
    """
    prefetch_related_objects(
        [agreement], Prefetch("partners", AgreementPartner.objects.select_related("organisation"))
    )
    return agreement


def _approvals(evaluation: Evaluation) -> list[PartnerApproval]:
    given = {a.organisation_id: a for a in evaluation.approvals.select_related("by")}
    return [
        PartnerApproval(p.organisation, p.get_role_display(), given.get(p.organisation_id))
        for p in with_partners(evaluation.agreement).partners.all()
    ]


def evaluation_detail(
    *, evaluation: Evaluation, exact: bool, today: datetime.date | None = None
) -> EvaluationDetail:
    """Assemble the page: figures per goal with reflection, comments, adjustments and history."""
    today = today or timezone.localdate()
    exact_rows = indicator_rows(evaluation, today)
    shown_rows = exact_rows if exact else protected_indicator_rows(evaluation, exact_rows, today)
    rows = [Row.of(row, shown) for row, shown in zip(exact_rows, shown_rows, strict=True)]
    reflections = {r.goal_id: r for r in evaluation.reflections.all()}
    adjustments = list(evaluation.adjustments.select_related("responsible", "goal"))
    goals = []
    for goal in Goal.objects.filter(agreement_id=evaluation.agreement_id).order_by("code"):
        goals.append(
            GoalSection(
                goal=goal,
                indicators=[row for row in rows if row.value.goal_code == goal.code],
                reflection=reflections.get(goal.pk),
                adjustments=[a for a in adjustments if a.goal_id == goal.pk],
            )
        )
    previous = previous_evaluation(evaluation)
    return EvaluationDetail(
        evaluation=evaluation,
        rows=rows,
        goals=goals,
        duties=[row for row in rows if not row.value.goal_code],
        approvals=_approvals(evaluation),
        events=list(evaluation.events.select_related("by", "organisation")),
        previous=previous,
        last_time=adjustments_from_last_time(evaluation, previous=previous),
        manual=_manual_rows(evaluation),
        exact=exact,
        unassigned=[a for a in adjustments if a.goal_id is None],
    )
