"""Organisations, users and their memberships (who works where, in which role)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A party to agreements: a partner organisation, a ministry or a network partner."""

    class Kind(models.TextChoices):
        PARTNER = "partner", _("Partnerorganisation")
        MINISTRY = "ministry", _("Ministerium")
        NETWORK = "network", _("Netzwerkpartner")

    class Sector(models.TextChoices):
        CIVIL_SOCIETY = "civil_society", _("Zivilgesellschaft")
        PUBLIC_ADMINISTRATION = "public_administration", _("Öffentliche Verwaltung")
        COUNSELLING = "counselling", _("Beratung")
        EDUCATION = "education", _("Bildung")
        COMPANY = "company", _("Unternehmen")
        OTHER = "other", _("Sonstiges")

    name = models.CharField(_("Name"), max_length=300, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=80, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    sector = models.CharField(
        _("Sektor"), max_length=30, choices=Sector.choices, default=Sector.OTHER
    )
    aliases = models.JSONField(
        _("Andere Schreibweisen"),
        default=list,
        blank=True,
        help_text=_("Namen, unter denen die Organisation in Vereinbarungstexten auch vorkommt."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person with an account; what they may do follows from their memberships."""

    class Meta:
        verbose_name = _("Benutzer*in")
        verbose_name_plural = _("Benutzer*innen")


class Membership(models.Model):
    """A user's role in one organisation."""

    class Role(models.TextChoices):
        FACHKRAFT = "fachkraft", _("Fachkraft")
        KOORDINATION = "koordination", _("Koordination")
        MINISTERIUM = "ministerium", _("Ministerium")
        ADMIN = "admin", _("Administration")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """A one-time link by e-mail that lets a new person set up their account in one role.

    Only a hash of the link's token is stored, so a copy of the database opens no account.
    """

    email = models.EmailField(_("E-Mail-Adresse"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("Gültig bis"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        indexes = [models.Index(fields=["organisation", "accepted_at"])]

    def __str__(self) -> str:
        return f"{self.email} – {self.organisation} ({self.get_role_display()})"


class Pseudonymisation(models.Model):
    """The record that a departed person's account was pseudonymised (irreversibly).

    Its id is the stable number of the pseudonym („ehemalige Fachkraft #7“), which replaces
    the person's name, user name and e-mail address wherever their records show a person.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="pseudonymisation")
    role = models.CharField(_("Rolle"), max_length=20, choices=Membership.Role.choices)
    pseudonymised_at = models.DateTimeField(_("Pseudonymisiert am"))
    pseudonymised_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Pseudonymisierung")
        verbose_name_plural = _("Pseudonymisierungen")

    def __str__(self) -> str:
        return f"#{self.pk}"
