"""§ 7: activities with their anonymous, disaggregated reach; formats, Kreise, network partners."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buendnis.accounts.models import Organisation
from buendnis.agreements.models import Agreement, Goal
from buendnis.core.locking import Versioned


class Kreis(models.Model):
    """A Hessian Landkreis or kreisfreie Stadt, by official key (AGS)."""

    class Kind(models.TextChoices):
        LANDKREIS = "landkreis", _("Landkreis")
        KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")

    ags = models.CharField(_("Amtlicher Gemeindeschlüssel"), max_length=5, primary_key=True)
    name = models.CharField(_("Name"), max_length=120)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    regierungsbezirk = models.CharField(_("Regierungsbezirk"), max_length=40)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kreis")
        verbose_name_plural = _("Kreise")

    def __str__(self) -> str:
        return self.name


class Format(Versioned):
    """§ 4: a kind of offer; new formats are tried out as pilots and then kept or dropped."""

    class Status(models.TextChoices):
        PILOT = "pilot", _("Erprobung")
        ESTABLISHED = "established", _("Etabliert")
        DROPPED = "dropped", _("Eingestellt")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="formats")
    key = models.SlugField(_("Kürzel"), max_length=40)
    name = models.CharField(_("Name"), max_length=120)
    description = models.TextField(_("Beschreibung"), blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PILOT
    )
    status_since = models.DateField(_("Status seit"))

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name = _("Format")
        verbose_name_plural = _("Formate")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="format_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name


class FormatStatusChange(models.Model):
    """The record that a format was tried, kept or dropped, and when."""

    format = models.ForeignKey(Format, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=Format.Status.choices)
    changed_on = models.DateField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["format", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.format}: {self.status} ({self.changed_on})"


class ReachCategory(models.Model):
    """A category people are counted in (never named); configurable per agreement.

    Within the ``group`` and ``migration`` dimensions the counts add up to the number of
    participants; the ``sector`` counts add up to the group category marked
    ``has_sectors`` (the multipliers).
    """

    class Dimension(models.TextChoices):
        GROUP = "group", _("Teilnehmende nach Gruppe")
        MIGRATION = "migration", _("nach Migrationsgeschichte")
        SECTOR = "sector", _("Multiplikator*innen nach Bereich")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="reach_categories"
    )
    dimension = models.CharField(_("Dimension"), max_length=20, choices=Dimension.choices)
    key = models.SlugField(_("Kürzel"), max_length=40)
    label = models.CharField(_("Bezeichnung"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    has_sectors = models.BooleanField(_("nach Bereichen aufgeschlüsselt"), default=False)

    class Meta:
        ordering = ["agreement", "dimension", "position"]
        verbose_name = _("Reichweiten-Kategorie")
        verbose_name_plural = _("Reichweiten-Kategorien")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "dimension", "key"], name="reach_category_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class NetworkPartner(models.Model):
    """§ 5 „Vernetzung“: an organisation a partner cooperates with, in its own register."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="network_partners"
    )
    name = models.CharField(_("Name"), max_length=200)
    sector = models.CharField(
        _("Bereich"),
        max_length=30,
        choices=Organisation.Sector.choices,
        default=Organisation.Sector.OTHER,
    )
    kreis = models.ForeignKey(
        Kreis, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("Netzwerkpartner")
        verbose_name_plural = _("Netzwerkpartner")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="network_partner_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Series(models.Model):
    """Recurring sessions of one offer, e.g. a weekly Väter-Café."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="series")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Titel"), max_length=200)

    class Meta:
        ordering = ["agreement", "title"]
        verbose_name = _("Reihe")
        verbose_name_plural = _("Reihen")

    def __str__(self) -> str:
        return self.title


class Activity(Versioned):
    """One held (or planned) offer, documented under the agreement's § 7 procedure."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Geplant")
        HELD = "held", _("Durchgeführt")
        DOCUMENTED = "documented", _("Dokumentiert")
        REVIEWED = "reviewed", _("Geprüft")
        CANCELLED = "cancelled", _("Abgesagt")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="activities")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="activities"
    )
    format = models.ForeignKey(Format, on_delete=models.PROTECT, related_name="activities")
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    title = models.CharField(_("Titel"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    online = models.BooleanField(_("Online"), default=False)
    kreis = models.ForeignKey(
        Kreis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("Kreis"),
    )
    place_name = models.CharField(_("Ort"), max_length=120, blank=True)
    languages = models.JSONField(_("Sprachen"), default=list, blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="activities")
    network_partners = models.ManyToManyField(NetworkPartner, blank=True, related_name="activities")
    staff_hours = models.DecimalField(
        _("Personalstunden"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    reflection = models.TextField(_("Reflexion"), blank=True)
    participants = models.PositiveIntegerField(_("Teilnehmende"), default=0)
    first_timers = models.PositiveIntegerField(_("davon zum ersten Mal"), default=0)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    documented_at = models.DateTimeField(_("Dokumentiert am"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("Geprüft am"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("Verantwortlich"),
    )
    external_ref = models.CharField(_("Externe Referenz"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("Aktivität")
        verbose_name_plural = _("Aktivitäten")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(first_timers__lte=F("participants")),
                name="activity_first_timers_within_participants",
            ),
            models.CheckConstraint(
                condition=Q(online=True) | Q(kreis__isnull=False) | Q(status="planned"),
                name="activity_has_a_place",
            ),
            models.UniqueConstraint(
                fields=["agreement", "organisation", "external_ref"],
                condition=~Q(external_ref=""),
                name="activity_unique_external_ref",
            ),
        ]
        indexes = [
            models.Index(fields=["agreement", "-starts_at", "-id"], name="activity_agr_start"),
            # The list, newest first, of what one organisation documented (in any of its
            # agreements): read in order, so the first page needs no sort.
            # (PostgreSQL also counts the list's filters from it alone, without the rows.)
            models.Index(
                fields=["organisation", "-starts_at", "-id", "agreement", "status"],
                name="activity_org_newest",
            ),
            # What is still to be documented (§ 7): counted and listed oldest first on the
            # dashboard without reading the documented majority.
            models.Index(
                fields=["organisation", "agreement", "ends_at"],
                condition=models.Q(status__in=["planned", "held"]),
                name="activity_open_org_end",
            ),
            models.Index(fields=["agreement", "status", "ends_at"], name="activity_agr_status"),
            models.Index(fields=["agreement", "kreis"], name="activity_agr_kreis"),
            models.Index(fields=["agreement", "format"], name="activity_agr_format"),
            models.Index(fields=["series", "-starts_at"], name="activity_series_start"),
            # The disclosure grid's version: the latest change of an agreement's activities.
            models.Index(fields=["agreement", "updated_at"], name="activity_agr_updated"),
            # The partial unique constraint's index is not used for ``external_ref IN (…)``.
            models.Index(
                fields=["agreement", "organisation", "external_ref"], name="activity_external_ref"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def documentation_lag_days(self) -> int | None:
        """Days from the activity's end to its documentation (§ 7 timeliness)."""
        if self.documented_at is None:
            return None
        return (timezone.localdate(self.documented_at) - timezone.localdate(self.ends_at)).days

    def deadline(self, deadline_days: int) -> datetime.date:
        return self.ends_at.date() + datetime.timedelta(days=deadline_days)


class ReachCount(models.Model):
    """How many people of one category took part in one activity: a count, never a name."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reach")
    category = models.ForeignKey(ReachCategory, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "category"], name="reach_unique"),
        ]
        indexes = [models.Index(fields=["category", "activity"], name="reach_category")]

    def __str__(self) -> str:
        return f"{self.category}: {self.count}"


class ActivityReminder(models.Model):
    """A § 7 reminder sent to one person about one overdue activity (for the interval)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["activity", "recipient", "sent_at"], name="activity_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.recipient_id} ({self.sent_at:%Y-%m-%d})"
