"""Writes for the annual evaluation (§ 8): its workflow, reflection, comments and adjustments.

Every status change happens here and leaves an ``EvaluationEvent``: draft → review (figures
frozen) → agreed (every partner organisation confirmed); the ministry may return a review
to draft with a comment. Reopening an agreed period is ``locks.evaluation_reopen``.
"""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.policy import organisation_ids
from buendnis.agreements.models import Agreement, Goal
from buendnis.core.locking import claim_version
from buendnis.evaluation.models import (
    Adjustment,
    Approval,
    Evaluation,
    EvaluationEvent,
    GoalReflection,
)
from buendnis.evaluation.periods import Period

Status = Evaluation.Status
Kind = EvaluationEvent.Kind
TEXT_MAX_LENGTH = 5000


class EvaluationInvalid(ValueError):
    """The evaluation cannot change this way; the message says why (German)."""

    @property
    def message(self) -> str:
        """The German text to show."""
        return str(self.args[0]) if self.args else ""


def _event(
    evaluation: Evaluation,
    kind: str,
    by: User | None,
    comment: str = "",
    organisation: Organisation | None = None,
) -> EvaluationEvent:
    return EvaluationEvent.objects.create(
        evaluation=evaluation, kind=kind, by=by, comment=comment, organisation=organisation
    )


def _lock_row(evaluation: Evaluation) -> Evaluation:
    """Re-read the evaluation under a row lock, so two clicks cannot both change its status."""
    fresh = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    for name in ("status", "snapshot", "frozen_at", "agreed_on"):
        setattr(evaluation, name, getattr(fresh, name))
    return evaluation


def _text(value: str | None, label: str, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise EvaluationInvalid(_("Bitte „%(label)s“ ausfüllen.") % {"label": label})
    if len(text) > TEXT_MAX_LENGTH:
        raise EvaluationInvalid(
            _("„%(label)s“ ist zu lang (höchstens %(n)s Zeichen).")
            % {"label": label, "n": TEXT_MAX_LENGTH}
        )
    return text


def _require_editable(evaluation: Evaluation) -> None:
    if evaluation.status == Status.AGREED:
        raise EvaluationInvalid(
            _("Die Auswertung ist vereinbart und gesperrt; sie kann nicht mehr geändert werden.")
        )


def _require_goal_of(evaluation: Evaluation, goal: Goal | None) -> None:
    if goal is not None and goal.agreement_id != evaluation.agreement_id:
        raise EvaluationInvalid(_("Das Ziel gehört zu einer anderen Vereinbarung."))


def _or(expected_version: int | None, loaded: int) -> int:
    """The version an edit is based on: the form's, else the record as the caller holds it."""
    return loaded if expected_version is None else expected_version


def partner_organisation_ids(agreement: Agreement) -> set[int]:
    """The organisations party to the agreement (partners and the ministry alike)."""
    return set(agreement.partners.values_list("organisation_id", flat=True))


@transaction.atomic
def evaluation_create(*, agreement: Agreement, period: Period, by: User | None) -> Evaluation:
    """Start the evaluation of a period as a draft; a period is evaluated only once."""
    if period.start > timezone.localdate():
        raise EvaluationInvalid(_("Der Zeitraum hat noch nicht begonnen."))
    if Evaluation.objects.filter(
        agreement=agreement, starts_on=period.start, ends_on=period.end
    ).exists():
        raise EvaluationInvalid(
            _("Für den Zeitraum %(period)s gibt es schon eine Auswertung.")
            % {"period": period.label}
        )
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                agreement=agreement,
                period_kind=period.kind,
                starts_on=period.start,
                ends_on=period.end,
                created_by=by,
            )
    except IntegrityError as error:  # a concurrent request created it a moment ago
        raise EvaluationInvalid(
            _("Für den Zeitraum %(period)s gibt es schon eine Auswertung.")
            % {"period": period.label}
        ) from error
    _event(evaluation, Kind.CREATED, by)
    return evaluation


@transaction.atomic
def evaluation_freeze(*, evaluation: Evaluation, by: User | None) -> Evaluation:
    """Draft → review: freeze the period's figures so the report never changes afterwards."""
    from buendnis.evaluation.report.context import frozen_figures

    _lock_row(evaluation)
    if evaluation.status != Status.DRAFT:
        raise EvaluationInvalid(_("Nur ein Entwurf kann zur Prüfung eingefroren werden."))
    evaluation.snapshot = frozen_figures(agreement=evaluation.agreement, period=evaluation.period)
    evaluation.frozen_at = timezone.now()
    evaluation.status = Status.REVIEW
    evaluation.save(update_fields=["snapshot", "frozen_at", "status"])
    _event(evaluation, Kind.FROZEN, by)
    return evaluation


@transaction.atomic
def evaluation_return(*, evaluation: Evaluation, by: User | None, comment: str) -> Evaluation:
    """Review → draft: the ministry sends it back for revision; the figures are live again."""
    comment = _text(comment, _("Kommentar"), required=True)
    _lock_row(evaluation)
    if evaluation.status != Status.REVIEW:
        raise EvaluationInvalid(_("Nur eine Auswertung in Prüfung kann zurückgegeben werden."))
    evaluation.approvals.all().delete()
    evaluation.snapshot = None
    evaluation.frozen_at = None
    evaluation.status = Status.DRAFT
    evaluation.save(update_fields=["snapshot", "frozen_at", "status"])
    _event(evaluation, Kind.RETURNED, by, comment=comment)
    return evaluation


@transaction.atomic
def evaluation_approve(*, evaluation: Evaluation, organisation: Organisation, by: User) -> Approval:
    """One partner organisation confirms; when all have, the evaluation is agreed and locked."""
    _lock_row(evaluation)
    if evaluation.status != Status.REVIEW:
        raise EvaluationInvalid(_("Zustimmen kann man nur einer Auswertung in Prüfung."))
    partners = partner_organisation_ids(evaluation.agreement)
    if organisation.pk not in partners:
        raise EvaluationInvalid(
            _("%(organisation)s ist nicht Partner dieser Vereinbarung.")
            % {"organisation": organisation.display_name}
        )
    speakers = organisation_ids(by, Membership.Role.KOORDINATION, Membership.Role.MINISTERIUM)
    if organisation.pk not in speakers:
        raise EvaluationInvalid(
            _("Nur Koordination oder Ministerium von %(organisation)s kann für sie zustimmen.")
            % {"organisation": organisation.display_name}
        )
    if evaluation.approvals.filter(organisation=organisation).exists():
        raise EvaluationInvalid(
            _("%(organisation)s hat bereits zugestimmt.")
            % {"organisation": organisation.display_name}
        )
    approval = Approval.objects.create(evaluation=evaluation, organisation=organisation, by=by)
    _event(evaluation, Kind.APPROVED, by, organisation=organisation)
    approved = set(evaluation.approvals.values_list("organisation_id", flat=True))
    if partners <= approved:
        evaluation.status = Status.AGREED
        evaluation.agreed_on = timezone.localdate()
        evaluation.save(update_fields=["status", "agreed_on"])
        _event(evaluation, Kind.AGREED, by)
    return approval


def _reflection(evaluation: Evaluation, goal: Goal) -> GoalReflection:
    _require_editable(evaluation)
    _require_goal_of(evaluation, goal)
    reflection, _created = GoalReflection.objects.select_for_update().get_or_create(
        evaluation=evaluation, goal=goal
    )
    return reflection


@transaction.atomic
def reflection_save(
    *,
    evaluation: Evaluation,
    goal: Goal,
    worked: str,
    not_worked: str,
    reasons: str,
    by: User | None,
    expected_version: int | None = None,
) -> GoalReflection:
    """The partners' reflection on one goal: what worked, what did not, and why.

    ``expected_version`` is the reflection's version when the form was loaded (1 before the
    first save); a stale one raises ``EditConflict``. Without it (scripts, tests) the save
    applies to the stored reflection as it is.
    """
    texts = {
        "worked": _text(worked, _("Was hat funktioniert?")),
        "not_worked": _text(not_worked, _("Was hat nicht funktioniert?")),
        "reasons": _text(reasons, _("Warum?")),
    }
    reflection = _reflection(evaluation, goal)
    reflection = claim_version(
        GoalReflection, pk=reflection.pk, expected=_or(expected_version, reflection.version)
    )
    for name, value in texts.items():
        setattr(reflection, name, value)
    reflection.updated_by = by
    reflection.save(update_fields=[*texts, "version", "updated_by", "updated_at"])
    return reflection


@transaction.atomic
def ministry_comment_save(
    *,
    evaluation: Evaluation,
    goal: Goal,
    comment: str,
    by: User | None,
    expected_version: int | None = None,
) -> GoalReflection:
    """The ministry's comment on one goal (an empty comment removes it); stale: conflict."""
    comment = _text(comment, _("Kommentar des Ministeriums"))
    reflection = _reflection(evaluation, goal)
    reflection = claim_version(
        GoalReflection,
        pk=reflection.pk,
        expected=_or(expected_version, reflection.comment_version),
        field="comment_version",
    )
    reflection.ministry_comment = comment
    reflection.updated_by = by
    reflection.save(
        update_fields=["ministry_comment", "comment_version", "updated_by", "updated_at"]
    )
    return reflection


@transaction.atomic
def meeting_save(
    *,
    evaluation: Evaluation,
    meeting_on: datetime.date | None,
    participants: str,
    expected_version: int | None = None,
) -> Evaluation:
    """Date and participants of the evaluation meeting; a stale edit raises ``EditConflict``."""
    _require_editable(evaluation)
    participants = _text(participants, _("Teilnehmende des Gesprächs"))
    if meeting_on is not None and meeting_on < evaluation.starts_on:
        raise EvaluationInvalid(
            _("Das Gespräch kann nicht vor Beginn des ausgewerteten Zeitraums stattfinden.")
        )
    stored = claim_version(
        Evaluation,
        pk=evaluation.pk,
        expected=_or(expected_version, evaluation.meeting_version),
        field="meeting_version",
    )
    evaluation.meeting_version = stored.meeting_version
    evaluation.meeting_on = meeting_on
    evaluation.meeting_participants = participants
    evaluation.save(update_fields=["meeting_on", "meeting_participants", "meeting_version"])
    return evaluation


def _check_adjustment(
    evaluation: Evaluation, responsible: Organisation, due_on: datetime.date
) -> None:
    if responsible.pk not in partner_organisation_ids(evaluation.agreement):
        raise EvaluationInvalid(
            _("Verantwortlich kann nur ein Partner der Vereinbarung sein, nicht %(name)s.")
            % {"name": responsible.display_name}
        )
    if due_on < evaluation.starts_on:
        raise EvaluationInvalid(
            _("Das Datum „Bis wann“ darf nicht vor Beginn des Zeitraums (%(start)s) liegen.")
            % {"start": evaluation.starts_on.strftime("%d.%m.%Y")}
        )


@transaction.atomic
def adjustment_create(
    *,
    evaluation: Evaluation,
    goal: Goal | None,
    what: str,
    responsible: Organisation,
    responsible_person: str,
    due_on: datetime.date,
) -> Adjustment:
    """Agree a change: what, who is responsible, by when; it is tracked until it is closed."""
    _require_editable(evaluation)
    _require_goal_of(evaluation, goal)
    what = _text(what, _("Was ändert sich?"), required=True)
    _check_adjustment(evaluation, responsible, due_on)
    return Adjustment.objects.create(
        evaluation=evaluation,
        goal=goal,
        what=what,
        responsible=responsible,
        responsible_person=(responsible_person or "").strip()[:120],
        due_on=due_on,
    )


class _Keep:
    """Marks an adjustment field the caller leaves as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


@transaction.atomic
def adjustment_update(
    *,
    adjustment: Adjustment,
    status: str,
    outcome: str,
    by: User | None,
    expected_version: int | None = None,
    goal: Goal | _Keep | None = KEEP,
    what: str | _Keep = KEEP,
    responsible: Organisation | _Keep = KEEP,
    responsible_person: str | _Keep = KEEP,
    due_on: datetime.date | _Keep = KEEP,
) -> Adjustment:
    """Track an adjustment (status, outcome: any time); its content only while not agreed.

    A stale edit (``expected_version`` no longer the stored one) raises ``EditConflict``.
    """
    if status not in Adjustment.Status.values:
        raise EvaluationInvalid(_("Unbekannter Stand der Anpassung."))
    stored = claim_version(
        Adjustment, pk=adjustment.pk, expected=_or(expected_version, adjustment.version)
    )
    adjustment.version = stored.version
    evaluation = adjustment.evaluation
    content: dict[str, Any] = {
        "goal": goal,
        "what": what if isinstance(what, _Keep) else _text(what, _("Was ändert sich?"), True),
        "responsible": responsible,
        "responsible_person": (
            responsible_person
            if isinstance(responsible_person, _Keep)
            else responsible_person.strip()[:120]
        ),
        "due_on": due_on,
    }
    changes = {
        name: value
        for name, value in content.items()
        if not isinstance(value, _Keep) and value != getattr(adjustment, name)
    }
    if changes:
        _require_editable(evaluation)
        _require_goal_of(evaluation, changes.get("goal"))
        _check_adjustment(
            evaluation,
            changes.get("responsible", adjustment.responsible),
            changes.get("due_on", adjustment.due_on),
        )
    adjustment.status = status
    adjustment.outcome = _text(outcome, _("Ergebnis"))
    for name, value in changes.items():
        setattr(adjustment, name, value)
    adjustment.save(update_fields=["status", "outcome", "version", "updated_at", *changes])
    return adjustment
