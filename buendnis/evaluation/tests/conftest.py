"""Evaluations in each workflow state, for the tests of one module's ``evaluating`` agreement."""

import pytest

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement
from buendnis.evaluation import services
from buendnis.evaluation.models import Evaluation
from buendnis.evaluation.periods import calendar_year
from buendnis.evaluation.tests.factories import agree


@pytest.fixture
def draft(evaluating: Agreement, koordination: User) -> Evaluation:
    return services.evaluation_create(
        agreement=evaluating, period=calendar_year(2025), by=koordination
    )


@pytest.fixture
def review(draft: Evaluation, koordination: User) -> Evaluation:
    return services.evaluation_freeze(evaluation=draft, by=koordination)


@pytest.fixture
def agreed(
    review: Evaluation,
    koordination: User,
    referentin: User,
    partner_org: Organisation,
    ministry_org: Organisation,
) -> Evaluation:
    return agree(review, koordination, referentin, partner_org, ministry_org)
