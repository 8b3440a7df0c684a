"""§ 8: the annual evaluation — its workflow, the partners' reflection and agreed adjustments.

An evaluation covers one agreement and one period (first and last day, both included). Its
figures are computed live while it is a draft and frozen in ``snapshot`` when it goes to
review, so the report never changes afterwards. Once every partner organisation agreed, the
period's activities are locked until a coordinator reopens it with a recorded reason.
"""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buendnis.accounts.models import Organisation
from buendnis.agreements.models import Agreement, Goal, Indicator
from buendnis.core.locking import Versioned

if TYPE_CHECKING:
    from buendnis.evaluation.periods import Period


class Evaluation(models.Model):
    """One agreement's evaluation of one period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        REVIEW = "review", _("In Prüfung")
        AGREED = "agreed", _("Vereinbart")

    class PeriodKind(models.TextChoices):
        CALENDAR = "calendar", _("Kalenderjahr")
        AGREEMENT_YEAR = "agreement_year", _("Vereinbarungsjahr")
        RANGE = "range", _("Zeitraum")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="evaluations")
    period_kind = models.CharField(
        _("Art des Zeitraums"), max_length=20, choices=PeriodKind.choices
    )
    starts_on = models.DateField(_("Erster Tag"))
    ends_on = models.DateField(_("Letzter Tag"))
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    snapshot = models.JSONField(_("Eingefrorene Zahlen"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("Eingefroren am"), null=True, blank=True)
    agreed_on = models.DateField(_("Vereinbart am"), null=True, blank=True)
    meeting_on = models.DateField(_("Datum des Auswertungsgesprächs"), null=True, blank=True)
    meeting_participants = models.TextField(_("Teilnehmende des Gesprächs"), blank=True)
    # optimistic locking of the meeting record (core.locking); the workflow has row locks
    meeting_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "-starts_on"]
        verbose_name = _("Auswertung")
        verbose_name_plural = _("Auswertungen")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "starts_on", "ends_on"], name="evaluation_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="evaluation_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["agreement", "status", "ends_on"], name="evaluation_agr_status"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} – {self.period.label}"

    @property
    def period(self) -> "Period":
        from buendnis.evaluation.periods import Period

        return Period(kind=self.period_kind, start=self.starts_on, end=self.ends_on)


class EvaluationEvent(models.Model):
    """The workflow's history: who froze, returned, agreed, reopened — and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Angelegt")
        FROZEN = "frozen", _("Zur Prüfung eingefroren")
        RETURNED = "returned", _("Zur Überarbeitung zurückgegeben")
        APPROVED = "approved", _("Zugestimmt")
        AGREED = "agreed", _("Vereinbart und gesperrt")
        REOPENED = "reopened", _("Zur Änderung geöffnet")
        RELOCKED = "relocked", _("Wieder gesperrt")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    comment = models.TextField(_("Kommentar"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["evaluation", "at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.kind}"


class Approval(models.Model):
    """One partner organisation's agreement to an evaluation in review."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="approvals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["evaluation", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "organisation"], name="evaluation_approval_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.at:%Y-%m-%d}"


class GoalReflection(Versioned):
    """Per goal: what worked, what did not and why; and the ministry's comment.

    The partners' reflection and the ministry's comment are written by different people, so
    each has its own version: ``version`` for the reflection, ``comment_version`` for the
    comment (``core.locking``).
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reflections")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="+")
    worked = models.TextField(_("Was hat funktioniert?"), blank=True)
    not_worked = models.TextField(_("Was hat nicht funktioniert?"), blank=True)
    reasons = models.TextField(_("Warum?"), blank=True)
    ministry_comment = models.TextField(_("Kommentar des Ministeriums"), blank=True)
    comment_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "goal__code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal"], name="reflection_unique_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} – {self.goal.code}"


class Adjustment(Versioned):
    """An agreed change: what, who is responsible, by when — tracked until it is closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Offen")
        IN_PROGRESS = "in_progress", _("In Umsetzung")
        DONE = "done", _("Umgesetzt")
        DROPPED = "dropped", _("Verworfen")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="adjustments")
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    what = models.TextField(_("Was ändert sich?"))
    responsible = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Verantwortlich")
    )
    responsible_person = models.CharField(_("Zuständige Person"), max_length=120, blank=True)
    due_on = models.DateField(_("Bis wann"))
    status = models.CharField(
        _("Stand"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("Ergebnis"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["evaluation", "due_on", "id"]
        verbose_name = _("Anpassung")
        verbose_name_plural = _("Anpassungen")
        indexes = [models.Index(fields=["status", "due_on"], name="adjustment_status_due")]

    def __str__(self) -> str:
        return self.what


class ManualValue(models.Model):
    """The value of a manually measured indicator for one period, with where it comes from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_values")
    starts_on = models.DateField(_("Erster Tag"))
    ends_on = models.DateField(_("Letzter Tag"))
    value = models.DecimalField(_("Wert"), max_digits=12, decimal_places=2)
    source_note = models.TextField(_("Quelle"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "starts_on", "ends_on"], name="manual_value_unique_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value}"


class Reopening(models.Model):
    """An agreed period opened for changes by a coordinator, with the reason recorded."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.TextField(_("Begründung"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "opened_at"]

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.reason[:40]}"


class ReportJob(models.Model):
    """A report being prepared in the background; the file is kept here when it is done."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet")
        RUNNING = "running", _("Wird erstellt")
        DONE = "done", _("Fertig")
        FAILED = "failed", _("Fehlgeschlagen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="report_jobs"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    period_kind = models.CharField(max_length=20, choices=Evaluation.PeriodKind.choices)
    format = models.CharField(max_length=10)
    copy = models.CharField(max_length=10)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The queued task rendering it (django.tasks result id) and how often rendering started.
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename or self.format} ({self.status})"


class EvaluationReminder(models.Model):
    """A § 8 reminder sent to one person: an agreement's overdue evaluation or a late adjustment."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    adjustment = models.ForeignKey(
        Adjustment, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    sent_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement__isnull=True) ^ Q(adjustment__isnull=True),
                name="evaluation_reminder_one_subject",
            )
        ]

    def __str__(self) -> str:
        subject = self.agreement_id or self.adjustment_id
        return f"{subject} → {self.recipient_id} ({self.sent_at:%Y-%m-%d})"
