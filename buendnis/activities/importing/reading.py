"""Reading the uploaded file: CSV (any usual encoding and delimiter) or an XLSX workbook."""

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(Exception):
    """The file is neither a CSV nor an XLSX file that can be read."""


CHUNK_BYTES = 1 << 16


def read_table(source: Path | IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    """Yield ``(row number, cells)`` of the file's first sheet, the header row first.

    The file is read as the rows are asked for, so a caller that stops early reads no more.
    """
    if isinstance(source, Path):
        with source.open("rb") as file:
            yield from _read(file)
    else:
        yield from _read(source)


def _read(file: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    head = file.read(len(XLSX_MAGIC))
    if head == XLSX_MAGIC:
        yield from _read_xlsx(io.BytesIO(head + file.read()))
    else:
        yield from _read_csv(_decoded_lines(head, file))


def _decoded_lines(head: bytes, file: IO[bytes]) -> Iterator[str]:
    """The text, UTF-8 (with or without BOM), else Windows-1252 as old Excel versions write it.

    Decoded piece by piece: from the first piece that is not UTF-8 on, the rest is read as
    Windows-1252 (what came before was plain ASCII, the same in both, in any real file).
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    fallback = False
    pending = ""
    chunk = head
    while True:
        final = not chunk
        if not fallback:
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError:
                buffered, _flag = decoder.getstate()
                fallback = True
                text = (buffered + chunk).decode("cp1252", errors="replace")
        else:
            text = chunk.decode("cp1252", errors="replace")
        if "\x00" in text:
            raise UnreadableFile(_("Die Datei ist weder eine CSV- noch eine XLSX-Datei."))
        # Only "\n" ends a line here: csv joins "\r\n" and quoted line breaks itself, and
        # characters such as U+2028 inside a cell must not split a row.
        *lines, pending = (pending + text).split("\n")
        for line in lines:
            yield line + "\n"
        if final:
            if pending:
                yield pending
            return
        chunk = file.read(CHUNK_BYTES)


def _read_csv(lines: Iterator[str]) -> Iterator[tuple[int, list[Any]]]:
    """Rows of a CSV file; the delimiter (``;``, ``,`` or tab) is read from the header."""
    first_line = next(lines, "")
    if not first_line:
        return
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(itertools.chain([first_line], lines), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise UnreadableFile(
            _("Die CSV-Datei lässt sich nicht lesen (%(error)s).") % {"error": error}
        ) from error


def _read_xlsx(data: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    """Rows of the workbook's first sheet, read in read-only mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(data, read_only=True, data_only=True)
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
