"""``buendnis serve``: gunicorn with WhiteNoise, optionally a ``buendnis worker`` beside it."""

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

# With BUENDNIS_LOG_FORMAT=json the access log is JSON too, with the response's request id.
JSON_ACCESS_LOG = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s", "logger": "gunicorn.access"}'
)


def gunicorn_arguments(
    addrport: str,
    *,
    workers: int,
    timeout: int,
    threads: int = 4,
    connections: int = 12,
    json_log: bool = False,
) -> list[str]:
    """The gunicorn command line for Bündnis' WSGI application.

    ``gthread`` workers: each serves ``threads`` requests at once (a thread waiting for the
    database leaves the processor to the others), keeps connections alive, and its main
    thread goes on telling the arbiter it is alive while a long export streams, so
    ``timeout`` does not cut a download (a ``sync`` worker would be killed mid-file).
    ``connections`` caps what one worker holds, so that kept-alive connections spread over
    the workers (``settings.WEB_WORKER_CONNECTIONS``).
    """
    if ":" not in addrport:  # a bare port, as runserver takes it
        addrport = f"127.0.0.1:{addrport}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "buendnis.wsgi:application",
        "--bind",
        addrport,
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--worker-connections",
        str(connections),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "30",
        "--access-logfile",
        "-",
        # A fresh worker process now and then bounds memory that a long run might collect;
        # not too often, as a fresh one costs a second of processor time and cold caches.
        "--max-requests",
        "10000",
        "--max-requests-jitter",
        "1000",
        *(["--access-logformat", JSON_ACCESS_LOG] if json_log else []),
    ]


class Command(BaseCommand):
    help = (
        "Serve Bündnis with gunicorn on 127.0.0.1:8000 (or the given address); SIGHUP reloads "
        "gracefully / Bündnis starten."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run `buendnis worker` (tasks and schedules) beside the web server",
        )

    def handle(self, *args: Any, addrport: str, with_worker: bool, **options: Any) -> None:
        command = gunicorn_arguments(
            addrport,
            workers=settings.WEB_WORKERS,
            threads=settings.WEB_THREADS,
            connections=settings.WEB_WORKER_CONNECTIONS,
            timeout=settings.WEB_TIMEOUT_SECONDS,
            json_log=settings.LOG_FORMAT == "json",
        )
        worker = None
        if with_worker:
            worker = subprocess.Popen([sys.executable, "-m", "buendnis.cli", "worker"])
        web = subprocess.Popen(command)  # noqa: S603 - our own interpreter and arguments
        # SIGTERM and SIGHUP go on to gunicorn (stop / graceful reload); Ctrl-C reaches the
        # whole process group by itself.
        signal.signal(signal.SIGTERM, lambda signum, frame: web.send_signal(signal.SIGTERM))
        signal.signal(signal.SIGHUP, lambda signum, frame: web.send_signal(signal.SIGHUP))
        try:
            code = web.wait()
        except KeyboardInterrupt:
            code = web.wait()
        finally:
            if worker is not None:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
                worker.wait()
        if code:
            sys.exit(code)
