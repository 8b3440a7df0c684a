"""§ 8 reminders: overdue evaluations and adjustments past their date, one digest per person.

An overdue evaluation is reminded to the coordinators and ministry officers of every partner
organisation of the agreement; an adjustment past its date to the coordinators of the
organisation responsible for it. People without an e-mail address or with an inactive
account get nothing. Every reminder is recorded (``EvaluationReminder``); the same item goes
to the same person again only after ``REMINDER_INTERVAL_DAYS``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from buendnis.accounts.models import Membership, User
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.evaluation.due import DueEvaluation, due_list, overdue_adjustments
from buendnis.evaluation.models import Adjustment, EvaluationReminder

Role = Membership.Role


@dataclass
class Digest:
    """What one person is reminded of."""

    evaluations: dict[int, DueEvaluation] = field(default_factory=dict)  # by agreement id
    adjustments: dict[int, Adjustment] = field(default_factory=dict)  # by adjustment id


@dataclass(frozen=True)
class ReminderReport:
    """How many overdue evaluations and adjustments were found, and e-mails sent."""

    evaluations: int
    adjustments: int
    sent: int


def _recipients(organisation_ids: Iterable[int], roles: tuple[str, ...]) -> dict[int, set[User]]:
    """Active users with an e-mail address per organisation, holding one of the roles."""
    memberships = (
        Membership.objects.filter(
            organisation_id__in=set(organisation_ids), role__in=roles, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
    )
    found: dict[int, set[User]] = defaultdict(set)
    for membership in memberships:
        found[membership.organisation_id].add(membership.user)
    return found


def _recently_reminded(now: datetime.datetime) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(recipient, agreement) and (recipient, adjustment) pairs reminded within the interval."""
    cutoff = now - datetime.timedelta(days=settings.REMINDER_INTERVAL_DAYS)
    agreements, adjustments = set(), set()
    for recipient_id, agreement_id, adjustment_id in EvaluationReminder.objects.filter(
        sent_at__gt=cutoff
    ).values_list("recipient_id", "agreement_id", "adjustment_id"):
        if agreement_id is not None:
            agreements.add((recipient_id, agreement_id))
        else:
            adjustments.add((recipient_id, adjustment_id))
    return agreements, adjustments


def reminder_digests(
    *, today: datetime.date, now: datetime.datetime | None = None
) -> tuple[dict[User, Digest], list[DueEvaluation], list[Adjustment]]:
    """Each recipient's digest of items not reminded within the interval, and all overdue
    evaluations and adjustments found."""
    evaluations = [
        d for d in due_list(agreements=Agreement.objects.all(), today=today) if d.overdue
    ]
    adjustments = list(overdue_adjustments(today=today))
    partners: dict[int, list[int]] = defaultdict(list)
    for agreement_id, organisation_id in AgreementPartner.objects.filter(
        agreement_id__in=[d.agreement.pk for d in evaluations]
    ).values_list("agreement_id", "organisation_id"):
        partners[agreement_id].append(organisation_id)
    speakers = _recipients(
        (o for ids in partners.values() for o in ids), (Role.KOORDINATION, Role.MINISTERIUM)
    )
    coordinators = _recipients((a.responsible_id for a in adjustments), (Role.KOORDINATION,))

    recent_agreements, recent_adjustments = _recently_reminded(now or timezone.now())
    digests: dict[User, Digest] = defaultdict(Digest)
    for due in evaluations:
        for organisation_id in partners[due.agreement.pk]:
            for user in speakers.get(organisation_id, ()):
                if (user.pk, due.agreement.pk) not in recent_agreements:
                    digests[user].evaluations[due.agreement.pk] = due
    for adjustment in adjustments:
        for user in coordinators.get(adjustment.responsible_id, ()):
            if (user.pk, adjustment.pk) not in recent_adjustments:
                digests[user].adjustments[adjustment.pk] = adjustment
    return dict(digests), evaluations, adjustments


def _send(user: User, digest: Digest, today: datetime.date) -> None:
    context = {
        "user": user,
        "today": today,
        "evaluations": list(digest.evaluations.values()),
        "adjustments": list(digest.adjustments.values()),
    }
    body = render_to_string("evaluation/reminder_email.txt", context)
    parts = []
    if digest.evaluations:
        parts.append(_("%(n)s Auswertung(en) überfällig") % {"n": len(digest.evaluations)})
    if digest.adjustments:
        parts.append(_("%(n)s Anpassung(en) über der Frist") % {"n": len(digest.adjustments)})
    subject = _("Bündnis (§ 8): %(what)s") % {"what": ", ".join(parts)}
    EmailMessage(subject=subject, body=body, to=[user.email]).send()


def _record(user: User, digest: Digest, now: datetime.datetime) -> None:
    EvaluationReminder.objects.bulk_create(
        [
            *(
                EvaluationReminder(recipient=user, agreement_id=pk, sent_at=now)
                for pk in digest.evaluations
            ),
            *(
                EvaluationReminder(recipient=user, adjustment_id=pk, sent_at=now)
                for pk in digest.adjustments
            ),
        ]
    )


def evaluation_reminders_run(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> ReminderReport:
    """Send each recipient one German digest and record it; report what was found and sent."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with translation.override("de"):
        digests, evaluations, adjustments = reminder_digests(today=today, now=now)
        for user, digest in sorted(digests.items(), key=lambda item: item[0].pk):
            _send(user, digest, today)
            _record(user, digest, now)
    return ReminderReport(len(evaluations), len(adjustments), len(digests))


def evaluation_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the § 8 reminders; return how many e-mails were sent."""
    return evaluation_reminders_run(today=today).sent
