"""Database triggers that refuse UPDATE and DELETE on the audit table (see ``triggers.py``)."""

from typing import Any

from django.db import migrations

from buendnis.audit import triggers


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": triggers.SQLITE_CREATE, "postgresql": triggers.POSTGRES_CREATE}),
            _run({"sqlite": triggers.SQLITE_DROP, "postgresql": triggers.POSTGRES_DROP}),
            elidable=False,
        )
    ]
