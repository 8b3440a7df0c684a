"""The one 409 page for an edit that lost the race: both versions, field by field.

The user's input is kept: the page shows it beside the stored values and re-sends it, with
the stored version, when they choose to save it anyway. Nothing is lost either way.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# never re-sent: Django's own token comes fresh with the page
NOT_RESENT = {"csrfmiddlewaretoken"}


@dataclass(frozen=True)
class ConflictRow:
    """One field: its label, the user's value and the stored one, as text."""

    label: str
    mine: str
    stored: str

    @property
    def differs(self) -> bool:
        return self.mine != self.stored


def _keys(value: Any) -> list[str]:
    if isinstance(value, models.QuerySet):
        value = list(value)
    values = value if isinstance(value, list | tuple | set) else [value]
    return [str(v.pk if isinstance(v, models.Model) else v) for v in values if v not in (None, "")]


def value_text(field: forms.Field, value: Any) -> str:
    """A field's value as the user reads it, the same for submitted and for stored values."""
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        labels = {str(key): str(label) for key, label in field.choices}
        return ", ".join(sorted(labels.get(key, key) for key in _keys(value)))
    if isinstance(field, forms.BooleanField):
        return _("ja") if value else _("nein")
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


def conflict_rows(
    mine: forms.Form, stored: dict[str, Any], skip: Iterable[str] = ()
) -> list[ConflictRow]:
    """Every visible field of the valid form ``mine`` beside the stored ``initial`` values."""
    rows = []
    for name, field in mine.fields.items():
        if isinstance(field.widget, forms.HiddenInput) or name in skip:
            continue
        rows.append(
            ConflictRow(
                label=str(field.label or name),
                mine=value_text(field, mine.cleaned_data.get(name)),
                stored=value_text(field, stored.get(name)),
            )
        )
    return rows


def resent_fields(
    data: Any, *, version_name: str, version: int, drop: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """The posted data again, every value of every key, with the stored version."""
    skipped = NOT_RESENT | {version_name, *drop}
    fields = [(version_name, str(version))]
    for key, values in data.lists():
        if key not in skipped:
            fields.extend((key, value) for value in values)
    return fields


def conflict_response(
    request: HttpRequest,
    *,
    mine: forms.Form,
    stored: dict[str, Any],
    version: int,
    what: str,
    back: str,
    action: str = "",
    drop: Iterable[str] = (),
    skip: Iterable[str] = (),
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Answer 409 with both versions; "save mine anyway" re-posts the input on ``version``.

    ``mine`` is the user's valid form, ``stored`` the form values of the stored record,
    ``version`` its version now, ``what`` names the record („diese Aktivität“), ``back`` is
    where keeping the stored version leads, ``action`` where the form posts (the same page
    by default), ``drop`` posted keys not to re-send (buttons that would do more) and
    ``skip`` fields not worth comparing (helpers such as a search box).
    """
    rows = conflict_rows(mine, stored, skip)
    context = {
        "what": what,
        "rows": rows,
        "differing": [row for row in rows if row.differs],
        "resent": resent_fields(
            request.POST, version_name=mine.add_prefix("version"), version=version, drop=drop
        ),
        "action": action or request.get_full_path(),
        "back": back,
        **(extra or {}),
    }
    return render(request, "core/edit_conflict.html", context, status=409)
