"""The database triggers that make the audit table append-only, per database vendor.

PostgreSQL: row triggers refuse every UPDATE and DELETE. ``TRUNCATE`` is not a row
operation and stays possible, because Django's ``flush`` (the tests' teardown) uses it; a
production role should not hold the TRUNCATE privilege (docs/audit.md), and
``audit-verify`` still notices the emptied chain through its head row.

SQLite: the triggers ask the function ``buendnis_audit_maintenance()``, which Bündnis
installs on each of its own connections and which answers 1 only inside
``context.maintenance()`` (used by the ``flush`` command alone). Any other connection —
the ``sqlite3`` shell, another program — lacks the function, so its UPDATE or DELETE fails
as well.
"""

from typing import Any

from buendnis.audit.context import in_maintenance

TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only (Protokolleinträge sind unveränderlich)"
SQLITE_FUNCTION = "buendnis_audit_maintenance"

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT {SQLITE_FUNCTION}() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
    WHEN NOT {SQLITE_FUNCTION}() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
]

POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER audit_no_update_or_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_update_or_delete ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]


def install_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give each new SQLite connection the function the triggers ask."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION, 0, lambda: int(in_maintenance()), deterministic=False
        )
