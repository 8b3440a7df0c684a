"""Load Hessen's 21 Landkreise and 5 kreisfreie Städte from the shipped CSV (Destatis)."""

from django.db import migrations

from buendnis.activities.geography import read_kreise


def load(apps, schema_editor):
    Kreis = apps.get_model("activities", "Kreis")
    for row in read_kreise():
        Kreis.objects.update_or_create(ags=row.pop("ags"), defaults=row)


def unload(apps, schema_editor):
    apps.get_model("activities", "Kreis").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
