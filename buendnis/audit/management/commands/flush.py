"""Django's ``flush``, allowed to empty the append-only audit table (tests' teardown).

On SQLite the audit table's triggers refuse DELETE unless Bündnis' connection is in
maintenance mode (``audit/triggers.py``); emptying the whole database is the one operation
that may. On PostgreSQL flush uses TRUNCATE, which the row triggers do not see.
"""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from buendnis.audit.context import maintenance


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with maintenance():
            super().handle(**options)
