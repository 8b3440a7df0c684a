"""``buendnis import-agreement FILE``: read an agreement from .txt or .pdf and store it."""

import json
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.validators import validate_slug
from django.db import IntegrityError
from django.db.models import Q

from buendnis.agreements.importer import (
    AgreementImportError,
    ParsedAgreement,
    read_agreement_file,
)
from buendnis.agreements.models import Agreement
from buendnis.agreements.services import agreement_create_from_import

_SLUG_MAX_LENGTH = Agreement._meta.get_field("slug").max_length


def _check_new(parsed: ParsedAgreement, slug: str | None) -> None:
    """Refuse an agreement that is already stored, or a slug that is taken or malformed."""
    existing = Agreement.objects.filter(title__iexact=parsed.title)
    if parsed.signed_on is not None:
        # A stored agreement without a date cannot be told apart from this one.
        existing = existing.filter(Q(signed_on__isnull=True) | Q(signed_on=parsed.signed_on))
    if existing.exists():
        raise AgreementImportError(
            f"Die Vereinbarung „{parsed.title}“ ist schon vorhanden. / "
            "This agreement has already been imported."
        )
    if slug is None:
        return
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise AgreementImportError(
            f"Die Kurzbezeichnung „{slug}“ darf nur Buchstaben, Ziffern, - und _ enthalten. / "
            "The slug may contain only letters, digits, hyphens and underscores."
        ) from error
    if len(slug) > _SLUG_MAX_LENGTH:
        raise AgreementImportError(
            f"Die Kurzbezeichnung ist länger als {_SLUG_MAX_LENGTH} Zeichen. / "
            f"The slug is longer than {_SLUG_MAX_LENGTH} characters."
        )
    if Agreement.objects.filter(slug=slug).exists():
        raise AgreementImportError(
            f"Die Kurzbezeichnung „{slug}“ ist schon vergeben. / "
            f"The slug “{slug}” is already taken."
        )


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
                _check_new(parsed, slug)
        except AgreementImportError as error:
            self._fail(error)
        if options["json"]:
            self.stdout.write(json.dumps(parsed.to_json_dict(), ensure_ascii=False, indent=2))
        if options["dry_run"]:
            if not options["json"]:
                self.stdout.write(self._summary(parsed))
            return
        try:
            agreement = agreement_create_from_import(parsed=parsed, slug=slug)
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
