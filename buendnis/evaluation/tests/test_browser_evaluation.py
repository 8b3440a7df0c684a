"""Acceptance (§ 8): the first demo year goes draft → review → agreed; the second sees it."""

import pytest
from django.core.management import call_command

from buendnis.conftest import ScannedPage
from buendnis.core.management.commands.demo import DEMO_AGREEMENT, DEMO_PASSWORD
from buendnis.evaluation.models import Adjustment, Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADJUSTMENT = "Väter-Café zusätzlich online anbieten"

FREEZE_MS = 60_000


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("demo", "--no-serve")


def sign_in(page: ScannedPage, base: str, username: str, then: str) -> None:
    """Sign in on the login page and land on ``then`` (a path)."""
    page.goto(f"{base}/konto/anmelden/?next={then}")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def sign_out(page: ScannedPage, username: str) -> None:
    """Drop the session without a page load (each page load costs an accessibility scan)."""
    assert page.get_by_role("button", name=f"Abmelden ({username})").is_visible()
    page.context.clear_cookies()


def test_the_partners_evaluate_a_year_and_see_it_next_year(
    demo: None, page: ScannedPage, live_server: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    evaluations = f"/auswertung/{DEMO_AGREEMENT}/"
    detail = f"{evaluations}2025/"

    # Anna starts the evaluation of last year (the default), reflects and agrees a change.
    sign_in(page, base, "koordination", then=evaluations)
    assert page.get_by_label("Kalenderjahr").input_value() == "2025"
    page.get_by_role("button", name="Auswertung beginnen").click()
    assert page.get_by_role("heading", name="Auswertung 2025 (§ 8)", level=1).is_visible()
    assert page.locator("[data-indicator='Z1.1'] [data-value='actual']").inner_text() != "–"

    page.get_by_role("link", name="Reflexion zu Z1 bearbeiten").click()
    page.get_by_label("Was hat funktioniert?").fill("Das Väter-Café ist fester Treffpunkt.")
    page.get_by_label("Was hat nicht funktioniert?").fill("Online-Abende blieben klein.")
    page.get_by_label("Warum?").fill("Abends fehlt vielen die Zeit.")
    page.get_by_role("button", name="Reflexion speichern").click()
    assert page.get_by_text("Das Väter-Café ist fester Treffpunkt.").is_visible()

    page.get_by_role("link", name="Anpassung zu Z1 vereinbaren").click()
    page.get_by_label("Was ändert sich?").fill(ADJUSTMENT)
    page.get_by_label("Verantwortlich").select_option(label="iaf e.V.")
    page.get_by_label("Bis wann").fill("2026-06-30")
    page.get_by_role("button", name="Anpassung speichern").click()
    assert page.locator("#ziel-Z1").get_by_role("rowheader", name=ADJUSTMENT).is_visible()

    # Freezing also protects the agreement's publication grids once for the ministry's copy:
    # a few seconds, more on a loaded machine than the default 10 s allow.
    page.get_by_role("button", name="Zahlen einfrieren und zur Prüfung geben").click(
        timeout=FREEZE_MS
    )
    assert page.get_by_text("Zahlen eingefroren am").is_visible()
    sign_out(page, "koordination")

    # The ministry comments on goal 3 and sends the evaluation back once.
    sign_in(page, base, "ministerium", then=detail)
    page.get_by_role("link", name="Kommentar zu Z3 schreiben").click()
    page.get_by_label("Kommentar des Ministeriums").fill(
        "Die Reichweite bei Multiplikator*innen in Nordhessen ist gering – warum?"
    )
    page.get_by_role("button", name="Kommentar speichern").click()
    page.get_by_label("Was soll überarbeitet werden?").fill("Bitte Nordhessen erläutern.")
    page.get_by_role("button", name="Zur Überarbeitung zurückgeben").click()
    assert page.locator(".evaluation-status").inner_text().startswith("Entwurf")
    assert page.locator(".history").get_by_text("Bitte Nordhessen erläutern.").is_visible()
    sign_out(page, "ministerium")

    # Anna freezes again and confirms for iaf; the ministry confirms: the year is agreed.
    sign_in(page, base, "koordination", then=detail)
    page.get_by_role("button", name="Zahlen einfrieren und zur Prüfung geben").click(
        timeout=FREEZE_MS
    )
    page.get_by_role("button", name="Für iaf e.V. zustimmen").click()
    assert page.get_by_text("Die Zustimmung für iaf e.V. ist gespeichert.").is_visible()
    sign_out(page, "koordination")

    sign_in(page, base, "ministerium", then=detail)
    assert page.locator("#ziel-Z3").get_by_text("in Nordhessen ist gering").is_visible()
    page.get_by_role("button", name="Für HMSI zustimmen").click()
    assert page.locator(".evaluation-status").inner_text().startswith("Vereinbart")
    sign_out(page, "ministerium")
    assert Evaluation.objects.get(starts_on__year=2025).status == Evaluation.Status.AGREED

    # This year's evaluation shows last year's adjustment; Anna records its progress.
    sign_in(page, base, "koordination", then=evaluations)
    page.get_by_label("Kalenderjahr").select_option("2026")
    page.get_by_role("button", name="Auswertung beginnen").click()
    assert page.get_by_role("heading", name="Auswertung 2026 (§ 8)", level=1).is_visible()
    last_time = page.get_by_role("region", name="Vereinbart beim letzten Mal")
    item = last_time.get_by_role("listitem").filter(has_text=ADJUSTMENT)
    assert item.locator("[data-status]").inner_text() == "Offen"
    item.get_by_label("Stand", exact=True).select_option(label="In Umsetzung")
    item.get_by_label("Ergebnis").fill("Erster Online-Termin im März.")
    item.get_by_role("button", name="Stand speichern").click()
    assert page.get_by_role("heading", name="Auswertung 2026 (§ 8)", level=1).is_visible()
    item = page.get_by_role("region", name="Vereinbart beim letzten Mal").get_by_role("listitem")
    assert item.locator("[data-status]").inner_text() == "In Umsetzung"
    assert Adjustment.objects.get(what=ADJUSTMENT).status == Adjustment.Status.IN_PROGRESS
