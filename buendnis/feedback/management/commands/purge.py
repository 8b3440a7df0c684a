from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from buendnis.feedback.services import free_text_mask_stored, free_text_purge


class Command(BaseCommand):
    help = (
        "Delete free-text feedback older than FEEDBACK_FREE_TEXT_RETENTION_DAYS / "
        "Freitext-Rückmeldungen nach Ablauf der Aufbewahrungsfrist löschen."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--mask-stored",
            action="store_true",
            help=(
                "also mask identifiers in free text stored before screening existed (once, "
                "after an upgrade) / auch früher gespeicherte Freitexte bereinigen"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = free_text_purge()
        days = settings.FEEDBACK_FREE_TEXT_RETENTION_DAYS
        self.stdout.write(
            f"{deleted} Freitext-Antworten älter als {days} Tage gelöscht / "
            f"{deleted} free-text answers older than {days} days deleted."
        )
        if options["mask_stored"]:
            masked = free_text_mask_stored()
            self.stdout.write(
                f"{masked} Freitext-Antworten bereinigt / {masked} free-text answers masked."
            )
