"""Protect a grid once per state of its data and keep the result in the shared cache.

The key is the grid's fingerprint (its structure and every true value), so any change to
the data yields a new protection on the next read, and every output reading the same data
reads the same protection.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.publication import Publication, protect

TIMEOUT_SECONDS = 7 * 24 * 3600
# This process's last few publications. The same object is handed out again, so the sums it
# has already judged (``Publication.figure``, a linear programme each) are not solved again.
_recent: dict[str, Publication] = {}


def publication_for(grid: Grid) -> Publication:
    """The protected publication of the grid, computed once for its current data."""
    threshold = settings.SUPPRESSION_THRESHOLD
    key = f"disclosure:{threshold}:{grid.fingerprint()}"
    publication = _recent.get(key)
    if publication is not None:
        return publication
    marks = cache.get(key)
    if marks is None:
        marks = protect(grid, threshold).marks
        cache.set(key, marks, TIMEOUT_SECONDS)
    if len(_recent) > 64:  # a portfolio of 8 agreements reads 24
        _recent.clear()
    publication = _recent[key] = Publication(grid, threshold, dict(marks))
    return publication


_recent_grids: dict[str, Grid] = {}


def grid_for(name: str, version: object, build: Callable[[], Grid]) -> Grid:
    """The grid of a source, rebuilt only when its data's version changes.

    ``version`` is something cheap to read that changes whenever the data behind the grid
    do (row counts, the latest change); the grid itself is kept in the shared cache.
    """
    key = "disclosure-grid:" + hashlib.sha256(f"{name}:{version!r}".encode()).hexdigest()
    grid = _recent_grids.get(key)
    if grid is None:
        grid = cache.get(key)
    if grid is None:
        grid = build()
        grid.fingerprint()  # kept with the grid: every reader needs it
        cache.set(key, grid, TIMEOUT_SECONDS)
    if len(_recent_grids) > 16:
        _recent_grids.clear()
    _recent_grids[key] = grid
    return grid


def forget() -> None:
    """Drop this process's remembered grids and protections (tests start from nothing)."""
    _recent.clear()
    _recent_grids.clear()
