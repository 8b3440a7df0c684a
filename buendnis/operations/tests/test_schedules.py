"""The daily schedules: once a day from the configured hour, one worker claims each run."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.conftest import DATABASE_TASKS
from buendnis.evaluation.models import ReportJob
from buendnis.operations import schedules, tasks
from buendnis.operations.models import ScheduleRun

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, 30, tzinfo=BERLIN)


def test_it_runs_each_schedule_once_a_day_from_the_hour(settings: Any) -> None:
    settings.SCHEDULE_HOUR = 6
    assert schedules.schedules_enqueue_due(now=_at(1, 5)) == []
    assert schedules.schedules_enqueue_due(now=_at(1, 6)) == list(schedules.DAILY)
    assert schedules.schedules_enqueue_due(now=_at(1, 23)) == []
    assert schedules.schedules_enqueue_due(now=_at(2, 5)) == []
    assert schedules.schedules_enqueue_due(now=_at(2, 7)) == list(schedules.DAILY)
    assert ScheduleRun.objects.get(name="remind").ran_on == datetime.date(2026, 12, 2)


def test_it_lets_only_one_of_two_workers_claim_a_run(settings: Any) -> None:
    settings.SCHEDULE_HOUR = 0
    assert schedules.schedule_claim(name="purge", now=_at(3, 8))
    assert not schedules.schedule_claim(name="purge", now=_at(3, 8))


def test_it_enqueues_the_work_as_tasks_on_the_queue(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    settings.SCHEDULE_HOUR = 0
    schedules.schedules_enqueue_due(now=_at(4, 1))
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == sorted(
        f"buendnis.operations.tasks.{task.func.__name__}" for task in schedules.DAILY.values()
    )


def test_it_drops_every_users_old_report_files(
    agreement: Agreement, koordination: User, referentin: User
) -> None:
    def job(user: User, status: str, hours_ago: int) -> ReportJob:
        made = ReportJob.objects.create(
            agreement=agreement,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            period_kind="calendar_year",
            format="pdf",
            copy="ministry",
            requested_by=user,
            status=status,
        )
        ReportJob.objects.filter(pk=made.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=hours_ago)
        )
        return made

    old = [job(koordination, "done", 30), job(referentin, "failed", 30)]
    kept = [job(koordination, "done", 2), job(referentin, "running", 30)]
    assert tasks.report_retention.call() == 2
    remaining = set(ReportJob.objects.values_list("pk", flat=True))
    assert remaining == {j.pk for j in kept}
    assert not remaining & {j.pk for j in old}


def test_it_clears_expired_sessions() -> None:
    fresh = SessionStore()
    fresh.create()
    stale = SessionStore()
    stale.create()
    Session.objects.filter(pk=stale.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(days=1)
    )
    tasks.clear_sessions.call()
    assert list(Session.objects.values_list("pk", flat=True)) == [fresh.session_key]
