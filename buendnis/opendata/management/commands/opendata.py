from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from buendnis.agreements.models import Agreement
from buendnis.opendata import selectors
from buendnis.opendata.package import package, write


class Command(BaseCommand):
    help = (
        "Offene Daten: die geschützten Jahreszahlen einer Vereinbarung als Frictionless Data "
        "Package in DIR schreiben / write an agreement's protected yearly figures as a "
        "Frictionless Data Package into DIR."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--agreement", metavar="SLUG", required=True)
        parser.add_argument("--year", type=int, metavar="Y", required=True)
        parser.add_argument(
            "--force",
            action="store_true",
            help="auch ein nicht veröffentlichtes Jahr schreiben / write an unpublished year",
        )
        parser.add_argument("directory", metavar="DIR")

    def _refuse(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        slug, year = options["agreement"], options["year"]
        target = Path(options["directory"])
        agreement = Agreement.objects.filter(slug=slug).first()
        if agreement is None:
            self._refuse(f"Unbekannte Vereinbarung / unknown agreement: {slug}")
            return
        if not selectors.has_data(agreement, year):
            self._refuse(f"Keine Daten für {year} / no data for {year}: {slug}")
        if not options["force"] and not selectors.is_published(agreement, year):
            self._refuse(
                f"{year} ist nicht als offene Daten veröffentlicht (--force schreibt es "
                f"trotzdem) / {year} is not published as open data (--force writes it anyway)"
            )
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            self._refuse(
                f"{target} ist nicht leer / is not empty: nichts geschrieben / nothing written"
            )
        built = package(agreement, year)
        target.mkdir(parents=True, exist_ok=True)
        write(target, built)
        self.stdout.write(
            f"{len(built.files)} Dateien geschrieben / files written: {target} ({built.name})"
        )
