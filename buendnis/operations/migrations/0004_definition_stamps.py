"""Stamp the definitions and structure the pages keep answers of (``stamps.DEFINITIONS``).

The cached indicator values, the agreement page's structure, the dashboard's facts and the
activity filter's choices are then keyed by one read of stamps. No stamp is seeded: a
table's first write creates it, and a version read after this migration has a different
shape from any read before, so no answer cached under an old version is taken for a new one.
"""

from django.db import migrations

from buendnis.operations import stamps


def install(apps, schema_editor):
    stamps.install(schema_editor, stamps.DEFINITIONS)


def uninstall(apps, schema_editor):
    stamps.uninstall(schema_editor, stamps.DEFINITIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0003_change_stamps_per_month"),
        ("accounts", "0003_pseudonymisation"),
        ("activities", "0009_statistics_agreement_organisation_mcv"),
        ("agreements", "0006_framework_revision"),
        ("evaluation", "0004_edit_versions"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
