"""The ``disclosure_audit`` command and the protected report's whole-month ranges on the demo."""

import datetime
import io

import pytest
from django.core.management import call_command

from buendnis.agreements.models import Agreement
from buendnis.evaluation.periods import agreement_year
from buendnis.evaluation.report.context import report_context

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def test_an_unknown_agreement_or_year_prints_one_line_and_exits_2(demo: Agreement) -> None:
    for arguments in (
        ["--agreement", "gibt-es-nicht"],
        ["--agreement", demo.slug, "--year", "1999"],
    ):
        err = io.StringIO()
        with pytest.raises(SystemExit) as exit_info:
            call_command("disclosure_audit", *arguments, stdout=io.StringIO(), stderr=err)
        assert exit_info.value.code == 2
        assert len(err.getvalue().strip().splitlines()) == 1


def test_the_command_passes_on_the_demo_and_names_the_narrowest_ranges(demo: Agreement) -> None:
    out = io.StringIO()
    call_command("disclosure_audit", "--agreement", demo.slug, "--year", "2025", stdout=out)
    text = out.getvalue()
    assert "no hidden figure can be recovered" in text
    assert "narrowest range" in text


def test_protected_agreement_years_say_they_run_in_whole_months(demo: Agreement) -> None:
    context = report_context(
        agreement=demo, period=agreement_year(demo, 2025), copy="ministry", today=TODAY
    )
    assert "Juni 2025 bis Mai 2026" in context["report"]["snapped"]
    internal = report_context(
        agreement=demo, period=agreement_year(demo, 2025), copy="internal", today=TODAY
    )
    assert internal["report"]["snapped"] == ""
