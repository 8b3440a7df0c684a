"""The REST API: the policy on every endpoint and role, tokens, writes, errors, disclosure."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.models import Activity
from buendnis.agreements.models import Agreement, Goal, Indicator, IndicatorTarget
from buendnis.api.models import ApiToken
from buendnis.api.services import token_hash
from buendnis.evaluation.models import Evaluation

pytestmark = pytest.mark.django_db
ROLES = ["fachkraft", "koordination", "referentin", "outsider", "admin_user", None]


def _payload(agreement: Agreement, **overrides: Any) -> dict[str, Any]:
    start = datetime.datetime(2026, 11, 24, 19, tzinfo=datetime.UTC)
    body = {
        "agreement": agreement.slug,
        "external_ref": "termin-4711",
        "format": "vaetergruppe",
        "title": "Väter-Café Offenbach",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
        "kreis": "06413",
        "participants": 11,
        "first_timers": 3,
        "goals": ["Z1"],
        "reach": {"group.fathers": 11, "migration.own": 8, "migration.none": 3},
    }
    body.update(overrides)
    return body


@pytest.fixture
def users(request: pytest.FixtureRequest) -> dict[str | None, User | None]:
    return {name: request.getfixturevalue(name) if name else None for name in ROLES}


@pytest.fixture
def own_activity(make_activity: Callable[..., Activity]) -> Activity:
    return make_activity()


# Expected status per endpoint and role: fachkraft, koordination, ministry officer, another
# organisation's coordinator, admin, anonymous.
READS = {
    "agreements/": (200, 200, 200, 200, 200, 401),
    "agreements/{slug}/": (200, 200, 200, 404, 200, 401),
    "agreements/{slug}/goals/": (200, 200, 200, 404, 200, 401),
    "agreements/{slug}/indicators/": (200, 200, 200, 404, 200, 401),
    "agreements/{slug}/counselling/": (200, 200, 200, 404, 200, 401),
    "agreements/{slug}/feedback/": (200, 200, 200, 404, 200, 401),
    "agreements/{slug}/evaluations/": (200, 200, 200, 404, 200, 401),
    "activities/": (200, 200, 403, 200, 200, 401),
    "activities/{id}/": (200, 200, 403, 404, 200, 401),
    "portfolio/": (403, 200, 200, 200, 403, 401),
}


@pytest.mark.parametrize("path", list(READS))
def test_it_applies_the_policy_to_every_read_endpoint(
    path: str, api_as: Callable, users: dict, documenting: Agreement, own_activity: Activity
) -> None:
    url = path.format(slug=documenting.slug, id=own_activity.pk)
    for role, expected in zip(ROLES, READS[path], strict=True):
        response = api_as(users[role]).get(url)
        assert response.status_code == expected, (role, url, response.data)
        if expected >= 400:
            assert response["Content-Type"] == "application/problem+json"
            assert response.data["status"] == expected


def test_it_shows_activities_of_the_own_organisation_only(
    api_as: Callable, outsider: User, fachkraft: User, own_activity: Activity
) -> None:
    assert api_as(outsider).get("activities/").data["results"] == []
    rows = api_as(fachkraft).get("activities/").data["results"]
    assert [row["id"] for row in rows] == [own_activity.pk]
    assert {"category": "group.fathers", "count": 11} in rows[0]["reach"]


def test_it_applies_the_policy_to_every_write_endpoint(
    api_as: Callable, users: dict, documenting: Agreement, own_activity: Activity
) -> None:
    create = {"fachkraft": 201, "koordination": 201, "referentin": 403, "outsider": 404}
    create |= {"admin_user": 403, None: 401}
    update = {"fachkraft": 200, "koordination": 200, "referentin": 404, "outsider": 404}
    update |= {"admin_user": 403, None: 401}
    for role in ROLES:
        body = _payload(documenting, external_ref=f"ref-{role}")
        response = api_as(users[role]).post("activities/", body)
        assert response.status_code == create[role], (role, response.data)
        current = Activity.objects.get(pk=own_activity.pk)
        body = _payload(documenting, external_ref=None, title=f"by {role}", version=current.version)
        response = api_as(users[role]).put(f"activities/{own_activity.pk}/", body)
        assert response.status_code == update[role], (role, response.data)
    assert Activity.objects.filter(external_ref__startswith="ref-").count() == 2


def test_it_denies_other_organisation(
    api_as: Callable, outsider: User, documenting: Agreement, own_activity: Activity
) -> None:
    api = api_as(outsider)
    assert api.get(f"activities/{own_activity.pk}/").status_code == 404
    assert api.get(f"agreements/{documenting.slug}/counselling/").status_code == 404
    body = _payload(documenting, version=own_activity.version)
    assert api.put(f"activities/{own_activity.pk}/", body).status_code == 404
    assert Activity.objects.get(pk=own_activity.pk).title == own_activity.title


def test_a_read_token_cannot_write(
    api_as: Callable, fachkraft: User, documenting: Agreement
) -> None:
    api = api_as(fachkraft, scope="read")
    assert api.get("activities/").status_code == 200
    response = api.post("activities/", _payload(documenting))
    assert response.status_code == 403
    assert "lesen" in response.data["detail"]
    assert not Activity.objects.exists()


def test_a_revoked_token_is_refused(
    client: Client, fachkraft: User, documenting: Agreement
) -> None:
    client.force_login(fachkraft)
    page = client.post("/konto/api-schluessel/", {"name": "Terminverwaltung", "scope": "read"})
    secret = page.context["secret"]
    assert secret in page.content.decode()
    token = ApiToken.objects.get(user=fachkraft)
    assert token.key_hash == token_hash(secret) and secret not in token.key_hash
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert Client().get("/api/v1/agreements/", **bearer).status_code == 200
    profile = client.get("/konto/").content.decode()
    assert "Terminverwaltung" in profile and secret not in profile
    client.post(f"/konto/api-schluessel/{token.pk}/widerrufen/")
    response = Client().get("/api/v1/agreements/", **bearer)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_it_lets_nobody_revoke_another_users_token(
    client: Client, fachkraft: User, koordination: User
) -> None:
    from buendnis.api.services import token_create

    token, _secret = token_create(user=koordination, name="fremd", scope="write")
    client.force_login(fachkraft)
    assert client.post(f"/konto/api-schluessel/{token.pk}/widerrufen/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_repeated_post_returns_the_same_activity(
    api_as: Callable, fachkraft: User, documenting: Agreement
) -> None:
    api = api_as(fachkraft)
    first = api.post("activities/", _payload(documenting))
    again = api.post("activities/", _payload(documenting))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.data["id"] == again.data["id"]
    assert Activity.objects.filter(external_ref="termin-4711").count() == 1
    found = api.get("activities/", external_ref="termin-4711").data["results"]
    assert [row["id"] for row in found] == [first.data["id"]]


def test_a_stale_version_is_a_conflict(
    api_as: Callable, fachkraft: User, documenting: Agreement
) -> None:
    api = api_as(fachkraft)
    created = api.post("activities/", _payload(documenting)).data
    url = f"activities/{created['id']}/"
    saved = api.put(url, _payload(documenting, title="Neu", version=created["version"]))
    assert saved.status_code == 200 and saved.data["version"] == created["version"] + 1
    stale = api.put(url, _payload(documenting, title="Alt", version=created["version"]))
    assert stale.status_code == 409
    assert stale.data["current_version"] == saved.data["version"]
    assert Activity.objects.get(pk=created["id"]).title == "Neu"


def test_a_locked_period_is_refused(
    api_as: Callable, fachkraft: User, documenting: Agreement
) -> None:
    api = api_as(fachkraft)
    created = api.post("activities/", _payload(documenting)).data
    Evaluation.objects.create(
        agreement=documenting,
        period_kind=Evaluation.PeriodKind.CALENDAR,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        status=Evaluation.Status.AGREED,
        agreed_on=datetime.date(2027, 2, 1),
    )
    response = api.post("activities/", _payload(documenting, external_ref="neu"))
    assert response.status_code == 409
    assert response.data["type"].endswith("problem-locked")
    update = _payload(documenting, title="Später", version=created["version"])
    assert api.put(f"activities/{created['id']}/", update).status_code == 409
    assert Activity.objects.count() == 1


def test_it_validates_like_the_form(
    api_as: Callable, fachkraft: User, documenting: Agreement
) -> None:
    api = api_as(fachkraft)
    body = _payload(documenting, kreis=None, reach={"group.fathers": 30})
    response = api.post("activities/", body)
    assert response.status_code == 422
    names = {param["name"] for param in response.data["invalid_params"]}
    assert "kreis" in names
    unknown = api.post("activities/", _payload(documenting, format="gibt-es-nicht"))
    assert unknown.status_code == 422
    assert unknown.data["invalid_params"] == [{"name": "format", "reason": "Unbekanntes Format."}]
    assert not Activity.objects.exists()


def test_it_names_the_bad_parameter(
    api_as: Callable, fachkraft: User, documenting: Agreement
) -> None:
    api = api_as(fachkraft)
    for path, query, name in [
        ("activities/", {"year": "zwanzig"}, "year"),
        ("activities/", {"limit": "0"}, "limit"),
        ("activities/", {"cursor": "kaputt"}, "cursor"),
        (f"agreements/{documenting.slug}/indicators/", {"period": "gestern"}, "period"),
        (f"agreements/{documenting.slug}/counselling/", {"period": "week"}, "period"),
    ]:
        response = api.get(path, **query)
        assert response.status_code == 400, (path, query)
        assert [p["name"] for p in response.data["invalid_params"]] == [name]
        assert name in response.data["detail"]


def test_it_speaks_english_on_request(api_as: Callable, fachkraft: User) -> None:
    api = api_as(fachkraft)
    german = api.get("activities/", year="x")
    english = api.client.get(
        "/api/v1/activities/", {"year": "x"}, HTTP_ACCEPT_LANGUAGE="en", **api.headers
    ).json()
    assert german.data["title"] == "Ungültige Anfrage"
    assert english["title"] == "Bad request"


def test_it_walks_every_activity_by_cursor(
    api_as: Callable, fachkraft: User, make_activity: Callable[..., Activity]
) -> None:
    start = timezone.make_aware(datetime.datetime(2026, 3, 1, 10))
    made = [make_activity(starts_at=start + datetime.timedelta(days=i % 3)) for i in range(7)]
    api = api_as(fachkraft)
    seen, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("activities/", **query).data
        seen += [row["id"] for row in page["results"]]
        cursor = page["next"]
        if cursor is None:
            break
    expected = sorted(made, key=lambda a: (a.starts_at, a.pk), reverse=True)
    assert seen == [a.pk for a in expected]


def test_it_answers_activities_in_the_documented_shape(
    api_as: Callable, fachkraft: User, documenting: Agreement
) -> None:
    from buendnis.api.schemas import ActivityOut, ActivityPage

    api = api_as(fachkraft)
    created = api.post("activities/", _payload(documenting))
    assert created.status_code == 201
    page = api.get("activities/")
    detail = api.get(f"activities/{created.data['id']}/")
    ActivityPage.model_validate(page.data)
    ActivityOut.model_validate(detail.data)
    assert page["Content-Type"] == detail["Content-Type"] == "application/json; charset=utf-8"
    assert page.data["results"] == [created.data] == [detail.data]
    assert detail.data["starts_at"] == "2026-11-24T19:00:00Z"
    assert detail.data["goals"] == ["Z1"]
    assert {r["category"]: r["count"] for r in detail.data["reach"]} == {
        "group.fathers": 11,
        "migration.own": 8,
        "migration.none": 3,
    }
    assert page.data["next"] is None


def test_it_lists_a_page_in_five_queries(
    api_as: Callable,
    fachkraft: User,
    make_activity: Callable[..., Activity],
    django_assert_num_queries: Callable,
) -> None:
    start = timezone.make_aware(datetime.datetime(2026, 3, 1, 10))
    for day in range(4):
        make_activity(starts_at=start + datetime.timedelta(days=day))
    api = api_as(fachkraft)
    api.get("activities/")  # stamps the token's last use
    # token with its user, roles with agreements, the page, its goals, its reach counts
    with django_assert_num_queries(5):
        page = api.get("activities/", limit=3).data
    assert [len(row["reach"]) for row in page["results"]] == [4, 4, 4]
    assert all(row["goals"] for row in page["results"])


def test_it_throttles_each_token(
    api_as: Callable, fachkraft: User, settings: pytest.FixtureRequest
) -> None:
    settings.API_TOKEN_RATE = "2/minute"
    cache.clear()
    api, other = api_as(fachkraft), api_as(fachkraft)
    assert [api.get("agreements/").status_code for _ in range(2)] == [200, 200]
    refused = api.get("agreements/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"] == "application/problem+json"
    assert other.get("agreements/").status_code == 200


def test_the_session_needs_csrf_to_write(fachkraft: User, documenting: Agreement) -> None:
    import json

    client = Client(enforce_csrf_checks=True)
    client.force_login(fachkraft)
    assert client.get("/api/v1/activities/").status_code == 200
    body = json.dumps(_payload(documenting))
    refused = client.post("/api/v1/activities/", body, content_type="application/json")
    assert refused.status_code == 403
    client.get("/konto/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    created = client.post(
        "/api/v1/activities/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert created.status_code == 201


def test_the_ministry_gets_protected_counselling_figures(
    api_as: Callable,
    referentin: User,
    fachkraft: User,
    agreement: Agreement,
    make_contact: Callable,
) -> None:
    year = timezone.localdate().year
    for day in (1, 2, 3):
        make_contact(date=datetime.date(year, 1, day))
    path = f"agreements/{agreement.slug}/counselling/"
    exact = api_as(fachkraft).get(path, year=year).data
    assert exact["exact"] is True
    assert exact["tables"][0]["values"][-1][-1] == 3
    protected = api_as(referentin).get(path, year=year).data
    assert protected["exact"] is False
    shown = [v for t in protected["tables"] for row in t["values"] for v in row]
    assert not [v for v in shown if isinstance(v, int) and 1 <= v <= 4]
    assert "< 5" in shown


def test_the_ministry_gets_protected_indicator_values(
    api_as: Callable, referentin: User, koordination: User, documenting: Agreement
) -> None:
    path = f"agreements/{documenting.slug}/indicators/"
    assert api_as(referentin).get(path, period="2026").data["exact"] is False
    assert api_as(koordination).get(path, period="2026").data["exact"] is True


def test_it_serves_the_schema_and_its_docs_page(client: Client) -> None:
    schema = client.get("/api/v1/schema/").json()
    assert schema["openapi"].startswith("3.")
    create = schema["paths"]["/api/v1/activities/"]["post"]["responses"]
    assert "application/problem+json" in create["409"]["content"]
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/api/docs.js" in page and "https://" not in page.split("<main")[-1]


def test_the_disclosure_audit_covers_the_api(
    referentin: User, agreement: Agreement, make_contact: Callable
) -> None:
    from buendnis.evaluation.disclosure import run_audit

    year = timezone.localdate().year
    for day in (1, 2, 3, 4, 5, 6, 7):
        make_contact(date=datetime.date(year, 1, day), kind="legal" if day < 4 else "psychosocial")
    [(_agreement, report)] = run_audit(agreement_slug=agreement.slug, year=year)
    api_outputs = [output for output in report.outputs if output.startswith("API ")]
    assert any(output.startswith(f"API Beratung {year} nach Monat") for output in api_outputs)
    assert any(output.startswith(f"API Beratung {year} nach Quartal") for output in api_outputs)
    assert report.exact_outputs == []
    assert report.pinned == []


@pytest.mark.parametrize("address", ["gibt-es-nicht/", ""])
def test_an_unknown_address_is_a_problem_document(
    api_as: Callable, fachkraft: User, address: str
) -> None:
    response = api_as(fachkraft).get(address)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_it_refuses_nul_characters_by_name(
    api_as: Callable, fachkraft: User, documenting: Agreement
) -> None:
    api = api_as(fachkraft)
    query = api.get("activities/", agreement="a\x00b")
    assert query.status_code == 400
    assert query.data["invalid_params"][0]["name"] == "agreement"
    body = api.post("activities/", _payload(documenting, title="Väter\x00Café"))
    assert body.status_code == 400
    assert body.data["invalid_params"][0]["name"] == "title"
    assert not Activity.objects.exists()


def test_an_update_keeps_what_the_api_does_not_carry(
    api_as: Callable, fachkraft: User, documenting: Agreement, own_activity: Activity
) -> None:
    body = _payload(documenting, title="Neuer Titel", version=own_activity.version)
    body["external_ref"] = "aus-dem-kalender"
    assert api_as(fachkraft).put(f"activities/{own_activity.pk}/", body).status_code == 200
    saved = Activity.objects.get(pk=own_activity.pk)
    assert (saved.title, saved.external_ref) == ("Neuer Titel", "aus-dem-kalender")
    assert saved.reflection == own_activity.reflection
    assert saved.languages == ["de", "ar", "tr"]


def test_goals_carry_each_indicator_with_this_years_target(
    api_as: Callable, fachkraft: User, documenting: Agreement
) -> None:
    goal = Goal.objects.get(agreement=documenting, code="Z1")
    indicator = Indicator.objects.create(
        agreement=documenting, goal=goal, code="Z1.1", name="Vätergruppen", unit="Treffen",
        level=1, source=Indicator.Source.ACTIVITIES, filter={"metric": "count"},
    )  # fmt: skip
    this_year = timezone.localdate().year
    IndicatorTarget.objects.create(indicator=indicator, year=this_year - 1, value=30)
    IndicatorTarget.objects.create(indicator=indicator, year=this_year + 1, value=50)
    response = api_as(fachkraft).get(f"agreements/{documenting.slug}/goals/")
    assert response.status_code == 200
    z1 = next(g for g in response.data if g["code"] == "Z1")
    # last year's target holds this year too; next year's is not yet in force
    assert z1["indicators"] == [
        {"code": "Z1.1", "name": "Vätergruppen", "unit": "Treffen", "level": 1,
         "source": "activities", "yearly_target": 30},
    ]  # fmt: skip
