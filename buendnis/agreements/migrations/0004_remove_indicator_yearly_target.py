from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_targets_from_yearly_target")]

    operations = [
        migrations.RemoveConstraint(model_name="indicator", name="indicator_target_not_negative"),
        migrations.RemoveField(model_name="indicator", name="yearly_target"),
    ]
