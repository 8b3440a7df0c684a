from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from buendnis.feedback.services import free_text_purge


class Command(BaseCommand):
    help = (
        "Delete free-text feedback older than FEEDBACK_FREE_TEXT_RETENTION_DAYS / "
        "Freitext-Rückmeldungen nach Ablauf der Aufbewahrungsfrist löschen."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = free_text_purge()
        days = settings.FEEDBACK_FREE_TEXT_RETENTION_DAYS
        self.stdout.write(
            f"{deleted} Freitext-Antworten älter als {days} Tage gelöscht / "
            f"{deleted} free-text answers older than {days} days deleted."
        )
