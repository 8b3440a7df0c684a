import pytest

from buendnis.agreements.models import Agreement

SLUG = "integration-braucht-partner"


@pytest.fixture
def demo(demo_of_module: int, db: None) -> Agreement:
    """The demo: the iaf agreement with two years of activities, contacts and feedback."""
    return Agreement.objects.get(pk=demo_of_module)
