"""The daily schedules the worker runs: reminders, purges, retention, expired sessions.

Each schedule runs once a day from ``SCHEDULE_HOUR`` (local time) on. With several workers
on one database exactly one claims a day's run: ``schedule_claim`` is a single conditional
``UPDATE``. The work itself is a task, so it shows in the task table like any other.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone

from buendnis.operations import tasks
from buendnis.operations.models import ScheduleRun

DAILY: dict[str, Task] = {
    "remind": tasks.remind,
    "purge": tasks.purge,
    "counselling_retention": tasks.counselling_retention,
    "report_retention": tasks.report_retention,
    "clear_sessions": tasks.clear_sessions,
    "prune_tasks": tasks.prune_tasks,
}


def schedule_claim(*, name: str, now: datetime.datetime) -> bool:
    """Claim today's run of a schedule; False if it already ran today or it is too early."""
    local = timezone.localtime(now)
    if local.hour < settings.SCHEDULE_HOUR:
        return False
    today = local.date()
    if ScheduleRun.objects.filter(name=name, ran_on__lt=today).update(ran_on=today, ran_at=now):
        return True
    try:
        with transaction.atomic():
            ScheduleRun.objects.create(name=name, ran_on=today, ran_at=now)
    except IntegrityError:  # it exists: ran today already, or another worker just claimed it
        return False
    return True


def schedules_enqueue_due(*, now: datetime.datetime) -> list[str]:
    """Enqueue every daily schedule that is due; return their names."""
    due = [name for name in DAILY if schedule_claim(name=name, now=now)]
    for name in due:
        DAILY[name].enqueue()
    return due
