"""``buendnis worker``: django-tasks-db's worker with a heartbeat, recovery and schedules.

Beside the task loop a thread writes this worker's heartbeat every
``WORKER_HEARTBEAT_SECONDS``; on the same beat it hands tasks of workers that stopped
answering back (``evaluation.jobs.report_jobs_recover``) and enqueues the daily schedules
that are due (``schedules.schedules_enqueue_due``). Every step is safe with several workers
on one database: claims are single ``UPDATE`` statements.
"""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker

from buendnis.operations import schedules, services

logger = logging.getLogger(__name__)


class Worker(DatabaseWorker):
    """Run tasks; beat, recover and schedule in a side thread until the worker stops."""

    def __init__(self, *, with_schedules: bool = True, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.with_schedules = with_schedules
        self._stop = threading.Event()

    def beat(self) -> None:
        """One heartbeat: record being alive, recover lost work, enqueue due schedules."""
        now = timezone.now()
        services.heartbeat_write(worker_id=self.worker_id, now=now)
        services.lost_tasks_recover(now=now)
        if self.with_schedules:
            schedules.schedules_enqueue_due(now=now)

    def _beat_forever(self) -> None:
        while not self._stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                self.beat()
            except DatabaseError:  # a locked or briefly unreachable database: next beat
                logger.warning("worker %s: heartbeat failed", self.worker_id, exc_info=True)
            finally:
                close_old_connections()
        connections.close_all()

    def run(self) -> None:
        services.heartbeat_register(
            worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid()
        )
        self.beat()  # the first beat before any task, so recovery and schedules come first
        beater = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
        beater.start()
        try:
            super().run()
        finally:
            self._stop.set()
            beater.join(timeout=5)
            services.heartbeat_remove(worker_id=self.worker_id)
