"""§ 8: an agreed evaluation locks its period until a coordinator reopens it.

A period is locked while its evaluation is agreed and has no open reopening. Reopening needs
a reason; both reopening and locking again are recorded as evaluation events (who, when,
why). ``check_unlocked`` is the one test every write of dated records asks: activities,
counselling contacts (their old and new date) and feedback answers (the activity's date).
The import loads the locked periods once with ``locked_evaluations`` and checks each row
with ``locking_in``.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buendnis.accounts.models import User
from buendnis.evaluation.models import Evaluation, EvaluationEvent, Reopening
from buendnis.evaluation.periods import CALENDAR


class LockError(Exception):
    """A lock rule was broken; the message says which, in German."""


class PeriodLocked(LockError):
    """The day's period is evaluated and locked; ``evaluation`` is the locking one."""

    def __init__(self, evaluation: Evaluation) -> None:
        super().__init__(locked_message(evaluation))
        self.evaluation = evaluation


# the name the activity pages and the API have always caught
ActivityLocked = PeriodLocked


def locked_message(evaluation: Evaluation) -> str:
    """Say which period is locked since when, and who can open it."""
    period = evaluation.period
    if period.kind == CALENDAR:
        what = _("Das Jahr %(year)s") % {"year": period.label}
    else:
        what = _("Der Zeitraum %(period)s") % {"period": period.label}
    if evaluation.agreed_on is None:
        return _(
            "%(what)s ist ausgewertet und gesperrt. Änderungen erst nach Öffnung durch die "
            "Koordination."
        ) % {"what": what}
    return _(
        "%(what)s ist ausgewertet und gesperrt (vereinbart am %(date)s). Änderungen erst nach "
        "Öffnung durch die Koordination."
    ) % {"what": what, "date": formats.date_format(evaluation.agreed_on)}


def activity_day(starts_at: datetime.datetime) -> datetime.date:
    """The local calendar day an activity belongs to."""
    return timezone.localdate(starts_at)


def _locked() -> QuerySet[Evaluation]:
    """Agreed evaluations without an open reopening."""
    open_reopening = Reopening.objects.filter(evaluation=OuterRef("pk"), closed_at__isnull=True)
    return Evaluation.objects.filter(status=Evaluation.Status.AGREED).exclude(
        Exists(open_reopening)
    )


def locking_evaluation(*, agreement_id: int, day: datetime.date) -> Evaluation | None:
    """The agreed, not reopened evaluation whose period contains ``day`` (one query)."""
    return (
        _locked()
        .filter(agreement_id=agreement_id, starts_on__lte=day, ends_on__gte=day)
        .order_by("-agreed_on", "-pk")
        .first()
    )


def check_unlocked(*, agreement_id: int, day: datetime.date) -> None:
    """Raise ``PeriodLocked`` when ``day`` lies in a locked period of the agreement."""
    evaluation = locking_evaluation(agreement_id=agreement_id, day=day)
    if evaluation is not None:
        raise ActivityLocked(evaluation)


def locked_evaluations(*, agreement_id: int) -> list[Evaluation]:
    """Every locked evaluation of an agreement, for checking many days at once."""
    return list(_locked().filter(agreement_id=agreement_id).order_by("starts_on"))


def locking_in(evaluations: Iterable[Evaluation], day: datetime.date) -> Evaluation | None:
    """The first of ``evaluations`` whose period contains ``day``."""
    return next((e for e in evaluations if e.starts_on <= day <= e.ends_on), None)


def open_reopening(evaluation: Evaluation) -> Reopening | None:
    """The reopening that currently keeps the evaluation's period open, if any."""
    return evaluation.reopenings.filter(closed_at__isnull=True).order_by("-opened_at").first()


@transaction.atomic
def evaluation_reopen(*, evaluation: Evaluation, by: User | None, reason: str) -> Reopening:
    """Open an agreed evaluation's period for changes; the reason is required and recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise LockError(_("Bitte begründen Sie, warum der Zeitraum geöffnet werden soll."))
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != Evaluation.Status.AGREED:
        raise LockError(_("Nur eine vereinbarte Auswertung kann geöffnet werden."))
    if open_reopening(evaluation) is not None:
        raise LockError(_("Der Zeitraum ist bereits zur Änderung geöffnet."))
    now = timezone.now()
    reopening = Reopening.objects.create(
        evaluation=evaluation, reason=reason, opened_by=by, opened_at=now
    )
    EvaluationEvent.objects.create(
        evaluation=evaluation,
        kind=EvaluationEvent.Kind.REOPENED,
        comment=reason,
        by=by,
        at=now,
    )
    return reopening


@transaction.atomic
def evaluation_relock(*, evaluation: Evaluation, by: User | None) -> Reopening:
    """Close the open reopening, so the period is locked again; recorded as an event."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    reopening = open_reopening(evaluation)
    if reopening is None:
        raise LockError(_("Der Zeitraum ist nicht geöffnet."))
    now = timezone.now()
    reopening.closed_by, reopening.closed_at = by, now
    reopening.save(update_fields=["closed_by", "closed_at"])
    EvaluationEvent.objects.create(
        evaluation=evaluation, kind=EvaluationEvent.Kind.RELOCKED, by=by, at=now
    )
    return reopening
