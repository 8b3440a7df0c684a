"""Sums across agreements and years: shown only where the published nodes determine them."""

import datetime
from collections.abc import Callable

from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities import grid as act
from buendnis.activities.models import Activity, Kreis
from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.periods import YEAR
from buendnis.portfolio.figures import ACTIVITIES, Reader, combine, share

THIS_YEAR = timezone.localdate().year
KASSEL = "06611"


def _at(year: int, month: int, day: int = 6) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 18))


def test_a_protected_part_hides_a_sum_unless_the_rest_is_zero() -> None:
    assert combine([3, 4]) == 7
    assert combine(["< 5", 0, 0]) == "< 5"
    assert combine(["< 5", 9]) == "•"
    assert combine(["•", "< 5"]) == "•"


def test_a_share_needs_both_counts() -> None:
    assert share(3, 4) == 75.0
    assert share("< 5", 12) == "•"
    assert share(0, 0) == "–"


def test_a_sum_of_years_is_shown_only_where_each_year_is(
    make_activity: Callable[..., Activity], referentin: User, other_agreement: Agreement
) -> None:
    for year in (THIS_YEAR - 1, THIS_YEAR):
        for day in range(1, 8):
            make_activity(starts_at=_at(year, 3, day))
    make_activity(starts_at=_at(THIS_YEAR, 4), kreis=Kreis.objects.get(pk=KASSEL))
    agreements = [Activity.objects.first().agreement, other_agreement]
    reader = Reader(referentin, agreements)
    assert not reader.any_exact

    def total(region: str, *years: int) -> object:
        return reader.sum(
            ACTIVITIES,
            lambda part: [act.region_node("activities", region, (YEAR, y)) for y in years],
        )

    assert total(act.TOTAL, THIS_YEAR - 1) == 7
    assert total(act.TOTAL, THIS_YEAR - 1, THIS_YEAR) == 15  # both years published
    assert total(KASSEL, THIS_YEAR) == "< 5"
    assert total(KASSEL, THIS_YEAR - 1, THIS_YEAR) == "< 5"  # last year has no Kassel node
    assert total("Kassel", THIS_YEAR - 1, THIS_YEAR) == "< 5"


def test_the_documenting_coordinator_reads_true_values(
    make_activity: Callable[..., Activity], koordination: User
) -> None:
    make_activity(starts_at=_at(THIS_YEAR, 4), kreis=Kreis.objects.get(pk=KASSEL))
    reader = Reader(koordination, [Activity.objects.first().agreement])
    assert reader.exact
    figure = reader.sum(
        ACTIVITIES, lambda part: [act.region_node("first_timers", KASSEL, (YEAR, THIS_YEAR))]
    )
    assert figure == 3
