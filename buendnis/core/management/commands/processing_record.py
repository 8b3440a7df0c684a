from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from buendnis.core.processing_record import DOCUMENT, updated


class Command(BaseCommand):
    help = (
        "Write the Art. 30 record of processing activities into docs/privacy.md / "
        "Verzeichnis von Verarbeitungstätigkeiten in docs/privacy.md schreiben."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check that the document is up to date / nur prüfen",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        current = DOCUMENT.read_text(encoding="utf-8")
        wanted = updated(current)
        if options["check"]:
            if wanted != current:
                raise CommandError(
                    "docs/privacy.md ist veraltet / is out of date: buendnis processing-record"
                )
            self.stdout.write("docs/privacy.md ist aktuell / is up to date.")
            return
        DOCUMENT.write_text(wanted, encoding="utf-8")
        self.stdout.write(f"{DOCUMENT} geschrieben / written.")
