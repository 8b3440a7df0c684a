"""Scenario 9 end to end: a fifth agreement goes from its PDF to its first counted activity.

The admin imports the PDF (a layout the parser has not seen), fixes the preview and sets
the signing date; the new partner's coordinator adds two goals with indicators and yearly
targets and proposes the § 7 procedure; the ministry officer agrees to both; a Fachkraft
documents the first activity; the agreement page shows the indicator's value.
"""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import user_create
from buendnis.agreements.models import Agreement
from buendnis.agreements.tests.test_browser_import import _fifth_agreement_pdf
from buendnis.conftest import PASSWORD, ScannedPage
from buendnis.evaluation.tests.framework_steps import (
    add_goal,
    document_first_activity,
    fill_indicator,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: ScannedPage, base: str, username: str, then: str = "/") -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/konto/anmelden/?next={then}")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_a_fifth_agreement_goes_from_its_pdf_to_its_first_counted_activity(
    admin_user: User,
    referentin: User,
    page: ScannedPage,
    live_server: object,
    tmp_path: Path,
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    year = timezone.localdate().year

    # The admin imports the PDF, gives the minister her function and the signing date.
    sign_in(page, base, admin_user.username, then="/vereinbarungen/neu/")
    pdf = _fifth_agreement_pdf(tmp_path / "ankommen-im-quartier.pdf")
    page.get_by_label("Vereinbarung als PDF- oder Textdatei").set_input_files(str(pdf))
    page.get_by_role("button", name="Hochladen und prüfen").click()
    assert "Kein Datum der Unterzeichnung" in page.locator("#doubts").inner_text()
    page.locator("#signatory-1").get_by_label("Funktion").fill("Staatsministerin")
    page.get_by_label("Unterzeichnet am").fill(f"{year}-01-01")
    page.get_by_role("button", name="Vereinbarung speichern").click()
    assert page.get_by_role("heading", name="Ankommen im Quartier", level=1).is_visible()
    agreement = Agreement.objects.get(title="Ankommen im Quartier")
    assert agreement.in_force_on == datetime.date(year, 1, 2)
    partner = Organisation.objects.get(name="Hessisches Netzwerk Nachbarschaft e.V.")
    assert set(agreement.partners.values_list("organisation_id", flat=True)) == {
        partner.pk,
        referentin.memberships.get().organisation_id,
    }
    for username, role in (
        ("lena", Membership.Role.KOORDINATION),
        ("tom", Membership.Role.FACHKRAFT),
    ):
        user_create(username=username, password=PASSWORD, organisation=partner, role=role)
    framework = f"/auswertung/{agreement.slug}/wirkungsrahmen/"

    # Lena, the partner's coordinator, sets up two goals with an indicator each.
    sign_in(page, base, "lena", then=framework)
    for code, title in (("Z1", "Nachbarn begegnen sich"), ("Z2", "Nachbarn werden erreicht")):
        add_goal(page, code, title)
    fill_indicator(
        page, goal="Z1", code="Z1.1", title="Begegnungsabende",
        definition="Wie oft ein Treffen stattfand.", level="1", unit="Treffen",
        measure="activities:count", choice="Vätergruppe / Väter-Café",
        targets={year: "10", year + 1: "12"},
    )  # fmt: skip
    page.get_by_role("button", name="In den Entwurf übernehmen").click()
    fill_indicator(
        page, goal="Z2", code="Z2.1", title="Erreichte Nachbarn",
        definition="Wer zum ersten Mal kam.", level="2", unit="Personen",
        measure="reach:unduplicated", choice="Väter", targets={year: "80"},
    )  # fmt: skip
    page.get_by_role("button", name="In den Entwurf übernehmen").click()
    page.get_by_label("Begründung für die Partner").fill("Ziele der fünften Vereinbarung")
    page.get_by_role("button", name="Den Partnern zur Zustimmung vorlegen").click()

    # … and proposes the § 7 procedure.
    page.goto(f"{base}/vereinbarungen/{agreement.slug}/dokumentation/neu/")
    page.get_by_label("Frist in Tagen nach der Aktivität").fill("14")
    for label in ("Titel", "Format", "Beginn", "Ende"):
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Version vorschlagen").click()

    # The ministry officer agrees to both.
    sign_in(page, base, "referentin", then=framework)
    page.get_by_role("button", name="Dieser Änderung zustimmen").click()
    assert page.get_by_text("die Änderung gilt ab sofort").is_visible()
    page.goto(f"{base}/vereinbarungen/{agreement.slug}/dokumentation/")
    page.get_by_role("button", name="Diesem Verfahren zustimmen").click()
    assert page.get_by_role("heading", name="Version 1 (gültig)").is_visible()

    # Tom documents the first evening; the agreement page counts it.
    sign_in(page, base, "tom", then=f"/aktivitaeten/neu/{agreement.slug}/")
    document_first_activity(page, title="Erster Begegnungsabend", people=7)
    page.goto(f"{base}/vereinbarungen/{agreement.slug}/")
    assert page.locator("[data-indicator='Z1.1'] [data-value='actual']").inner_text() == "1"
    assert page.locator("[data-indicator='Z2.1'] [data-value='actual']").inner_text() == "7"
