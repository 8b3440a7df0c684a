"""The schedules' work as tasks: each one calls the service that the matching command calls."""

import datetime

from django.conf import settings
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone


@task()
def remind() -> dict[str, int]:
    """§ 7 and § 8 reminders, each item to each person at most once per interval."""
    from buendnis.activities.reminders import reminders_send
    from buendnis.evaluation.reminders import evaluation_reminders_run

    activities = reminders_send()
    evaluations = evaluation_reminders_run()
    return {"activities": activities, "evaluations": evaluations.sent}


@task()
def purge() -> int:
    """Delete free-text feedback past its retention."""
    from buendnis.feedback.services import free_text_purge

    return free_text_purge()


@task()
def counselling_retention() -> int:
    """Delete counselling contacts past their retention (whole months)."""
    from buendnis.counselling.services import contacts_purge

    return contacts_purge()


@task()
def report_retention() -> int:
    """Delete every user's finished report files past the keeping time."""
    from buendnis.evaluation.jobs import report_jobs_forget

    return report_jobs_forget(now=timezone.now())


@task()
def clear_sessions() -> None:
    """Delete expired sessions."""
    call_command("clearsessions")


@task()
def prune_tasks() -> int:
    """Delete finished task records older than ``TASKS_KEEP_DAYS``."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - datetime.timedelta(days=settings.TASKS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
