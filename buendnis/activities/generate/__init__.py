"""Reproducible synthetic data for the demo, tests and benchmarks (`buendnis generate`).

The same arguments and seed give the same records: every random choice comes from
``random.Random`` instances seeded from the seed, never from the global generator.
Activities are made up and written in batches, so a million of them need no more memory
than a thousand. No person's name appears anywhere: reach is counts per category.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.activities.generate.activities import insert, year_rows
from buendnis.activities.generate.setup import agreements_create, context_load
from buendnis.agreements.models import Agreement

BATCH_SIZE = 5000


class GenerateError(ValueError):
    """The arguments make no sense; the message says which one, in one line."""


@dataclass(frozen=True)
class GenerateResult:
    """What was generated."""

    agreements: list[str]
    activities: int
    reach_rows: int
    years: range


def year_range(*, years: int, today: datetime.date) -> range:
    """The last ``years`` calendar years, ending with the current one."""
    return range(today.year - years + 1, today.year + 1)


def _seeded(seed: int, *parts: object) -> random.Random:
    """An independent generator per part, so one year's data never shifts another's."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))  # noqa: S311 - not crypto


def _check(*, agreements: int, agreement_slug: str | None, years: int, per_year: int) -> None:
    """Refuse negative numbers and say what to generate for."""
    for name, value in (
        ("--agreements", agreements),
        ("--years", years),
        ("--activities-per-year", per_year),
    ):
        if value < 0:
            raise GenerateError(
                _("%(name)s darf nicht negativ sein / must not be negative: %(value)s")
                % {"name": name, "value": value}
            )
    if agreement_slug and agreements:
        raise GenerateError(
            _(
                "Entweder --agreements oder --agreement angeben / give either --agreements or "
                "--agreement, not both"
            )
        )
    if not agreement_slug and not agreements:
        raise GenerateError(
            _(
                "--agreements N (mindestens 1) oder --agreement SLUG angeben / give --agreements N "
                "(at least 1) or --agreement SLUG"
            )
        )


def _update_planner_statistics() -> None:
    """Refresh the planner's statistics after the bulk load."""
    # Without them PostgreSQL scans whole tables where an index would do; autovacuum would
    # only run ANALYZE later.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def generate(
    *,
    agreements: int = 0,
    agreement_slug: str | None = None,
    years: int = 1,
    activities_per_year: int = 100,
    seed: int = 0,
    today: datetime.date | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> GenerateResult:
    """Generate agreements (or use an existing one) and their activities with reach."""
    _check(
        agreements=agreements,
        agreement_slug=agreement_slug,
        years=years,
        per_year=activities_per_year,
    )
    today = today or timezone.localdate()
    span = year_range(years=years, today=today)
    if agreement_slug:
        targets = list(Agreement.objects.filter(slug=agreement_slug))
        if not targets:
            raise GenerateError(
                _("Unbekannte Vereinbarung / unknown agreement: %(slug)s")
                % {"slug": agreement_slug}
            )
    else:
        targets = agreements_create(
            rng=_seeded(seed, "agreements"), count=agreements, first_year=span.start
        )
    # "Now" is the start of ``today``, so the records depend on the date, not the hour.
    now = datetime.datetime.combine(today, datetime.time(), timezone.get_default_timezone())
    total_activities = total_reach = 0
    for index, agreement in enumerate(targets):
        context = context_load(
            rng=_seeded(seed, index, "setup"),
            agreement=agreement,
            on=datetime.date(span.start, 1, 1),
        )
        for year in span:
            rows = year_rows(
                rng=_seeded(seed, index, year),
                context=context,
                year=year,
                count=activities_per_year,
                now=now,
            )
            activities, reach = insert(rows, batch_size=batch_size, progress=progress)
            total_activities += activities
            total_reach += reach
    _update_planner_statistics()
    return GenerateResult(
        agreements=[a.slug for a in targets],
        activities=total_activities,
        reach_rows=total_reach,
        years=span,
    )
