"""Optimistic locking: a save based on an outdated copy is refused, never silently applied.

Every record two people can edit carries a version number. An edit form sends back the
version it was loaded with (the hidden ``version`` field, ``core.forms.version_field``);
the service calls ``claim_version`` inside its transaction, which compares and increments in
one SQL statement (``UPDATE … SET version = version + 1 WHERE id = %s AND version = %s``).
No row updated means someone saved in between: ``EditConflict`` carries the stored record and
the version the edit began from, and the page answers 409 with both side by side
(``core.conflict.conflict_response``). The UPDATE holds the row until the transaction ends,
so of two concurrent saves exactly one wins on PostgreSQL and on SQLite alike.
"""

from typing import Any

from django.db import models
from django.db.models import F


class Versioned(models.Model):
    """Adds the ``version`` that optimistic locking compares and increments."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Someone saved the record after this edit began; nothing was overwritten.

    ``current`` is the stored record (with its new version), ``expected`` the version the
    edit was based on.
    """

    def __init__(self, current: Any, *, expected: int | None = None, field: str = "version"):
        self.current = current
        self.expected = expected
        self.field = field
        self.current_version = getattr(current, field, None)
        super().__init__(
            f"{type(current).__name__} {getattr(current, 'pk', '')} changed "
            f"(now version {self.current_version}, edit began at {expected})"
        )


def claim_version[M: models.Model](
    queryset: models.QuerySet[M] | type[M],
    *,
    pk: Any,
    expected: int | None,
    field: str = "version",
) -> M:
    """Increment the record's version if it is still ``expected``; return the stored record.

    Call inside a transaction: the increment and the caller's changes commit together, and
    a refused or failing save leaves the version as it was. Raises ``EditConflict`` (with the
    stored record) when the version moved on, and ``DoesNotExist`` when the record is gone.
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    claimed = queryset.filter(pk=pk, **{field: expected}).update(**{field: F(field) + 1})
    current = queryset.get(pk=pk)
    if not claimed:
        raise EditConflict(current, expected=expected, field=field)
    return current


def check_version[M: models.Model](
    queryset: models.QuerySet[M] | type[M], *, pk: Any, expected: int, field: str = "version"
) -> M:
    """Lock the record and raise ``EditConflict`` unless its version is still ``expected``.

    For acts that depend on what the user saw but change nothing others edit, so that two
    of them do not refuse each other (two partners agreeing to the same proposal).
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    current = queryset.select_for_update().get(pk=pk)
    if getattr(current, field) != expected:
        raise EditConflict(current, expected=expected, field=field)
    return current
