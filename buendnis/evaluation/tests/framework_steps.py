"""Browser steps shared by the scenario-9 tests: goals, indicators and a first activity."""

import datetime
import re

from django.utils import timezone

from buendnis.conftest import ScannedPage


def add_goal(page: ScannedPage, code: str, title: str) -> None:
    """Add a goal to the framework draft (the page shows the framework)."""
    page.get_by_role("link", name="Ziel hinzufügen").click()
    page.get_by_label("Kürzel").fill(code)
    page.get_by_label("Titel").fill(title)
    page.get_by_role("button", name="In den Entwurf übernehmen").click()
    assert page.get_by_role("heading", name=f"{code} {title}").is_visible()


def fill_indicator(
    page: ScannedPage,
    *,
    goal: str,
    code: str,
    title: str,
    definition: str,
    level: str,
    unit: str,
    measure: str,
    choice: str,
    targets: dict[int, str],
) -> None:
    """Open the indicator form under a goal and fill it in (not yet submitted)."""
    page.get_by_role("link", name=f"Indikator zu {goal} hinzufügen").click()
    page.get_by_label("Kürzel").fill(code)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Definition in einfachen Worten").fill(definition)
    page.get_by_label("Stufe der Wirkungstreppe").select_option(level)
    page.get_by_label("Einheit").fill(unit)
    page.get_by_label("Datenquelle und Kennzahl").select_option(measure)
    page.get_by_label(choice, exact=True).check()
    for year, target in targets.items():
        page.get_by_label(re.compile(rf"^Ziel {year}\b")).fill(target)


def document_first_activity(page: ScannedPage, *, title: str, people: int) -> None:
    """Document a Väter-Café three hours ago in Offenbach (the page shows the new form)."""
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    start -= datetime.timedelta(hours=3)
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Format").select_option(label="Vätergruppe / Väter-Café")
    page.get_by_label("Beginn", exact=True).fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ende", exact=True).fill(
        (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Teilnehmende insgesamt").fill(str(people))
    page.get_by_label("davon zum ersten Mal").fill(str(people))
    page.get_by_label("Väter", exact=True).fill(str(people))
    page.get_by_label("keine Migrationsgeschichte", exact=False).fill(str(people))
    page.get_by_label("Kreis oder kreisfreie Stadt").select_option(label="Offenbach am Main, Stadt")
    page.get_by_role("button", name="Dokumentation abschließen").click()
    assert page.get_by_role("heading", name=title, level=1).is_visible()
