"""Scenario 8 in a browser: the Referentin's spreadsheet for a parliamentary question.

Across all four integration agreements, activities and reach by Regierungsbezirk for the
last three years, aggregated with no small cells, as XLSX — signed in with her second
factor. Every input (keystroke into a field, click) is counted; the page passes axe and
the HTML checker on every load (the ``page`` fixture).
"""

import io
import time
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.accounts.security.tests.conftest import enrolled, totp_code
from buendnis.agreements.models import Agreement
from buendnis.conftest import ScannedPage
from buendnis.core.management.commands.demo import DEMO_PASSWORD
from buendnis.portfolio.filters import Filters
from buendnis.portfolio.selectors import portfolio, portfolio_agreements

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW_MS = 60_000  # the first protection of four agreements' grids on a loaded machine
MARKS = {"< 5", "•", "–"}


class Inputs:
    """Counts what the Referentin does: each fill of a field and each click is one input."""

    def __init__(self) -> None:
        self.count = 0

    def fill(self, locator: Any, text: str) -> None:
        self.count += 1
        locator.fill(text)

    def click(self, locator: Any, **kwargs: Any) -> None:
        self.count += 1
        locator.click(**kwargs)


@pytest.fixture
def demo(transactional_db: None, settings: Any) -> User:
    call_command("demo", "--no-serve")
    settings.TWO_FACTOR_REQUIRED_ROLES = ["ministerium", "admin"]
    officer = User.objects.get(username="ministerium")
    enrolled(officer)
    officer.enrolled_step = int(time.time() // 30)  # type: ignore[attr-defined]
    return officer


def _fresh_code(officer: User) -> str:
    """The code her app shows now; the enrolment's own code cannot be replayed, so within
    the same 30-second step she would read the next one (however long the machine took)."""
    secret = officer.totpdevice_set.get().bin_key
    same_step = int(time.time() // 30) == officer.enrolled_step  # type: ignore[attr-defined]
    return totp_code(secret, offset_steps=1 if same_step else 0)


def test_scenario_8_the_ministrys_picture_as_a_spreadsheet(
    demo: User, page: ScannedPage, live_server: Any
) -> None:
    base = live_server.url
    this_year = timezone.localdate().year
    years = [this_year - 2, this_year - 1, this_year]
    inputs = Inputs()

    page.goto(f"{base}/konto/anmelden/")
    inputs.fill(page.get_by_label("Benutzername"), "ministerium")
    inputs.fill(page.get_by_label("Passwort"), DEMO_PASSWORD)
    inputs.click(page.get_by_role("button", name="Anmelden"))
    inputs.fill(
        page.get_by_label("Code aus der App oder Wiederherstellungscode"),
        _fresh_code(demo),
    )
    inputs.click(page.get_by_role("button", name="Bestätigen"))

    inputs.click(
        page.get_by_role("navigation").get_by_role("link", name="Portfolio"), timeout=SLOW_MS
    )
    heading = page.get_by_role("heading", name="Portfolio der Integrationsvereinbarungen (§ 6)")
    heading.wait_for(timeout=SLOW_MS)
    # The defaults already are the question: all four agreements, the last three years.
    for agreement in Agreement.objects.all():
        assert page.get_by_role("checkbox", name=agreement.title).count() == 1
    for year in years:
        assert page.get_by_role("checkbox", name=str(year), exact=True).is_checked()
    bezirke = page.locator("[data-table='regierungsbezirke']")
    assert bezirke.get_by_role("rowheader", name="Kassel").is_visible()
    tile_map = page.get_by_role("img", name="Karte der hessischen Kreise")
    assert tile_map.count() == 1
    assert tile_map.locator("title").count() == 26  # one tile per Kreis

    with page.expect_download(timeout=SLOW_MS) as info:
        inputs.click(page.get_by_role("link", name="Als XLSX herunterladen"))
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        book = openpyxl.load_workbook(io.BytesIO(file.read()))

    assert inputs.count == 7  # five to sign in with the second factor, two to get the file
    assert book.sheetnames[0] == "Hinweise"
    notes = {row[0]: row[1] for row in book["Hinweise"].iter_rows(values_only=True)}
    assert all(str(year) in notes["Zeitraum"] for year in years)
    assert "„< 5“" in notes and "„•“" in notes and "Exportiert am" in notes
    sheet = book["regierungsbezirke"]
    assert sheet.freeze_panes == "B2"
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Regierungsbezirk"
    assert [f"Aktivitäten {y}" for y in years] == [h for h in header if h.startswith("Akt")]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert {"Darmstadt", "Gießen", "Kassel", "Online", "Hessen und online"} <= set(rows)

    # The file holds what the page's selector publishes for her: numbers as numbers,
    # small counts only as marks.
    expected = portfolio(
        user=demo,
        filters=Filters(years=years, agreements=portfolio_agreements(demo)),
    ).table("regierungsbezirke")
    for row in expected.rows:
        assert list(rows[row.label][: len(row.values)]) == row.values
    cells = [v for values in rows.values() for v in values if v is not None]
    assert all(isinstance(v, int) or v in MARKS for v in cells)
    assert not any(isinstance(v, int) and 0 < v < 5 for v in cells)
    assert isinstance(rows["Hessen und online"][header.index(f"Aktivitäten {this_year}") - 1], int)
