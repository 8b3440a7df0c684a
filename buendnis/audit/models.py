"""The audit log: append-only entries, each chained to the one before by its hash."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One recorded change: who, when, which action on which object, which fields.

    Rows are never updated or deleted (database triggers refuse it, see
    ``migrations/0002_append_only_triggers.py``). ``hash`` is SHA-256 over the canonical
    content (``chain.canonical``) including ``previous_hash``, so changing, removing or
    inserting a row breaks the chain that ``buendnis audit-verify`` walks.

    The references to the actor, organisation and agreement carry no database constraint
    and are never cascaded: history outlives what it is about.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("angelegt")
        UPDATE = "update", _("geändert")
        DELETE = "delete", _("gelöscht")
        LOGIN = "login", _("angemeldet")
        LOGOUT = "logout", _("abgemeldet")
        SECOND_FACTOR_RESET = "2fa_reset", _("zweiten Faktor zurückgesetzt")
        IMPORT = "import", _("importiert")
        SEED = "seed", _("Demo angelegt")

    sequence = models.PositiveBigIntegerField(_("Nr."), unique=True)
    at = models.DateTimeField(_("Zeitpunkt"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Person"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisation"),
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Vereinbarung"),
    )
    action = models.CharField(_("Aktion"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("Art"), max_length=60)
    object_id = models.CharField(_("Objekt-Nr."), max_length=40, blank=True)
    object_label = models.CharField(_("Objekt"), max_length=200, blank=True)
    changes = models.JSONField(_("Änderungen"), default=dict, blank=True)
    request_id = models.CharField(_("Anfrage"), max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokolleinträge")
        indexes = [
            models.Index(fields=["organisation", "-sequence"], name="audit_org_seq"),
            models.Index(fields=["agreement", "-sequence"], name="audit_agreement_seq"),
            models.Index(fields=["actor", "-sequence"], name="audit_actor_seq"),
            models.Index(fields=["at"], name="audit_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type} {self.object_id}"


class ChainHead(models.Model):
    """The chain's last sequence number and hash, one row, locked while an entry is added.

    Locking this row serialises writers on PostgreSQL (SQLite serialises writers anyway), so
    two transactions never both extend the same entry. It also lets ``audit-verify`` notice
    entries removed from, or added to, the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_one_head")]

    def __str__(self) -> str:
        return f"head #{self.sequence}"
