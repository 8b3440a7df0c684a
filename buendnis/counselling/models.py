"""§ 5: anonymous counselling contacts. How much counselling, on what — never who.

There is deliberately no field for a name, birth date, address, phone number, e-mail or
case number; the optional note is checked for such data before it is saved.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buendnis.accounts.models import Organisation
from buendnis.activities.models import NetworkPartner
from buendnis.agreements.models import Agreement
from buendnis.core.locking import Versioned

NOTE_MAX_LENGTH = 500


class Topic(models.Model):
    """A counselling topic from the agreement's own, configurable list."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="counselling_topics"
    )
    name = models.CharField(_("Thema"), max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("Aktiv"), default=True)

    class Meta:
        ordering = ["agreement", "position", "name"]
        verbose_name = _("Beratungsthema")
        verbose_name_plural = _("Beratungsthemen")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="topic_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(Versioned):
    """One counselling contact, entered by the counsellor who held it."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("Persönlich")
        PHONE = "phone", _("Telefon")
        VIDEO = "video", _("Video")
        EMAIL = "email", _("E-Mail")
        CHAT = "chat", _("Chat")

    class SoughtBy(models.TextChoices):
        FAMILY = "family", _("Familie oder Paar")
        INDIVIDUAL = "individual", _("Einzelperson")
        PROFESSIONAL = "professional", _("Fachkraft einer anderen Organisation")

    class Kind(models.TextChoices):
        PSYCHOSOCIAL = "psychosocial", _("Psychosozial")
        LEGAL = "legal", _("Rechtlich")
        BOTH = "both", _("Psychosozial und rechtlich")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="counselling_contacts"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="counselling_contacts"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="counselling_contacts",
        verbose_name=_("Beraterin oder Berater"),
    )
    date = models.DateField(_("Datum"))
    channel = models.CharField(_("Weg"), max_length=20, choices=Channel.choices)
    sought_by = models.CharField(_("Wer suchte Rat?"), max_length=20, choices=SoughtBy.choices)
    kind = models.CharField(_("Art der Beratung"), max_length=20, choices=Kind.choices)
    topics = models.ManyToManyField(Topic, related_name="contacts", verbose_name=_("Themen"))
    languages = models.JSONField(_("Sprachen"), default=list, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("Dauer in Minuten"))
    first_contact = models.BooleanField(_("Erstkontakt"), default=True)
    referral = models.ForeignKey(
        NetworkPartner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Weitervermittelt an"),
    )
    note = models.TextField(_("Notiz"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # tells the statistics' grid it is stale

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("Beratungskontakt")
        verbose_name_plural = _("Beratungskontakte")
        indexes = [
            models.Index(fields=["agreement", "date"], name="contact_agreement_date"),
            models.Index(fields=["organisation", "date"], name="contact_organisation_date"),
            models.Index(fields=["counsellor", "-created_at"], name="contact_counsellor_recent"),
            # The disclosure grid's version: the latest change of an agreement's contacts.
            models.Index(fields=["agreement", "updated_at"], name="contact_agreement_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                name="contact_duration_1_to_600",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"

    def editable_by_counsellor(self, today: datetime.date | None = None) -> bool:
        """A counsellor may correct their own record for a short while after entering it."""
        today = today or timezone.localdate()
        entered = timezone.localdate(self.created_at) if self.created_at else today
        return (today - entered).days <= settings.COUNSELLING_EDIT_DAYS
