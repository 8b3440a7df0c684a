"""Writes about the running installation: heartbeats and the recovery of lost tasks."""

import datetime

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from buendnis.operations.models import WorkerHeartbeat
from buendnis.operations.selectors import live_worker_ids

LOST = "buendnis.operations.WorkerLost"


def heartbeat_register(*, worker_id: str, hostname: str, pid: int) -> WorkerHeartbeat:
    """Record a starting worker."""
    now = timezone.now()
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname[:255], "pid": pid, "started_at": now, "seen_at": now},
    )
    return heartbeat


def heartbeat_write(*, worker_id: str, now: datetime.datetime) -> None:
    """Record that the worker is alive now; forget workers silent for a day."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()


def heartbeat_remove(*, worker_id: str) -> None:
    """Forget a worker that stopped cleanly."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@transaction.atomic
def lost_tasks_recover(*, now: datetime.datetime) -> list[str]:
    """Mark tasks failed whose worker stopped answering; then let report jobs retry or fail.

    Returns the ids of the tasks marked failed. A task counts as lost when it is running and
    the worker that claimed it last has no heartbeat younger than ``WORKER_TIMEOUT_SECONDS``.
    """
    from buendnis.evaluation.jobs import report_jobs_recover

    alive = live_worker_ids(now)
    lost = [
        task.pk
        for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
            "id", "worker_ids"
        )
        if not task.worker_ids or task.worker_ids[-1] not in alive
    ]
    if lost:
        DBTaskResult.objects.filter(pk__in=lost, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=LOST,
            traceback="The worker running this task stopped answering.",
        )
    report_jobs_recover()
    return [str(pk) for pk in lost]
