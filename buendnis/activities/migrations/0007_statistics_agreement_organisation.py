"""Tell PostgreSQL's planner that an activity's organisation follows from its agreement.

Each partner documents for a few agreements, so ``agreement_id = A AND organisation_id = O``
matches far more rows than the two columns' selectivities multiplied: at a million
activities the planner guessed 99 rows for 9,001, sorted them all for the API's first page
(26 ms) instead of reading the newest-first index (0.4 ms). Extended statistics on the pair
fix the estimate (``bench/api.py --explain``). SQLite has no such statistics: nothing to do.
"""

from django.db import migrations

NAME = "activity_agreement_organisation_stats"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {NAME} (dependencies, ndistinct) "
        "ON agreement_id, organisation_id FROM activities_activity"
    )
    schema_editor.execute("ANALYZE activities_activity")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("activities", "0006_activity_reminder")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
