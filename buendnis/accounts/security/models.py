"""Recovery codes for the second factor and the list of a user's signed-in sessions.

The TOTP devices themselves are django-otp's ``TOTPDevice``; lockout counts are
django-axes' ``AccessAttempt``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecoveryCode(models.Model):
    """A one-time code for when the authenticator app is lost, kept only as a salted hash."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Wiederherstellungscode")
        verbose_name_plural = _("Wiederherstellungscodes")
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"


class UserSession(models.Model):
    """One signed-in browser: what the session list shows and "sign out everywhere" ends.

    Only a coarse device summary ("Firefox auf Android") is kept, no address and no full
    user-agent string.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=64, unique=True)
    device = models.CharField(_("Gerät"), max_length=100)
    created_at = models.DateTimeField(_("Angemeldet seit"))
    last_seen_at = models.DateTimeField(_("Zuletzt aktiv"))

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        indexes = [models.Index(fields=["user", "last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.device}"
