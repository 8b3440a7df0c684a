"""The portfolio as a spreadsheet: XLSX (one sheet per table, „Hinweise“) or CSV in a zip.

The same tables as the page, the same filters: protected cells keep their mark as text
with a cell comment, every other cell is a real number. The „Hinweise“ sheet (and
``hinweise.csv``) says what each table holds, the period and filters, the threshold,
the source and the date of the export, and what the marks mean.
"""

import csv
import datetime
import io
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from buendnis.portfolio.selectors import Portfolio, Table

BOM = "\ufeff"  # lets Excel recognise UTF-8
SHEET_NAME_LENGTH = 31


def notes(portfolio: Portfolio, *, now: datetime.datetime | None = None) -> list[tuple[str, str]]:
    """The „Hinweise“: (topic, text) pairs."""
    now = now or timezone.localtime()
    filters = portfolio.filters
    n = portfolio.threshold
    region = ", ".join([*filters.regierungsbezirke, *filters.kreise]) or _("ganz Hessen und online")
    rows = [
        (_("Quelle"), _("Bündnis – Integrationsvereinbarungen des Landes Hessen (§ 6 Portfolio)")),
        (_("Exportiert am"), now.strftime("%d.%m.%Y %H:%M")),
        (_("Zeitraum"), ", ".join(_("Kalenderjahr %(y)s") % {"y": y} for y in filters.years)),
        (_("Vereinbarungen"), "; ".join(a.title for a in filters.agreements) or "–"),
        (_("Region"), region),
        (_("Format"), filters.format or _("alle")),
        (_("Ziel"), str(filters.goal) if filters.goal else _("alle")),
        (
            _("Schwelle"),
            _(
                "Zahlen von 1 bis %(m)s werden außerhalb der dokumentierenden Organisation "
                "nicht gezeigt (Schwelle %(n)s)."
            )
            % {"m": n - 1, "n": n},
        ),
        (
            _("Zahlen"),
            _("Exakte Zahlen (Ihre Organisation sieht jede gezeigte Vereinbarung exakt).")
            if portfolio.exact
            else _("Geschützte Zahlen aus den Veröffentlichungsrastern der Vereinbarungen."),
        ),
        (f"„< {n}“", _("1 bis %(m)s – eine kleine Zahl, verborgen.") % {"m": n - 1}),
        (
            "„•“",
            _(
                "verborgen, damit keine kleine Zahl errechnet werden kann (mindestens %(n)s), "
                "oder eine Summe, die die veröffentlichten Zahlen nicht festlegen."
            )
            % {"n": n},
        ),
        ("„–“", _("zu wenige Fälle für eine geschützte Auswertung, oder kein Wert.")),
        (
            _("Aktivitäten"),
            _("Durchgeführte Aktivitäten (durchgeführt, dokumentiert oder geprüft) nach Beginn."),
        ),
        (
            _("Teilnahmen"),
            _("Summe der Teilnehmenden je Aktivität (eine Person kann mehrfach zählen)."),
        ),
        (
            _("Erstteilnehmende"),
            _("Teilnehmende, die zum ersten Mal kamen: die unduplizierte Reichweite."),
        ),
        (
            _("Fristgerecht"),
            _("Aktivitäten, deren § 7-Frist abgelaufen ist, nach Stand der Dokumentation."),
        ),
    ]
    rows += [(table.title, table.note) for table in portfolio.tables if table.note]
    return rows


def _sheet_name(table: Table, taken: set[str]) -> str:
    name = table.key[:SHEET_NAME_LENGTH]
    taken.add(name)
    return name


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def xlsx_bytes(portfolio: Portfolio) -> bytes:
    """The workbook: „Hinweise“ first, then one sheet per table with a frozen header row."""
    book = Workbook()
    first = book.active
    first.title = _("Hinweise")
    first.append([_("Thema"), _("Hinweis")])
    for topic, text in notes(portfolio):
        first.append([topic, text])
    first.freeze_panes = "A2"
    first.column_dimensions["A"].width = 28
    first.column_dimensions["B"].width = 100
    for cell in first[1]:
        cell.font = Font(bold=True)
    taken: set[str] = set()
    for table in portfolio.tables:
        sheet = book.create_sheet(_sheet_name(table, taken))
        sheet.append([table.row_header, *table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 44
        for row in table.rows:
            sheet.append([row.label, *row.values])
            for cell in sheet[sheet.max_row][1:]:
                if not _is_number(cell.value) and str(cell.value) in _marks(portfolio):
                    cell.comment = Comment(_marks(portfolio)[str(cell.value)], "Bündnis")
        sheet.freeze_panes = "B2"
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.append([])
        sheet.append([table.title])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _marks(portfolio: Portfolio) -> dict[str, str]:
    n = portfolio.threshold
    return {
        f"< {n}": _("1 bis %(m)s, verborgen (siehe Hinweise)") % {"m": n - 1},
        "•": _("verborgen oder nicht festgelegt (siehe Hinweise)"),
        "–": _("zu wenige Fälle oder kein Wert (siehe Hinweise)"),
    }


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _csv_value(value: object) -> object:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return value


def table_csv(table: Table) -> bytes:
    """One table as CSV (UTF-8 with BOM, semicolons, decimal comma)."""
    return _csv(
        [table.row_header, *table.columns], [[row.label, *row.values] for row in table.rows]
    )


def csv_zip(portfolio: Portfolio) -> bytes:
    """Every table as its own CSV, with ``hinweise.csv``, in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "hinweise.csv", _csv([_("Thema"), _("Hinweis")], [list(r) for r in notes(portfolio)])
        )
        for table in portfolio.tables:
            archive.writestr(f"{table.key}.csv", table_csv(table))
    return buffer.getvalue()
