"""The report as XLSX: an overview sheet, then one sheet per table with real numbers.

Headers are bold and frozen, counts are numbers (protected ones the text "< 5" or "•"),
and text that a spreadsheet would read as a formula (= + - @) is stored as plain text
with a leading apostrophe.
"""

import datetime
import io
import re
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

SHEET_NAME_LENGTH = 31
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS = {
    "count": "#,##0",
    "number": "#,##0",
    "percent": '0.0" %"',
    "decimal": "#,##0.00",
    "change": "+#,##0.0;-#,##0.0;0",
}
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
STUB_WIDTH, VALUE_WIDTH, TEXT_WIDTH = 48, 14, 40
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def safe(value: object) -> object:
    """Numbers and dates as they are; text that starts like a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name of at most 31 characters."""
    base = _SHEET_FORBIDDEN.sub("", title).strip().strip("'") or _("Tabelle")
    name, number = base[:SHEET_NAME_LENGTH], 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _write(sheet: Worksheet, row: int, column: int, value: object, kind: str = "") -> None:
    """Write one cell with its number format (or as plain text)."""
    cell = sheet.cell(row=row, column=column, value=safe(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
        cell.alignment = WRAP
    elif isinstance(value, int | float) and kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    elif isinstance(value, datetime.date):
        cell.number_format = "DD.MM.YYYY"


def _header(sheet: Worksheet, labels: list[str], widths: list[int]) -> None:
    """A bold, frozen header row and the column widths."""
    for column, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        _write(sheet, 1, column, label)
        sheet.cell(row=1, column=column).font = BOLD
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def table_sheet(book: Workbook, table: dict[str, Any], taken: set[str]) -> Worksheet:
    """One display table as a sheet: stub column, then its columns; totals in bold."""
    sheet = book.create_sheet(sheet_name(table["title"], taken))
    labels = [table["stub"], *(c["label"] for c in table["columns"])]
    widths = [STUB_WIDTH] + [
        TEXT_WIDTH if c["kind"] == "text" else VALUE_WIDTH for c in table["columns"]
    ]
    _header(sheet, labels, widths)
    for number, row in enumerate(table["rows"], start=2):
        _write(sheet, number, 1, row["label"])
        for column, cell in enumerate(row["cells"], start=2):
            _write(sheet, number, column, cell["value"], cell["kind"])
        if row["kind"] != "row":
            for column in range(1, len(labels) + 1):
                sheet.cell(row=number, column=column).font = BOLD
    return sheet


def _rows_sheet(
    book: Workbook, title: str, taken: set[str], header: list[tuple[str, int]], rows: list[list]
) -> None:
    """A sheet of plain rows under a header."""
    sheet = book.create_sheet(sheet_name(title, taken))
    _header(sheet, [label for label, _w in header], [width for _l, width in header])
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _write(sheet, number, column, value)


def _overview(sheet: Worksheet, report: dict[str, Any]) -> None:
    """The first sheet: what the report is about, and which copy."""
    rows = [
        (_("Vereinbarung"), report["agreement"]["title"]),
        (_("Untertitel"), report["agreement"]["subtitle"]),
        (_("Auswertungszeitraum"), report["period_label"]),
        (_("Vorperiode"), report["previous_label"]),
        (_("Fassung"), report["copy_label"]),
        (_("Stand der Auswertung"), report["status_label"]),
        (_("Zahlen berechnet am"), report["computed_on"]),
        (_("Bericht erstellt am"), report["generated_on"]),
        *((_("Bündnispartner"), f"{p['name']} ({p['role_label']})") for p in report["partners"]),
    ]
    if report["protected"]:
        rows.append(
            (
                _("Hinweis"),
                _("Zahlen von 1 bis unter %(n)s stehen als „< %(n)s“, verborgene als „•“.")
                % {"n": report["threshold"]},
            )
        )
    _header(sheet, [_("Angabe"), _("Wert")], [28, 90])
    for number, (label, value) in enumerate(rows, start=2):
        _write(sheet, number, 1, label)
        _write(sheet, number, 2, value)


def _tables(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's tables in reading order, each once."""
    found = [
        report["summary"]["table"],
        report["input"],
        report["output"]["facts"],
        report["indicators"],
        report["levels"],
        report["formats"]["table"],
        *(item["table"] for item in report["reach"]),
        report["kreise"],
        report["timeliness"]["table"],
        report["timeliness"]["facts"],
        *report["counselling"]["tables"],
        report["feedback"]["table"],
        report["comparison"],
    ]
    return [table for table in found if table]


def _adjustment_rows(adjustments: list[dict[str, Any]]) -> list[list]:
    """Adjustments as spreadsheet rows (real dates)."""
    return [
        [
            a["goal"],
            a["what"],
            a["responsible"],
            a["person"],
            a["due_on"],
            a["status_label"],
            a["outcome"],
        ]
        for a in adjustments
    ]


def render_xlsx(context: dict[str, Any]) -> bytes:
    """The workbook's bytes."""
    report = context["report"]
    book = Workbook()
    overview = book.active
    taken: set[str] = set()
    overview.title = sheet_name(_("Übersicht"), taken)
    _overview(overview, report)
    for table in _tables(report):
        table_sheet(book, table, taken)
    adjustment_header = [
        (_("Ziel"), 8),
        (_("Was ändert sich?"), TEXT_WIDTH),
        (_("Verantwortlich"), 24),
        (_("Zuständige Person"), 20),
        (_("Bis wann"), 12),
        (_("Stand"), 14),
        (_("Ergebnis"), TEXT_WIDTH),
    ]
    adjustments = [a for goal in report["goals"] for a in goal["adjustments"]]
    adjustments += report["general_adjustments"]
    _rows_sheet(book, _("Anpassungen"), taken, adjustment_header, _adjustment_rows(adjustments))
    if report["last_time"]:
        _rows_sheet(
            book,
            _("Anpassungen letztes Mal"),
            taken,
            adjustment_header,
            _adjustment_rows(report["last_time"]["adjustments"]),
        )
    reflections = [
        [g["code"], g["reflection"].worked, g["reflection"].not_worked, g["reflection"].reasons,
         g["reflection"].ministry_comment]
        for g in report["goals"]
        if g["reflection"] is not None
    ]  # fmt: skip
    _rows_sheet(
        book,
        _("Reflexion"),
        taken,
        [
            (_("Ziel"), 8),
            (_("Was hat funktioniert?"), TEXT_WIDTH),
            (_("Was hat nicht funktioniert?"), TEXT_WIDTH),
            (_("Warum?"), TEXT_WIDTH),
            (_("Kommentar des Ministeriums"), TEXT_WIDTH),
        ],
        reflections,
    )
    if report["free_texts"]:
        rows = [
            [group["question"], text] for group in report["free_texts"] for text in group["texts"]
        ]
        _rows_sheet(
            book, _("Freitext"), taken, [(_("Frage"), TEXT_WIDTH), (_("Antwort"), 80)], rows
        )
    return workbook_bytes(book)


class _ReproducibleZip(zipfile.ZipFile):
    """A zip whose entries carry a fixed time, so equal content gives equal bytes."""

    def writestr(self, name: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if not isinstance(name, zipfile.ZipInfo):
            name = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            name.compress_type = self.compression
        super().writestr(name, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """openpyxl writes each sheet from a temporary file: store its content, not its time."""
        with open(filename, "rb") as source:
            self.writestr(arcname or str(filename), source.read())


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as bytes that depend on its content only (no save time inside)."""
    book.properties.created = book.properties.modified = datetime.datetime(*ZIP_EPOCH)
    buffer = io.BytesIO()
    with _ReproducibleZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return buffer.getvalue()
