"""``buendnis import-agreement FILE``: read an agreement from .txt or .pdf and store it."""

import json
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction

from buendnis.agreements.importer import (
    AgreementImportError,
    ParsedAgreement,
    read_agreement_file,
)
from buendnis.agreements.services import agreement_check_new, agreement_create_from_import
from buendnis.agreements.setup import ready_for_documentation


class Command(BaseCommand):
    help = (
        "Import an agreement from a .txt or .pdf file / Vereinbarung aus .txt oder .pdf "
        "einlesen. Bad input: one error line, exit code 2, nothing written."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="parse only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the parsed structure")
        parser.add_argument("--slug", help="URL name of the new agreement (default: from title)")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        slug = options["slug"]
        try:
            parsed = read_agreement_file(file)
            if not options["dry_run"]:
                agreement_check_new(parsed=parsed, slug=slug)
        except AgreementImportError as error:
            self._fail(error)
        if options["json"]:
            self.stdout.write(json.dumps(parsed.to_json_dict(), ensure_ascii=False, indent=2))
        if options["dry_run"]:
            if not options["json"]:
                self.stdout.write(self._summary(parsed))
            return
        try:
            with transaction.atomic():
                agreement = agreement_create_from_import(parsed=parsed, slug=slug)
                ready_for_documentation(agreement)
        except IntegrityError as error:
            # Another import stored the same slug between the check and the write.
            self._fail(
                AgreementImportError(
                    "Die Vereinbarung konnte nicht gespeichert werden (Kurzbezeichnung "
                    "vergeben?). / The agreement could not be saved (slug taken?)."
                ),
                cause=error,
            )
        if not options["json"]:
            self.stdout.write(self._summary(parsed))
            self.stdout.write(f"Gespeichert / saved: {agreement.slug}")

    def _fail(self, error: AgreementImportError, cause: Exception | None = None) -> NoReturn:
        """Print one error line and exit with code 2 (bad input, nothing written)."""
        self.stderr.write(f"Fehler / error: {error}")
        raise SystemExit(2) from (cause or error)

    @staticmethod
    def _summary(parsed: ParsedAgreement) -> str:
        partners = "; ".join(p.name for p in parsed.partners)
        return (
            f"{parsed.title}: {len(parsed.paragraphs)} §§, Partner: {partners}, "
            f"{len(parsed.signatories)} Unterzeichnende, Ort: {parsed.place or '–'}, "
            f"Datum: {parsed.signed_on.isoformat() if parsed.signed_on else '–'}"
        )
