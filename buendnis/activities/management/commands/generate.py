import argparse
import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buendnis.activities.generate import GenerateError, generate


def _date(value: str) -> datetime.date:
    """Parse --today."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"kein Datum / not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Generate reproducible synthetic agreements and activities for demo, tests and "
        "benchmarks / Synthetische Testdaten erzeugen (gleicher Seed, gleiche Daten)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agreements", type=int, default=0, help="new agreements to create")
        parser.add_argument(
            "--agreement", metavar="SLUG", help="add activities to this existing agreement"
        )
        parser.add_argument("--years", type=int, default=1, help="last Y years up to today")
        parser.add_argument("--activities-per-year", type=int, default=100)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--today", type=_date, help="pretend today is YYYY-MM-DD")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size muss positiv sein / must be positive", returncode=2)
        started = time.perf_counter()
        try:
            result = generate(
                agreements=options["agreements"],
                agreement_slug=options["agreement"],
                years=options["years"],
                activities_per_year=options["activities_per_year"],
                seed=options["seed"],
                today=options["today"],
                batch_size=options["batch_size"],
            )
        except GenerateError as error:
            raise CommandError(str(error), returncode=2) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{result.activities} Aktivitäten / activities, {result.reach_rows} "
            f"Reichweiten-Zeilen / reach rows, {result.years.start}–{result.years.stop - 1}, "
            f"{', '.join(result.agreements)} ({seconds:.1f} s)"
        )
