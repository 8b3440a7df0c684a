"""Reads about the running installation: which workers are alive."""

import datetime

from django.conf import settings
from django.utils import timezone

from buendnis.operations.models import WorkerHeartbeat


def live_since(now: datetime.datetime | None = None) -> datetime.datetime:
    """Heartbeats at or after this moment count as a living worker."""
    now = now or timezone.now()
    return now - datetime.timedelta(seconds=settings.WORKER_TIMEOUT_SECONDS)


def live_worker_ids(now: datetime.datetime | None = None) -> set[str]:
    """The ids of workers whose heartbeat is younger than ``WORKER_TIMEOUT_SECONDS``."""
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=live_since(now)).values_list(
            "worker_id", flat=True
        )
    )


def worker_alive(now: datetime.datetime | None = None) -> bool:
    """Whether at least one worker has written a heartbeat recently."""
    return WorkerHeartbeat.objects.filter(seen_at__gte=live_since(now)).exists()
