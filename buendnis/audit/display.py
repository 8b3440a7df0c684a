"""How an entry's changes read on the page and in the export."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from buendnis.audit.models import AuditEntry
from buendnis.audit.recording import CHANGED, REGISTRY


@dataclass(frozen=True)
class Change:
    """One changed field: its label, the old and the new value (or only "changed")."""

    label: str
    old: str
    new: str
    hidden: bool


def _models_by_type() -> dict[str, Any]:
    return {spec.object_type: model for model, spec in REGISTRY.items()}


def _field_label(model: Any, name: str, reach_labels: dict[str, str]) -> str:
    if name.startswith("reach."):
        key = name.removeprefix("reach.")
        return _("Reichweite: %(category)s") % {"category": reach_labels.get(key, key)}
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return name


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _("ja")
    if value is False:
        return _("nein")
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def reach_labels(entries: Iterable[AuditEntry]) -> dict[str, str]:
    """The reach categories named in the entries' changes, by id (one query)."""
    from buendnis.activities.models import ReachCategory

    ids = {
        name.removeprefix("reach.")
        for entry in entries
        for name in entry.changes
        if name.startswith("reach.")
    }
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): label
        for pk, label in ReachCategory.objects.filter(pk__in=wanted).values_list("pk", "label")
    }


def changes_of(entry: AuditEntry, labels: dict[str, str] | None = None) -> list[Change]:
    """The entry's changed fields, readable."""
    model = _models_by_type().get(entry.object_type)
    result = []
    for name, change in entry.changes.items():
        label = _field_label(model, name, labels or {})
        if change == CHANGED or not isinstance(change, list):
            result.append(Change(label, "", _("geändert"), True))
        else:
            result.append(Change(label, _text(change[0]), _text(change[1]), False))
    return result


def object_type_label(object_type: str) -> str:
    """The object type's name (the model's verbose name)."""
    model = _models_by_type().get(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def actor_name(entry: AuditEntry) -> str:
    """Who acted: the person's name at display time, or the system."""
    if entry.actor_id is None:
        return _("System")
    if entry.actor is None:
        return _("Konto %(id)s") % {"id": entry.actor_id}
    return entry.actor.get_full_name() or entry.actor.get_username()
