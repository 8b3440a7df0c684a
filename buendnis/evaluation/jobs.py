"""Reports prepared in the background: the page says it is being prepared, then offers the file.

``report_job_start`` records the request and enqueues ``report_job_task`` in the same
transaction; ``buendnis worker`` runs it (the tests run tasks at once). The task writes its
progress to the job row, at most about three times a second, and ends with the file stored
or a German error text. A job survives a restart of the web process because it lives in the
database; a job whose worker died is tried again (``REPORT_JOBS_ATTEMPTS`` in all) and then
marked failed with a message by ``report_jobs_recover`` — never left running.
"""

import datetime
import logging
import time
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F
from django.tasks import TaskResultStatus, task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.evaluation.models import ReportJob
from buendnis.evaluation.periods import Period
from buendnis.evaluation.selectors import evaluation_of_period

logger = logging.getLogger(__name__)

# Seconds between two progress writes; the last state is always written when the job ends.
PROGRESS_INTERVAL = 0.3
WRITE_ATTEMPTS = 6  # about 1.5 s of retries against a locked table (SQLite)
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNFINISHED = (ReportJob.Status.PENDING, ReportJob.Status.RUNNING)


class ReportJobInvalid(ValueError):
    """The requested format or copy does not exist; the message says so, German / English."""


def _clock() -> float:
    """Monotonic seconds (a function so tests can move time on)."""
    return time.monotonic()


def job_period(job: ReportJob) -> Period:
    """The period a job reports on."""
    return Period(kind=job.period_kind, start=job.starts_on, end=job.ends_on)


def check_choice(*, fmt: str, copy: str) -> None:
    """Refuse formats and copies the report cannot produce."""
    from buendnis.evaluation.report.render import COPIES, FORMATS

    if fmt not in FORMATS:
        raise ReportJobInvalid(
            _("Unbekanntes Format „%(fmt)s“; möglich sind / unknown format; use: %(choices)s")
            % {"fmt": fmt, "choices": ", ".join(FORMATS)}
        )
    if copy not in COPIES:
        raise ReportJobInvalid(
            _("Unbekannte Fassung „%(copy)s“; möglich sind / unknown copy; use: %(choices)s")
            % {"copy": copy, "choices": ", ".join(COPIES)}
        )


@transaction.atomic
def report_job_start(
    *, agreement: Agreement, period: Period, fmt: str, copy: str, user: User
) -> ReportJob:
    """Record a report request and enqueue its rendering in the same transaction."""
    check_choice(fmt=fmt, copy=copy)
    _forget_old_jobs(user)
    job = ReportJob.objects.create(
        agreement=agreement,
        evaluation=evaluation_of_period(agreement=agreement, period=period),
        starts_on=period.start,
        ends_on=period.end,
        period_kind=period.kind,
        format=fmt,
        copy=copy,
        requested_by=user,
    )
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: ReportJob) -> None:
    """Hand the job to the task queue in the requester's language and remember the task."""
    result = report_job_task.enqueue(job_id=str(job.pk), language=translation.get_language())
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


@task()
def report_job_task(job_id: str, language: str | None = None) -> None:
    """The task ``buendnis worker`` runs: render the job in the requester's language."""
    with translation.override(language):
        report_job_run(job_id)


def _cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(hours=settings.REPORT_JOBS_KEEP_HOURS)


def _forget_old_jobs(user: User) -> None:
    """Drop the user's finished jobs (and their files) past the keeping time."""
    ReportJob.objects.filter(requested_by=user, created_at__lt=_cutoff(timezone.now())).exclude(
        status__in=UNFINISHED
    ).delete()


def report_jobs_forget(*, now: datetime.datetime) -> int:
    """Drop every user's finished jobs past the keeping time; return how many."""
    deleted, _ = (
        ReportJob.objects.filter(created_at__lt=_cutoff(now))
        .exclude(status__in=UNFINISHED)
        .delete()
    )
    return deleted


def report_jobs_recover() -> int:
    """Retry or fail unfinished jobs whose task failed (its worker died); return how many.

    A job is enqueued again while it has had fewer than ``REPORT_JOBS_ATTEMPTS`` attempts,
    else it is marked failed with a German message.
    """
    from django_tasks_db.models import DBTaskResult

    unfinished = list(ReportJob.objects.filter(status__in=UNFINISHED).exclude(task_id=""))
    failed = {
        str(pk)
        for pk in DBTaskResult.objects.filter(
            pk__in=_uuids(job.task_id for job in unfinished), status=TaskResultStatus.FAILED
        ).values_list("id", flat=True)
    }
    stranded = [job for job in unfinished if job.task_id in failed]
    for job in stranded:
        if job.attempts < settings.REPORT_JOBS_ATTEMPTS:
            updated = ReportJob.objects.filter(pk=job.pk, task_id=job.task_id).update(
                status=ReportJob.Status.PENDING,
                done=0,
                total=0,
                step=_("Wird erneut versucht …"),
            )
            if updated:
                _enqueue(job)
        else:
            _update(
                job.pk,
                status=ReportJob.Status.FAILED,
                step="",
                error=_(
                    "Der Bericht konnte nicht fertiggestellt werden, weil der "
                    "Hintergrundprozess unterbrochen wurde. Bitte fordern Sie ihn erneut an "
                    "(Auftrag %(job)s)."
                )
                % {"job": job.pk},
                finished_at=timezone.now(),
            )
    return len(stranded)


def _uuids(values: Iterable[str]) -> list[uuid.UUID]:
    """The values that are UUIDs (the database queue's task ids), parsed."""
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


class Stages:
    """Join progress that restarts its count per stage (figures 0…7, then file 0…1) into one.

    A count that goes back starts a new stage after the finished ones, so 7/7 then 0/1 and
    1/1 read 7/8 and 8/8: bars never jump back.
    """

    def __init__(self) -> None:
        self.base = 0
        self.last = (0, 0)

    def __call__(self, done: int, total: int) -> tuple[int, int]:
        last_done, last_total = self.last
        if done < last_done:
            self.base += last_total
        self.last = (done, total)
        return self.base + done, self.base + total


class _Progress:
    """The progress callback: writes done/total/step, at most once per interval."""

    def __init__(self, job_id: object) -> None:
        self.job_id = job_id
        self.last_write: float | None = None
        self.stages = Stages()
        self.done = self.total = 0

    def __call__(self, done: int, total: int, step: str) -> None:
        done, total = self.stages(done, total)
        self.done, self.total = done, total
        now = _clock()
        if self.last_write is not None and now - self.last_write < PROGRESS_INTERVAL:
            return
        self.last_write = now
        try:
            ReportJob.objects.filter(pk=self.job_id, status=ReportJob.Status.RUNNING).update(
                done=max(done, 0), total=max(total, 0), step=str(step)[:200]
            )
        except OperationalError:  # the page reading it holds a lock; the next step tries again
            self.last_write = None


def _update(job_id: object, *, only_if: str | None = None, **state: object) -> int:
    """Write the job's state, retrying briefly while another connection locks the table."""
    jobs = ReportJob.objects.filter(pk=job_id)
    if only_if is not None:
        jobs = jobs.filter(status=only_if)
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return jobs.update(**state)
        except OperationalError:
            if attempt == WRITE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    return 0


def report_job_run(job_id: object) -> None:
    """Render a pending job's report and store the file, or the reason it failed."""
    from buendnis.evaluation.report.render import render_report

    taken = _update(
        job_id,
        only_if=ReportJob.Status.PENDING,
        status=ReportJob.Status.RUNNING,
        step=_("Wird vorbereitet …"),
        attempts=F("attempts") + 1,
    )
    if not taken:  # gone, or another worker has it already
        return
    job = ReportJob.objects.select_related("agreement", "evaluation", "requested_by").get(pk=job_id)
    progress = _Progress(job_id)
    try:
        rendered = render_report(
            agreement=job.agreement,
            period=job_period(job),
            fmt=job.format,
            copy=job.copy,
            evaluation=job.evaluation,
            user=job.requested_by,
            progress=progress,
        )
    except Exception:
        logger.exception("report job %s failed", job_id)
        _fail(job_id)
        return
    except BaseException:  # an interrupt: still never leave the job running
        _fail(job_id)
        raise
    total = max(progress.total, progress.done, 1)
    _update(
        job_id,
        status=ReportJob.Status.DONE,
        content=rendered.content,
        filename=rendered.filename[:200],
        done=total,
        total=total,
        step="",
        error="",
        finished_at=timezone.now(),
    )


def _fail(job_id: object) -> None:
    """Mark the job failed with a German explanation; the traceback is in the log."""
    _update(
        job_id,
        status=ReportJob.Status.FAILED,
        step="",
        error=_(
            "Der Bericht konnte nicht erstellt werden. Bitte versuchen Sie es erneut; wenn der "
            "Fehler bleibt, wenden Sie sich an die Administration (Auftrag %(job)s)."
        )
        % {"job": job_id},
        finished_at=timezone.now(),
    )


def report_job_progress(job: ReportJob) -> int | None:
    """The share done in percent, or None while the total is not known yet."""
    if job.status == ReportJob.Status.DONE:
        return 100
    if not job.total:
        return None
    return min(100, round(100 * job.done / job.total))
