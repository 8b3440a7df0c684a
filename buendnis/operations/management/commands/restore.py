from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from buendnis.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `buendnis backup` into an empty database (--force: into one "
        "that holds data) / Sicherung zurückspielen. Bad input: one error line, exit code 2, "
        "nothing changed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that is not empty"
        )

    def handle(self, *args: Any, file: Path, force: bool, **options: Any) -> None:
        try:
            restore(path=file, force=force)
        except BackupError as error:
            self.stderr.write(f"Fehler / error: {error}")
            raise SystemExit(2) from error
        self.stdout.write(f"Zurückgespielt / restored: {file}")
