import io

import pytest
from django.core.management import call_command

from buendnis.agreements.models import Agreement


@pytest.fixture
def demo(db: None) -> Agreement:
    """The demo: the iaf agreement with two years of activities, contacts and feedback."""
    call_command("demo", "--no-serve", stdout=io.StringIO())
    return Agreement.objects.get(slug="integration-braucht-partner")
