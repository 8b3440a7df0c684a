"""Rules for anonymous reach: counts per category that must add up."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from buendnis.activities.models import ReachCategory

Dimension = ReachCategory.Dimension


@dataclass(frozen=True)
class ReachProblem:
    """One number that is off, named so the form can put the message beside it."""

    field: str
    message: str


def field_name(category: ReachCategory) -> str:
    """The form field (and import column) for a category's count."""
    return f"reach_{category.dimension}_{category.key}"


def check_reach(
    *,
    categories: Iterable[ReachCategory],
    participants: int,
    first_timers: int,
    counts: Mapping[int, int],
) -> list[ReachProblem]:
    """Say exactly which number is off: negative counts, sums that differ from the total."""
    categories = list(categories)
    problems = []
    if participants < 0:
        problems.append(ReachProblem("participants", _("Die Zahl darf nicht negativ sein.")))
    if first_timers < 0:
        problems.append(ReachProblem("first_timers", _("Die Zahl darf nicht negativ sein.")))
    elif first_timers > participants:
        problems.append(
            ReachProblem(
                "first_timers",
                _(
                    "Es können nicht mehr Personen zum ersten Mal da sein (%(first)s) als "
                    "insgesamt teilgenommen haben (%(total)s)."
                )
                % {"first": first_timers, "total": participants},
            )
        )
    for category in categories:
        if counts.get(category.pk, 0) < 0:
            problems.append(
                ReachProblem(field_name(category), _("Die Zahl darf nicht negativ sein."))
            )
    if problems:
        return problems

    for dimension in (Dimension.GROUP, Dimension.MIGRATION):
        in_dimension = [c for c in categories if c.dimension == dimension]
        if not in_dimension:
            continue
        total = sum(counts.get(c.pk, 0) for c in in_dimension)
        if total != participants:
            problems.append(
                ReachProblem(
                    field_name(in_dimension[0]),
                    _(
                        "%(dimension)s: die Zahlen ergeben zusammen %(sum)s, es haben aber "
                        "%(total)s Personen teilgenommen."
                    )
                    % {
                        "dimension": Dimension(dimension).label,
                        "sum": total,
                        "total": participants,
                    },
                )
            )
    sectors = [c for c in categories if c.dimension == Dimension.SECTOR]
    for group in (c for c in categories if c.has_sectors):
        expected = counts.get(group.pk, 0)
        total = sum(counts.get(c.pk, 0) for c in sectors)
        if sectors and total != expected:
            problems.append(
                ReachProblem(
                    field_name(sectors[0]),
                    _(
                        "Multiplikator*innen nach Bereich ergeben zusammen %(sum)s, "
                        "„%(group)s“ sind aber %(expected)s."
                    )
                    % {"sum": total, "group": group.label, "expected": expected},
                )
            )
    return problems
