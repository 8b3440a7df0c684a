"""The indicator engine (§ 8): actual, target, previous period and status of indicators.

For any indicator and period the engine asks the indicator's source (``sources/``) for
the actual value, computed in the database with a few queries per indicator whatever
the number of activities, and the same for the previous period of the same kind.

Target: the indicator's yearly target. A sum (not a rate) is pro-rated when the period is
not a whole year: yearly target × days / 365, rounded half up to 0.1. Calendar and
agreement years, and ranges of exactly one year, keep the yearly target. Rates (shares,
yes/no, medians) keep it always.

Status, on ``today`` (default: the local date):
- no actual value → ``no_data``; no target → ``no_target``;
- sums: ``reached`` if actual ≥ target; otherwise, while the period has not ended,
  ``on_track`` if actual ≥ target × the period's elapsed share, else ``behind``;
- rates: at or above the target → ``reached`` once the period is over, ``on_track`` while
  it runs; below → ``behind``. For a median lag lower is better, so "at or above" reads
  "at or below".

An unknown source, metric or malformed filter gives no value, ``no_data`` and a note
saying what is wrong, so a report never fails over one indicator.
"""

import datetime
import json
import re
from dataclasses import asdict, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buendnis.agreements.models import Agreement, Indicator
from buendnis.agreements.selectors import add_years
from buendnis.evaluation.periods import AGREEMENT_YEAR, CALENDAR, Period
from buendnis.evaluation.sources import Measure, SourceError, measure

DAYS_PER_YEAR = 365
TENTH = Decimal("0.1")
DECIMAL_FIELDS = ("target", "actual", "previous")


class Status(StrEnum):
    """Where an indicator stands against its target."""

    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"


STATUS_LABELS: dict[str, Any] = {
    Status.REACHED: _("erreicht"),
    Status.ON_TRACK: _("auf Kurs"),
    Status.BEHIND: _("im Rückstand"),
    Status.NO_DATA: _("keine Daten"),
    Status.NO_TARGET: _("kein Ziel"),
}


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator's figures for one period, as the report and the snapshot hold them."""

    code: str
    name: str
    unit: str
    level: int
    level_label: str
    goal_code: str | None
    source: str
    target: Decimal | None
    actual: Decimal | None
    previous: Decimal | None
    status: str
    rate: bool
    note: str
    detail: dict[str, int | str | None]

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe: Decimals as strings, None stays None."""
        data = asdict(self)
        for name in DECIMAL_FIELDS:
            if data[name] is not None:
                data[name] = str(data[name])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "IndicatorValue":
        """Read what ``as_dict`` wrote (unknown keys are ignored)."""
        values = {f.name: data.get(f.name) for f in fields(cls)}
        for name in DECIMAL_FIELDS:
            if values[name] is not None:
                values[name] = Decimal(values[name])
        values["detail"] = dict(values["detail"] or {})
        values["note"] = values["note"] or ""
        values["rate"] = bool(values["rate"])
        return cls(**values)


def is_whole_year(period: Period) -> bool:
    """Calendar and agreement years, and any range of exactly one year."""
    return period.kind in (CALENDAR, AGREEMENT_YEAR) or add_years(period.start, 1) == period.stop


def target_for(yearly_target: Decimal | None, period: Period, *, rate: bool) -> Decimal | None:
    """The yearly target, pro-rated to the period's days for sums over part of a year."""
    if yearly_target is None or rate or is_whole_year(period):
        return yearly_target
    share = Decimal(yearly_target) * period.days / DAYS_PER_YEAR
    return share.quantize(TENTH, rounding=ROUND_HALF_UP)


def status_for(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    period: Period,
    today: datetime.date,
    rate: bool,
    lower_is_better: bool = False,
) -> Status:
    """Reached, on track or behind (see the module docstring)."""
    if actual is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    running = today <= period.end
    meets = actual <= target if lower_is_better else actual >= target
    if rate:
        if not meets:
            return Status.BEHIND
        return Status.ON_TRACK if running else Status.REACHED
    if meets:
        return Status.REACHED
    if running and actual >= target * Decimal(repr(period.elapsed_share(today))):
        return Status.ON_TRACK
    return Status.BEHIND


# Measures already taken in one run, so indicators asking the same question (and the
# report's look at last period's rates) cost one query, not one each.
Measures = dict[tuple[Any, ...], Measure]


def _question(indicator: Indicator, period: Period, today: datetime.date) -> tuple[Any, ...]:
    """What a measure depends on: the source, its filter and agreement, the period, today.

    Manual values belong to the indicator itself.
    """
    own = indicator.pk if indicator.source == Indicator.Source.MANUAL else None
    asked = json.dumps(indicator.filter, sort_keys=True, default=str)
    return (indicator.source, indicator.agreement_id, asked, own, period, today)


def measured(
    indicator: Indicator, period: Period, today: datetime.date, taken: Measures | None = None
) -> Measure:
    """The source's measure, or no value with the reason as note (reused from ``taken``)."""
    key = _question(indicator, period, today) if taken is not None else None
    if taken is not None and key in taken:
        return taken[key]
    try:
        result = measure(indicator=indicator, period=period, today=today)
    except SourceError as error:
        result = Measure(actual=None, note=str(error))
    if taken is not None:
        taken[key] = result
    return result


def indicator_value(
    *,
    indicator: Indicator,
    period: Period,
    today: datetime.date | None = None,
    taken: Measures | None = None,
) -> IndicatorValue:
    """The indicator's actual, target, previous value and status for the period."""
    today = today or timezone.localdate()
    current = measured(indicator, period, today, taken)
    previous = measured(indicator, period.previous(), today, taken)
    target = target_for(indicator.yearly_target, period, rate=current.rate)
    try:
        level_label = str(Indicator.Level(indicator.level).label)
    except ValueError:
        level_label = ""
    return IndicatorValue(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        level=indicator.level,
        level_label=level_label,
        goal_code=indicator.goal.code if indicator.goal_id else None,
        source=indicator.source,
        target=target,
        actual=current.actual,
        previous=previous.actual,
        status=status_for(
            actual=current.actual,
            target=target,
            period=period,
            today=today,
            rate=current.rate,
            lower_is_better=current.lower_is_better,
        ),
        rate=current.rate,
        note=current.note,
        detail=dict(current.detail),
    )


def natural_key(code: str) -> tuple[Any, ...]:
    """Sort codes so that Z1.2 comes before Z1.10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def indicator_values(
    *,
    agreement: Agreement,
    period: Period,
    today: datetime.date | None = None,
    taken: Measures | None = None,
) -> list[IndicatorValue]:
    """Every indicator of the agreement: goal indicators by goal and code, then its duties."""
    today = today or timezone.localdate()
    indicators = sorted(
        Indicator.objects.filter(agreement=agreement).select_related("agreement", "goal"),
        key=lambda i: (
            i.goal_id is None,
            natural_key(i.goal.code) if i.goal_id else (),
            natural_key(i.code),
        ),
    )
    taken = {} if taken is None else taken
    return [
        indicator_value(indicator=i, period=period, today=today, taken=taken) for i in indicators
    ]
