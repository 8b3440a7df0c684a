"""Change stamps per month of the rows' date (``operations.stamps``).

Every stamp kept so far becomes month 0, which every reader includes, and is dated now; an
agreement without one gets one. So no version read after this migration equals one read
before it, and no answer cached under an old version is taken for a new one.
"""

from django.db import migrations, models
from django.utils import timezone

from buendnis.operations import stamps


def drop_triggers(apps, schema_editor):
    stamps.uninstall(schema_editor, stamps.DATA)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS buendnis_stamp()")


def date_stamps_before_months(apps, schema_editor):
    ChangeStamp = apps.get_model("operations", "ChangeStamp")
    Agreement = apps.get_model("agreements", "Agreement")
    now = timezone.now()
    ChangeStamp.objects.update(changed_at=now)
    kept = set(ChangeStamp.objects.values_list("source", "agreement_id"))
    ChangeStamp.objects.bulk_create(
        ChangeStamp(source=source, agreement_id=agreement_id, month=0, changes=0, changed_at=now)
        for agreement_id in Agreement.objects.values_list("pk", flat=True)
        for source in stamps.DATA
        if (source, agreement_id) not in kept
    )


def keep_stamps_before_months(apps, schema_editor):
    apps.get_model("operations", "ChangeStamp").objects.exclude(month=0).delete()


def install(apps, schema_editor):
    stamps.install(schema_editor, stamps.DATA)


def uninstall(apps, schema_editor):
    stamps.uninstall(schema_editor, stamps.DATA)


class Migration(migrations.Migration):

    dependencies = [
        ('operations', '0002_change_stamps'),
        ('agreements', '0006_framework_revision'),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name='changestamp', name='changestamp_unique'),
        migrations.AddField(
            model_name='changestamp', name='month', field=models.IntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name='changestamp',
            constraint=models.UniqueConstraint(
                fields=('source', 'agreement_id', 'month'), name='changestamp_month_unique'
            ),
        ),
        migrations.RunPython(date_stamps_before_months, keep_stamps_before_months),
        migrations.RunPython(install, uninstall),
    ]
