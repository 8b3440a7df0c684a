"""Fixtures shared with the apps whose changes the audit log records."""

from buendnis.activities.tests.conftest import documenting, make_activity  # noqa: F401
from buendnis.counselling.tests.conftest import make_contact, topics  # noqa: F401
