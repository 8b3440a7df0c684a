"""A later change of targets (or definitions) never changes an agreed evaluation's report."""

from decimal import Decimal

import pytest

from buendnis.accounts.models import Organisation, User
from buendnis.agreements import framework
from buendnis.agreements.models import Agreement, Indicator, IndicatorTarget
from buendnis.evaluation import services
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.report.data import report_data
from buendnis.evaluation.report.render import render_report
from buendnis.evaluation.tests import test_report_data as world
from buendnis.evaluation.tests.factories import agree

documenting = world.documenting
make_activity = world.make_activity
small_world = world.small_world


def _reports(agreement: Agreement, evaluation: Evaluation) -> dict[str, bytes]:
    return {
        f"{fmt}-{copy}": render_report(
            agreement=agreement,
            period=evaluation.period,
            fmt=fmt,
            copy=copy,
            evaluation=evaluation,
            today=world.TODAY,
        ).content
        for fmt in ("html", "xlsx")
        for copy in ("ministry", "internal")
    }


@pytest.mark.django_db
def test_an_agreed_evaluations_report_stays_byte_identical_after_a_target_change(
    small_world: Agreement,
    koordination: User,
    referentin: User,
    partner_org: Organisation,
    ministry_org: Organisation,
) -> None:
    evaluation = services.evaluation_create(
        agreement=small_world, period=world.Y2025, by=koordination
    )
    services.evaluation_freeze(evaluation=evaluation, by=koordination)
    evaluation = agree(evaluation, koordination, referentin, partner_org, ministry_org)
    assert evaluation.status == Evaluation.Status.AGREED
    before = _reports(small_world, evaluation)
    assert before == _reports(small_world, evaluation)  # rendering itself is reproducible

    draft = framework.framework_draft(agreement=small_world, by=koordination)
    entry = next(i for i in draft.content["indicators"] if i["code"] == "Z1.1")
    changed = {
        **entry,
        "name": "Vätergruppen (neu definiert)",
        "filter": {"metric": "participants"},
        "targets": {"2025": "400", "2026": "500"},
    }
    framework.framework_put_indicator(version=draft, indicator=changed, original_code="Z1.1")
    framework.framework_propose(
        version=draft, reason="Höhere Ziele", by=koordination, organisations=[partner_org]
    )
    framework.framework_approve(version=draft, organisation=ministry_org, by=referentin)

    indicator = Indicator.objects.get(agreement=small_world, code="Z1.1")
    assert indicator.filter == {"metric": "participants"}
    assert IndicatorTarget.objects.get(indicator=indicator, year=2025).value == 400
    live = report_data(agreement=small_world, period=world.Y2025, today=world.TODAY)
    row = next(i for i in live["indicators"] if i["code"] == "Z1.1")
    assert (row["name"], Decimal(row["target"])) == ("Vätergruppen (neu definiert)", 400)
    frozen = next(i for i in evaluation.snapshot["indicators"] if i["code"] == "Z1.1")
    assert Decimal(frozen["target"]) == 4  # the snapshot keeps the old target
    assert _reports(small_world, evaluation) == before
