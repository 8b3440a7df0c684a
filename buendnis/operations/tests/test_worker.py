"""``buendnis worker``: report jobs outlive the web process; lost work is retried or failed."""

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.conftest import DATABASE_TASKS
from buendnis.evaluation import jobs
from buendnis.evaluation.models import ReportJob
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.report import render
from buendnis.operations import services
from buendnis.operations.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
YEAR = calendar_year(2026)


@pytest.fixture(autouse=True)
def _database_queue(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TASKS = DATABASE_TASKS
    # The worker drops connections left in a transaction, as after a request; the test's own
    # transaction (which rolls the test back) must stay open.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def _request_report(agreement: Agreement, user: User) -> ReportJob:
    """Ask for a report on the web, as the coordinator's browser does."""
    client = Client()
    client.force_login(user)
    url = reverse("evaluation:report_start", kwargs={"slug": agreement.slug, "period": "2026"})
    response = client.post(url, {"format": "html", "copy": "internal"})
    assert response.status_code == 302
    return ReportJob.objects.get()


def _run_worker() -> None:
    call_command("worker", "--batch", "--no-schedules", "--worker-id", "w-test")


def _lost_job(agreement: Agreement, user: User, *, attempts: int) -> ReportJob:
    """A job whose worker was killed while rendering: running, its task claimed by "w-dead"."""
    job = jobs.report_job_start(
        agreement=agreement, period=YEAR, fmt="html", copy="ministry", user=user
    )
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("w-dead")
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, attempts=attempts, done=3, total=8
    )
    WorkerHeartbeat.objects.create(
        worker_id="w-dead",
        hostname="app1",
        pid=4242,
        started_at=timezone.now() - datetime.timedelta(hours=1),
        seen_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    return job


def test_it_runs_a_job_enqueued_by_the_web_after_the_web_process_is_gone(
    agreement: Agreement, koordination: User
) -> None:
    job = _request_report(agreement, koordination)
    # The web process only wrote rows: the job waits in the database for any worker.
    assert job.status == ReportJob.Status.PENDING
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.READY
    assert task.task_path == "buendnis.evaluation.jobs.report_job_task"

    _run_worker()

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert agreement.title in bytes(job.content).decode()
    assert job.attempts == 1
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.SUCCESSFUL
    assert not WorkerHeartbeat.objects.exists()  # a worker that stops cleanly signs off


def test_it_shows_the_progress_the_worker_writes(
    agreement: Agreement, koordination: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _request_report(agreement, koordination)
    seen = []

    def fake(*, progress: Any, **kwargs: Any) -> Any:
        progress(2, 8, "Diagramme")
        client = Client()
        client.force_login(koordination)
        page = client.get(reverse("evaluation:report_job", kwargs={"job": job.pk}))
        seen.append(page.content.decode())
        return type("R", (), {"content": b"x", "filename": "b.html"})()

    monkeypatch.setattr(render, "render_report", fake)
    _run_worker()
    assert "Diagramme" in seen[0]
    assert "25" in seen[0]  # per cent


def test_it_retries_a_job_whose_worker_died(agreement: Agreement, koordination: User) -> None:
    job = _lost_job(agreement, koordination, attempts=1)
    lost_task = job.task_id

    _run_worker()

    assert DBTaskResult.objects.get(pk=lost_task).status == TaskResultStatus.FAILED
    job.refresh_from_db()
    assert job.task_id != lost_task
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.attempts == 2


def test_it_marks_a_job_failed_with_a_message_after_the_last_attempt(
    agreement: Agreement, koordination: User, settings: Any
) -> None:
    settings.REPORT_JOBS_ATTEMPTS = 2
    job = _lost_job(agreement, koordination, attempts=2)

    _run_worker()

    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "Hintergrundprozess unterbrochen" in job.error
    assert str(job.pk) in job.error
    assert job.finished_at is not None


def test_it_leaves_the_jobs_of_living_workers_alone(
    agreement: Agreement, koordination: User
) -> None:
    job = _lost_job(agreement, koordination, attempts=1)
    WorkerHeartbeat.objects.filter(worker_id="w-dead").update(seen_at=timezone.now())

    assert services.lost_tasks_recover(now=timezone.now()) == []

    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.RUNNING


def test_it_counts_a_worker_without_heartbeat_row_as_gone(
    agreement: Agreement, koordination: User
) -> None:
    job = _lost_job(agreement, koordination, attempts=1)
    WorkerHeartbeat.objects.all().delete()
    assert services.lost_tasks_recover(now=timezone.now()) == [job.task_id]
    job.refresh_from_db()
    assert job.status == ReportJob.Status.PENDING
    assert job.step == "Wird erneut versucht …"
