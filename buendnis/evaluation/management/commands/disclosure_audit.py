from typing import Any

from django.core.management.base import BaseCommand, CommandError

from buendnis.evaluation.disclosure import AuditScopeInvalid, run_audit


class Command(BaseCommand):
    help = (
        "Attacker audit: lay every figure published to viewers without exact rights side by "
        "side and try to recover hidden counts; exit 1 if one can be pinned down / "
        "Angriffsprüfung der geschützten Zahlen."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--agreement", metavar="SLUG", help="nur diese Vereinbarung / only this agreement"
        )
        parser.add_argument(
            "--year", type=int, metavar="Y", help="nur dieses Jahr / only this year"
        )
        parser.add_argument(
            "--show",
            type=int,
            default=5,
            metavar="N",
            help="engste Bereiche / narrowest ranges shown",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = run_audit(agreement_slug=options["agreement"], year=options["year"])
        except AuditScopeInvalid as error:
            self.stderr.write(str(error))
            raise SystemExit(2) from error
        failed = False
        for agreement, report in results:
            self.stdout.write(
                f"{agreement.slug}: {report.figures} veröffentlichte Zahlen / published figures "
                f"aus / from {len(report.outputs)} Ausgaben / outputs, "
                f"{report.hidden} verborgen / hidden"
            )
            for output in report.exact_outputs:
                failed = True
                self.stdout.write(f"  FEHLER / FAIL exakte Zahlen / exact figures: {output}")
            for finding in report.pinned:
                failed = True
                self.stdout.write(
                    f"  FEHLER / FAIL {finding.grid} {finding.variables} = {finding.true_value} "
                    f"ermittelbar aus / recoverable from: {'; '.join(finding.outputs)}"
                )
            for finding in report.narrowest(options["show"]):
                self.stdout.write(
                    f"  engster Bereich / narrowest range: {finding.grid} "
                    f"{finding.variables[:4]}{' …' if len(finding.variables) > 4 else ''}: "
                    f"{finding.low:g} … {finding.high:g}"
                )
        if not results:
            self.stdout.write("Keine Daten / no data.")
        if failed:
            raise CommandError(
                "Geschützte Zahlen sind ermittelbar / protected figures can be recovered",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Keine verborgene Zahl ist ermittelbar / no hidden figure can be recovered."
            )
        )
