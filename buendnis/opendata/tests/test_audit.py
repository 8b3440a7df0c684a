"""The attacker audit lays the open-data tables beside every other output, and passes."""

import pytest

from buendnis.agreements.models import Agreement
from buendnis.evaluation.disclosure import run_audit

pytestmark = pytest.mark.django_db


def test_the_audit_collects_the_open_data_and_recovers_nothing(demo: Agreement) -> None:
    [(_agreement, report)] = run_audit(agreement_slug=demo.slug, year=2025)
    assert "Offene Daten 2025" in report.outputs
    assert report.hidden > 10
    assert report.exact_outputs == []
    assert report.pinned == []
