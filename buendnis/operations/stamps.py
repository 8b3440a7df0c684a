"""Change stamps: a cheap, exact version of an agreement's activities, contacts or responses.

Answers kept in the cache (the agreement page's indicator values, the evaluation page's,
the publication grids and everything built on them: portfolio, open data) are keyed by a
version of the data they were computed from. Counting an agreement's rows for that costs
40–100 ms at 250,000 activities on every view; the stamp is one row read by its key.

Triggers keep the stamps (``STAMPED``), for PostgreSQL once per statement (with transition
tables, so a bulk write costs one upsert per agreement it touched) and for SQLite once per
row. SQLite drops a table's triggers when a migration rebuilds the table:
``operations/tests/test_stamps.py`` fails then, and a migration re-creates them with
``install``.
"""

# ruff: noqa: S608 - the SQL is built from constant table names, never from input
from typing import Any

from django.db import connection
from django.db.models import Model

from buendnis.operations.models import ChangeStamp

STAMPED = ("activities_activity", "counselling_contact", "feedback_response")
TABLE = "operations_changestamp"

_UPSERT = (
    f"ON CONFLICT (source, agreement_id) DO UPDATE SET changes = {TABLE}.changes + 1, "
    "changed_at = excluded.changed_at"
)


def _postgresql_create(table: str) -> list[str]:
    name = f"stamp_{table}"
    return [
        f"""CREATE OR REPLACE FUNCTION buendnis_stamp() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO {TABLE} (source, agreement_id, changes, changed_at)
            SELECT TG_TABLE_NAME, agreement_id, 1, clock_timestamp()
            FROM (SELECT DISTINCT agreement_id FROM new_rows) touched ORDER BY agreement_id
            {_UPSERT};
          ELSIF TG_OP = 'UPDATE' THEN
            INSERT INTO {TABLE} (source, agreement_id, changes, changed_at)
            SELECT TG_TABLE_NAME, agreement_id, 1, clock_timestamp()
            FROM (SELECT agreement_id FROM new_rows UNION SELECT agreement_id FROM old_rows)
              touched ORDER BY agreement_id
            {_UPSERT};
          ELSE
            INSERT INTO {TABLE} (source, agreement_id, changes, changed_at)
            SELECT TG_TABLE_NAME, agreement_id, 1, clock_timestamp()
            FROM (SELECT DISTINCT agreement_id FROM old_rows) touched ORDER BY agreement_id
            {_UPSERT};
          END IF;
          RETURN NULL;
        END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {name}_insert AFTER INSERT ON {table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION buendnis_stamp()""",
        f"""CREATE TRIGGER {name}_update AFTER UPDATE ON {table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION buendnis_stamp()""",
        f"""CREATE TRIGGER {name}_delete AFTER DELETE ON {table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION buendnis_stamp()""",
    ]


def _sqlite_stamp(table: str, row: str, condition: str = "") -> str:
    return (
        f"INSERT INTO {TABLE} (source, agreement_id, changes, changed_at) "
        f"SELECT '{table}', {row}.agreement_id, 1, strftime('%Y-%m-%d %H:%M:%f', 'now') "
        f"WHERE {condition or 'true'} {_UPSERT};"
    )


def _sqlite_create(table: str) -> list[str]:
    name = f"stamp_{table}"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN "
        f"{_sqlite_stamp(table, 'NEW')} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} BEGIN "
        f"{_sqlite_stamp(table, 'OLD')} "
        f"{_sqlite_stamp(table, 'NEW', 'NEW.agreement_id IS NOT OLD.agreement_id')} END",
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


def uninstall(schema_editor: Any, tables: tuple[str, ...] = STAMPED) -> None:
    for table in tables:
        _drop(schema_editor, table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS buendnis_stamp()")


def installed_triggers() -> set[str]:
    """The stamp triggers the database has (for the test that guards against rebuilds)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT tgname FROM pg_trigger WHERE tgname LIKE 'stamp_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall() if row[0].startswith("stamp_")}


def change_stamp(model: type[Model], agreement_id: int) -> tuple[int, Any]:
    """The stamp of the agreement's rows of ``model``: (changes, last change) or (0, None)."""
    row = (
        ChangeStamp.objects.filter(source=model._meta.db_table, agreement_id=agreement_id)
        .values_list("changes", "changed_at")
        .first()
    )
    return row or (0, None)
