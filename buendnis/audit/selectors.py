"""Reading the audit log: whose entries a user sees, filtered, a page at a time."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.accounts.policy import Role, is_admin, organisation_ids
from buendnis.audit.models import AuditEntry
from buendnis.audit.registry import WORKFLOW_TYPES

PAGE_SIZE = 50


def audit_scope(user: Any) -> Q | None:
    """The entries the user may read: ``None`` for all (admins), an empty Q-set for none.

    A coordinator sees the entries of their organisation; a ministry officer those of the
    workflow of the ministry's agreements (evaluation, framework, procedure, approvals) —
    not the partners' documentation; an admin everything.
    """
    if is_admin(user):
        return None
    from buendnis.agreements.models import AgreementPartner

    scope = Q(pk__in=[])
    coordinated = organisation_ids(user, Role.KOORDINATION)
    if coordinated:
        scope |= Q(organisation_id__in=coordinated)
    ministries = organisation_ids(user, Role.MINISTERIUM)
    if ministries:
        agreements = AgreementPartner.objects.filter(organisation_id__in=ministries).values(
            "agreement_id"
        )
        scope |= Q(agreement_id__in=agreements, object_type__in=WORKFLOW_TYPES)
    return scope


@dataclass(frozen=True)
class AuditFilter:
    """What the list is narrowed to; every part optional."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    person: str = ""
    object_type: str = ""
    action: str = ""


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entries_visible_to(user: Any, criteria: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    """The user's readable entries, newest first, narrowed by the filter."""
    entries = AuditEntry.objects.select_related("actor", "organisation").order_by("-sequence")
    scope = audit_scope(user)
    if scope is not None:
        entries = entries.filter(scope)
    criteria = criteria or AuditFilter()
    if criteria.date_from:
        entries = entries.filter(at__gte=_start_of(criteria.date_from))
    if criteria.date_to:
        entries = entries.filter(at__lt=_start_of(criteria.date_to + datetime.timedelta(days=1)))
    if criteria.person:
        entries = entries.filter(actor__username__iexact=criteria.person)
    if criteria.object_type:
        entries = entries.filter(object_type=criteria.object_type)
    if criteria.action:
        entries = entries.filter(action=criteria.action)
    return entries


def entries_page(
    entries: QuerySet[AuditEntry], *, before: int | None
) -> tuple[list[AuditEntry], int | None]:
    """One page of entries older than sequence ``before`` and the key of the next page.

    Keyset pagination: the page's cost does not grow with how far back one reads.
    """
    if before is not None:
        entries = entries.filter(sequence__lt=before)
    rows = list(entries[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].sequence if more else None)


def entries_for_user(user: User) -> QuerySet[AuditEntry]:
    """The user's own audit entries as actor, oldest first (for their data export, GDPR Art. 15).

    Each entry says when the user did what to which object; changed values are included as
    recorded (counselling notes were recorded without content).
    """
    return AuditEntry.objects.filter(actor_id=user.pk).order_by("sequence")


def iterate(entries: QuerySet[AuditEntry]) -> Iterator[AuditEntry]:
    """All entries of the query in chunks (for the export)."""
    return entries.iterator(chunk_size=2000)


def entries_for_export(user: User) -> list[dict[str, Any]]:
    """The user's own entries for their account data download (GDPR Art. 15)."""
    return [
        {
            "sequence": entry.sequence,
            "at": entry.at.isoformat(),
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_label": entry.object_label,
            "changes": entry.changes,
        }
        for entry in iterate(entries_for_user(user))
    ]
