"""PostgreSQL: statistics on how an agreement's activities spread over organisations.

Without them the planner takes ``agreement_id`` and ``organisation_id`` as independent and
expects thousands of another organisation's rows in any agreement, so "did another
organisation document here?" walks all of a large agreement's activities (hundreds of
milliseconds) instead of probing the ``(agreement, organisation, …)`` index (well under
one). Other databases need nothing.
"""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS activity_agreement_organisation (dependencies, mcv) "
    "ON agreement_id, organisation_id FROM activities_activity"
)
DROP = "DROP STATISTICS IF EXISTS activity_agreement_organisation"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE activities_activity")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("activities", "0006_activity_reminder")]

    operations = [migrations.RunPython(create_statistics, drop_statistics)]
