"""The activity pages: list, fast entry, editing with conflicts, series copy, review."""

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.activities.models import Activity, Format, Kreis
from buendnis.activities.tests.conftest import fathers_evening, form_data
from buendnis.agreements.models import Agreement, AgreementPartner, Goal


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_the_organisation_s_activities(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    make_activity(title="Väter-Café Offenbach")
    response = _client(fachkraft).get(reverse("activities:list"))
    assert response.status_code == 200
    assert "Väter-Café Offenbach" in response.text


def test_it_filters_by_kreis_status_and_search(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    make_activity(title="Treff am Marktplatz")
    make_activity(title="Workshop Hanau", kreis=Kreis.objects.get(pk="06435"))
    make_activity(title="Abend online", online=True, kreis=None, status=Activity.Status.HELD)
    client = _client(fachkraft)
    by_kreis = client.get(reverse("activities:list"), {"kreis": "06435"})
    assert "Workshop Hanau" in by_kreis.text and "Treff am Marktplatz" not in by_kreis.text
    by_status = client.get(reverse("activities:list"), {"status": "held"})
    assert "Abend online" in by_status.text and "Workshop Hanau" not in by_status.text
    by_search = client.get(reverse("activities:list"), {"q": "marktplatz"})
    assert "Treff am Marktplatz" in by_search.text and "Workshop Hanau" not in by_search.text


def test_it_filters_by_year(make_activity: Callable[..., Activity], fachkraft: User) -> None:
    make_activity(
        title="Im Jahr 2025", starts_at=timezone.make_aware(datetime.datetime(2025, 5, 6))
    )
    make_activity(title="Im Jahr 2026")
    response = _client(fachkraft).get(reverse("activities:list"), {"year": 2025})
    assert "Im Jahr 2025" in response.text and "Im Jahr 2026" not in response.text


def test_it_pages_the_list_with_a_constant_number_of_queries(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    client = _client(fachkraft)
    make_activity()
    client.get(reverse("activities:list"))  # both views below find the kept filter choices
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("activities:list"))
    for _ in range(30):
        make_activity()
    client.get(reverse("activities:list"))  # counted anew once (the activities changed)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("activities:list"), {"page": 2})
    assert "Seite 2 von 2" in response.text
    assert len(many) == len(few)


def _counts(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(*)" in q["sql"] and "activities_activity" in q["sql"]
    ]


def test_it_keeps_the_list_count_until_an_activity_of_the_agreement_changes(
    make_activity: Callable[..., Activity], fachkraft: User, documenting: Agreement
) -> None:
    client = _client(fachkraft)
    first = make_activity(title="Erste")
    assert "1 Aktivität" in client.get(reverse("activities:list")).text
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("activities:list"), {"page": 1})
    assert _counts(again) == [], "the same activities are not counted twice"
    make_activity(title="Zweite")
    with CaptureQueriesContext(connection) as after_a_new_one:
        response = client.get(reverse("activities:list"))
    assert len(_counts(after_a_new_one)) == 1 and "2 Aktivitäten" in response.text
    Activity.objects.filter(pk=first.pk).update(title="Umbenannt")  # an edit counts again too
    Activity.objects.filter(title="Zweite").delete()
    assert "1 Aktivität" in client.get(reverse("activities:list")).text
    goal = documenting.goals.first()
    assert goal is not None
    for query in ({"overdue": "on"}, {"goal": goal.pk}):  # goals and the clock are not stamped
        client.get(reverse("activities:list"), query)
        with CaptureQueriesContext(connection) as each_time:
            client.get(reverse("activities:list"), query)
        assert len(_counts(each_time)) == 1, query


def test_the_rendered_rows_follow_a_renamed_activity(
    make_activity: Callable[..., Activity], fachkraft: User, koordination: User
) -> None:
    activity = make_activity(title="Vorher")
    assert "Vorher" in _client(koordination).get(reverse("activities:list")).text
    Activity.objects.filter(pk=activity.pk).update(title="Nachher")
    renamed = _client(fachkraft).get(reverse("activities:list")).text
    assert "Nachher" in renamed and "Vorher" not in renamed
    assert reverse("activities:detail", args=[activity.pk]) in renamed


def test_the_rendered_filters_follow_the_request_and_a_new_format(
    make_activity: Callable[..., Activity], fachkraft: User, documenting: Agreement
) -> None:
    make_activity()
    client = _client(fachkraft)
    held = client.get(reverse("activities:list"), {"status": "held", "page": 1}).text
    assert '<option value="held" selected>' in held
    planned = client.get(reverse("activities:list"), {"status": "planned"}).text
    assert '<option value="planned" selected>' in planned
    assert '<option value="held" selected>' not in planned
    assert "Vätergrillen" not in planned
    Format.objects.create(
        agreement=documenting,
        key="grillen",
        name="Vätergrillen",
        status_since=datetime.date(2026, 1, 1),
    )
    assert "Vätergrillen" in client.get(reverse("activities:list"), {"status": "planned"}).text
    wrong = client.get(reverse("activities:list"), {"status": "planned", "year": "1800"}).text
    assert 'aria-invalid="true"' in wrong  # the errors are part of what the key covers


def test_the_filters_choices_are_kept_until_a_format_goal_or_kreis_changes(
    make_activity: Callable[..., Activity], fachkraft: User, documenting: Agreement
) -> None:
    make_activity()
    client = _client(fachkraft)
    client.get(reverse("activities:list"))
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("activities:list"), {"page": 1})
    read = " ".join(q["sql"] for q in again.captured_queries)
    for table in ("activities_format", "agreements_goal", "activities_kreis"):
        assert f'FROM "{table}"' not in read, table
    Goal.objects.create(agreement=documenting, code="Z9", title="Väter als Vorbilder")
    assert "Z9" in client.get(reverse("activities:list")).text
    Kreis.objects.filter(pk="06413").update(name="Offenbach (Stadt)")
    assert "Offenbach (Stadt)" in client.get(reverse("activities:list")).text
    Format.objects.filter(agreement=documenting).update(name="Umbenanntes Format")
    assert "Umbenanntes Format" in client.get(reverse("activities:list")).text


def test_it_names_the_visible_agreements_in_the_list_query(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    # A literal list of ids lets PostgreSQL read the newest-first index in order; a
    # subquery over the agreement partners made it sort all the organisation's rows.
    mine = make_activity(title="Eigene")
    with CaptureQueriesContext(connection) as page:
        response = _client(fachkraft).get(reverse("activities:list"))
    assert "Eigene" in response.text
    (listed,) = [q["sql"] for q in page.captured_queries if '"starts_at" DESC' in q["sql"]]
    assert "agreementpartner" not in listed
    assert f'"agreement_id" IN ({mine.agreement_id})' in listed


def test_it_denies_the_list_to_the_ministry(documenting: Agreement, referentin: User) -> None:
    assert _client(referentin).get(reverse("activities:list")).status_code == 403


def test_it_denies_other_organisation(
    make_activity: Callable[..., Activity], outsider: User
) -> None:
    activity = make_activity(title="Nur für den Verband")
    client = _client(outsider)
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 404
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 404
    assert "Nur für den Verband" not in client.get(reverse("activities:list")).text
    create = reverse("activities:create", args=[activity.agreement.slug])
    assert client.get(create).status_code == 404


def test_it_documents_a_held_activity_in_one_post(documenting: Agreement, fachkraft: User) -> None:
    data = form_data(fathers_evening(documenting), documenting, document="1")
    response = _client(fachkraft).post(reverse("activities:create", args=[documenting.slug]), data)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.status == Activity.Status.DOCUMENTED
    assert activity.responsible == fachkraft
    assert activity.participants == 11 and activity.reach.count() == 4


def test_it_asks_for_what_the_procedure_requires_when_documenting(
    documenting: Agreement, fachkraft: User
) -> None:
    data = form_data(fathers_evening(documenting), documenting, document="1", reflection="")
    data["goals"] = []
    response = _client(fachkraft).post(reverse("activities:create", args=[documenting.slug]), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reflection", "goals"}
    assert "Dokumentationsverfahren (§ 7) verlangt" in response.text
    assert Activity.objects.count() == 0


def test_it_saves_a_draft_without_the_required_fields(
    documenting: Agreement, fachkraft: User
) -> None:
    data = form_data(fathers_evening(documenting), documenting, draft="1", reflection="")
    _client(fachkraft).post(reverse("activities:create", args=[documenting.slug]), data)
    assert Activity.objects.get().status == Activity.Status.HELD


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"participants": "-3"}, "participants", "nicht negativ"),
        ({"reach_migration_own": "9"}, "reach_migration_own", "ergeben zusammen 12"),
        ({"ends_at": "2026-11-24T18:00"}, "ends_at", "Ende liegt vor dem Beginn"),
        ({"kreis": "06999"}, "kreis", "gültige Auswahl"),
    ],
)
def test_it_names_the_field_that_is_off_and_writes_nothing(
    documenting: Agreement, fachkraft: User, change: dict, field: str, words: str
) -> None:
    data = form_data(fathers_evening(documenting), documenting, document="1", **change)
    response = _client(fachkraft).post(reverse("activities:create", args=[documenting.slug]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert Activity.objects.count() == 0


def test_it_refuses_the_second_of_two_conflicting_edits_showing_both(
    make_activity: Callable[..., Activity], fachkraft: User, koordination: User
) -> None:
    activity = make_activity()
    url = reverse("activities:edit", args=[activity.pk])
    anna, samir = _client(koordination), _client(fachkraft)
    anna_form = anna.get(url).context["form"]
    samir_form = samir.get(url).context["form"]
    assert anna_form.initial["version"] == samir_form.initial["version"] == 1

    base = fathers_evening(activity.agreement)
    first = anna.post(url, form_data(base, activity.agreement, version=1, title="Anna's title"))
    assert first.status_code == 302
    second = samir.post(url, form_data(base, activity.agreement, version=1, title="Samir's title"))
    assert second.status_code == 409
    assert "Anna&#x27;s title" in second.text and "Samir&#x27;s title" in second.text
    assert "Gleichzeitige Änderung" in second.text
    activity.refresh_from_db()
    assert activity.title == "Anna's title" and activity.version == 2


def test_it_lets_the_second_editor_keep_their_version_after_comparing(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    activity = make_activity()
    url = reverse("activities:edit", args=[activity.pk])
    base = fathers_evening(activity.agreement)
    client = _client(fachkraft)
    client.post(url, form_data(base, activity.agreement, version=1, title="Erste"))
    conflict = client.post(url, form_data(base, activity.agreement, version=1, title="Zweite"))
    assert conflict.status_code == 409
    retry: dict[str, list[str]] = {}
    for name, value in conflict.context["resent"]:
        retry.setdefault(name, []).append(value)
    assert retry["version"] == ["2"] and retry["title"] == ["Zweite"]
    assert client.post(url, retry).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Zweite" and activity.version == 3


def test_it_fills_the_next_session_form_and_saves_the_copy_only_on_save(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    activity = make_activity()
    url = reverse("activities:next_session", args=[activity.pk])
    client = _client(fachkraft)
    page = client.get(url)
    assert page.status_code == 200
    assert not Activity.objects.exclude(pk=activity.pk).exists()  # opening saves nothing
    form = page.context["form"]
    assert form.initial["title"] == activity.title and form.initial["reflection"] == ""
    assert (
        "Verwerfen" in page.text and reverse("activities:detail", args=[activity.pk]) in page.text
    )

    data = fathers_evening(activity.agreement, starts_at=form.initial["starts_at"])
    response = client.post(url, form_data(data, activity.agreement, document="1"))
    copy = Activity.objects.exclude(pk=activity.pk).get()
    assert response["Location"] == reverse("activities:detail", args=[copy.pk])
    assert copy.status == Activity.Status.DOCUMENTED and copy.responsible == fachkraft
    activity.refresh_from_db()
    assert copy.series_id == activity.series_id is not None


def test_it_dates_the_copy_of_an_old_session_in_the_last_week_not_long_ago(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    old = make_activity(starts_at=timezone.now() - datetime.timedelta(days=40, hours=2))
    page = _client(fachkraft).get(reverse("activities:next_session", args=[old.pk]))
    starts_at = page.context["form"].initial["starts_at"]
    assert timezone.now() - datetime.timedelta(days=7) < starts_at <= timezone.now()
    assert (starts_at - old.starts_at).days % 7 == 0
    recent = make_activity(starts_at=timezone.now() - datetime.timedelta(days=2))
    page = _client(fachkraft).get(reverse("activities:next_session", args=[recent.pk]))
    assert page.context["form"].initial["starts_at"] == timezone.localtime(
        recent.starts_at + datetime.timedelta(days=7)
    )


def test_it_hides_the_next_session_form_from_another_organisation(
    make_activity: Callable[..., Activity], outsider: User
) -> None:
    activity = make_activity()
    url = reverse("activities:next_session", args=[activity.pk])
    assert _client(outsider).get(url).status_code == 404
    assert _client(outsider).post(url, {}).status_code == 404
    assert Activity.objects.count() == 1


def test_it_lets_only_the_coordinator_review(
    make_activity: Callable[..., Activity], fachkraft: User, koordination: User
) -> None:
    activity = make_activity()
    url = reverse("activities:review", args=[activity.pk])
    assert (
        "Als geprüft markieren"
        not in _client(fachkraft).get(reverse("activities:detail", args=[activity.pk])).text
    )
    assert _client(fachkraft).post(url).status_code == 404
    assert (
        "Als geprüft markieren"
        in _client(koordination).get(reverse("activities:detail", args=[activity.pk])).text
    )
    _client(koordination).post(url)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.REVIEWED


def test_it_shows_the_documentation_lag(
    make_activity: Callable[..., Activity], fachkraft: User
) -> None:
    activity = make_activity(
        documented_at=timezone.make_aware(datetime.datetime(2026, 11, 27, 9)),
    )
    response = _client(fachkraft).get(reverse("activities:detail", args=[activity.pk]))
    assert "3 Tage nach dem Termin dokumentiert" in response.text


def test_it_links_the_admin_only_to_what_the_admin_may_open(
    make_activity: Callable[..., Activity], admin_user: User, fachkraft: User
) -> None:
    activity = make_activity()
    detail = reverse("activities:detail", args=[activity.pk])
    listed = _client(admin_user).get(reverse("activities:list"))
    assert listed.status_code == 200 and activity.title in listed.text
    assert detail not in listed.text  # the admin sees the row, not a link to a 404
    assert _client(admin_user).get(detail).status_code == 404
    assert detail in _client(fachkraft).get(reverse("activities:list")).text


def test_it_links_each_row_by_its_own_organisation(
    make_activity: Callable[..., Activity],
    documenting: Agreement,
    admin_user: User,
    other_org: Organisation,
    fachkraft: User,
) -> None:
    """An admin who also works for a partner opens that partner's records, and no others."""
    from buendnis.activities.services import activity_create

    AgreementPartner.objects.create(
        agreement=documenting, organisation=other_org, role=AgreementPartner.Role.PARTNER
    )
    Membership.objects.create(user=admin_user, organisation=other_org, role="fachkraft")
    theirs = make_activity(title="Väterabend bei iaf")
    own = activity_create(
        agreement=documenting,
        organisation=other_org,
        data=fathers_evening(documenting, title="Väterabend beim Jugendring"),
        status=Activity.Status.DOCUMENTED,
        responsible=admin_user,
    )
    listed = _client(admin_user).get(reverse("activities:list")).text
    assert theirs.title in listed and own.title in listed
    assert reverse("activities:detail", args=[own.pk]) in listed
    assert reverse("activities:detail", args=[theirs.pk]) not in listed
    assert (
        reverse("activities:detail", args=[theirs.pk])
        in _client(fachkraft).get(reverse("activities:list")).text
    )
