"""Fixtures: the founding agreement ready to document (from the activities tests)."""

from buendnis.activities.tests.conftest import documenting, make_activity  # noqa: F401
