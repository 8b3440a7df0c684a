"""``/api/v1/portfolio/``: the portfolio's tables, protected or exact per agreement."""

import datetime
from collections.abc import Callable

from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, Kreis
from buendnis.agreements.models import Agreement

YEAR = timezone.localdate().year


def _at(month: int, day: int = 6) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, 18))


def _table(data: dict, key: str) -> dict:
    return next(t for t in data["tables"] if t["key"] == key)


def _value(table: dict, row_key: str, column: str) -> object:
    row = table["row_keys"].index(row_key)
    return table["values"][row][table["columns"].index(column)]


def test_the_ministry_reads_the_protected_tables(
    api_as: Callable,
    make_activity: Callable[..., Activity],
    referentin: User,
    other_agreement: Agreement,
) -> None:
    for day in range(1, 8):
        make_activity(starts_at=_at(3, day))
    make_activity(starts_at=_at(4), kreis=Kreis.objects.get(pk="06611"))
    response = api_as(referentin).get("portfolio/", years=[YEAR], regierungsbezirke=["Kassel"])
    assert response.status_code == 200, response.data
    data = response.data
    assert data["exact"] is False
    assert data["agreements"] == ["identitaet", "integration-braucht-partner"]
    bezirke = _table(data, "regierungsbezirke")
    assert bezirke["row_keys"] == ["Kassel"]
    assert _value(bezirke, "Kassel", f"Aktivitäten {YEAR}") == "< 5"
    assert _table(data, "jahre")["values"] == [["< 5", 11, "< 5"]]


def test_a_coordinator_reads_its_own_agreement_exactly(
    api_as: Callable,
    make_activity: Callable[..., Activity],
    koordination: User,
    other_agreement: Agreement,
) -> None:
    make_activity(starts_at=_at(3))
    data = api_as(koordination).get("portfolio/", years=[YEAR]).data
    assert data["exact"] is True
    assert data["agreements"] == ["integration-braucht-partner"]
    assert _value(_table(data, "kreise"), "06413", "Aktivitäten") == 1


def test_another_organisations_agreement_is_a_bad_parameter_not_its_data(
    api_as: Callable, koordination: User, other_agreement: Agreement, documenting: Agreement
) -> None:
    response = api_as(koordination).get("portfolio/", agreements=["identitaet"])
    assert response.status_code == 400
    assert [p["name"] for p in response.data["invalid_params"]] == ["agreements"]
    assert "identitaet" in response.data["detail"]


def test_it_names_an_unknown_year(
    api_as: Callable, referentin: User, documenting: Agreement
) -> None:
    response = api_as(referentin).get("portfolio/", years=[1999])
    assert response.status_code == 400
    assert response.data["invalid_params"][0]["name"] == "years"
    assert "Unbekanntes Jahr: 1999" in response.data["detail"]
