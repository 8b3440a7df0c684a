"""The public download page, the files, and the ministry's switch page."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import organisation_resolve, user_create
from buendnis.agreements.models import Agreement
from buendnis.conftest import PASSWORD
from buendnis.opendata.models import Decision
from buendnis.opendata.package import DESCRIPTOR
from buendnis.opendata.tables import TABLE_NAMES

pytestmark = pytest.mark.django_db


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _switch(client: Client, agreement: Agreement, year: str, published: str) -> object:
    return client.post(
        reverse("opendata:switch", args=[agreement.slug]),
        {"year": year, "published": published},
    )


def test_nothing_is_published_by_default(demo: Agreement, client: Client) -> None:
    response = client.get(reverse("opendata:list"))
    assert response.status_code == 200
    assert "Noch sind keine Daten veröffentlicht." in response.content.decode()
    assert client.get(reverse("opendata:zip", args=[demo.slug, 2025])).status_code == 404
    url = reverse("opendata:file", args=[demo.slug, 2025, DESCRIPTOR])
    assert client.get(url).status_code == 404


def test_a_ministry_officer_publishes_a_year_for_everyone(demo: Agreement, client: Client) -> None:
    officer = _signed_in("ministerium")
    response = _switch(officer, demo, "2025", "1")
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.year, decision.published, decision.decided_by.username) == (
        2025,
        True,
        "ministerium",
    )
    page = client.get(reverse("opendata:list")).content.decode()
    assert demo.title in page and reverse("opendata:zip", args=[demo.slug, 2025]) in page
    assert "Datenlizenz Deutschland" in page
    archive = client.get(reverse("opendata:zip", args=[demo.slug, 2025]))
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    stem = "buendnis-integration-braucht-partner-2025/"
    assert sorted(names) == sorted([stem + DESCRIPTOR, *(f"{stem}{n}.csv" for n in TABLE_NAMES)])
    meta = client.get(reverse("opendata:file", args=[demo.slug, 2025, DESCRIPTOR]))
    assert json.loads(meta.content)["name"] == "buendnis-integration-braucht-partner-2025"
    csv_file = client.get(
        reverse("opendata:file", args=[demo.slug, 2025, "aktivitaeten-nach-region.csv"])
    )
    assert csv_file["Content-Type"].startswith("text/csv")
    assert csv_file.content.startswith(b"jahr,ebene,schluessel")
    assert client.get(reverse("opendata:file", args=[demo.slug, 2025, "x.csv"])).status_code == 404


def test_all_agreed_years_then_one_withdrawn(demo: Agreement, client: Client) -> None:
    officer = _signed_in("ministerium")
    _switch(officer, demo, "alle", "1")
    assert client.get(reverse("opendata:zip", args=[demo.slug, 2025])).status_code == 200
    # A year still running is no agreed year: never published.
    assert client.get(reverse("opendata:zip", args=[demo.slug, 2026])).status_code == 404
    _switch(officer, demo, "2025", "0")
    assert client.get(reverse("opendata:zip", args=[demo.slug, 2025])).status_code == 404
    page = officer.get(reverse("opendata:manage")).content.decode()
    assert "zurückgezogen" in page and "ministerium" in page


def test_it_refuses_a_year_that_is_no_agreed_year(demo: Agreement) -> None:
    officer = _signed_in("ministerium")
    response = _switch(officer, demo, "2026", "1")
    assert response.status_code == 302
    assert not Decision.objects.exists()
    page = officer.get(reverse("opendata:manage")).content.decode()
    assert "kein abgeschlossenes Jahr" in page


def test_it_refuses_bad_input(demo: Agreement) -> None:
    officer = _signed_in("ministerium")
    for year, published in (("zwei", "1"), ("2025", "ja"), ("", "")):
        _switch(officer, demo, year, published)
    assert not Decision.objects.exists()


@pytest.mark.parametrize("username", ["fachkraft", "koordination"])
def test_it_denies_the_partners_staff(demo: Agreement, username: str) -> None:
    client = _signed_in(username)
    assert client.get(reverse("opendata:manage")).status_code == 403
    assert _switch(client, demo, "2025", "1").status_code == 404
    assert not Decision.objects.exists()


def test_it_denies_another_ministrys_officer(demo: Agreement) -> None:
    """An officer of a ministry that is no party to the agreement cannot even find it."""
    other = organisation_resolve(
        name="Ministerium eines anderen Landes", kind=Organisation.Kind.MINISTRY
    )
    officer = user_create(
        username="fremd", password=PASSWORD, organisation=other, role=Membership.Role.MINISTERIUM
    )
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("opendata:manage")).status_code == 200
    assert demo.title not in client.get(reverse("opendata:manage")).content.decode()
    assert _switch(client, demo, "2025", "1").status_code == 404
    assert not Decision.objects.exists()


def test_the_admin_may_publish(demo: Agreement) -> None:
    client = _signed_in("admin")
    assert demo.title in client.get(reverse("opendata:manage")).content.decode()
    assert _switch(client, demo, "2025", "1").status_code == 302
    assert Decision.objects.get().decided_by.username == "admin"


def test_signed_out_the_switch_page_asks_to_sign_in(demo: Agreement, client: Client) -> None:
    assert client.get(reverse("opendata:manage")).status_code == 302
    response = client.post(
        reverse("opendata:switch", args=[demo.slug]), {"year": "2025", "published": "1"}
    )
    assert response.status_code == 302 and "anmelden" in response["Location"]
    assert not Decision.objects.exists()


def test_a_decision_is_in_the_audit_log_of_the_agreements_workflow(demo: Agreement) -> None:
    from buendnis.audit.models import AuditEntry

    _switch(_signed_in("ministerium"), demo, "2025", "1")
    entry = AuditEntry.objects.get(object_type="opendata_decision")
    assert (entry.action, entry.actor.username, entry.agreement_id) == (
        "create",
        "ministerium",
        demo.pk,
    )
    assert entry.changes["published"] == [None, True]
    log = _signed_in("ministerium").get(reverse("audit:list")).content.decode()
    assert "Entscheidung über offene Daten" in log
