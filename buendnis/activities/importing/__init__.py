"""Reading activities from CSV or XLSX: every problem in plain words, then all rows or none.

The file's first row names the columns; the export's headers (German or English) and the
column keys (``external_ref``, ``reach_group_fathers`` …) are accepted. Row numbers are
those a spreadsheet shows: the header is row 1.

Every row needs an „Externe Referenz“: rows without one are refused (a hash of the content
would change with every correction, so it could not recognise a row again). A row whose
reference already exists for the agreement and organisation is skipped („schon vorhanden“),
so importing the same file twice creates nothing new. The export gives activities made in
the app the reference ``buendnis-<id>``; importing such a row where that activity exists
skips it too. A new row dated in a period whose evaluation (§ 8) is agreed and locked is
refused with its own problem. Text cells lose the apostrophe the export puts before a
leading ``=``, ``+``, ``-`` or ``@`` (``export.quote_text``), so an export reads back
unchanged.

The modules: ``reading`` opens the file, ``cells`` reads one row's cells, ``rows`` maps
the header and turns rows into activities, ``writing`` finds the rows present already
and writes the rest; this module runs an import from start to end.
"""

import datetime
from pathlib import Path
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.accounts.models import Organisation, User
from buendnis.activities.importing.cells import Row
from buendnis.activities.importing.reading import UnreadableFile, read_table
from buendnis.activities.importing.result import (
    MAX_PROBLEMS,
    ImportProblem,
    ImportResult,
    PreviewRow,
)
from buendnis.activities.importing.rows import Lookups, Parsed, map_header, parse_row
from buendnis.activities.importing.writing import existing_refs, write
from buendnis.agreements.models import Agreement
from buendnis.evaluation import locks

__all__ = [
    "ImportProblem",
    "ImportResult",
    "PreviewRow",
    "UnreadableFile",
    "activities_import",
    "read_table",
]

PREVIEW_ROWS = 10


def activities_import(
    *,
    agreement: Agreement,
    organisation: Organisation,
    source: Path | IO[bytes],
    dry_run: bool = False,
    responsible: User | None = None,
    now: datetime.datetime | None = None,
) -> ImportResult:
    """Check every row of a CSV/XLSX file and write all new rows in one transaction, or none.

    Returns the counts, the first rows for a preview and every problem up to
    ``MAX_PROBLEMS``, where reading stops (``stopped_early``); when there is any problem (or
    ``dry_run`` is set) nothing is written. Lookups are loaded once, so the
    time grows with the rows, not with queries per row.
    """
    result = ImportResult()
    if not agreement.partners.filter(organisation=organisation).exists():
        result.problems.append(
            ImportProblem(
                0,
                "",
                _("„%(organisation)s“ ist nicht Partnerin der Vereinbarung „%(agreement)s“.")
                % {"organisation": organisation, "agreement": agreement},
            )
        )
        return result
    lookups = Lookups.load(agreement)
    try:
        table = read_table(source)
        header = next(table, None)
        if header is None:
            raise UnreadableFile(_("Die Datei ist leer."))
        header_cells = list(header[1])
        while header_cells and header_cells[-1] in (None, ""):
            header_cells.pop()
        width = len(header_cells)
        positions, names, problems = map_header(header_cells, lookups.categories)
        result.problems += problems
        if problems:
            return result
        parsed: list[Parsed] = []
        seen: dict[str, int] = {}
        preview: list[tuple[Row, Parsed | None]] = []
        for number, cells in table:
            if all(c in (None, "") or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            result.rows += 1
            row = Row(number, {}, names, lookups.categories)
            while len(cells) > width and cells[-1] in (None, ""):
                cells = cells[:-1]
            if len(cells) != width:
                row.problems.append(
                    ImportProblem(
                        number,
                        "",
                        _("Die Zeile hat %(found)s Felder, die Kopfzeile aber %(expected)s.")
                        % {"found": len(cells), "expected": width},
                    )
                )
            row.cells = {key: cells[p] for p, key in positions.items() if p < len(cells)}
            item = parse_row(row, lookups)
            if item is not None:
                if item.external_ref in seen:
                    row.problem(
                        "external_ref",
                        _("Die Referenz „%(ref)s“ steht schon in Zeile %(row)s.")
                        % {"ref": item.external_ref, "row": seen[item.external_ref]},
                    )
                    item = None
                else:
                    seen[item.external_ref] = number
                    parsed.append(item)
            result.problems += row.problems
            if len(preview) < PREVIEW_ROWS:
                preview.append((row, item))
            if len(result.problems) >= MAX_PROBLEMS:
                result.stopped_early = True
                break
    except UnreadableFile as error:
        result.problems.append(ImportProblem(0, "", str(error)))
        return result

    present = existing_refs(agreement, organisation, list(seen))
    new = [item for item in parsed if item.external_ref not in present]
    locked = _locked_rows(agreement, new, names.get("starts_at", "starts_at"))
    if locked:
        result.problems = sorted(result.problems + locked, key=lambda p: p.row)
    if len(result.problems) > MAX_PROBLEMS:
        result.problems = result.problems[:MAX_PROBLEMS]
        result.stopped_early = True
    result.already_present = len(parsed) - len(new)
    result.to_create = len(new)
    result.preview = [_preview(row, item, present) for row, item in preview]
    if result.problems or dry_run:
        return result
    result.created = write(
        agreement=agreement,
        organisation=organisation,
        rows=new,
        responsible=responsible,
        now=now or timezone.now(),
    )
    return result


def _locked_rows(agreement: Agreement, rows: list[Parsed], column: str) -> list[ImportProblem]:
    """§ 8: a problem for each new row dated in a period whose evaluation locks it."""
    evaluations = locks.locked_evaluations(agreement_id=agreement.pk)
    if not evaluations:
        return []
    problems = []
    for item in rows:
        day = locks.activity_day(item.data.starts_at)
        evaluation = locks.locking_in(evaluations, day)
        if evaluation is not None:
            problems.append(ImportProblem(item.row, column, locks.locked_message(evaluation)))
    return problems


def _preview(row: Row, item: Parsed | None, present: set[str]) -> PreviewRow:
    """A preview line from the row's cells, whether or not they were valid."""

    def cell(key: str) -> str:
        value = row.cells.get(key)
        return "" if value is None else str(value)

    if item is None:
        return PreviewRow(
            row=row.number,
            external_ref=cell("external_ref"),
            title=cell("title"),
            format=cell("format") or cell("format_key"),
            starts_at=None,
            place=cell("kreis_name") or cell("kreis_ags"),
            participants=None,
            state="invalid",
        )
    data = item.data
    return PreviewRow(
        row=row.number,
        external_ref=item.external_ref,
        title=data.title,
        format=data.format.name,
        starts_at=data.starts_at,
        place=_("online") if data.online else str(data.kreis or ""),
        participants=data.participants,
        state="present" if item.external_ref in present else "new",
    )
