import logging
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

from buendnis.operations.worker import Worker


class Command(BaseCommand):
    help = (
        "Run background tasks (reports) and the daily schedules (reminders, purge, retention, "
        "sessions) / Hintergrundaufgaben und tägliche Zeitpläne ausführen."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then stop (tests, cron)"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
        )
        parser.add_argument(
            "--no-schedules", action="store_true", help="run tasks only, enqueue no schedules"
        )
        parser.add_argument("--worker-id", default="", help="unique id (default: random)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] > 1:
            logging.getLogger("django_tasks_db").setLevel(logging.INFO)
            logging.getLogger("django.tasks").setLevel(logging.INFO)
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=options["interval"],
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not options["batch"],
            max_tasks=None,
            worker_id=options["worker_id"] or get_random_string(32),
            excluded_queue_names=[],
            with_schedules=not options["no_schedules"],
        )
        worker.configure_signals()
        worker.run()
