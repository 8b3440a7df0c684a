"""The CSV export assembled by PostgreSQL gives the same bytes as the one assembled in Python.

On SQLite the generic path is the only one: these tests then check that it is the one used.
"""

import datetime
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from buendnis.accounts.models import User
from buendnis.activities import export, export_postgresql, selectors
from buendnis.activities.importing.reading import read_table
from buendnis.activities.models import Activity, Format, Kreis, ReachCategory
from buendnis.activities.selectors import ActivityFilter
from buendnis.agreements.models import Agreement, Goal

pytestmark = pytest.mark.django_db

# Texts that CSV and spreadsheets treat specially.
AWKWARD = [
    "",
    "=SUMME(A1)",
    "'=1",
    "'Apostroph",
    "+49 69 123",
    "-",
    "@home",
    "\tTab vorn",
    "\rWagenrücklauf vorn",
    'Er sagte "Hallo"; dann ging er',
    "Zeile eins\nZeile zwei",
    "Zeile eins\r\nZeile zwei",
    "ends with\r",
    " Leerzeichen ",
    "Ümlaut ß 🙂 عربي",
    "\\. allein",
    "\\.",
    "100 %",
]


def _joined(pieces: object) -> bytes:
    return b"".join(p if isinstance(p, bytes) else p.encode() for p in pieces)  # type: ignore[attr-defined]


def _both(activities: object) -> tuple[bytes, bytes]:
    categories = export.export_categories(activities)  # type: ignore[arg-type]
    generic = _joined(export.iter_csv_generic(activities, categories))  # type: ignore[arg-type]
    chosen = _joined(export.iter_csv(activities, categories))  # type: ignore[arg-type]
    return generic, chosen


@pytest.fixture
def varied(
    make_activity: Callable[..., Activity], other_agreement: Agreement, documenting: Agreement
) -> list[Activity]:
    """Activities covering every column's odd cases, in two agreements with other categories."""
    Goal.objects.create(agreement=documenting, code="Z10", title="Zehn")
    Goal.objects.create(agreement=documenting, code="Ä1", title="Umlaut")
    goals = list(documenting.goals.all())
    kreise = list(Kreis.objects.order_by("pk")[:20])
    made = []
    moments = [
        datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),  # DST starts that night
        datetime.datetime(2026, 10, 25, 0, 59, 59, tzinfo=datetime.UTC),
        datetime.datetime(2025, 12, 31, 23, 0, 5, 250000, tzinfo=datetime.UTC),  # new year
        datetime.datetime(2019, 6, 4, 10, 0, 0, 999999, tzinfo=datetime.UTC),
    ]
    hours = [None, Decimal("0"), Decimal("10.00"), Decimal("2.50"), Decimal("0.25"), Decimal("7")]
    statuses = [s for s, _label in Activity.Status.choices]
    for number, text in enumerate(AWKWARD):
        start = moments[number % len(moments)] - datetime.timedelta(days=number)
        documented = (
            start + datetime.timedelta(days=number % 5, hours=number) if number % 3 else None
        )
        activity = make_activity(
            status=statuses[number % len(statuses)],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2 + number),
            goals=goals[: number % (len(goals) + 1)],
            documented_at=documented,
        )
        # Straight into the table: the form's checks would refuse some of these texts.
        Activity.objects.filter(pk=activity.pk).update(
            title=text or "ohne",
            place_name=text,
            description=text,
            reflection=AWKWARD[-1 - number],
            external_ref=text[:80] if number % 2 else "",
            staff_hours=hours[number % len(hours)],
            online=number % 4 in (0, 1),  # a place or online: one of them (a constraint)
            kreis=None if number % 4 == 0 else kreise[number % len(kreise)],
            languages=[] if number % 3 == 0 else ["de", text or "fa"],
        )
        made.append(activity)
    # A reach count left out: its agreement has the category, so the cell is 0.
    made[1].reach.filter(category__key="own").delete()
    # Another agreement with a category of its own: blank cells in the first one's rows.
    on = datetime.date(2024, 1, 1)
    fmt = Format.objects.create(
        agreement=other_agreement, key="treff", name="=Treff", status_since=on
    )
    youth = ReachCategory.objects.create(
        agreement=other_agreement, dimension="group", key="youth", label='Jugend "jung"'
    )
    other = Activity.objects.create(
        agreement=other_agreement,
        organisation=other_agreement.partners.first().organisation,  # type: ignore[union-attr]
        format=fmt,
        title="Jugendtreff",
        starts_at=moments[0],
        ends_at=moments[0],
        online=True,
        participants=0,
        languages=["ar"],
    )
    other.reach.create(category=youth, count=4)
    made.append(other)
    return made


def test_it_writes_the_same_bytes_as_the_generic_export(
    varied: list[Activity], admin_user: User
) -> None:
    activities = selectors.activity_list(user=admin_user, filters=ActivityFilter())
    assert export_postgresql.supports(activities) is (connection.vendor == "postgresql")
    generic, chosen = _both(activities)
    assert generic.count(b"\r\n") > len(varied)
    assert chosen == generic


def test_it_writes_the_same_bytes_in_english(varied: list[Activity], admin_user: User) -> None:
    activities = selectors.activity_list(user=admin_user, filters=ActivityFilter())
    with translation.override("en"):
        generic, chosen = _both(activities)
    assert b"Planned" in generic or b"Documented" in generic
    assert chosen == generic


def test_it_keeps_the_list_filters_and_visibility(
    varied: list[Activity], fachkraft: User, outsider: User
) -> None:
    for user, filters in [
        (fachkraft, ActivityFilter(year=2026)),
        (fachkraft, ActivityFilter(search="100 %")),
        (fachkraft, ActivityFilter(search="'")),
        (fachkraft, ActivityFilter(status=Activity.Status.PLANNED)),
        (outsider, ActivityFilter()),
    ]:
        activities = selectors.activity_list(user=user, filters=filters)
        generic, chosen = _both(activities)
        assert chosen == generic, filters
    only_search = selectors.activity_list(user=fachkraft, filters=ActivityFilter(search="100 %"))
    assert _both(only_search)[1].count(b"\r\n") == 1 + only_search.count()


def test_the_download_reads_back_through_the_import(
    varied: list[Activity], fachkraft: User, documenting: Agreement
) -> None:
    client = Client()
    client.force_login(fachkraft)
    response = client.get(reverse("activities:export", args=["csv"]))
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    activities = selectors.activity_list(user=fachkraft, filters=ActivityFilter())
    assert body == _both(activities)[0]
    rows = [cells for _number, cells in read_table(io.BytesIO(body))]
    assert rows[0] == export.headers(export.export_categories(activities))
    titles = [cells[rows[0].index("Titel")] for cells in rows[1:]]
    assert titles == [export.quote_text(t) for t in activities.values_list("title", flat=True)]


def test_it_uses_the_generic_path_for_another_order(
    varied: list[Activity], admin_user: User
) -> None:
    activities = Activity.objects.order_by("pk")
    assert not export_postgresql.supports(activities)
    generic, chosen = _both(activities)
    assert chosen == generic


def test_it_leaves_the_connection_usable_when_the_download_stops_early(
    varied: list[Activity], admin_user: User
) -> None:
    activities = selectors.activity_list(user=admin_user, filters=ActivityFilter())
    categories = export.export_categories(activities)
    if connection.vendor == "postgresql":
        pieces = export_postgresql.iter_csv(activities, categories, piece_bytes=1)
    else:
        pieces = export.iter_csv_generic(activities, categories, rows_per_piece=1)
    next(pieces)  # the header
    next(pieces)  # the first row
    pieces.close()
    assert Activity.objects.count() == len(varied)
    generic, chosen = _both(activities)
    assert chosen == generic
