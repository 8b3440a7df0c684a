"""German-first formatting of report values, shared by the HTML, PDF and XLSX renderers."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

NBSP = "\u00a0"
MINUS = "\u2212"
PERCENT = "%"
YES_NO_UNITS = ("ja/nein", "yes/no")
EMPTY = "–"


def as_decimal(value: object) -> Decimal | None:
    """The value as a Decimal, or None when it is no number (None, "< 5", "•", "–")."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value: Decimal | int | float, places: int | None = None) -> str:
    """A number in the active language: ``1.234``, ``12,5`` (at most two decimals)."""
    number = Decimal(str(value))
    if places is None:
        if number == number.to_integral_value():
            places = 0
        else:
            number = number.quantize(Decimal("0.01")).normalize()
            places = max(0, -number.as_tuple().exponent)
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)


def format_value(value: object, unit: str = "") -> str:
    """How a figure is shown: ``1.234``, ``87,5 %``, ``ja``; markers like "< 5" as they are."""
    if value is None or value == "":
        return EMPTY
    number = as_decimal(value)
    if number is None:
        return str(value)
    if unit in YES_NO_UNITS:
        return _("ja") if number else _("nein")
    if unit == PERCENT:
        return f"{format_number(number, 1)}{NBSP}%"
    return format_number(number)


def format_change(current: object, previous: object, unit: str = "") -> str:
    """The change from the previous period: ``+12``, ``−3,5 Pp.``; "–" when not computable."""
    now, before = as_decimal(current), as_decimal(previous)
    if now is None or before is None or unit in YES_NO_UNITS:
        return EMPTY
    delta = now - before
    sign = "+" if delta > 0 else (MINUS if delta < 0 else "±")
    text = format_number(abs(delta), 1 if unit == PERCENT else None)
    if unit == PERCENT:
        points = _("Pp.")  # percentage points; outside the f-string so makemessages finds it
        return f"{sign}{text}{NBSP}{points}"
    return f"{sign}{text}"


def format_date(value: datetime.date | str | None) -> str:
    """A date as ``4. Juni 2025`` (in the active language)."""
    if not value:
        return EMPTY
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return formats.date_format(value, "DATE_FORMAT")
