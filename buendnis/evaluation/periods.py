"""Evaluation periods: a calendar year, an agreement year from the in-force date, or a range.

A period names its first and last day (both included); ``stop`` is the day after the last,
for half-open database filters. Keys are what URLs and the command line use: ``2026``,
``aj2025`` (the agreement year that starts in 2025) and ``2026-01-01..2026-06-30``.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from buendnis.agreements.models import Agreement
from buendnis.agreements.selectors import add_years

CALENDAR = "calendar"
AGREEMENT_YEAR = "agreement_year"
RANGE = "range"

_YEAR = re.compile(r"^(\d{4})$")
_AGREEMENT_YEAR = re.compile(r"^(?:aj|vj)(\d{4})$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodInvalid(ValueError):
    """The period text cannot be read; the message says how to write it, in German and English."""


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def stop(self) -> datetime.date:
        """The day after the last day (exclusive upper bound)."""
        return self.end + datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.stop - self.start).days

    @property
    def key(self) -> str:
        if self.kind == CALENDAR:
            return str(self.start.year)
        if self.kind == AGREEMENT_YEAR:
            return f"aj{self.start.year}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == CALENDAR:
            return str(self.start.year)
        span = f"{formats.date_format(self.start)} – {formats.date_format(self.end)}"
        if self.kind == AGREEMENT_YEAR:
            return _("Vereinbarungsjahr %(first)s/%(second)s (%(span)s)") % {
                "first": self.start.year,
                "second": str(self.end.year)[2:],
                "span": span,
            }
        return span

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> "Period":
        """The period of the same kind and length just before this one."""
        if self.kind in (CALENDAR, AGREEMENT_YEAR):
            return Period(self.kind, add_years(self.start, -1), self.start - datetime.timedelta(1))
        end = self.start - datetime.timedelta(days=1)
        return Period(RANGE, end - datetime.timedelta(days=self.days - 1), end)

    def elapsed_share(self, today: datetime.date) -> float:
        """How much of the period has passed on ``today``: 0 before it, 1 after it."""
        if today >= self.end:
            return 1.0
        if today < self.start:
            return 0.0
        return ((today - self.start).days + 1) / self.days


def calendar_year(year: int) -> Period:
    return Period(CALENDAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def agreement_year(agreement: Agreement, year: int) -> Period:
    """The agreement year that begins in ``year`` on the anniversary of the in-force date."""
    in_force = agreement.in_force_on
    if in_force is None:
        raise PeriodInvalid(
            _(
                "Die Vereinbarung hat kein Datum des Inkrafttretens; bitte ein Kalenderjahr "
                "oder einen Zeitraum angeben / the agreement has no in-force date; give a "
                "calendar year or a date range."
            )
        )
    start = add_years(in_force, year - in_force.year)
    return Period(AGREEMENT_YEAR, start, add_years(start, 1) - datetime.timedelta(days=1))


def parse(text: str, agreement: Agreement) -> Period:
    """Read ``2026``, ``aj2025`` or ``2026-01-01..2026-06-30``; raise ``PeriodInvalid``."""
    text = (text or "").strip()
    if match := _YEAR.match(text):
        year = int(match.group(1))
        if not 1900 <= year <= 2999:
            raise PeriodInvalid(_("Unbekanntes Jahr / unknown year: %(text)s") % {"text": text})
        return calendar_year(year)
    if match := _AGREEMENT_YEAR.match(text):
        return agreement_year(agreement, int(match.group(1)))
    if match := _RANGE.match(text):
        try:
            start, end = (datetime.date.fromisoformat(part) for part in match.groups())
        except ValueError as error:
            raise PeriodInvalid(
                _("Kein gültiges Datum / not a valid date: %(text)s") % {"text": text}
            ) from error
        if end < start:
            raise PeriodInvalid(
                _(
                    "Der Zeitraum endet vor seinem Beginn / the range ends before it starts: "
                    "%(text)s"
                )
                % {"text": text}
            )
        return Period(RANGE, start, end)
    raise PeriodInvalid(
        _(
            "Zeitraum nicht erkannt: „%(text)s“. Möglich sind ein Kalenderjahr (2026), ein "
            "Vereinbarungsjahr (aj2025) oder ein Zeitraum (2026-01-01..2026-06-30) / period "
            "not recognised; give a year (2026), an agreement year (aj2025) or a range "
            "(2026-01-01..2026-06-30)."
        )
        % {"text": text}
    )
