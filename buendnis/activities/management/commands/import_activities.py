import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q

from buendnis.accounts.models import Organisation
from buendnis.activities.importing import activities_import
from buendnis.agreements.models import Agreement


class Command(BaseCommand):
    help = (
        "Import activities from a CSV or XLSX file / Aktivitäten aus CSV oder XLSX einlesen. "
        "Any bad row: every problem by row and column, exit code 2, nothing written. Rows "
        "whose „Externe Referenz“ exists already are skipped."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agreement", required=True, help="the agreement's slug")
        parser.add_argument(
            "--organisation", required=True, help="the documenting organisation (name or short)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        agreement = Agreement.objects.filter(slug=options["agreement"]).first()
        if agreement is None:
            self._fail(f"Die Vereinbarung „{options['agreement']}“ gibt es nicht. / unknown.")
        name = options["organisation"].strip()
        organisation = Organisation.objects.filter(
            Q(name__iexact=name) | Q(short_name__iexact=name)
        ).first()
        if organisation is None:
            self._fail(f"Die Organisation „{name}“ gibt es nicht. / unknown organisation.")
        if not file.is_file():
            self._fail(f"Die Datei {file} gibt es nicht. / file not found.")
        result = activities_import(
            agreement=agreement,
            organisation=organisation,
            source=file,
            dry_run=options["dry_run"],
        )
        for problem in result.problems:
            self.stderr.write(str(problem))
        if result.stopped_early:
            self.stderr.write(result.stopped_message)
        if result.problems:
            self._fail(
                f"{len(result.problems)} Problem(e), nichts gespeichert. / "
                f"{len(result.problems)} problem(s), nothing written."
            )
        if options["dry_run"]:
            self.stdout.write(
                f"{result.rows} Zeilen geprüft: {result.to_create} neu, "
                f"{result.already_present} schon vorhanden (Probelauf, nichts gespeichert). / "
                "dry run, nothing written."
            )
            return
        self.stdout.write(
            f"{result.rows} Zeilen: {result.created} angelegt, "
            f"{result.already_present} schon vorhanden. / {result.created} created, "
            f"{result.already_present} already present."
        )

    def _fail(self, message: str) -> None:
        self.stderr.write(f"Fehler / error: {message}")
        sys.exit(2)
