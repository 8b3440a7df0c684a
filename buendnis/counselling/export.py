"""The counselling statistics as CSV (one row per cell) and XLSX (one sheet per table).

Both carry exactly what the statistics page shows the same user: exact counts for the
counselling organisation, protected counts ("< 5", "•") for everyone else.
"""

import csv
import io
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from buendnis.activities.export import quote_text
from buendnis.counselling.selectors import PERIODS, CounsellingStatistics

CSV_DELIMITER = ";"
SHEET_UNSAFE = re.compile(r"[\\/*?:\[\]]")  # characters Excel refuses in sheet names
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _legend(figures: CounsellingStatistics) -> str:
    if figures.exact:
        return _("Exakte Zahlen Ihrer Organisation; nur für den internen Gebrauch.")
    threshold = settings.SUPPRESSION_THRESHOLD
    return _(
        "Geschützte Zahlen: „< %(n)s“ = 1 bis %(m)s Kontakte; „•“ = verborgen, damit kein "
        "kleiner Wert aus den Summen errechnet werden kann; „–“ = zu wenige Kontakte."
    ) % {"n": threshold, "m": threshold - 1}


def _filename(figures: CounsellingStatistics, extension: str) -> str:
    return f"beratung-{slugify(figures.agreement.slug)}-{figures.year}.{extension}"


def statistics_csv(figures: CounsellingStatistics) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=CSV_DELIMITER)
    writer.writerow([_("Tabelle"), str(PERIODS[figures.period]), _("Kategorie"), _("Wert")])
    for item in figures.tables:
        labels = [*(label for _key, label in item.columns), item.total_label]
        for row in item.rows(figures.row_labels):
            for label, value in zip(labels, [*row["values"], row["total"]], strict=True):
                writer.writerow([item.title, row["label"], quote_text(label), value])
    writer.writerow([])
    writer.writerow([_legend(figures)])
    return out.getvalue()


def statistics_xlsx(figures: CounsellingStatistics) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for item in figures.tables:
        sheet = workbook.create_sheet(title=SHEET_UNSAFE.sub("", item.title)[:31])
        header = [str(PERIODS[figures.period]), *(quote_text(label) for _k, label in item.columns)]
        sheet.append([*header, item.total_label])
        for cell in sheet[1]:
            cell.font = bold
        for row in item.rows(figures.row_labels):
            sheet.append([row["label"], *row["values"], row["total"]])
        sheet.append([])
        sheet.append([_legend(figures)])
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statistics_response(figures: CounsellingStatistics, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(statistics_csv(figures), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(statistics_xlsx(figures), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(figures, fmt)}"'
    return response
