"""Importing activities: round trip, nothing twice, plain-word problems, the preview page."""

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from buendnis.accounts.models import Organisation, User
from buendnis.activities import export
from buendnis.activities.importing import ImportResult, activities_import
from buendnis.activities.models import Activity, ReachCategory, ReachCount
from buendnis.agreements.models import Agreement

pytestmark = pytest.mark.django_db


def valid_row(ref: str = "ext-1", **overrides: Any) -> dict[str, Any]:
    """One correct row by column key: the Väter-Café with 11 fathers."""
    row = {
        "external_ref": ref,
        "title": "Väter-Café Offenbach",
        "format": "Vätergruppe / Väter-Café",
        "starts_at": "24.11.2026 19:00",
        "ends_at": "24.11.2026 21:00",
        "kreis_ags": "06413",
        "place_name": "Stadtteilzentrum",
        "languages": "de, ar",
        "goals": "Z1",
        "participants": "11",
        "first_timers": "3",
        "reach_group_fathers": "11",
        "reach_migration_own": "8",
        "reach_migration_family": "1",
        "reach_migration_none": "2",
        "staff_hours": "2,5",
    }
    row.update(overrides)
    return row


def csv_file(
    agreement: Agreement, rows: list[dict[str, Any]], delimiter: str = ";", encoding: str = "utf-8"
) -> io.BytesIO:
    """A CSV file with the export's headers and the given rows."""
    columns = export.columns_for(list(ReachCategory.objects.filter(agreement=agreement)))
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in columns])
    return io.BytesIO(text.getvalue().encode(encoding))


def run(agreement: Agreement, organisation: Organisation, source: Any, **kw: Any) -> ImportResult:
    return activities_import(agreement=agreement, organisation=organisation, source=source, **kw)


def _snapshot(activity: Activity) -> dict[str, Any]:
    """What must survive a round trip."""
    return {
        "title": activity.title,
        "format": activity.format.key,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "online": activity.online,
        "kreis": activity.kreis_id,
        "place_name": activity.place_name,
        "languages": activity.languages,
        "goals": sorted(g.code for g in activity.goals.all()),
        "participants": activity.participants,
        "first_timers": activity.first_timers,
        "reach": sorted(
            (r.category.dimension, r.category.key, r.count)
            for r in activity.reach.select_related("category")
        ),
        "staff_hours": activity.staff_hours,
        "description": activity.description,
        "reflection": activity.reflection,
        "status": activity.status,
        "documented_at": activity.documented_at.replace(microsecond=0)
        if activity.documented_at
        else None,
    }


def _records() -> list[dict[str, Any]]:
    return [_snapshot(a) for a in Activity.objects.order_by("starts_at", "title")]


@pytest.fixture
def several(make_activity: Callable[..., Activity], documenting: Agreement) -> None:
    """Activities that use every column: online, planned, staff hours, several goals."""
    make_activity(staff_hours=Decimal("2.50"), description="Mit Kinderbetreuung; „Zitat“")
    make_activity(
        title="Online-Austausch",
        online=True,
        kreis=None,
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 18, 30)),
        goals=list(documenting.goals.all()),
        languages=[],
    )
    make_activity(
        title="Geplant",
        status=Activity.Status.PLANNED,
        starts_at=timezone.make_aware(datetime.datetime(2027, 1, 10, 10)),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_round_trips_an_export_into_a_fresh_database(
    several: None, documenting: Agreement, partner_org: Organisation, fmt: str
) -> None:
    before = _records()
    activities = Activity.objects.all()
    categories = export.export_categories(activities)
    if fmt == "csv":
        text = io.StringIO(newline="")
        export.write_csv(activities, categories, text)
        source = io.BytesIO(text.getvalue().encode("utf-8"))
    else:
        source = io.BytesIO()
        export.write_xlsx(activities, categories, source)
        source.seek(0)
    ReachCount.objects.all().delete()
    Activity.objects.all().delete()

    result = run(documenting, partner_org, source)

    assert result.problems == []
    assert (result.rows, result.created, result.already_present) == (3, 3, 0)
    assert _records() == before


def test_it_creates_nothing_new_when_importing_twice(
    documenting: Agreement, partner_org: Organisation
) -> None:
    rows = [valid_row("a"), valid_row("b", title="Zweiter Abend")]
    first = run(documenting, partner_org, csv_file(documenting, rows))
    assert (first.created, first.already_present) == (2, 0)
    second = run(documenting, partner_org, csv_file(documenting, rows))
    assert second.problems == []
    assert (second.rows, second.to_create, second.created, second.already_present) == (2, 0, 0, 2)
    assert Activity.objects.count() == 2


def test_it_skips_rows_exported_from_the_same_database(
    make_activity: Callable[..., Activity], documenting: Agreement, partner_org: Organisation
) -> None:
    make_activity()
    activities = Activity.objects.all()
    out = io.StringIO()
    export.write_csv(activities, export.export_categories(activities), out)
    result = run(documenting, partner_org, io.BytesIO(out.getvalue().encode("utf-8")))
    assert (result.already_present, result.created) == (1, 0)
    assert Activity.objects.count() == 1


def test_it_writes_imported_activities_as_documented(
    documenting: Agreement, partner_org: Organisation, koordination: User
) -> None:
    now = timezone.make_aware(datetime.datetime(2026, 12, 1, 9))
    result = run(
        documenting,
        partner_org,
        csv_file(documenting, [valid_row()]),
        responsible=koordination,
        now=now,
    )
    assert result.created == 1
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.DOCUMENTED
    assert activity.documented_at == now
    assert activity.external_ref == "ext-1"
    assert activity.responsible == koordination
    assert activity.staff_hours == Decimal("2.50")
    assert activity.languages == ["de", "ar"]
    assert [g.code for g in activity.goals.all()] == ["Z1"]
    assert activity.reach.count() == 4


def test_it_takes_the_status_column(documenting: Agreement, partner_org: Organisation) -> None:
    run(documenting, partner_org, csv_file(documenting, [valid_row(status="Geplant")]))
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.PLANNED
    assert activity.documented_at is None


def test_it_reads_commas_and_windows_encoding(
    documenting: Agreement, partner_org: Organisation
) -> None:
    source = csv_file(
        documenting,
        [valid_row(staff_hours="1.5", title="Väter-Café „Süd“")],
        delimiter=",",
        encoding="cp1252",
    )
    result = run(documenting, partner_org, source)
    assert result.problems == []
    activity = Activity.objects.get()
    assert activity.title == "Väter-Café „Süd“"
    assert activity.staff_hours == Decimal("1.50")


def test_it_accepts_the_column_keys_and_a_leading_zero_lost_by_excel(
    documenting: Agreement, partner_org: Organisation
) -> None:
    row = valid_row(kreis_ags="6413", format="vaetergruppe")
    header = ";".join(row)
    source = io.BytesIO(f"{header}\n{';'.join(row.values())}\n".encode())
    result = run(documenting, partner_org, source)
    assert result.problems == []
    assert Activity.objects.get().kreis_id == "06413"


BAD_INPUT = [
    pytest.param(
        {"participants": "-3"},
        "Zeile 3, Spalte „Teilnehmende“: Die Zahl darf nicht negativ sein.",
        id="negative-count",
    ),
    pytest.param(
        {"reach_group_fathers": "9"},
        "Zeile 3, Spalte „Teilnehmende nach Gruppe: Väter“: Teilnehmende nach Gruppe: die "
        "Zahlen ergeben zusammen 9, es haben aber 11 Personen teilgenommen.",
        id="totals-do-not-add-up",
    ),
    pytest.param(
        {"ends_at": "24.11.2026 18:00"},
        "Zeile 3, Spalte „Ende“: Das Ende liegt vor dem Beginn.",
        id="end-before-start",
    ),
    pytest.param(
        {"kreis_ags": "06999"},
        "Zeile 3, Spalte „Kreis (AGS)“: Der Kreis-Schlüssel 06999 ist unbekannt.",
        id="unknown-kreis",
    ),
    pytest.param(
        {"starts_at": "32.13.2026 19:00"},
        "Zeile 3, Spalte „Beginn“: „32.13.2026 19:00“ ist kein gültiger Zeitpunkt. Bitte als "
        "TT.MM.JJJJ HH:MM angeben.",
        id="bad-date",
    ),
    pytest.param(
        {"format": "Tanzkurs"},
        "Zeile 3, Spalte „Format“: Das Format „Tanzkurs“ gibt es in dieser Vereinbarung nicht.",
        id="unknown-format",
    ),
    pytest.param(
        {"format_key": "tanzkurs"},
        "Zeile 3, Spalte „Format-Kürzel“: Das Format-Kürzel „tanzkurs“ gibt es in dieser "
        "Vereinbarung nicht.",
        id="unknown-format-key",
    ),
    pytest.param(
        {"external_ref": ""},
        "Zeile 3, Spalte „Externe Referenz“: Das Feld darf nicht leer sein.",
        id="missing-reference",
    ),
    pytest.param(
        {"title": ""},
        "Zeile 3, Spalte „Titel“: Das Feld darf nicht leer sein.",
        id="missing-title",
    ),
    pytest.param(
        {"participants": "elf"},
        "Zeile 3, Spalte „Teilnehmende“: „elf“ ist keine ganze Zahl.",
        id="not-a-number",
    ),
    pytest.param(
        {"first_timers": "12"},
        "Zeile 3, Spalte „davon zum ersten Mal“: Es können nicht mehr Personen zum ersten Mal "
        "da sein (12) als insgesamt teilgenommen haben (11).",
        id="more-first-timers-than-participants",
    ),
    pytest.param(
        {"kreis_ags": "", "online": "nein"},
        "Zeile 3, Spalte „Kreis (AGS)“: Bitte einen Kreis angeben oder „online“ wählen.",
        id="no-place",
    ),
    pytest.param(
        {"goals": "Z9"},
        "Zeile 3, Spalte „Ziele“: Das Ziel „Z9“ gibt es in dieser Vereinbarung nicht.",
        id="unknown-goal",
    ),
    pytest.param(
        {"external_ref": "ext-1"},
        "Zeile 3, Spalte „Externe Referenz“: Die Referenz „ext-1“ steht schon in Zeile 2.",
        id="reference-twice-in-the-file",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUT)
def test_it_names_row_and_column_of_each_problem_and_writes_nothing(
    documenting: Agreement, partner_org: Organisation, change: dict[str, str], message: str
) -> None:
    rows = [valid_row("ext-1"), valid_row("ext-2", **change), valid_row("ext-3")]
    before = (Activity.objects.count(), ReachCount.objects.count())
    result = run(documenting, partner_org, csv_file(documenting, rows))
    problems = [str(p) for p in result.problems]
    assert message in problems
    assert all(p.startswith("Zeile 3, Spalte") for p in problems)
    assert result.created == 0
    assert (Activity.objects.count(), ReachCount.objects.count()) == before


def test_it_reports_a_malformed_row(documenting: Agreement, partner_org: Organisation) -> None:
    source = csv_file(documenting, [valid_row("ext-1")])
    source = io.BytesIO(source.getvalue() + b"ext-2;Kaputt;zu;wenige\r\n")
    result = run(documenting, partner_org, source)
    assert str(result.problems[0]).startswith("Zeile 3: Die Zeile hat 4 Felder, die Kopfzeile")
    assert Activity.objects.count() == 0


def test_it_reports_unknown_and_missing_columns(
    documenting: Agreement, partner_org: Organisation
) -> None:
    source = io.BytesIO("Titel;Lieblingsfarbe\nVäter-Café;blau\n".encode())
    problems = [str(p) for p in run(documenting, partner_org, source).problems]
    assert "Zeile 1, Spalte „Lieblingsfarbe“: Diese Spalte ist unbekannt." in problems
    assert "Zeile 1, Spalte „Externe Referenz“: Diese Spalte fehlt." in problems
    assert "Zeile 1, Spalte „Beginn“: Diese Spalte fehlt." in problems
    assert Activity.objects.count() == 0


def test_it_refuses_a_file_that_is_no_table(
    documenting: Agreement, partner_org: Organisation
) -> None:
    result = run(documenting, partner_org, io.BytesIO(b"PK\x03\x04 kaputt"))
    assert [str(p) for p in result.problems] == ["Die XLSX-Datei lässt sich nicht lesen."]
    assert run(documenting, partner_org, io.BytesIO(b"")).problems[0].message == (
        "Die Datei ist leer."
    )


def test_it_refuses_an_organisation_outside_the_agreement(
    documenting: Agreement, other_org: Organisation
) -> None:
    result = run(documenting, other_org, csv_file(documenting, [valid_row()]))
    assert "ist nicht Partnerin" in str(result.problems[0])
    assert Activity.objects.count() == 0


def test_it_does_not_write_on_a_dry_run(documenting: Agreement, partner_org: Organisation) -> None:
    result = run(documenting, partner_org, csv_file(documenting, [valid_row()]), dry_run=True)
    assert (result.rows, result.to_create, result.created) == (1, 1, 0)
    assert [p.state for p in result.preview] == ["new"]
    assert Activity.objects.count() == 0


def test_it_reads_a_constant_number_of_queries(
    documenting: Agreement, partner_org: Organisation
) -> None:
    def queries_for(rows: int, prefix: str) -> int:
        source = csv_file(documenting, [valid_row(f"{prefix}-{i}") for i in range(rows)])
        with CaptureQueriesContext(connection) as captured:
            assert run(documenting, partner_org, source).created == rows
        return len(captured)

    assert queries_for(5, "a") == queries_for(50, "b")


# --- the page ------------------------------------------------------------------------


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _upload(agreement: Agreement, rows: list[dict[str, Any]]) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "aktivitaeten.csv", csv_file(agreement, rows).getvalue(), content_type="text/csv"
    )


def test_it_shows_the_upload_form(koordination: User, documenting: Agreement) -> None:
    response = _client(koordination).get(reverse("activities:import"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert documenting.title in response.text


def test_it_previews_then_writes_on_confirm(
    koordination: User, documenting: Agreement, data_dir: Path
) -> None:
    client = _client(koordination)
    upload = _upload(documenting, [valid_row("a"), valid_row("b", title="Zweiter Abend")])
    response = client.post(
        reverse("activities:import"), {"agreement": documenting.pk, "file": upload}
    )
    assert response.status_code == 200
    assert "Zweiter Abend" in response.text
    assert "2 Aktivitäten anlegen" in response.text
    assert Activity.objects.count() == 0
    token = client.session["activity_import"]["token"]
    assert (data_dir / "imports" / f"{token}.upload").exists()

    response = client.post(reverse("activities:import"), {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Activity.objects.count() == 2
    assert set(Activity.objects.values_list("responsible", flat=True)) == {koordination.pk}
    assert not (data_dir / "imports" / f"{token}.upload").exists()
    assert "activity_import" not in client.session
    assert "2 Aktivitäten sind angelegt" in client.get(response["Location"]).text


def test_it_shows_every_problem_and_offers_no_confirmation(
    koordination: User, documenting: Agreement, data_dir: Path
) -> None:
    client = _client(koordination)
    upload = _upload(documenting, [valid_row("a"), valid_row("b", kreis_ags="06999")])
    response = client.post(
        reverse("activities:import"), {"agreement": documenting.pk, "file": upload}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert "Zeile 3, Spalte „Kreis (AGS)“: Der Kreis-Schlüssel 06999 ist unbekannt." in (
        response.content.decode()
    )
    assert 'name="confirm"' not in response.text
    assert "activity_import" not in client.session
    assert list((data_dir / "imports").iterdir()) == []
    assert Activity.objects.count() == 0


def test_it_cancels_and_deletes_the_upload(
    koordination: User, documenting: Agreement, data_dir: Path
) -> None:
    client = _client(koordination)
    client.post(
        reverse("activities:import"),
        {"agreement": documenting.pk, "file": _upload(documenting, [valid_row()])},
    )
    token = client.session["activity_import"]["token"]
    response = client.post(reverse("activities:import"), {"cancel": "1", "token": token})
    assert response.status_code == 302
    assert list((data_dir / "imports").iterdir()) == []
    response = client.post(reverse("activities:import"), {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Activity.objects.count() == 0


def test_it_refuses_a_confirmation_for_another_upload(
    koordination: User, documenting: Agreement, data_dir: Path
) -> None:
    client = _client(koordination)
    client.post(
        reverse("activities:import"),
        {"agreement": documenting.pk, "file": _upload(documenting, [valid_row()])},
    )
    response = client.post(reverse("activities:import"), {"confirm": "1", "token": "x" * 32})
    assert response.status_code == 302
    assert Activity.objects.count() == 0


def test_it_lets_no_fachkraft_import(fachkraft: User, documenting: Agreement) -> None:
    client = _client(fachkraft)
    assert client.get(reverse("activities:import")).status_code == 403
    response = client.post(
        reverse("activities:import"),
        {"agreement": documenting.pk, "file": _upload(documenting, [valid_row()])},
    )
    assert response.status_code == 403
    assert Activity.objects.count() == 0


def test_it_lets_no_ministry_import(referentin: User, documenting: Agreement) -> None:
    assert _client(referentin).get(reverse("activities:import")).status_code == 403


def test_it_denies_other_organisation(
    outsider: User, documenting: Agreement, other_agreement: Agreement, data_dir: Path
) -> None:
    client = _client(outsider)
    response = client.get(reverse("activities:import"))
    assert documenting.title not in response.text
    response = client.post(
        reverse("activities:import"),
        {"agreement": documenting.pk, "file": _upload(documenting, [valid_row()])},
    )
    assert response.status_code == 400
    assert Activity.objects.count() == 0
    assert "activity_import" not in client.session


def test_it_reports_an_unknown_kreis_once(
    documenting: Agreement, partner_org: Organisation
) -> None:
    result = run(documenting, partner_org, csv_file(documenting, [valid_row(kreis_ags="06999")]))
    assert [str(p) for p in result.problems] == [
        "Zeile 2, Spalte „Kreis (AGS)“: Der Kreis-Schlüssel 06999 ist unbekannt."
    ]


def test_it_still_checks_the_reach_when_the_format_is_unknown(
    documenting: Agreement, partner_org: Organisation
) -> None:
    row = valid_row(format="Tanzkurs", reach_group_fathers="9", ends_at="24.11.2026 18:00")
    problems = [
        str(p) for p in run(documenting, partner_org, csv_file(documenting, [row])).problems
    ]
    assert "Zeile 2, Spalte „Ende“: Das Ende liegt vor dem Beginn." in problems
    assert any(p.startswith("Zeile 2, Spalte „Teilnehmende nach Gruppe: Väter“") for p in problems)
    assert len(problems) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_takes_back_the_export_s_formula_guard(
    make_activity: Callable[..., Activity],
    documenting: Agreement,
    partner_org: Organisation,
    fmt: str,
) -> None:
    titles = ['=HYPERLINK("https://example.org")', "'=schon zitiert", "'Apostroph", "-5 Grad"]
    for title in titles:
        make_activity(title=title, place_name="@Jugendhaus", description="+ Kaffee")
    activities = Activity.objects.all()
    categories = export.export_categories(activities)
    if fmt == "csv":
        text = io.StringIO(newline="")
        export.write_csv(activities, categories, text)
        source = io.BytesIO(text.getvalue().encode("utf-8"))
    else:
        source = io.BytesIO()
        export.write_xlsx(activities, categories, source)
        source.seek(0)
    before = _records()
    ReachCount.objects.all().delete()
    Activity.objects.all().delete()

    result = run(documenting, partner_org, source)

    assert result.problems == []
    assert _records() == before
    assert sorted(Activity.objects.values_list("title", flat=True)) == sorted(titles)
    assert set(Activity.objects.values_list("place_name", flat=True)) == {"@Jugendhaus"}


def test_it_leaves_an_apostrophe_before_ordinary_text(
    documenting: Agreement, partner_org: Organisation
) -> None:
    rows = [valid_row(title="'s Café"), valid_row("ext-2", title="'=Formel")]
    assert run(documenting, partner_org, csv_file(documenting, rows)).problems == []
    assert sorted(Activity.objects.values_list("title", flat=True)) == ["'s Café", "=Formel"]


def test_it_offers_the_import_on_the_list_to_coordinators_only(
    koordination: User, fachkraft: User, documenting: Agreement
) -> None:
    link = f'href="{reverse("activities:import")}"'
    response = _client(koordination).get(reverse("activities:list"))
    assert link in response.text
    assert "Aus CSV/XLSX importieren" in response.text
    response = _client(fachkraft).get(reverse("activities:list"))
    assert response.status_code == 200
    assert link not in response.text


def _junk_file(agreement: Agreement, rows: int) -> io.BytesIO:
    """The export's header, then ``rows`` rows of the wrong width (one problem each)."""
    header = csv_file(agreement, []).getvalue()
    return io.BytesIO(header + b"Unsinn;nichts\r\n" * rows)


def test_it_stops_reading_after_a_thousand_problems(
    documenting: Agreement, partner_org: Organisation
) -> None:
    from buendnis.activities.importing.result import MAX_PROBLEMS

    source = _junk_file(documenting, 200_000)
    result = run(documenting, partner_org, source)
    assert len(result.problems) == MAX_PROBLEMS == 1000
    assert result.stopped_early
    assert result.rows <= MAX_PROBLEMS  # the rows after the thousandth problem were not read
    assert source.tell() < len(source.getvalue()) // 10
    assert result.stopped_message == (
        "Nach 1.000 Problemen wurde die Datei nicht weiter gelesen; es kann weitere geben."
    )
    with translation.override("en"):
        assert result.stopped_message == (
            "Reading stopped after 1,000 problems; there may be more."
        )


def test_it_reads_a_whole_file_with_fewer_problems(
    documenting: Agreement, partner_org: Organisation
) -> None:
    result = run(documenting, partner_org, _junk_file(documenting, 100))
    assert 100 < len(result.problems) < 1000
    assert not result.stopped_early and result.stopped_message == ""


def test_it_says_in_the_preview_that_it_stopped(
    koordination: User, documenting: Agreement, data_dir: Path
) -> None:
    upload = SimpleUploadedFile(
        "kaputt.csv", _junk_file(documenting, 5000).getvalue(), content_type="text/csv"
    )
    response = _client(koordination).post(
        reverse("activities:import"), {"agreement": documenting.pk, "file": upload}
    )
    assert response.status_code == 400
    assert "1000 Probleme – es wurde nichts gespeichert." in response.text
    assert "… und 800 weitere Probleme." in response.text
    assert "Nach 1.000 Problemen wurde die Datei nicht weiter gelesen" in response.text


def test_it_reads_windows_1252_that_starts_late_in_a_long_file() -> None:
    from buendnis.activities.importing.reading import CHUNK_BYTES, read_table

    ascii_rows = b"a;b\r\n" * (CHUNK_BYTES // 4)
    rows = list(
        read_table(io.BytesIO(b"x;y\r\n" + ascii_rows + "Väter;Straße\r\n".encode("cp1252")))
    )
    assert rows[-1] == (len(rows), ["Väter", "Straße"])
    assert rows[1] == (2, ["a", "b"])
