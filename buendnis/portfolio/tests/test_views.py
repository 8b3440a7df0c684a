"""The portfolio page and its exports: who may see them, filters, protected figures."""

import datetime
import io
import zipfile
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, Kreis
from buendnis.agreements.models import Agreement

YEAR = timezone.localdate().year
PAGE = reverse("portfolio:index")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _at(month: int, day: int = 6, year: int = YEAR) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 18))


def _row(table: object, key: str) -> list:
    return next(row.values for row in table.rows if row.key == key)  # type: ignore[attr-defined]


def test_it_denies_a_fachkraft(fachkraft: User) -> None:
    assert _client(fachkraft).get(PAGE).status_code == 403


def test_it_denies_the_installation_admin(admin_user: User) -> None:
    assert _client(admin_user).get(PAGE).status_code == 403


def test_it_asks_anonymous_visitors_to_sign_in(db: None) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_it_shows_the_ministry_protected_figures_across_its_agreements(
    make_activity: Callable[..., Activity], referentin: User, other_agreement: Agreement
) -> None:
    for day in range(1, 8):
        make_activity(starts_at=_at(3, day))
    make_activity(starts_at=_at(4), kreis=Kreis.objects.get(pk="06611"))  # one in Kassel
    response = _client(referentin).get(PAGE)
    assert response.status_code == 200
    portfolio = response.context["portfolio"]
    assert not portfolio.any_exact
    assert [a.slug for a in portfolio.filters.agreements] == [
        "identitaet",
        "integration-braucht-partner",
    ]
    bezirke = portfolio.table("regierungsbezirke")
    columns = bezirke.columns
    year_activities = columns.index(f"Aktivitäten {YEAR}")
    assert _row(bezirke, "Kassel")[year_activities] == "< 5"
    assert _row(bezirke, "Gießen")[year_activities] == 0
    # Kassel's single activity can't be worked out as Hessen minus Darmstadt
    darmstadt, total = (
        _row(bezirke, "Darmstadt")[year_activities],
        _row(bezirke, "total")[year_activities],
    )
    assert not (isinstance(darmstadt, int) and isinstance(total, int))
    assert "•" in (darmstadt, total)
    content = response.content.decode()
    assert 'role="img"' in content and "<title>" in content
    assert _row(portfolio.table("kreise"), "06611")[0] == "< 5"


def test_it_shows_a_coordinator_exact_figures_of_its_own_agreement_only(
    make_activity: Callable[..., Activity], koordination: User, other_agreement: Agreement
) -> None:
    make_activity(starts_at=_at(3))
    response = _client(koordination).get(PAGE)
    portfolio = response.context["portfolio"]
    assert [a.slug for a in portfolio.filters.agreements] == ["integration-braucht-partner"]
    assert portfolio.exact
    assert _row(portfolio.table("kreise"), "06413") == [1, 11, 3]


def test_it_refuses_another_organisations_agreement_in_the_filter(
    make_activity: Callable[..., Activity], koordination: User, other_agreement: Agreement
) -> None:
    response = _client(koordination).get(PAGE, {"agreements": "identitaet"})
    assert response.status_code == 400
    assert "Unbekannte Vereinbarung: identitaet" in response.content.decode()
    assert response.context["portfolio"] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"years": "1999"}, "Unbekanntes Jahr: 1999"),
        ({"years": "x"}, "Unbekanntes Jahr: x"),
        ({"kreise": "99999"}, "Unbekannter Kreis: 99999"),
        ({"format": "nope"}, "Unbekanntes Format: nope"),
    ],
)
def test_it_names_a_bad_filter(
    documenting: Agreement, referentin: User, query: dict, message: str
) -> None:
    response = _client(referentin).get(PAGE, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_it_names_a_bad_filter_in_english(documenting: Agreement, referentin: User) -> None:
    client = _client(referentin)
    client.cookies["django_language"] = "en"
    response = client.get(PAGE, {"years": "1999"})
    assert response.status_code == 400
    assert "Unknown year: 1999" in response.content.decode()


def test_it_exports_the_filtered_tables_as_xlsx(
    make_activity: Callable[..., Activity], referentin: User
) -> None:
    for day in range(1, 8):
        make_activity(starts_at=_at(3, day))
    years = [YEAR - 2, YEAR - 1, YEAR]
    response = _client(referentin).get(
        reverse("portfolio:export", args=["xlsx"]), {"years": [str(y) for y in years]}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Hinweise"
    assert "regierungsbezirke" in book.sheetnames
    sheet = book["regierungsbezirke"]
    assert sheet.freeze_panes == "B2"
    header = [c.value for c in sheet[1]]
    assert header[0] == "Regierungsbezirk"
    darmstadt = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Darmstadt")
    assert darmstadt[header.index(f"Aktivitäten {YEAR}")] == 7
    assert darmstadt[header.index(f"Aktivitäten {YEAR - 1}")] == 0
    notes = {row[0]: row[1] for row in book["Hinweise"].iter_rows(values_only=True)}
    assert "„< 5“" in notes and "„•“" in notes
    assert str(YEAR - 2) in notes["Zeitraum"]


def test_it_exports_one_csv_per_table_with_a_bom(
    make_activity: Callable[..., Activity], referentin: User
) -> None:
    make_activity(starts_at=_at(3))
    response = _client(referentin).get(reverse("portfolio:export", args=["csv"]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "hinweise.csv" in archive.namelist()
    text = archive.read("kreise.csv").decode("utf-8")
    assert text.startswith("\ufeffKreis;Aktivitäten;Teilnahmen;Erstteilnehmende")
    assert "Offenbach am Main, Stadt;< 5;" in text


def test_it_refuses_a_bad_filter_in_the_export(documenting: Agreement, referentin: User) -> None:
    response = _client(referentin).get(
        reverse("portfolio:export", args=["xlsx"]), {"years": "1999"}
    )
    assert response.status_code == 400
    assert "Unbekanntes Jahr: 1999" in response.content.decode()
