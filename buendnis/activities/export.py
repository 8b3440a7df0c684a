"""Streamed CSV and XLSX exports of activities; the CSV columns are what the import reads.

The functions here need no request: pass any queryset of activities (for the pages, the
one ``selectors.activity_list`` returns, so the export shows exactly the list's records)
and the reach categories to give columns to (``export_categories``).
"""

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import batched
from pathlib import Path
from typing import IO, Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from buendnis.activities.models import Activity, ReachCategory, ReachCount

CHUNK_SIZE = 2000
HOURS = Decimal("0.01")  # staff hours are stored with two decimal places
CSV_DELIMITER = ";"  # what German Excel expects; the import accepts ";" and ","
BOM = "\ufeff"  # lets Excel recognise UTF-8

CategoryKey = tuple[str, str]  # (dimension, key): the same category across agreements


@dataclass(frozen=True)
class Column:
    """One export column: a stable key (also accepted as an import header) and its label."""

    key: str
    label: str | Promise

    @property
    def header(self) -> str:
        """The label in the active language."""
        return str(self.label)


# The activity's own columns; the reach columns go between ``REACH_AFTER`` and the rest.
COLUMNS = [
    Column("external_ref", _("Externe Referenz")),
    Column("agreement", _("Vereinbarung")),
    Column("title", _("Titel")),
    Column("format", _("Format")),
    Column("format_key", _("Format-Kürzel")),
    Column("starts_at", _("Beginn")),
    Column("ends_at", _("Ende")),
    Column("status", _("Status")),
    Column("kreis_ags", _("Kreis (AGS)")),
    Column("kreis_name", _("Kreis")),
    Column("online", _("Online")),
    Column("place_name", _("Ort")),
    Column("languages", _("Sprachen")),
    Column("goals", _("Ziele")),
    Column("participants", _("Teilnehmende")),
    Column("first_timers", _("davon zum ersten Mal")),
    Column("staff_hours", _("Personalstunden")),
    Column("description", _("Beschreibung")),
    Column("reflection", _("Reflexion")),
    Column("documented_at", _("Dokumentiert am")),
    Column("lag_days", _("Dokumentationsverzug (Tage)")),
]
REACH_AFTER = "first_timers"
DATETIME_KEYS = {"starts_at", "ends_at", "documented_at"}
DECIMAL_KEYS = {"staff_hours"}
NUMBER_KEYS = {"participants", "first_timers", "lag_days"}  # and every reach column
# Derived on export, ignored on import.
DERIVED_KEYS = {"lag_days"}

# An activity made in the app has no external reference; the export gives it this one so
# a re-import recognises it (see ``importing``).
OWN_REF_PREFIX = "buendnis-"

# A text cell starting like a formula is run as one by spreadsheets (formula injection);
# the export puts an apostrophe before it, the import takes it away again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_QUOTE = "'"
_RISKY_FIRST = frozenset((*FORMULA_STARTS, TEXT_QUOTE))


def quote_text(text: str) -> str:
    """``=HYPERLINK(…)`` as ``'=HYPERLINK(…)``, so a spreadsheet shows it as text.

    Text that is already quoted (``'=…``) gets one more apostrophe, so ``unquote_text``
    gives back every text exactly.
    """
    if text[:1] in _RISKY_FIRST and text.lstrip(TEXT_QUOTE).startswith(FORMULA_STARTS):
        return TEXT_QUOTE + text
    return text


def unquote_text(text: str) -> str:
    """Undo ``quote_text``: drop the one apostrophe it added, leave any other text alone."""
    if text.startswith(TEXT_QUOTE) and text.lstrip(TEXT_QUOTE).startswith(FORMULA_STARTS):
        return text[1:]
    return text


def reach_label(category: ReachCategory) -> str:
    """The reach column's header, e.g. „nach Migrationsgeschichte: nicht bekannt“."""
    return f"{ReachCategory.Dimension(category.dimension).label}: {category.label}"


def columns_for(categories: Sequence[ReachCategory]) -> list[Column]:
    """All columns in order, with one column per reach category."""
    from buendnis.activities.reach import field_name

    reach = [Column(field_name(c), reach_label(c)) for c in categories]
    position = [c.key for c in COLUMNS].index(REACH_AFTER) + 1
    return [*COLUMNS[:position], *reach, *COLUMNS[position:]]


def headers(categories: Sequence[ReachCategory]) -> list[str]:
    """The header row (in the active language)."""
    return [column.header for column in columns_for(categories)]


def export_categories(activities: QuerySet[Activity]) -> list[ReachCategory]:
    """The reach categories of the activities' agreements, one per dimension and key."""
    agreement_ids = activities.order_by().values("agreement_id").distinct()
    seen: dict[CategoryKey, ReachCategory] = {}
    for category in ReachCategory.objects.filter(agreement_id__in=agreement_ids).order_by(
        "dimension", "position", "key", "agreement_id"
    ):
        seen.setdefault((category.dimension, category.key), category)
    return list(seen.values())


# The activity fields an export row reads, in this order (plain values: no model objects).
ROW_FIELDS = (
    "id", "external_ref", "agreement_id", "title", "format_id", "starts_at", "ends_at",
    "status", "kreis_id", "online", "place_name", "languages", "participants",
    "first_timers", "staff_hours", "description", "reflection", "documented_at",
)  # fmt: skip


@dataclass(frozen=True)
class _Lookups:
    """The small tables a row names (formats, agreements, Kreise), read once per export."""

    formats: dict[int, tuple[str, str]]
    agreements: dict[int, str]
    kreise: dict[str, str]
    goal_codes: dict[int, str]
    statuses: dict[str, str]
    yes: str
    no: str

    @classmethod
    def load(cls, activities: QuerySet[Activity]) -> "_Lookups":
        from buendnis.activities.models import Format, Kreis
        from buendnis.agreements.models import Agreement, Goal

        agreement_ids = activities.order_by().values("agreement_id").distinct()
        return cls(
            formats={
                pk: (name, key)
                for pk, name, key in Format.objects.filter(
                    agreement_id__in=agreement_ids
                ).values_list("pk", "name", "key")
            },
            agreements=dict(
                Agreement.objects.filter(pk__in=agreement_ids).values_list("pk", "slug")
            ),
            kreise=dict(Kreis.objects.values_list("ags", "name")),
            goal_codes=dict(
                Goal.objects.filter(agreement_id__in=agreement_ids).values_list("pk", "code")
            ),
            statuses={value: str(label) for value, label in Activity.Status.choices},
            yes=str(_("ja")),
            no=str(_("nein")),
        )


def iter_rows(
    activities: QuerySet[Activity],
    categories: Sequence[ReachCategory],
    *,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[list[Any]]:
    """Yield one list of typed values per activity, in ``columns_for(categories)`` order.

    Values are ``str``, ``int``, ``Decimal``, naive local ``datetime`` or ``None``. The
    queryset is read in chunks straight from the cursor; reach counts and goals are fetched
    with one query each per chunk, so memory and queries do not grow per row.
    """
    position = {(c.dimension, c.key): i for i, c in enumerate(categories)}
    column_of: dict[int, int] = {}  # category id -> position among the reach columns
    blank: dict[int, list[int | None]] = {}  # per agreement: 0 where it has the category
    agreement_ids = activities.order_by().values("agreement_id").distinct()
    for pk, agreement_id, dimension, key in ReachCategory.objects.filter(
        agreement_id__in=agreement_ids
    ).values_list("pk", "agreement_id", "dimension", "key"):
        if (dimension, key) in position:
            column_of[pk] = position[(dimension, key)]
            blank.setdefault(agreement_id, [None] * len(position))[column_of[pk]] = 0
    lookups = _Lookups.load(activities)
    tz = timezone.get_current_timezone()
    for chunk in batched(_plain_rows(activities, chunk_size), chunk_size):
        ids = [values[0] for values in chunk]
        reach: dict[int, list[tuple[int, int]]] = {}
        for activity_id, category_id, count in _rows_of(
            ReachCount, ("activity_id", "category_id", "count"), ids, activities.db
        ):
            if category_id in column_of:
                reach.setdefault(activity_id, []).append((column_of[category_id], count))
        goals: dict[int, list[str]] = {}
        for activity_id, goal_id in _rows_of(
            Activity.goals.through, ("activity_id", "goal_id"), ids, activities.db
        ):
            goals.setdefault(activity_id, []).append(lookups.goal_codes[goal_id])
        for values in chunk:
            reach_values = list(blank.get(values[2]) or [None] * len(position))
            for column, count in reach.get(values[0], ()):
                reach_values[column] = count
            yield _row(values, reach_values, goals.get(values[0], []), lookups, tz)


def _rows_of(
    model: type[Model], columns: Sequence[str], ids: list[int], using: str
) -> list[tuple[Any, ...]]:
    """``columns`` of the model's rows that belong to the activities ``ids``, as plain tuples.

    PostgreSQL gets the ids as one array parameter: an ``IN`` list of a chunk's thousands of
    placeholders costs more to build and parse than the rows cost to read.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    selected = ", ".join(quote(column) for column in columns)
    sql = f"SELECT {selected} FROM {quote(model._meta.db_table)} WHERE {quote('activity_id')}"  # noqa: S608 - names from the model, values as parameters
    if connection.vendor == "postgresql":
        sql, params = f"{sql} = ANY(%s)", [ids]
    else:
        sql, params = f"{sql} IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _plain_rows(activities: QuerySet[Activity], chunk_size: int) -> Iterator[tuple[Any, ...]]:
    """``ROW_FIELDS`` of each activity as the database driver returns them.

    Django's per-value converters cost more than all the rest of an export row, so the few
    conversions the export needs happen in ``_row`` (``_local``, ``_decimal``, ``_list``).
    """
    query = activities.values_list(*ROW_FIELDS).query
    sql, params = query.sql_with_params()
    with connections[activities.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


def _local(value: datetime.datetime | str | None, tz: datetime.tzinfo) -> datetime.datetime | None:
    """A stored moment (SQLite: UTC text; PostgreSQL: aware) as naive local time."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(tz).replace(tzinfo=None)


def _decimal(value: Decimal | float | int | str | None) -> Decimal | None:
    """Staff hours as a ``Decimal`` (SQLite returns a float or an int)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(HOURS)


def _list(value: list[str] | str | None) -> list[str]:
    """A JSON list column (drivers return its text)."""
    if isinstance(value, str):
        return json.loads(value)
    return value or []


def _row(
    values: tuple[Any, ...],
    reach_values: list[int | None],
    goals: list[str],
    lookups: _Lookups,
    tz: datetime.tzinfo,
) -> list[Any]:
    """The values of one activity (``ROW_FIELDS`` order) in column order."""
    (
        pk, external_ref, agreement_id, title, format_id, starts_at, ends_at, status,
        kreis_id, online, place_name, languages, participants, first_timers, staff_hours,
        description, reflection, documented_at,
    ) = values  # fmt: skip
    format_name, format_key = lookups.formats[format_id]
    starts_at, ends_at = _local(starts_at, tz), _local(ends_at, tz)
    documented_at = _local(documented_at, tz)
    lag = (documented_at.date() - ends_at.date()).days if documented_at else None
    return [
        external_ref or f"{OWN_REF_PREFIX}{pk}",
        lookups.agreements[agreement_id],
        title,
        format_name,
        format_key,
        starts_at,
        ends_at,
        lookups.statuses[status],
        kreis_id or "",
        lookups.kreise.get(kreis_id, "") if kreis_id else "",
        lookups.yes if online else lookups.no,
        place_name,
        ", ".join(_list(languages)),
        ", ".join(sorted(goals)),
        participants,
        first_timers,
        *reach_values,
        _decimal(staff_hours),
        description,
        reflection,
        documented_at,
        lag,
    ]


def _csv_datetime(value: datetime.datetime) -> str:
    """``YYYY-MM-DD HH:MM``, with seconds only where there are any."""
    return value.isoformat(" ", "minutes" if value.second == 0 else "seconds")


def _csv_decimal(value: Decimal) -> str:
    """German decimal comma."""
    return format(value.normalize(), "f").replace(".", ",")


def _csv_formatters(columns: Sequence[Column]) -> list[tuple[int, Callable[[Any], str]]]:
    """Which columns need turning into CSV text, and how; numbers and blanks need nothing.

    Text that a spreadsheet would take for a formula gets a leading apostrophe.
    """
    reach = {column.key for column in columns} - {column.key for column in COLUMNS}
    formatters = []
    for position, column in enumerate(columns):
        if column.key in DATETIME_KEYS:
            formatters.append((position, _csv_datetime))
        elif column.key in DECIMAL_KEYS:
            formatters.append((position, _csv_decimal))
        elif column.key not in NUMBER_KEYS and column.key not in reach:
            formatters.append((position, quote_text))
    return formatters


def _csv_rows(
    activities: QuerySet[Activity], categories: Sequence[ReachCategory]
) -> Iterator[list[Any]]:
    """The rows as the CSV writes them: header first, then text, dates and decimals formatted."""
    columns = columns_for(categories)
    yield [column.header for column in columns]
    formatters = _csv_formatters(columns)
    for row in iter_rows(activities, categories):
        for position, format_value in formatters:
            if row[position] is not None:
                row[position] = format_value(row[position])
        yield row  # None is written as an empty cell


def iter_csv(
    activities: QuerySet[Activity], categories: Sequence[ReachCategory]
) -> Iterator[str] | Iterator[bytes]:
    """Yield the CSV in pieces (UTF-8 bytes or text), the BOM and header first.

    Use it as the body of a ``StreamingHttpResponse``, or ``write_csv`` for a file. On
    PostgreSQL the database assembles and writes the rows (``export_postgresql``), with the
    same bytes as ``iter_csv_generic``.
    """
    from buendnis.activities import export_postgresql

    if export_postgresql.supports(activities):
        return export_postgresql.iter_csv(activities, categories)
    return iter_csv_generic(activities, categories)


def iter_csv_generic(
    activities: QuerySet[Activity],
    categories: Sequence[ReachCategory],
    *,
    rows_per_piece: int = 500,
) -> Iterator[str]:
    """The CSV text in pieces of a few hundred lines, the rows assembled in Python."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    for number, row in enumerate(_csv_rows(activities, categories)):
        writer.writerow(row)
        if number % rows_per_piece == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def write_csv(
    activities: QuerySet[Activity], categories: Sequence[ReachCategory], out: IO[str]
) -> int:
    """Write the CSV export to an open text file (``newline=""``); return the row count."""
    out.write(BOM)
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    rows = -1  # the header is no activity
    for row in _csv_rows(activities, categories):
        writer.writerow(row)
        rows += 1
    return rows


def write_xlsx(
    activities: QuerySet[Activity], categories: Sequence[ReachCategory], path: Path | IO[bytes]
) -> int:
    """Write the XLSX export (write-only, streamed rows) to a path; return the row count.

    Numbers are real numbers, datetimes real dates; the header row is frozen.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Aktivitäten")))
    sheet.freeze_panes = "A2"
    columns = columns_for(categories)
    bold = Font(bold=True)
    header_cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    datetime_positions = {i for i, c in enumerate(columns) if c.key in DATETIME_KEYS}
    factories: list[Callable[[Any], Any]] = [
        (lambda v: _datetime_cell(sheet, v)) if i in datetime_positions else _xlsx_value
        for i in range(len(columns))
    ]
    rows = 0
    for row in iter_rows(activities, categories):
        sheet.append([make(value) for make, value in zip(factories, row, strict=True)])
        rows += 1
    workbook.save(path)
    return rows


def _xlsx_value(value: Any) -> Any:
    """Numbers as they are; text quoted (openpyxl would store ``=…`` as a formula)."""
    return quote_text(value) if isinstance(value, str) else value


def _datetime_cell(sheet: Any, value: datetime.datetime | None) -> Any:
    """A date cell shown as ``TT.MM.JJJJ hh:mm``."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD.MM.YYYY HH:MM"
    return cell
