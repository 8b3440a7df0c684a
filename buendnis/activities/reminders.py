"""§ 7 timeliness reminders: each Fachkraft gets one digest of their overdue activities.

Every reminder is recorded (``ActivityReminder``); an activity is reminded to the same person
again only after ``REMINDER_INTERVAL_DAYS``, so a daily run does not repeat yesterday's mail.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, Max, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, ActivityReminder
from buendnis.activities.selectors import overdue


def reminder_cutoff(now: datetime.datetime) -> datetime.datetime:
    """Reminders sent after this moment are recent: their items wait for the next interval."""
    return now - datetime.timedelta(days=settings.REMINDER_INTERVAL_DAYS)


def overdue_by_responsible(*, now: datetime.datetime) -> dict[User, list[Activity]]:
    """Overdue activities not reminded within the interval, grouped by who ran them."""
    recently = ActivityReminder.objects.filter(
        activity=OuterRef("pk"), recipient=OuterRef("responsible"), sent_at__gt=reminder_cutoff(now)
    )
    activities = (
        overdue(Activity.objects.filter(responsible__isnull=False), now=now)
        .exclude(responsible__email="")
        .exclude(Exists(recently))
        .select_related("responsible", "agreement", "format")
        .order_by("ends_at", "id")
    )
    grouped: dict[User, list[Activity]] = defaultdict(list)
    for activity in activities:
        grouped[activity.responsible].append(activity)
    return grouped


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send each responsible person one e-mail listing their overdue activities; record it."""
    now = now or timezone.now()
    sent = 0
    with translation.override("de"):
        for user, activities in overdue_by_responsible(now=now).items():
            body = render_to_string(
                "activities/reminder_email.txt", {"user": user, "activities": activities}
            )
            subject = f"Bündnis: {len(activities)} Aktivität(en) noch nicht dokumentiert"
            EmailMessage(subject=subject, body=body, to=[user.email]).send()
            ActivityReminder.objects.bulk_create(
                ActivityReminder(activity=activity, recipient=user, sent_at=now)
                for activity in activities
            )
            sent += 1
    return sent


def last_reminders(activity_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """When each of these activities was last reminded to anyone (activities never reminded
    are missing)."""
    return dict(
        ActivityReminder.objects.filter(activity_id__in=list(activity_ids))
        .values("activity_id")
        .annotate(last=Max("sent_at"))
        .values_list("activity_id", "last")
    )
