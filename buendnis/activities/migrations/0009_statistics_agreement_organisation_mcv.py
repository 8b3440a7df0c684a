"""Add the most common (agreement, organisation) pairs to the planner statistics of 0007.

Dependencies and ndistinct fix the estimate of ``agreement = A AND organisation = O``, but
not of ``agreement = A AND organisation IN (others)`` — "did another organisation document
in this agreement's year?" (``activities.selectors._exact_over``): the planner still
expected tens of thousands of rows and read a large partner's whole year from the
organisation index (64 ms at a million activities). With the MCV list it knows which pairs
exist and probes the ``(agreement, organisation, …)`` index (0.1 ms). SQLite: nothing to do.
"""

from django.db import migrations

NAME = "activity_agreement_organisation_stats"
COLUMNS = "ON agreement_id, organisation_id FROM activities_activity"


def recreate(kinds: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")
        schema_editor.execute(f"CREATE STATISTICS {NAME} ({kinds}) {COLUMNS}")
        schema_editor.execute("ANALYZE activities_activity")

    return run


class Migration(migrations.Migration):
    dependencies = [("activities", "0008_format_version")]

    operations = [
        migrations.RunPython(
            recreate("dependencies, ndistinct, mcv"),
            recreate("dependencies, ndistinct"),
            elidable=False,
        )
    ]
