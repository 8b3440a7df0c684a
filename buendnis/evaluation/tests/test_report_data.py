"""Report data: a small hand-made dataset's known figures, fixed query count, JSON, snapshot."""

import datetime
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from buendnis.accounts.models import Organisation, User
from buendnis.activities.models import Activity, Format, Kreis, NetworkPartner
from buendnis.activities.services import network_partner_add
from buendnis.activities.tests import conftest as activity_fixtures
from buendnis.activities.tests.conftest import reach
from buendnis.agreements.models import Agreement, Goal, Indicator
from buendnis.counselling.models import Topic
from buendnis.counselling.services import ContactData, contact_create, topics_setup
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.periods import Period, calendar_year
from buendnis.evaluation.report.context import frozen_figures
from buendnis.evaluation.report.data import report_data
from buendnis.evaluation.report.display import period_short
from buendnis.evaluation.report.formatting import format_change, format_date, format_value
from buendnis.evaluation.report.render import render_report
from buendnis.feedback.models import Questionnaire
from buendnis.feedback.questionnaires import questionnaires_seed
from buendnis.feedback.selectors import current_version
from buendnis.feedback.services import feedback_link_ensure, response_submit

documenting = activity_fixtures.documenting
make_activity = activity_fixtures.make_activity
Y2025 = calendar_year(2025)
TODAY = datetime.date(2026, 1, 31)
FREE_TEXTS = ("Mehr Zeit für das Gespräch, bitte.", '=HYPERLINK("http://example.org")')
SCALE_ANSWERS = ("5", "5", "4", "4", "2", "1")


def at(year: int, month: int, day: int, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def _indicators(agreement: Agreement) -> None:
    z1, z2 = Goal.objects.get(agreement=agreement, code="Z1"), Goal.objects.get(code="Z2")
    for code, goal, unit, level, target, source, filter in (
        ("Z1.1", z1, "Veranstaltungen", 1, 4, "activities", {"metric": "count", "goals": ["Z1"]}),
        ("Z1.2", z1, "%", 4, 75, "feedback", {"metric": "share_agree", "question": "reflect_role"}),
        ("Z2.1", z2, "Personen", 2, 20, "reach",
         {"metric": "attendances", "groups": ["multipliers"]}),
        ("Z2.2", z2, "Kontakte", 2, 10, "counselling", {"metric": "contacts"}),
        ("P7", None, "%", 1, 90, "timeliness", {"metric": "share_within_deadline"}),
    ):  # fmt: skip
        Indicator.objects.create(
            agreement=agreement, goal=goal, code=code, name=f"Indikator {code}", unit=unit,
            level=level, yearly_target=target, source=source, filter=filter,
        )  # fmt: skip


def _feedback(activity: Activity) -> None:
    """Six answers to "reflect_role" (4 agree) and two free texts, on the activity's day."""
    link = feedback_link_ensure(activity=activity)
    version = current_version(
        Questionnaire.objects.get(agreement=activity.agreement, key="fathers")
    )
    for number, point in enumerate(SCALE_ANSWERS):
        answers = {"reflect_role": point}
        if number < len(FREE_TEXTS):
            answers["what_different"] = FREE_TEXTS[number]
        response_submit(link=link, version_id=version.pk, answers=answers, now=activity.ends_at)


def _counselling(agreement: Agreement, organisation: Organisation, counsellor: User) -> None:
    topics = {t.name: t.pk for t in Topic.objects.filter(agreement=agreement)}
    family, custody = topics["Familiennachzug"], topics["Sorge- und Umgangsrecht"]
    for day, kind, channel, sought_by, first, topic_ids in (
        (datetime.date(2025, 2, 3), "legal", "phone", "family", True, [family]),
        (datetime.date(2025, 2, 4), "legal", "phone", "family", True, [family]),
        (datetime.date(2025, 6, 5), "psychosocial", "in_person", "professional", False,
         [family, custody]),
        (datetime.date(2024, 6, 5), "legal", "phone", "family", True, [family]),
    ):  # fmt: skip
        contact_create(
            data=ContactData(
                date=day, channel=channel, sought_by=sought_by, kind=kind, duration_minutes=30,
                first_contact=first, topic_ids=topic_ids,
            ),
            agreement=agreement, organisation=organisation, counsellor=counsellor,
        )  # fmt: skip


@pytest.fixture
def small_world(
    documenting: Agreement,
    make_activity: Callable[..., Activity],
    partner_org: Organisation,
    fachkraft: User,
) -> Agreement:
    """Three activities in 2025 (one per format, one late, one undocumented), one in 2024."""
    agreement = documenting
    topics_setup(agreement=agreement)
    questionnaires_seed(agreement=agreement)
    _indicators(agreement)
    network_partner_add(
        organisation=partner_org, name="Jugendamt Offenbach", sector="public_administration"
    )
    z1, z2 = Goal.objects.get(code="Z1"), Goal.objects.get(code="Z2")
    fmt = {f.key: f for f in Format.objects.filter(agreement=agreement)}
    cafe = make_activity(
        starts_at=at(2025, 3, 4), staff_hours=Decimal("2.5"), goals=[z1],
        network_partners=list(NetworkPartner.objects.all()),
        reach=reach(agreement, group_fathers=11, migration_own=8, migration_none=3),
        documented_at=at(2025, 3, 5),
    )  # fmt: skip
    make_activity(
        starts_at=at(2025, 5, 10), format=fmt["online"], online=True, kreis=None,
        participants=6, first_timers=6, staff_hours=Decimal("1.5"), goals=[z1],
        reach=reach(
            agreement, group_fathers=4, group_men=2, migration_family=2, migration_unknown=4
        ),
        documented_at=at(2025, 5, 30),
    )  # fmt: skip
    make_activity(
        status=Activity.Status.HELD, starts_at=at(2025, 9, 1), format=fmt["qualifizierung"],
        kreis=Kreis.objects.get(pk="06435"), participants=24, first_timers=24, goals=[z2],
        reach=reach(
            agreement, group_multipliers=24, sector_administration=10, sector_counselling=14,
            migration_none=20, migration_unknown=4,
        ),
    )  # fmt: skip
    make_activity(
        starts_at=at(2024, 6, 1), participants=9, first_timers=2, staff_hours=Decimal(2),
        reach=reach(agreement, group_fathers=9, migration_own=9), documented_at=at(2024, 6, 3),
    )  # fmt: skip
    make_activity(status=Activity.Status.PLANNED, starts_at=at(2025, 10, 1))
    make_activity(status=Activity.Status.CANCELLED, starts_at=at(2025, 10, 2))
    _feedback(cafe)
    _counselling(agreement, partner_org, fachkraft)
    return agreement


def rows(data: dict[str, Any], key: str, column: str) -> dict[str, Any]:
    """A table column as {row key: value}."""
    return {row["key"]: row["values"][column] for row in data["tables"][key]["rows"]}


def facts(data: dict[str, Any], section: str) -> dict[str, tuple[Any, Any]]:
    return {f["key"]: (f["current"], f["previous"]) for f in data["facts"][section]}


@pytest.mark.django_db
def test_it_computes_input_output_and_formats_of_the_small_dataset(small_world: Agreement) -> None:
    data = report_data(agreement=small_world, period=Y2025, today=TODAY)
    assert facts(data, "input") == {
        "staff_hours": ("4.00", "2.00"),
        "activities": (3, 1),
        "organisations": (1, 1),
        "network_partners": (1, 0),
    }
    assert facts(data, "output") == {
        "activities": (3, 1),
        "attendances": (41, 9),
        "first_timers": (33, 2),
        "responses": (6, None),
    }
    formats = data["tables"]["formats"]
    assert rows(data, "formats", "activities") == {
        "online": 1, "begegnung": 0, "fachtag": 0, "qualifizierung": 1, "veranstaltung": 0,
        "vaetergruppe": 1, "vernetzung": 0, "workshop": 0,
    }  # fmt: skip
    cafe = next(r for r in formats["rows"] if r["key"] == "vaetergruppe")["values"]
    assert cafe | {} == {
        "status": "established", "activities": 1, "attendances": 11, "first_timers": 3,
        "responses": 6, "answered": 6, "agree": 4, "share": "66.7",
    }  # fmt: skip
    assert [g["key"] for g in formats["groups"]] == ["pilot", "established"]
    assert formats["subtotals"]["pilot"]["attendances"] == 6
    assert formats["subtotals"]["established"]["attendances"] == 35
    assert formats["total"] | {} == {
        "activities": 3, "attendances": 41, "first_timers": 33, "responses": 6, "answered": 6,
        "agree": 4, "share": "66.7",
    }  # fmt: skip


@pytest.mark.django_db
def test_it_computes_reach_kreise_and_timeliness(small_world: Agreement) -> None:
    data = report_data(agreement=small_world, period=Y2025, today=TODAY)
    assert rows(data, "reach_group", "current") == {
        "fathers": 15, "men": 2, "mothers": 0, "children": 0, "multipliers": 24,
    }  # fmt: skip
    assert rows(data, "reach_group", "previous")["fathers"] == 9
    assert data["tables"]["reach_group"]["total"] == {"current": 41, "previous": 9}
    assert rows(data, "reach_migration", "current") == {
        "own": 8,
        "family": 2,
        "none": 23,
        "unknown": 8,
    }
    assert data["tables"]["reach_sector"]["total"] == {"current": 24, "previous": 0}
    kreise = data["tables"]["kreise"]
    assert [(r["key"], r["group"], r["values"]) for r in kreise["rows"]] == [
        ("06435", "Darmstadt", {"activities": 1, "attendances": 24, "previous_attendances": 0}),
        ("06413", "Darmstadt", {"activities": 1, "attendances": 11, "previous_attendances": 9}),
        ("online", "online", {"activities": 1, "attendances": 6, "previous_attendances": 0}),
    ]
    assert kreise["subtotals"]["Darmstadt"]["attendances"] == 35
    assert rows(data, "timeliness", "current") == {"within": 1, "late": 1, "undocumented": 1}
    assert rows(data, "timeliness", "previous") == {"within": 1, "late": 0, "undocumented": 0}
    assert data["tables"]["timeliness"]["total"] == {"current": 3, "previous": 1}
    assert facts(data, "timeliness") == {
        "share_within": ("33.3", "100.0"),
        "median_lag": ("10.5", 2),
    }


@pytest.mark.django_db
def test_it_computes_counselling_feedback_and_indicators(small_world: Agreement) -> None:
    data = report_data(agreement=small_world, period=Y2025, today=TODAY)
    assert rows(data, "counselling_kind", "current") == {"psychosocial": 1, "legal": 2, "both": 0}
    assert rows(data, "counselling_kind", "previous") == {"psychosocial": 0, "legal": 1, "both": 0}
    assert rows(data, "counselling_first", "current") == {"first": 2, "follow_up": 1}
    assert rows(data, "counselling_sought_by", "current")["professional"] == 1
    topics = data["tables"]["counselling_topics"]["rows"]
    assert [(r["label"], r["values"]["current"]) for r in topics] == [
        ("Familiennachzug", 3),
        ("Sorge- und Umgangsrecht", 1),
    ]
    feedback = data["tables"]["feedback"]["rows"]
    assert [(r["key"], r["values"]) for r in feedback] == [
        (
            "reflect_role",
            {"answered": 6, "agree": 4, "share": "66.7", "mean": "3.50",
             "c1": 1, "c2": 1, "c3": 0, "c4": 2, "c5": 2},
        )
    ]  # fmt: skip
    values = {i["code"]: (i["actual"], i["previous"], i["status"]) for i in data["indicators"]}
    assert values == {
        "Z1.1": ("2", "1", "behind"),
        "Z1.2": ("66.7", None, "behind"),
        "Z2.1": ("24", "0", "reached"),
        "Z2.2": ("3", "1", "behind"),
        "P7": ("33.3", "100.0", "behind"),
    }
    p7 = next(i for i in data["indicators"] if i["code"] == "P7")
    assert p7["previous_detail"] == {
        "due": 1, "within": 1, "late": 0, "undocumented": 0, "median_lag_days": 2
    }  # fmt: skip
    assert [g["code"] for g in data["goals"]] == ["Z1", "Z2"]


@pytest.mark.django_db
def test_it_is_json_safe_and_holds_no_free_text(small_world: Agreement) -> None:
    data = report_data(agreement=small_world, period=Y2025, today=TODAY)
    text = json.dumps(data)  # no custom encoder needed
    assert json.loads(text) == data
    assert all(free not in json.dumps(data, ensure_ascii=False) for free in FREE_TEXTS)


@pytest.mark.django_db
def test_it_reports_progress_per_section(small_world: Agreement) -> None:
    calls: list[tuple[int, int, str]] = []
    report_data(
        agreement=small_world, period=Y2025, today=TODAY, progress=lambda *c: calls.append(c)
    )
    assert calls[0][:2] == (0, 7)
    assert calls[-1][:2] == (7, 7)
    assert [done for done, _total, _step in calls] == list(range(8))
    assert all(step for _d, _t, step in calls)


@pytest.mark.django_db
def test_its_query_count_does_not_grow_with_activities(
    small_world: Agreement, make_activity: Callable[..., Activity]
) -> None:
    with CaptureQueriesContext(connection) as before:
        report_data(agreement=small_world, period=Y2025, today=TODAY)
    fmt = Format.objects.get(agreement=small_world, key="workshop")
    for day in range(1, 31):
        make_activity(
            starts_at=at(2025, 4, day), format=fmt, kreis=Kreis.objects.get(pk="06411"),
            goals=list(Goal.objects.all()), network_partners=list(NetworkPartner.objects.all()),
            documented_at=at(2025, 4, day) + datetime.timedelta(days=day),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        data = report_data(agreement=small_world, period=Y2025, today=TODAY)
    assert data["facts"]["output"][0]["current"] == 33
    assert len(after.captured_queries) == len(before.captured_queries)


def _without_status(html: str) -> str:
    """The document without the lines that name the evaluation's status."""
    return re.sub(r"<(dd|span) data-(status|evaluation-status)>.*?</\1>", "", html)


@pytest.mark.django_db
def test_a_frozen_snapshot_renders_like_the_live_figures_and_stays_frozen(
    small_world: Agreement, make_activity: Callable[..., Activity]
) -> None:
    evaluation = Evaluation.objects.create(
        agreement=small_world, period_kind="calendar", starts_on=Y2025.start, ends_on=Y2025.end
    )

    def html() -> str:
        return render_report(
            agreement=small_world, period=Y2025, fmt="html", copy="ministry",
            evaluation=evaluation, today=TODAY,
        ).content.decode()  # fmt: skip

    live = html()
    evaluation.snapshot = json.loads(
        json.dumps(frozen_figures(agreement=small_world, period=Y2025, today=TODAY))
    )
    evaluation.status, evaluation.frozen_at = Evaluation.Status.REVIEW, timezone.now()
    evaluation.save()
    frozen = html()
    assert "In Prüfung" in frozen and "Entwurf" in live
    assert _without_status(frozen) == _without_status(live)
    make_activity(
        starts_at=at(2025, 11, 11), participants=40, first_timers=40,
        reach=reach(small_world, group_fathers=40, migration_unknown=40),
    )  # fmt: skip
    assert html() == frozen  # the report never changes once frozen
    evaluation.status = Evaluation.Status.DRAFT
    evaluation.save()
    assert _without_status(html()) != _without_status(live)  # a draft shows live figures


@pytest.mark.django_db
def test_render_refuses_unknown_formats_and_copies(small_world: Agreement) -> None:
    with pytest.raises(ValueError, match="format"):
        render_report(agreement=small_world, period=Y2025, fmt="docx", copy="ministry")
    with pytest.raises(ValueError, match="copy"):
        render_report(agreement=small_world, period=Y2025, fmt="html", copy="public")


@pytest.mark.django_db
def test_the_html_file_is_german_and_names_goals_and_last_times_adjustments(
    small_world: Agreement, partner_org: Organisation
) -> None:
    before = Evaluation.objects.create(
        agreement=small_world, period_kind="calendar",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31),
        status=Evaluation.Status.AGREED, agreed_on=datetime.date(2025, 6, 4),
    )  # fmt: skip
    before.adjustments.create(
        what="Väter-Café auch samstags anbieten", responsible=partner_org,
        due_on=datetime.date(2025, 9, 30), status="done", outcome="Seit August samstags.",
    )  # fmt: skip
    html = render_report(
        agreement=small_world, period=Y2025, fmt="html", copy="internal", today=TODAY
    ).content.decode()
    assert '<html lang="de">' in html
    assert "Z1 Väter reflektieren ihre Rolle" in html
    assert "Väter-Café auch samstags anbieten" in html and "Seit August samstags." in html
    assert "Umgesetzt" in html  # the adjustment's status
    assert "31. Januar 2026" in html  # generated on, as a German date
    assert "Entwurf – Zahlen vorläufig" in html


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1234, "Personen", "1.234"),
        ("1234.00", "Personen", "1.234"),
        ("2408.50", "Stunden", "2.408,5"),
        ("87.5", "%", "87,5\u00a0%"),
        (Decimal("80"), "%", "80,0\u00a0%"),
        ("1", "ja/nein", "ja"),
        ("0", "ja/nein", "nein"),
        ("< 5", "Personen", "< 5"),
        ("•", "%", "•"),
        (None, "%", "–"),
    ],
)
def test_values_are_formatted_the_german_way(value: object, unit: str, shown: str) -> None:
    with translation.override("de"):
        assert format_value(value, unit) == shown


def test_changes_and_dates_are_formatted_the_german_way() -> None:
    with translation.override("de"):
        assert format_change("131", "120", "Veranstaltungen") == "+11"
        assert format_change("71.3", "75.0", "%") == "\u22123,7\u00a0Pp."
        assert format_change("3", "< 5", "Personen") == "–"
        assert format_date(datetime.date(2025, 6, 4)) == "4. Juni 2025"
        assert period_short(
            Period("range", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
        ) == ("1.1.26 – 30.6.26")
    with translation.override("en"):
        assert format_value(1234, "Personen") == "1,234"
