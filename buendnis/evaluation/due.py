"""§ 8: when the next evaluation is due, and which agreed adjustments are past their date.

The partners evaluate at least once a year, in the agreement's own yearly cycle: an
evaluation is due on an anniversary of the in-force date (4 June for the iaf agreement). The
next one is due on the first anniversary more than half a year after the last agreed
evaluation – agreed on 1 December 2026, due on 4 June 2027; agreed on 3 June 2026, due on
4 June 2027, not the next day. Before any evaluation is agreed in Bündnis, the count starts
when the agreement came into force or, if later, when it was entered in Bündnis: evaluations
held before the installation are not on record, so an agreement from 2019 entered in 2026 is
not overdue since 2020. Without an in-force date, the next is due a year after the last
agreed one. See docs/evaluation.md.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.policy import AnyUser, is_admin, visible_agreement_ids, visible_agreements
from buendnis.agreements.models import Agreement
from buendnis.agreements.selectors import add_years
from buendnis.evaluation.models import Adjustment, Evaluation

OPEN_STATUSES = (Evaluation.Status.DRAFT, Evaluation.Status.REVIEW)
OPEN_ADJUSTMENT_STATUSES = (Adjustment.Status.OPEN, Adjustment.Status.IN_PROGRESS)
# What the dashboard and the reminder e-mail show of an overdue adjustment (not the
# evaluation's snapshot, a whole report's data).
OVERDUE_ADJUSTMENT_FIELDS = (
    "what", "responsible_person", "due_on", "status", "responsible__name",
    "responsible__short_name", "evaluation__agreement__slug", "evaluation__agreement__title",
)  # fmt: skip


MIN_GAP = datetime.timedelta(days=183)  # half a year between two evaluations at least


def _due_on(
    in_force_on: datetime.date | None,
    last_agreed_on: datetime.date | None,
    recorded_on: datetime.date | None = None,
) -> datetime.date | None:
    """The first anniversary of the in-force date more than half a year after the last
    agreed evaluation, or after the start (in force, or entered in Bündnis if later)."""
    if in_force_on is None:
        return add_years(last_agreed_on, 1) if last_agreed_on is not None else None
    if last_agreed_on is not None:
        after = last_agreed_on + MIN_GAP
    else:
        after = max(in_force_on, recorded_on or in_force_on) + MIN_GAP
    years = max(after.year - in_force_on.year, 1)
    due = add_years(in_force_on, years)
    while due <= after:
        years += 1
        due = add_years(in_force_on, years)
    return due


def next_evaluation_due(*, agreement: Agreement) -> datetime.date | None:
    """The day the agreement's next evaluation is due; None without any date to count from."""
    last = agreement.evaluations.filter(status=Evaluation.Status.AGREED).aggregate(
        last=Max("agreed_on")
    )["last"]
    return _due_on(agreement.in_force_on, last, timezone.localdate(agreement.created_at))


def _last_agreed_on() -> Subquery:
    """The day an agreement's latest evaluation was agreed."""
    return Subquery(
        Evaluation.objects.filter(agreement_id=OuterRef("pk"), status=Evaluation.Status.AGREED)
        .order_by()
        .values("agreement_id")
        .annotate(last=Max("agreed_on"))
        .values("last")
    )


def with_last_agreed(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Annotate ``last_agreed_on``: the day the latest evaluation was agreed (or None).

    A subquery, not a join: the agreements' other annotations need no GROUP BY then.
    """
    return agreements.annotate(last_agreed_on=_last_agreed_on())


@dataclass(frozen=True)
class DueEvaluation:
    """One agreement's next evaluation: when it is due and what is under way."""

    agreement: Agreement
    due_on: datetime.date
    days_left: int  # negative once overdue
    open_evaluation: Evaluation | None
    url: str

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)


def _open_evaluations(agreement_ids: list[int]) -> dict[int, Evaluation]:
    """The latest draft or in-review evaluation per agreement, as far as a due date shows it."""
    found: dict[int, Evaluation] = {}
    evaluations = (
        Evaluation.objects.filter(agreement_id__in=agreement_ids, status__in=OPEN_STATUSES)
        .only("agreement_id", "period_kind", "starts_on", "ends_on", "status")  # no snapshot
        .order_by("agreement_id", "-starts_on")
    )
    for evaluation in evaluations:
        found.setdefault(evaluation.agreement_id, evaluation)
    return found


def due_list(*, agreements: QuerySet[Agreement], today: datetime.date) -> list[DueEvaluation]:
    """Due dates of these agreements, soonest (most overdue) first, in two queries."""
    return due_of(agreements=list(with_last_agreed(agreements).order_by("pk")), today=today)


def due_of(*, agreements: list[Agreement], today: datetime.date) -> list[DueEvaluation]:
    """Due dates of agreements read ``with_last_agreed``, in one query (the open evaluations)."""
    open_by_agreement = _open_evaluations([a.pk for a in agreements])
    result = []
    for agreement in agreements:
        due_on = _due_on(
            agreement.in_force_on,
            agreement.last_agreed_on,
            timezone.localdate(agreement.created_at),
        )
        if due_on is None:
            continue
        evaluation = open_by_agreement.get(agreement.pk)
        if evaluation is not None:
            evaluation.agreement = agreement
            url = reverse("evaluation:detail", args=[agreement.slug, evaluation.period.key])
        else:
            url = reverse("evaluation:list", args=[agreement.slug])
        result.append(DueEvaluation(agreement, due_on, (due_on - today).days, evaluation, url))
    return sorted(result, key=lambda d: (d.due_on, d.agreement.title))


def due_evaluations(*, user: AnyUser, today: datetime.date) -> list[DueEvaluation]:
    """For the dashboard: the next evaluation of every agreement the user sees."""
    return due_list(agreements=visible_agreements(user), today=today)


def overdue_adjustments(
    *, today: datetime.date, user: AnyUser | None = None
) -> QuerySet[Adjustment]:
    """Open or in-progress adjustments past their date (of the user's agreements, if given)."""
    adjustments = Adjustment.objects.filter(status__in=OPEN_ADJUSTMENT_STATUSES, due_on__lt=today)
    if user is not None and not is_admin(user):
        adjustments = adjustments.filter(evaluation__agreement_id__in=visible_agreement_ids(user))
    return (
        adjustments.select_related("evaluation__agreement", "responsible")
        .only(*OVERDUE_ADJUSTMENT_FIELDS)
        .order_by("due_on", "pk")
    )
