from typing import Any

from django.core.management.base import BaseCommand

from buendnis.activities.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each Fachkraft a digest of their overdue activities (§ 7) / Erinnerungen an "
        "überfällige Dokumentationen versenden."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"{sent} Erinnerung(en) versendet / reminder(s) sent")
