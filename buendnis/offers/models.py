"""Public offers: a planned activity invited to in the participants' languages.

An offer holds only what a participant needs to come: an invitation, place, accessibility
and how to register with the organisation. Nothing about participants is ever stored here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from buendnis.accounts.models import Organisation
from buendnis.activities.models import Activity

# The feedback languages (see buendnis/feedback/seed), each named in its own script.
OFFER_LANGUAGES = (
    ("de", "Deutsch", "ltr"),
    ("en", "English", "ltr"),
    ("tr", "Türkçe", "ltr"),
    ("ar", "العربية", "rtl"),
    ("fa", "فارسی", "rtl"),
    ("ru", "Русский", "ltr"),
    ("uk", "Українська", "ltr"),
)
TRANSLATION_LANGUAGES = tuple(code for code, _name, _dir in OFFER_LANGUAGES if code != "de")


class PublicContact(models.Model):
    """How people reach an organisation to register: its own office, never a person's data."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="public_contact"
    )
    email = models.EmailField(_("E-Mail der Organisation"), blank=True)
    phone = models.CharField(_("Telefon der Organisation"), max_length=40, blank=True)
    website = models.URLField(_("Website"), blank=True)

    class Meta:
        verbose_name = _("Öffentlicher Kontakt")
        verbose_name_plural = _("Öffentliche Kontakte")

    def __str__(self) -> str:
        return str(self.organisation)


class Offer(models.Model):
    """The public side of one planned activity."""

    class Registration(models.TextChoices):
        NONE = "none", _("Ohne Anmeldung")
        REQUIRED = "required", _("Anmeldung nötig")

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="offer")
    public = models.BooleanField(_("öffentlich"), default=True)
    invitation = models.TextField(_("Einladungstext"), max_length=1200)
    translations = models.JSONField(_("Übersetzungen"), default=dict, blank=True)
    address = models.CharField(_("Adresse"), max_length=200, blank=True)
    online_link = models.URLField(_("Link zur Online-Veranstaltung"), blank=True)
    accessibility = models.CharField(_("Barrierefreiheit"), max_length=400, blank=True)
    registration = models.CharField(
        _("Anmeldung"), max_length=20, choices=Registration.choices, default=Registration.NONE
    )
    registration_note = models.CharField(_("Hinweis zur Anmeldung"), max_length=300, blank=True)
    # Raised on every change of the offer; the calendar SEQUENCE adds the activity's version.
    revision = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity__starts_at", "id"]
        verbose_name = _("Öffentliches Angebot")
        verbose_name_plural = _("Öffentliche Angebote")
        indexes = [models.Index(fields=["public", "activity"], name="offer_public")]

    def __str__(self) -> str:
        return str(self.activity)

    @property
    def sequence(self) -> int:
        """RFC 5545 SEQUENCE: grows with every edit of the offer or of its activity."""
        return self.revision + self.activity.version - 1

    @property
    def cancelled(self) -> bool:
        return self.activity.status == Activity.Status.CANCELLED
