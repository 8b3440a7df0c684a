from typing import Any

from django.core.management.base import BaseCommand

from buendnis.activities.reminders import reminders_send
from buendnis.evaluation.reminders import evaluation_reminders_run


class Command(BaseCommand):
    help = (
        "E-mail each Fachkraft a digest of their overdue activities (§ 7), and coordinators "
        "and ministry officers their overdue evaluations and adjustments (§ 8) / Erinnerungen "
        "an überfällige Dokumentationen, Auswertungen und Anpassungen versenden."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"§ 7: {sent} Erinnerung(en) versendet / reminder(s) sent")
        report = evaluation_reminders_run()
        self.stdout.write(
            f"§ 8: {report.evaluations} Auswertung(en) überfällig / evaluation(s) overdue, "
            f"{report.adjustments} Anpassung(en) über der Frist / adjustment(s) past their "
            f"date; {report.sent} E-Mail(s) versendet / e-mail(s) sent"
        )
