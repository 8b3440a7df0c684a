"""Move each indicator's single yearly target to a per-year target and set its direction.

The old target held for every year, so it becomes the target of the first year the
agreement was in force (or, without an in-force date, the year the agreement was
created); a target holds for every later year without one of its own.
"""

import datetime

from django.db import migrations


def _first_year(agreement) -> int:
    if agreement.in_force_on_override:
        return agreement.in_force_on_override.year
    if agreement.signed_on:
        return (agreement.signed_on + datetime.timedelta(days=1)).year
    return agreement.created_at.year


def forwards(apps, schema_editor) -> None:
    Indicator = apps.get_model("agreements", "Indicator")
    IndicatorTarget = apps.get_model("agreements", "IndicatorTarget")
    for indicator in Indicator.objects.select_related("agreement").iterator():
        if (indicator.filter or {}).get("metric") == "median_lag_days":
            indicator.direction = "lower"
            indicator.save(update_fields=["direction"])
        if indicator.yearly_target is not None:
            IndicatorTarget.objects.create(
                indicator=indicator,
                year=_first_year(indicator.agreement),
                value=indicator.yearly_target,
            )


def backwards(apps, schema_editor) -> None:
    Indicator = apps.get_model("agreements", "Indicator")
    IndicatorTarget = apps.get_model("agreements", "IndicatorTarget")
    for target in IndicatorTarget.objects.order_by("indicator_id", "year").iterator():
        Indicator.objects.filter(pk=target.indicator_id).update(yearly_target=target.value)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_indicator_targets_and_framework_versions")]

    operations = [migrations.RunPython(forwards, backwards)]
