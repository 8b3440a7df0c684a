from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from buendnis.activities.reminders import overdue_by_responsible, reminders_send
from buendnis.evaluation.reminders import evaluation_reminders_run, reminder_digests


class Command(BaseCommand):
    help = (
        "E-mail each Fachkraft a digest of their overdue activities (§ 7), and coordinators "
        "and ministry officers their overdue evaluations and adjustments (§ 8); an item goes "
        "to the same person again only after REMINDER_INTERVAL_DAYS / Erinnerungen an "
        "überfällige Dokumentationen, Auswertungen und Anpassungen versenden."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show who would be reminded of what; send and record nothing",
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        if dry_run:
            self._preview()
            return
        sent = reminders_send()
        self.stdout.write(f"§ 7: {sent} Erinnerung(en) versendet / reminder(s) sent")
        report = evaluation_reminders_run()
        self.stdout.write(
            f"§ 8: {report.evaluations} Auswertung(en) überfällig / evaluation(s) overdue, "
            f"{report.adjustments} Anpassung(en) über der Frist / adjustment(s) past their "
            f"date; {report.sent} E-Mail(s) versendet / e-mail(s) sent"
        )

    def _preview(self) -> None:
        now = timezone.now()
        days = settings.REMINDER_INTERVAL_DAYS
        self.stdout.write(
            f"Probelauf, nichts wird versendet / dry run, nothing is sent "
            f"(Abstand / interval: {days} Tage / days)"
        )
        activities = overdue_by_responsible(now=now)
        self.stdout.write(f"§ 7: {len(activities)} E-Mail(s)")
        for user, items in sorted(activities.items(), key=lambda item: item[0].pk):
            self.stdout.write(f"  {user.username} <{user.email}>: {len(items)} Aktivität(en)")
            for activity in items:
                self.stdout.write(f"    - {activity.starts_at:%d.%m.%Y} {activity.title}")
        digests, _, _ = reminder_digests(today=timezone.localdate(now), now=now)
        self.stdout.write(f"§ 8: {len(digests)} E-Mail(s)")
        for user, digest in sorted(digests.items(), key=lambda item: item[0].pk):
            self.stdout.write(f"  {user.username} <{user.email}>:")
            for due in digest.evaluations.values():
                self.stdout.write(
                    f"    - Auswertung / evaluation: {due.agreement.title} "
                    f"(fällig / due {due.due_on:%d.%m.%Y})"
                )
            for adjustment in digest.adjustments.values():
                self.stdout.write(
                    f"    - Anpassung / adjustment: {adjustment.what} "
                    f"(fällig / due {adjustment.due_on:%d.%m.%Y})"
                )
