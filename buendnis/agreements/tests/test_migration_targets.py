"""The data migration moves each single yearly target to a target per year."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("agreements", "0002_indicator_targets_and_framework_versions")]
AFTER = [("agreements", "0003_targets_from_yearly_target")]


@pytest.mark.django_db(transaction=True)
def test_it_turns_the_yearly_target_into_a_target_from_the_first_year_in_force() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Agreement = apps.get_model("agreements", "Agreement")
    Indicator = apps.get_model("agreements", "Indicator")
    agreement = Agreement.objects.create(
        slug="alt", title="Alt", signed_on=datetime.date(2019, 6, 3)
    )
    Indicator.objects.create(
        agreement=agreement, code="Z1.1", name="n", unit="u", level=1, source="activities",
        filter={"metric": "count"}, yearly_target=Decimal(40),
    )  # fmt: skip
    Indicator.objects.create(
        agreement=agreement, code="P7", name="n", unit="Tage", level=1, source="timeliness",
        filter={"metric": "median_lag_days"}, yearly_target=None,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Indicator = apps.get_model("agreements", "Indicator")
    IndicatorTarget = apps.get_model("agreements", "IndicatorTarget")
    assert list(IndicatorTarget.objects.values_list("indicator__code", "year", "value")) == [
        ("Z1.1", 2019, Decimal(40))
    ]
    assert Indicator.objects.get(code="P7").direction == "lower"
    assert Indicator.objects.get(code="Z1.1").direction == "higher"

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
