"""The API against its own OpenAPI schema: schemathesis with a bounded number of examples.

``bench/api_schemathesis.py`` runs the same for 10,000+ cases.
"""

from typing import Any

import pytest

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.api.services import token_create
from buendnis.api.tests.conformance import run

EXAMPLES_PER_OPERATION = 15


@pytest.mark.django_db
def test_the_api_keeps_to_its_schema(
    settings: Any, koordination: User, documenting: Agreement, make_activity: Any
) -> None:
    settings.API_TOKEN_RATE = "0"
    activity = make_activity()
    _token, secret = token_create(user=koordination, name="schemathesis", scope="write")
    outcome = run(
        secret=secret,
        known={"slug": documenting.slug, "pk": activity.pk},
        examples=EXAMPLES_PER_OPERATION,
    )
    assert outcome.failures == []
    assert (outcome.server_errors, outcome.schema_violations) == (0, 0)
    assert outcome.cases >= 11 * 5
    assert outcome.statuses.get(200, 0) > 0
