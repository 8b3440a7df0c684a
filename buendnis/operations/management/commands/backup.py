from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from buendnis.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE (SQLite: online backup; PostgreSQL: pg_dump custom "
        "format) / Datenbank sichern. Bad input: one error line, exit code 2."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            backup(path=file)
        except BackupError as error:
            self.stderr.write(f"Fehler / error: {error}")
            raise SystemExit(2) from error
        self.stdout.write(f"Gesichert / backed up: {file}")
