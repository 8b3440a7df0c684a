"""Headers and output encoding every page gets (ASVS V5, V8, V14; docs/security.md)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, Format
from buendnis.agreements.models import Agreement

pytestmark = pytest.mark.django_db


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_sends_a_content_security_policy_without_inline_script() -> None:
    policy = Client().get(reverse("accounts:login"))["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_it_forbids_framing_sniffing_and_foreign_referrers() -> None:
    response = Client().get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_it_keeps_signed_in_pages_out_of_caches(fachkraft: User) -> None:
    response = _signed_in(fachkraft).get(reverse("accounts:profile"))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_it_escapes_what_users_typed(
    fachkraft: User, agreement: Agreement, partner_org: object
) -> None:
    format_ = Format.objects.create(
        agreement=agreement, key="cafe", name="Café", status_since=datetime.date(2025, 1, 1)
    )
    start = timezone.now() - datetime.timedelta(days=1)
    activity = Activity.objects.create(
        agreement=agreement,
        organisation=partner_org,
        format=format_,
        title='<script>alert("x")</script>',
        reflection='<img src=x onerror="alert(1)">',
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        online=True,
    )
    page = _signed_in(fachkraft).get(reverse("activities:detail", args=[activity.pk])).text
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_it_shows_no_debug_details_on_an_unknown_page(fachkraft: User) -> None:
    response = _signed_in(fachkraft).get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Traceback" not in response.text
    assert "URLconf" not in response.text


def test_it_refuses_a_post_without_the_csrf_token(fachkraft: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(fachkraft)
    response = client.post(
        reverse("accounts:profile"), {"first_name": "X", "last_name": "Y", "email": ""}
    )
    assert response.status_code == 403
    fachkraft.refresh_from_db()
    assert fachkraft.first_name == ""
