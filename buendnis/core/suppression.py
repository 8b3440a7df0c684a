"""The primary rule for single figures that are no node of a publication grid.

Tables, pages, exports and reports read their figures from the protected grids
(``core.disclosure``), which hide small counts and their complements together. Two kinds
of figure stand alone and keep only this rule: indicator values that are estimates or
filtered counts, and shares whose parts are not published.
"""

from django.conf import settings


def suppressed(value: int | None) -> int | str | None:
    """The value, or "< N" when it lies between 1 and the threshold (Art. 9 GDPR cells)."""
    threshold = settings.SUPPRESSION_THRESHOLD
    if value is None or value == 0 or value >= threshold:
        return value
    return f"< {threshold}"


def share_withheld(part: int, whole: int, threshold: int | None = None) -> bool:
    """Whether a share would give away a small count: its part or the rest is 1 to N−1."""
    threshold = settings.SUPPRESSION_THRESHOLD if threshold is None else threshold
    return 0 < part < threshold or 0 < whole - part < threshold
