"""The attacker audit over generated agreements: three seeds of a year each recover nothing.

Split from ``test_disclosure_audit`` so that the long audits spread over the test processes.
"""

import datetime

import pytest

from buendnis.activities.generate import generate, year_range
from buendnis.agreements.models import Agreement
from buendnis.counselling.generate import contacts_generate
from buendnis.evaluation.disclosure import run_audit
from buendnis.feedback.demo import demo_responses_generate

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize("seed", [11, 23, 37])
def test_generated_data_gives_no_hidden_figure_away(demo: Agreement, seed: int) -> None:
    demo.activities.all().delete()
    demo.counselling_contacts.all().delete()
    generate(agreement_slug=demo.slug, years=1, activities_per_year=90, seed=seed, today=TODAY)
    contacts_generate(
        agreement=demo, years=year_range(years=1, today=TODAY), per_year=120, seed=seed
    )
    demo_responses_generate(agreement=demo, seed=seed)
    [(_agreement, report)] = run_audit(agreement_slug=demo.slug, year=2026, today=TODAY)
    assert report.hidden > 20
    assert report.pinned == []
