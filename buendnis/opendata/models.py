"""Open data (§ 6): the ministry's decisions to publish an agreement's protected figures.

Every switch is kept (who, when, on or off), never updated: the newest decision that covers
a year says whether that year is published.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buendnis.agreements.models import Agreement


class Decision(models.Model):
    """One switch: publish (or withdraw) a year, or every agreed year, of an agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="opendata_decisions"
    )
    # None: every agreed year (from the year the agreement came into force).
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    published = models.BooleanField(_("veröffentlicht"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("entschieden am"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["agreement", "-decided_at"], name="opendata_newest")]
        verbose_name = _("Entscheidung über offene Daten")
        verbose_name_plural = _("Entscheidungen über offene Daten")

    def __str__(self) -> str:
        year = self.year or _("alle Jahre")
        state = _("an") if self.published else _("aus")
        return f"{self.agreement.slug} {year}: {state}"
