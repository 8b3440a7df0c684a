"""Manually measured indicators: entering a value with its source, and the engine reading it."""

import datetime
from decimal import Decimal

import pytest

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement, Indicator, IndicatorTarget
from buendnis.evaluation.engine import Status, indicator_value
from buendnis.evaluation.manual import ManualValueInvalid, manual_value_set
from buendnis.evaluation.models import ManualValue
from buendnis.evaluation.periods import RANGE, Period, calendar_year

Y2025 = calendar_year(2025)
NOTE = "Berichte der Jugendämter Offenbach und Kassel, März 2026"


@pytest.fixture
def opening(agreement: Agreement) -> Indicator:
    """Z5.3 of the demo: organisations that took steps of intercultural opening."""
    indicator = Indicator.objects.create(
        agreement=agreement,
        code="Z5.3",
        name="Organisationen mit Schritten interkultureller Öffnung",
        unit="Organisationen",
        level=7,
        source=Indicator.Source.MANUAL,
    )
    IndicatorTarget.objects.create(indicator=indicator, year=2000, value=Decimal(3))
    return indicator


def test_it_records_a_value_with_its_source_and_author(
    opening: Indicator, koordination: User
) -> None:
    stored = manual_value_set(
        indicator=opening, period=Y2025, value="4", source_note=f"  {NOTE} ", by=koordination
    )
    assert (stored.value, stored.source_note, stored.entered_by) == (Decimal(4), NOTE, koordination)
    assert (stored.starts_on, stored.ends_on) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )


def test_it_replaces_the_value_of_the_same_period(opening: Indicator, koordination: User) -> None:
    manual_value_set(indicator=opening, period=Y2025, value=2, source_note=NOTE, by=koordination)
    manual_value_set(
        indicator=opening, period=Y2025, value="2,5", source_note="Korrigiert", by=koordination
    )
    [stored] = ManualValue.objects.filter(indicator=opening)
    assert (stored.value, stored.source_note) == (Decimal("2.5"), "Korrigiert")


def test_the_engine_reads_the_value_of_exactly_the_period(
    opening: Indicator, koordination: User
) -> None:
    manual_value_set(indicator=opening, period=Y2025, value=4, source_note=NOTE, by=koordination)
    result = indicator_value(indicator=opening, period=Y2025, today=datetime.date(2026, 11, 29))
    assert (result.actual, result.note, result.status, result.rate) == (
        Decimal(4),
        NOTE,
        Status.REACHED,
        False,
    )
    half = Period(RANGE, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    missing = indicator_value(indicator=opening, period=half, today=datetime.date(2026, 11, 29))
    assert (missing.actual, missing.status) == (None, Status.NO_DATA)
    nxt = indicator_value(
        indicator=opening, period=calendar_year(2026), today=datetime.date(2026, 11, 29)
    )
    assert (nxt.actual, nxt.previous) == (None, Decimal(4))


def test_it_treats_a_manual_percentage_as_a_rate(agreement: Agreement, koordination: User) -> None:
    share = Indicator.objects.create(
        agreement=agreement, code="M1", name="Anteil", unit="%", level=4, source="manual"
    )
    manual_value_set(indicator=share, period=Y2025, value="62.5", source_note=NOTE, by=None)
    result = indicator_value(indicator=share, period=Y2025)
    assert (result.actual, result.rate) == (Decimal("62.5"), True)


def test_it_refuses_a_computed_indicator(agreement: Agreement, koordination: User) -> None:
    computed = Indicator.objects.create(
        agreement=agreement,
        code="Z1.1",
        name="Vätergruppen",
        unit="Veranstaltungen",
        level=1,
        source=Indicator.Source.ACTIVITIES,
        filter={"metric": "count"},
    )
    with pytest.raises(ManualValueInvalid, match=r"Z1\.1 wird nicht von Hand erfasst"):
        manual_value_set(
            indicator=computed, period=Y2025, value=4, source_note=NOTE, by=koordination
        )
    assert not ManualValue.objects.exists()


@pytest.mark.parametrize(
    ("value", "note", "message"),
    [
        ("-1", NOTE, "nicht negativ"),
        ("vier", NOTE, "eine Zahl"),
        ("NaN", NOTE, "eine Zahl"),
        ("1.005", NOTE, "zwei Nachkommastellen"),
        ("10000000000", NOTE, "zu groß"),
        ("4", "", "Quelle"),
        ("4", "   ", "Quelle"),
    ],
)
def test_it_refuses_bad_values_and_a_missing_source(
    opening: Indicator, koordination: User, value: str, note: str, message: str
) -> None:
    with pytest.raises(ManualValueInvalid, match=message):
        manual_value_set(
            indicator=opening, period=Y2025, value=value, source_note=note, by=koordination
        )
    assert not ManualValue.objects.exists()
