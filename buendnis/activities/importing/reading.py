"""Reading the uploaded file: CSV (any usual encoding and delimiter) or an XLSX workbook."""

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(Exception):
    """The file is neither a CSV nor an XLSX file that can be read."""


def read_table(source: Path | IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    """Yield ``(row number, cells)`` of the file's first sheet, the header row first."""
    data = source.read_bytes() if isinstance(source, Path) else source.read()
    if data.startswith(XLSX_MAGIC):
        yield from _read_xlsx(data)
    else:
        yield from _read_csv(data)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as old Excel versions write it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    """Rows of a CSV file; the delimiter (``;``, ``,`` or tab) is read from the header."""
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile(_("Die Datei ist weder eine CSV- noch eine XLSX-Datei."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise UnreadableFile(
            _("Die CSV-Datei lässt sich nicht lesen (%(error)s).") % {"error": error}
        ) from error


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    """Rows of the workbook's first sheet, read in read-only mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(_("Die XLSX-Datei lässt sich nicht lesen.")) from error
    try:
        sheet = workbook.worksheets[0]
        width = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            if number == 1:
                width = len(cells)
            # a sheet's rows may stop at their last filled cell: pad them to the header
            yield number, cells + [None] * (width - len(cells))
    finally:
        workbook.close()
