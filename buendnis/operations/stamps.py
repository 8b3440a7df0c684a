"""Change stamps: a cheap, exact version of an agreement's activities, contacts or responses.

Answers kept in the cache (the agreement page's indicator values, the evaluation page's,
the publication grids and everything built on them: portfolio, open data) are keyed by a
version of the data they were computed from. Counting an agreement's rows for that costs
40–100 ms at 250,000 activities on every view; the stamp is a few rows read by their key.

The stamps are kept per agreement and *month* of the row's date (``DATED``: an activity's
start, a contact's day, the day a feedback answer was given), so a past period's values stay
valid while this month's feedback comes in: ``change_stamp(..., between=(first, last))``
reads only the months of those days. Months are UTC months of the stored value; the reader
widens the range by a day on each side, so no local day is ever left out. Month 0 holds the
stamp of the rows written before months were kept (migration ``operations/0003``); every
reader includes it.

The definitions an agreement's figures are computed by (indicators and their targets, goals,
formats, reach categories, the § 7 procedure and its approvals, evaluations, manual values)
and the pages' structure (partners, signatories, paragraphs, commitments, framework
proposals and their approvals) are
stamped too, undated (month 0): ``DEFINITIONS``. A table without an ``agreement_id`` reaches
it through its parent (``THROUGH``); the parent row still exists when Django deletes the
children first, as it does. Organisations belong to no agreement: their one stamp is kept
under agreement 0 (``GLOBAL``), which every read includes.

Triggers keep the stamps (``STAMPED``), for PostgreSQL once per statement (with transition
tables, so a bulk write costs one upsert per agreement and month it touched) and for SQLite
once per row. SQLite drops a table's triggers when a migration rebuilds the table:
``operations/tests/test_stamps.py`` fails then, and a migration re-creates them with
``install``.
"""

# ruff: noqa: S608 - the SQL is built from constant table names, never from input
import datetime
import functools
from typing import Any

from django.db import connection
from django.db.models import Max, Model, Q, QuerySet, Sum

from buendnis.core.compiled import CompiledRead
from buendnis.operations.models import ChangeStamp

DATED = {  # table: (date column, whether it holds a moment rather than a day)
    "activities_activity": ("starts_at", True),
    "counselling_contact": ("date", False),
    "feedback_response": ("submitted_on", False),
}
# Tables with an agreement_id whose rows have no date of their own: one counter each.
UNDATED = (
    "agreements_indicator",
    "agreements_goal",
    "activities_format",
    "activities_reachcategory",
    "agreements_documentationprocedure",
    "evaluation_evaluation",
    "agreements_agreementpartner",
    "agreements_signatory",
    "agreements_paragraph",
    "agreements_commitment",
    "agreements_frameworkversion",
)
THROUGH = {  # table: (its column, the table that column points to, which has agreement_id)
    "agreements_indicatortarget": ("indicator_id", "agreements_indicator"),
    "evaluation_manualvalue": ("indicator_id", "agreements_indicator"),
    "agreements_procedureapproval": ("procedure_id", "agreements_documentationprocedure"),
    "agreements_goal_paragraphs": ("goal_id", "agreements_goal"),
    "agreements_frameworkapproval": ("version_id", "agreements_frameworkversion"),
}
GLOBAL = ("accounts_organisation", "activities_kreis")  # stamped under agreement 0
GLOBAL_AGREEMENT = 0
DATA = tuple(DATED)  # what migration operations/0003 installed
DEFINITIONS = (*UNDATED, *THROUGH, *GLOBAL)
STAMPED = (*DATA, *DEFINITIONS)
TABLE = "operations_changestamp"
LEGACY_MONTH = 0

_UPSERT = (
    f"ON CONFLICT (source, agreement_id, month) DO UPDATE SET changes = {TABLE}.changes + 1, "
    "changed_at = excluded.changed_at"
)


def _postgresql_month(table: str) -> str:
    if table not in DATED:
        return "0"
    column, moment = DATED[table]
    day = f"(\"{column}\" AT TIME ZONE 'UTC')" if moment else f'"{column}"'
    return f"COALESCE((EXTRACT(YEAR FROM {day}) * 100 + EXTRACT(MONTH FROM {day}))::integer, 0)"


def _postgresql_create(table: str) -> list[str]:
    name = f"stamp_{table}"
    function = f"buendnis_stamp_{table}"
    month = _postgresql_month(table)

    def of(rows: str) -> str:
        if table in GLOBAL:
            return f"SELECT {GLOBAL_AGREEMENT} AS agreement_id, 0 AS month FROM {rows}"
        if table in THROUGH:
            column, parent = THROUGH[table]
            return (
                f"SELECT parent.agreement_id, 0 AS month FROM {rows} "
                f"JOIN {parent} parent ON parent.id = {rows}.{column}"
            )
        return f"SELECT agreement_id, {month} AS month FROM {rows}"

    def touched(*transitions: str) -> str:
        rows = " UNION ".join(of(rows) for rows in transitions)
        return (
            f"INSERT INTO {TABLE} (source, agreement_id, month, changes, changed_at) "
            f"SELECT '{table}', agreement_id, month, 1, clock_timestamp() "
            f"FROM ({rows}) touched GROUP BY agreement_id, month ORDER BY agreement_id, month "
            f"{_UPSERT};"
        )

    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN {touched("new_rows")}
          ELSIF TG_OP = 'UPDATE' THEN {touched("new_rows", "old_rows")}
          ELSE {touched("old_rows")}
          END IF;
          RETURN NULL;
        END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {name}_insert AFTER INSERT ON {table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER {name}_update AFTER UPDATE ON {table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER {name}_delete AFTER DELETE ON {table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
    ]


def _sqlite_agreement(table: str, row: str) -> str:
    if table in GLOBAL:
        return str(GLOBAL_AGREEMENT)
    if table in THROUGH:
        column, parent = THROUGH[table]
        return f"(SELECT agreement_id FROM {parent} WHERE id = {row}.{column})"
    return f"{row}.agreement_id"


def _sqlite_month(table: str, row: str) -> str:
    if table not in DATED:
        return "0"
    column, _moment = DATED[table]  # SQLite keeps moments as UTC text: its month is UTC too
    return f"COALESCE(CAST(strftime('%Y%m', {row}.\"{column}\") AS INTEGER), 0)"


def _sqlite_stamp(table: str, row: str, condition: str = "") -> str:
    agreement = _sqlite_agreement(table, row)
    return (
        f"INSERT INTO {TABLE} (source, agreement_id, month, changes, changed_at) "
        f"SELECT '{table}', {agreement}, {_sqlite_month(table, row)}, 1, "
        f"strftime('%Y-%m-%d %H:%M:%f', 'now') "
        f"WHERE ({condition or 'true'}) AND {agreement} IS NOT NULL {_UPSERT};"
    )


def _sqlite_create(table: str) -> list[str]:
    name = f"stamp_{table}"
    moved = (
        f"{_sqlite_agreement(table, 'NEW')} IS NOT {_sqlite_agreement(table, 'OLD')} OR "
        f"{_sqlite_month(table, 'NEW')} IS NOT {_sqlite_month(table, 'OLD')}"
    )
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN "
        f"{_sqlite_stamp(table, 'NEW')} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} BEGIN "
        f"{_sqlite_stamp(table, 'OLD')} {_sqlite_stamp(table, 'NEW', moved)} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN "
        f"{_sqlite_stamp(table, 'OLD')} END",
    ]


def trigger_names(table: str) -> list[str]:
    return [f"stamp_{table}_{event}" for event in ("insert", "update", "delete")]


def _drop(schema_editor: Any, table: str) -> None:
    on = f" ON {table}" if schema_editor.connection.vendor == "postgresql" else ""
    for name in trigger_names(table):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")


def install(schema_editor: Any, tables: tuple[str, ...] = STAMPED) -> None:
    """Create (or re-create) the triggers on ``tables``: for migrations."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table in tables:
        _drop(schema_editor, table)
        for statement in (_postgresql_create if postgresql else _sqlite_create)(table):
            schema_editor.execute(statement)
    if postgresql:
        schema_editor.execute("DROP FUNCTION IF EXISTS buendnis_stamp()")  # before months


def uninstall(schema_editor: Any, tables: tuple[str, ...] = STAMPED) -> None:
    for table in tables:
        _drop(schema_editor, table)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS buendnis_stamp_{table}()")


def installed_triggers() -> set[str]:
    """The stamp triggers the database has (for the test that guards against rebuilds)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT tgname FROM pg_trigger WHERE tgname LIKE 'stamp_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall() if row[0].startswith("stamp_")}


def month_of(day: datetime.date) -> int:
    return day.year * 100 + day.month


def change_stamps(
    models: tuple[type[Model], ...],
    agreement_id: int,
    *,
    between: tuple[datetime.date, datetime.date] | None = None,
) -> list[tuple[int, Any]]:
    """The stamps of the agreement's rows of each of ``models``, in their order, in one read.

    Each is (changes, last change), or (0, None) where nothing was written. With ``between``
    (first and last day, both included) only rows dated in those days (a day's margin for
    time zones) and the rows of before months were kept count.
    """
    tables = [model._meta.db_table for model in models]
    agreements = [agreement_id, GLOBAL_AGREEMENT] if set(tables) & set(GLOBAL) else [agreement_id]
    months = []
    if between is not None:
        margin = datetime.timedelta(days=1)
        months = [month_of(between[0] - margin), month_of(between[1] + margin)]
    read = _stamps_read(len(tables), len(agreements), dated=between is not None)
    return _summed(read.rows(*tables, *agreements, *months), tables)


def _summed(rows: list[tuple[str, int, Any]], tables: list[str]) -> list[tuple[int, Any]]:
    """Each table's stamp from the read's rows, in the tables' order; (0, None) for none."""
    totals = {source: (changes, changed_at) for source, changes, changed_at in rows}
    return [totals.get(table, (0, None)) for table in tables]


@functools.lru_cache(maxsize=256)
def _stamps_read(tables: int, agreements: int | None, *, dated: bool) -> CompiledRead:
    """The stamps read for so many tables and agreements (all with ``None``), compiled once:
    most pages send it, and compiling it took longer than the database takes to answer."""

    def build(*values: Any) -> QuerySet:
        sources, rest = values[:tables], values[tables:]
        rows = ChangeStamp.objects.filter(source__in=sources)
        if agreements is not None:
            rows = rows.filter(agreement_id__in=rest[:agreements])
            rest = rest[agreements:]
        if dated:
            first, last = rest
            rows = rows.filter(Q(month=LEGACY_MONTH) | Q(month__gte=first, month__lte=last))
        return (
            rows.order_by()
            .values("source")
            .annotate(changes=Sum("changes"), changed_at=Max("changed_at"))
            .values_list("source", "changes", "changed_at")
        )

    placeholders = [
        *(f"placeholder-table-{index}" for index in range(tables)),
        *(-100 - index for index in range(agreements or 0)),
        *((-1, -2) if dated else ()),
    ]
    return CompiledRead(build, placeholders)


def change_stamp(
    model: type[Model],
    agreement_id: int,
    *,
    between: tuple[datetime.date, datetime.date] | None = None,
) -> tuple[int, Any]:
    """The stamp of the agreement's rows of ``model`` (see ``change_stamps``)."""
    return change_stamps((model,), agreement_id, between=between)[0]


def stamp_across(model: type[Model], agreement_ids: list[int] | None) -> tuple[int, Any]:
    """One stamp of ``model``'s rows of several agreements (of all with ``None``).

    Every write adds to some agreement's counter, so the sum moves with every write to any
    of them: a version for an answer that reads the rows of several agreements at once.
    """
    return stamps_across((model,), agreement_ids)[0]


def stamps_across(
    models: tuple[type[Model], ...], agreement_ids: list[int] | None
) -> list[tuple[int, Any]]:
    """``stamp_across`` of each of ``models``, in their order, in one read."""
    tables = [model._meta.db_table for model in models]
    if agreement_ids is None:
        return _summed(_stamps_read(len(tables), None, dated=False).rows(*tables), tables)
    agreements = list(dict.fromkeys([*agreement_ids, GLOBAL_AGREEMENT]))
    read = _stamps_read(len(tables), len(agreements), dated=False)
    return _summed(read.rows(*tables, *agreements), tables)
