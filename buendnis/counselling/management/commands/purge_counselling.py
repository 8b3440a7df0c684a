from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from buendnis.counselling.services import contacts_purge, retention_cutoff


class Command(BaseCommand):
    help = (
        "Delete counselling contacts older than COUNSELLING_RETENTION_MONTHS (whole months) / "
        "Beratungskontakte nach Ablauf der Aufbewahrungsfrist löschen."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only count what would be deleted / nur zählen, nichts löschen",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = retention_cutoff()
        months = settings.COUNSELLING_RETENTION_MONTHS
        count = contacts_purge(dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(
                f"{count} Beratungskontakte vor dem {cutoff:%d.%m.%Y} würden gelöscht "
                f"(Frist {months} Monate) / {count} counselling contacts before {cutoff} "
                f"would be deleted (retention {months} months). Nichts gelöscht / nothing "
                "deleted."
            )
            return
        self.stdout.write(
            f"{count} Beratungskontakte vor dem {cutoff:%d.%m.%Y} gelöscht (Frist {months} "
            f"Monate) / {count} counselling contacts before {cutoff} deleted (retention "
            f"{months} months)."
        )
