"""XLSX: an overview, one sheet per table, frozen bold headers, real numbers, inert text."""

import io

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.report.render import render_report
from buendnis.evaluation.report.xlsx import safe, sheet_name
from buendnis.evaluation.tests import test_report_data as world

documenting = world.documenting
make_activity = world.make_activity
small_world = world.small_world
Y2025 = calendar_year(2025)


def workbook(agreement: Agreement, copy: str, user: User | None = None) -> Workbook:
    rendered = render_report(
        agreement=agreement, period=Y2025, fmt="xlsx", copy=copy, user=user, today=world.TODAY
    )
    assert rendered.filename == f"auswertung-{agreement.slug}-2025-" + (
        "ministerium.xlsx" if copy == "ministry" else "intern.xlsx"
    )
    assert rendered.content_type.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(rendered.content))


def column(sheet: object, heading: str) -> list[object]:
    """The values below a heading, without the total rows."""
    headings = [cell.value for cell in sheet[1]]  # type: ignore[index]
    index = headings.index(heading)
    return [
        row[index].value
        for row in sheet.iter_rows(min_row=2)  # type: ignore[attr-defined]
        if not row[0].font.bold
    ]


@pytest.mark.django_db
def test_it_opens_with_an_overview_and_has_one_sheet_per_table(small_world: Agreement) -> None:
    book = workbook(small_world, "internal")
    names = book.sheetnames
    assert names[0] == "Übersicht"
    assert len(names) == len({name.lower() for name in names})
    assert all(len(name) <= 31 for name in names)
    assert {"Indikatoren", "Formate im Vergleich", "Teilnahmen nach Gruppe", "Anpassungen"} <= set(
        names
    )
    overview = {row[0].value: row[1].value for row in book["Übersicht"].iter_rows(min_row=2)}
    assert overview["Vereinbarung"] == "Integration braucht Partner"
    assert overview["Auswertungszeitraum"] == "2025"
    assert overview["Fassung"] == "Interne Fassung"


@pytest.mark.django_db
def test_every_sheet_has_a_bold_frozen_header_and_set_widths(small_world: Agreement) -> None:
    for sheet in workbook(small_world, "ministry").worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1] if cell.value), sheet.title
        for cell in sheet[1]:
            assert sheet.column_dimensions[cell.column_letter].customWidth, sheet.title


@pytest.mark.django_db
def test_counts_and_percentages_are_numbers(small_world: Agreement) -> None:
    book = workbook(small_world, "internal")
    activities = column(book["Formate im Vergleich"], "Aktivitäten")
    assert activities == [1, 0, 0, 1, 0, 1, 0, 0]
    assert all(type(value) is int for value in activities)
    share = column(book["Rückmeldungen der Teilnehmenden"], "Zustimmung")
    assert share == [66.7]
    hours = column(book["Ressourcen"], "2025")
    assert hours[0] == 4 and isinstance(hours[0], int | float)


@pytest.mark.django_db
def test_protected_cells_are_text_in_the_ministry_copy(small_world: Agreement) -> None:
    book = workbook(small_world, "ministry")
    activities = column(book["Formate im Vergleich"], "Aktivitäten")
    assert "< 5" in activities
    assert not [value for value in activities if isinstance(value, int) and 0 < value < 5]
    assert column(book["Rückmeldungen der Teilnehmenden"], "Zustimmung") == ["•"]
    assert "Freitext" not in book.sheetnames
    assert book["Übersicht"]["B6"].value == "Fassung für das Ministerium (Kleinzahlen unterdrückt)"


@pytest.mark.django_db
def test_free_text_goes_in_as_inert_text(small_world: Agreement, fachkraft: User) -> None:
    sheet = workbook(small_world, "internal", fachkraft)["Freitext"]
    answers = [row[1] for row in sheet.iter_rows(min_row=2)]
    formula = next(cell for cell in answers if "HYPERLINK" in str(cell.value))
    assert formula.value == '\'=HYPERLINK("http://example.org")'
    assert formula.data_type == "s"
    assert "Mehr Zeit für das Gespräch, bitte." in [cell.value for cell in answers]


def test_sheet_names_are_valid_short_and_unique() -> None:
    taken: set[str] = set()
    long = "Aktivitäten und Teilnahmen nach Kreis und Regierungsbezirk"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) == len(second) == 31
    assert first != second and second.endswith(" (2)")
    assert sheet_name("Multiplikator*innen: [neu]?", taken) == "Multiplikatorinnen neu"


@pytest.mark.parametrize("text", ["=1+1", "+49 69", "-2", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_is_made_inert(text: str) -> None:
    assert safe(text) == "'" + text
    assert safe("Väter") == "Väter" and safe(3) == 3
