"""Writes for manually measured indicators: a value per period with where it comes from."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from buendnis.accounts.models import User
from buendnis.agreements.models import Indicator
from buendnis.evaluation.models import ManualValue
from buendnis.evaluation.periods import Period

# ManualValue.value has 12 digits, 2 of them decimals.
MAX_VALUE = Decimal("9999999999.99")
CENT = Decimal("0.01")


class ManualValueInvalid(ValueError):
    """The value cannot be recorded; the message says why, in German."""


def _as_decimal(value: Decimal | int | str | float) -> Decimal:
    """Read a number as typed (a decimal comma is fine); refuse anything else."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise ManualValueInvalid(_("Bitte eine Zahl angeben.")) from error
    if not number.is_finite():
        raise ManualValueInvalid(_("Bitte eine Zahl angeben."))
    return number


@transaction.atomic
def manual_value_set(
    *,
    indicator: Indicator,
    period: Period,
    value: Decimal | int | str | float,
    source_note: str,
    by: User | None,
) -> ManualValue:
    """Record (or replace) the indicator's value for exactly this period, with its source."""
    if indicator.source != Indicator.Source.MANUAL:
        raise ManualValueInvalid(
            _("Der Indikator %(code)s wird nicht von Hand erfasst, sondern berechnet.")
            % {"code": indicator.code}
        )
    number = _as_decimal(value)
    if number < 0:
        raise ManualValueInvalid(_("Der Wert darf nicht negativ sein."))
    if number > MAX_VALUE:
        raise ManualValueInvalid(_("Der Wert ist zu groß."))
    if number != number.quantize(CENT):
        raise ManualValueInvalid(_("Bitte höchstens zwei Nachkommastellen angeben."))
    note = (source_note or "").strip()
    if not note:
        raise ManualValueInvalid(
            _("Bitte die Quelle angeben, aus der der Wert stammt (etwa ein Bericht).")
        )
    manual_value, _created = ManualValue.objects.update_or_create(
        indicator=indicator,
        starts_on=period.start,
        ends_on=period.end,
        defaults={"value": number.quantize(CENT), "source_note": note, "entered_by": by},
    )
    return manual_value
