"""Protect a grid once per state of its data and keep the result in the shared cache.

The key is the grid's fingerprint (its structure and every true value), so any change to
the data yields a new protection on the next read, and every output reading the same data
reads the same protection.
"""

from collections.abc import Hashable

from django.conf import settings
from django.core.cache import cache

from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.publication import Publication, protect

TIMEOUT_SECONDS = 7 * 24 * 3600
_recent: dict[str, dict[Hashable, str]] = {}  # this process's last few protections


def publication_for(grid: Grid) -> Publication:
    """The protected publication of the grid, computed once for its current data."""
    threshold = settings.SUPPRESSION_THRESHOLD
    key = f"disclosure:{threshold}:{grid.fingerprint()}"
    marks = _recent.get(key)
    if marks is None:
        marks = cache.get(key)
    if marks is None:
        marks = protect(grid, threshold).marks
        cache.set(key, marks, TIMEOUT_SECONDS)
    if len(_recent) > 32:
        _recent.clear()
    _recent[key] = marks
    return Publication(grid, threshold, dict(marks))
