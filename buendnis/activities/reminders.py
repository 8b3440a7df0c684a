"""§ 7 timeliness reminders: each Fachkraft gets one digest of their overdue activities."""

import datetime
from collections import defaultdict

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from buendnis.accounts.models import User
from buendnis.activities.models import Activity
from buendnis.activities.selectors import overdue


def overdue_by_responsible(*, now: datetime.datetime) -> dict[User, list[Activity]]:
    """Overdue activities (held, undocumented, past the deadline) grouped by who ran them."""
    activities = (
        overdue(Activity.objects.filter(responsible__isnull=False), now=now)
        .exclude(responsible__email="")
        .select_related("responsible", "agreement", "format")
        .order_by("ends_at", "id")
    )
    grouped: dict[User, list[Activity]] = defaultdict(list)
    for activity in activities:
        grouped[activity.responsible].append(activity)
    return grouped


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send each responsible person one e-mail listing their overdue activities."""
    now = now or timezone.now()
    sent = 0
    with translation.override("de"):
        for user, activities in overdue_by_responsible(now=now).items():
            body = render_to_string(
                "activities/reminder_email.txt", {"user": user, "activities": activities}
            )
            subject = f"Bündnis: {len(activities)} Aktivität(en) noch nicht dokumentiert"
            EmailMessage(subject=subject, body=body, to=[user.email]).send()
            sent += 1
    return sent
