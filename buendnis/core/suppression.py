"""Small-cell suppression for figures shown outside the documenting organisation."""

from django.conf import settings


def suppressed(value: int | None) -> int | str | None:
    """The value, or "< N" when it lies between 1 and the threshold (Art. 9 GDPR cells)."""
    threshold = settings.SUPPRESSION_THRESHOLD
    if value is None or value == 0 or value >= threshold:
        return value
    return f"< {threshold}"
