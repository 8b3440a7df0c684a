"""Scenario 9, second half: a new agreement gets its results framework and § 7 procedure.

The coordinator adds two goals with an indicator each and targets per year, and proposes
the documentation procedure; the ministry officer agrees to both; a Fachkraft documents
the first activity and the agreement page shows the indicator's value.
"""

import datetime

import pytest
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.services import documentation_setup
from buendnis.agreements.models import Agreement, DocumentationProcedure, FrameworkVersion
from buendnis.conftest import PASSWORD, ScannedPage
from buendnis.evaluation.tests.framework_steps import (
    add_goal,
    document_first_activity,
    fill_indicator,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: ScannedPage, base: str, username: str, then: str) -> None:
    page.goto(f"{base}/konto/anmelden/?next={then}")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def sign_out(page: ScannedPage) -> None:
    page.context.clear_cookies()


def test_the_partners_agree_a_framework_and_procedure_and_the_first_activity_counts(
    agreement: Agreement,
    koordination: User,
    referentin: User,
    fachkraft: User,
    page: ScannedPage,
    live_server: object,
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    year = timezone.localdate().year
    documentation_setup(agreement=agreement, on=datetime.date(year, 1, 2))
    framework = f"/auswertung/{agreement.slug}/wirkungsrahmen/"

    # Anna sets up two goals, each with an indicator and targets for this year and the next.
    sign_in(page, base, "anna", then=framework)
    for code, title in (("Z1", "Väter reflektieren ihre Rolle"), ("Z2", "Väter werden erreicht")):
        add_goal(page, code, title)

    fill_indicator(
        page, goal="Z1", code="Z1.1", title="Väter-Cafés",
        definition="Wie oft ein Väter-Café stattfand.", level="1", unit="Treffen",
        measure="activities:count", choice="Vätergruppe / Väter-Café",
        targets={year: "40", year + 1: "45"},
    )  # fmt: skip
    page.get_by_role("button", name="Vorschau berechnen").click()
    assert page.locator("[data-preview='2']").inner_text().startswith("Ist 0 Treffen, Ziel 40")
    page.get_by_role("button", name="In den Entwurf übernehmen").click()

    fill_indicator(
        page, goal="Z2", code="Z2.1", title="Erreichte Väter",
        definition="Väter, die zum ersten Mal kamen.", level="2", unit="Personen",
        measure="reach:unduplicated", choice="Väter", targets={year: "120"},
    )  # fmt: skip
    page.get_by_role("button", name="In den Entwurf übernehmen").click()

    page.get_by_label("Begründung für die Partner").fill("Ziele der neuen Vereinbarung")
    page.get_by_role("button", name="Den Partnern zur Zustimmung vorlegen").click()
    assert page.get_by_text("Zustimmung steht noch aus von: HMSI").is_visible()

    # … and proposes the § 7 procedure, its fields chosen by their German labels.
    page.goto(f"{base}/vereinbarungen/{agreement.slug}/dokumentation/neu/")
    page.get_by_label("Frist in Tagen nach der Aktivität").fill("10")
    for label in ("Titel", "Format", "Beginn", "Ende", "Reichweite (Teilnehmende nach Kategorien)"):
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Version vorschlagen").click()
    assert page.get_by_text("Titel, Format, Beginn, Ende, Reichweite").is_visible()
    sign_out(page)

    # The ministry officer agrees to both.
    sign_in(page, base, "referentin", then=framework)
    page.get_by_role("button", name="Dieser Änderung zustimmen").click()
    assert page.get_by_text("die Änderung gilt ab sofort").is_visible()
    page.goto(f"{base}/vereinbarungen/{agreement.slug}/dokumentation/")
    page.get_by_role("button", name="Diesem Verfahren zustimmen").click()
    assert page.get_by_role("heading", name="Version 1 (gültig)").is_visible()
    sign_out(page)
    assert FrameworkVersion.objects.get().status == FrameworkVersion.Status.AGREED
    assert DocumentationProcedure.objects.get().approvals.count() == 2

    # Samir documents the first Väter-Café; the agreement page counts it.
    sign_in(page, base, "samir", then=f"/aktivitaeten/neu/{agreement.slug}/")
    document_first_activity(page, title="Erstes Väter-Café", people=6)

    page.goto(f"{base}/vereinbarungen/{agreement.slug}/")
    assert page.locator("[data-indicator='Z1.1'] [data-value='actual']").inner_text() == "1"
    assert page.locator("[data-indicator='Z2.1'] [data-value='actual']").inner_text() == "6"
