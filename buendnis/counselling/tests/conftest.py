from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import Agreement
from buendnis.counselling.models import Contact, Topic
from buendnis.counselling.services import ContactData, contact_create, topics_setup


@pytest.fixture
def topics(agreement: Agreement) -> dict[str, Topic]:
    return {topic.name: topic for topic in topics_setup(agreement=agreement)}


@pytest.fixture
def make_contact(
    agreement: Agreement, partner_org: Organisation, fachkraft: User, topics: dict[str, Topic]
) -> Callable[..., Contact]:
    """A valid contact by the Fachkraft; keyword arguments override the data."""

    def make(counsellor: User | None = None, **overrides: Any) -> Contact:
        values: dict[str, Any] = {
            "date": timezone.localdate(),
            "channel": "phone",
            "sought_by": "family",
            "kind": "legal",
            "duration_minutes": 30,
            "topic_ids": [topics["Familiennachzug"].pk],
            "languages": ["de"],
        }
        values.update(overrides)
        return contact_create(
            data=ContactData(**values),
            agreement=agreement,
            organisation=partner_org,
            counsellor=counsellor or fachkraft,
        )

    return make
