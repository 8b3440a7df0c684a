"""Recording changes: one generic mechanism for every audited model, plus explicit calls.

``registry.py`` lists the audited models. Their saves and deletes are diffed by the
signal hooks here (the old values are read once before an update); many-to-many changes
are recorded as the ids before and after. Writes that bypass signals (bulk inserts,
queryset updates) call ``record`` or ``record_created`` explicitly. Inside ``batch()`` the
entries are collected, merged per object, and appended together when the block ends — still
inside the caller's transaction, so a change and its entry commit or roll back together.
"""

import contextlib
import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from buendnis.audit import chain
from buendnis.audit.context import current_actor, recording_enabled
from buendnis.audit.models import AuditEntry

CHANGED = "changed"  # what a hidden field's change is recorded as: its name, no content
Action = AuditEntry.Action


@dataclass(frozen=True)
class Spec:
    """How one model is audited."""

    object_type: str
    organisation: str | None = None  # attribute path to the organisation's id
    agreement: str | None = None  # attribute path to the agreement's id
    label: str | Callable[[Any], str] | None = None  # attribute, function, or str()
    hidden: frozenset[str] = frozenset()  # recorded as "changed", without content
    excluded: frozenset[str] = frozenset()  # never recorded (secrets, timestamps)
    m2m: tuple[str, ...] = ()
    tracked: tuple[models.Field, ...] = field(default=(), compare=False)


REGISTRY: dict[type[models.Model], Spec] = {}
ALWAYS_EXCLUDED = frozenset({"id", "created_at", "updated_at"})


def register(model: type[models.Model], spec: Spec) -> None:
    """Audit ``model``'s saves and deletes as ``spec`` says."""
    excluded = spec.excluded | ALWAYS_EXCLUDED
    tracked = tuple(
        f for f in model._meta.concrete_fields if f.name not in excluded and not f.primary_key
    )
    REGISTRY[model] = Spec(**{**spec.__dict__, "excluded": excluded, "tracked": tracked})


def object_type_labels() -> dict[str, str]:
    """Each audited object type with its model's verbose name (for the filter)."""
    labels = {spec.object_type: str(model._meta.verbose_name) for model, spec in REGISTRY.items()}
    labels.setdefault("user", "Konto")
    return dict(sorted(labels.items(), key=lambda item: item[1].lower()))


# --- values --------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as JSON keeps it exactly (decimals and dates as text)."""
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return "<binary>"
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _path(instance: Any, path: str | None) -> Any:
    if path is None:
        return None
    value = instance
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _label(spec: Spec, instance: Any) -> str:
    if callable(spec.label):
        text = spec.label(instance)
    elif spec.label:
        text = getattr(instance, spec.label, "")
    else:
        text = str(instance)
    return str(text)[:200]


# --- entries -------------------------------------------------------------------------


def _actor_organisation(user: Any, agreement_id: int | None) -> int | None:
    """The organisation a person acted for, where the object does not say (agreement-wide)."""
    from buendnis.accounts.policy import organisation_ids
    from buendnis.agreements.models import AgreementPartner

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    own = organisation_ids(user)
    if len(own) <= 1 or agreement_id is None:
        return min(own, default=None)
    party = (
        AgreementPartner.objects.filter(agreement_id=agreement_id, organisation_id__in=own)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
        .first()
    )
    return party if party is not None else min(own)


def make_entry(
    action: str,
    *,
    object_type: str,
    object_id: Any = "",
    label: str = "",
    changes: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    agreement_id: int | None = None,
    actor: Any = None,
) -> AuditEntry:
    """An unsaved entry attributed to ``actor`` or the current one."""
    current = current_actor()
    user = actor if actor is not None else current.user
    actor_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    if organisation_id is None:
        organisation_id = _actor_organisation(user, agreement_id)
    return AuditEntry(
        at=timezone.now(),
        actor_id=actor_id,
        organisation_id=organisation_id,
        agreement_id=agreement_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id if object_id is not None else ""),
        object_label=label[:200],
        changes=changes or {},
        request_id=current.request_id,
    )


def _entry_for(spec: Spec, instance: Any, action: str, changes: dict[str, Any]) -> AuditEntry:
    return make_entry(
        action,
        object_type=spec.object_type,
        object_id=instance.pk,
        label=_label(spec, instance),
        changes=changes,
        organisation_id=_path(instance, spec.organisation),
        agreement_id=_path(instance, spec.agreement),
    )


_pending: ContextVar[list[AuditEntry] | None] = ContextVar("buendnis_audit_pending", default=None)


def _merge(earlier: AuditEntry, later: AuditEntry) -> None:
    """Fold a later change of the same object into the earlier entry (first old, last new)."""
    for name, change in later.changes.items():
        before = earlier.changes.get(name)
        if isinstance(before, list) and isinstance(change, list):
            earlier.changes[name] = [before[0], change[1]]
        else:
            earlier.changes[name] = change


def emit(entries: Iterable[AuditEntry]) -> None:
    """Append the entries now, or collect them when inside ``batch()``."""
    pending = _pending.get()
    if pending is None:
        chain.append(list(entries))
        return
    index = {(e.object_type, e.object_id): e for e in pending if e.action != Action.DELETE}
    for entry in entries:
        earlier = index.get((entry.object_type, entry.object_id))
        if earlier is not None and entry.action == Action.UPDATE and entry.object_id:
            _merge(earlier, entry)
        else:
            pending.append(entry)
            index[(entry.object_type, entry.object_id)] = entry


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Collect the entries of the block, one per object, and append them together at its end.

    Use it inside the caller's transaction; on an exception nothing is appended.
    """
    if _pending.get() is not None:  # already collecting: the outer batch appends
        yield
        return
    pending: list[AuditEntry] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    chain.append(pending)


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    label: str = "",
    changes: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    agreement_id: int | None = None,
    actor: Any = None,
) -> None:
    """Record an event explicitly (a login, a reset, a change made without ``save()``)."""
    if not recording_enabled():
        return
    spec = REGISTRY.get(type(obj)) if obj is not None else None
    if spec is not None and obj is not None:
        object_type = object_type or spec.object_type
        label = label or _label(spec, obj)
        organisation_id = organisation_id or _path(obj, spec.organisation)
        agreement_id = agreement_id or _path(obj, spec.agreement)
    if obj is not None:
        object_id = object_id or obj.pk
        object_type = object_type or obj._meta.model_name or ""
    emit(
        [
            make_entry(
                action,
                object_type=object_type,
                object_id=object_id,
                label=label,
                changes=changes,
                organisation_id=organisation_id,
                agreement_id=agreement_id,
                actor=actor,
            )
        ]
    )


_PRIMITIVE = (str, int, float, bool, type(None))


def _values(spec: Spec, instance: Any, names: set[str] | None = None) -> dict[str, Any]:
    # Read the attribute directly (what ``value_from_object`` does for concrete fields);
    # only values that JSON would not keep exactly go through ``plain``.
    values = {}
    row = instance.__dict__
    for f in spec.tracked:
        if names is not None and f.name not in names:
            continue
        value = row.get(f.attname)
        values[f.name] = value if type(value) in _PRIMITIVE else plain(value)
    return values


def _creation_changes(spec: Spec, values: dict[str, Any]) -> dict[str, Any]:
    hidden = spec.hidden
    return {
        name: CHANGED if name in hidden else [None, value]
        for name, value in values.items()
        if value is not None and value != "" and value != [] and value != {}
    }


def record_created(
    instances: Sequence[models.Model], *, extra: Sequence[dict[str, Any]] | None = None
) -> None:
    """Record rows written by ``bulk_create`` (which sends no signals), one entry each.

    ``extra`` adds, per instance, changes kept in other rows (reach, goals).
    """
    if not recording_enabled() or not instances:
        return
    spec = REGISTRY[type(instances[0])]
    template = make_entry(Action.CREATE, object_type=spec.object_type)
    rows = []
    for index, instance in enumerate(instances):
        changes = _creation_changes(spec, _values(spec, instance))
        if extra is not None:
            changes.update(extra[index])
        organisation_id = _path(instance, spec.organisation)
        rows.append(
            {
                "at": template.at,
                "actor_id": template.actor_id,
                "organisation_id": template.organisation_id
                if organisation_id is None
                else organisation_id,
                "agreement_id": _path(instance, spec.agreement),
                "action": Action.CREATE.value,
                "object_type": spec.object_type,
                "object_id": str(instance.pk),
                "object_label": _label(spec, instance),
                "changes": changes,
                "request_id": template.request_id,
            }
        )
    if _pending.get() is None:
        chain.append_rows(rows)
    else:
        emit([AuditEntry(**row) for row in rows])


# --- signal hooks ----------------------------------------------------------------------


def _before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    spec = REGISTRY.get(sender)
    if spec is None or raw or not recording_enabled():
        return
    if instance._state.adding or instance.pk is None:
        instance._audit_old = None
        return
    update_fields = kwargs.get("update_fields")
    fields = [f for f in spec.tracked if update_fields is None or f.name in update_fields]
    row = (
        sender._base_manager.using(instance._state.db or "default")
        .filter(pk=instance.pk)
        .values(*(f.attname for f in fields))
        .first()
    )
    instance._audit_old = None if row is None else {f.name: plain(row[f.attname]) for f in fields}


def _after_save(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    spec = REGISTRY.get(sender)
    if spec is None or raw or not recording_enabled():
        return
    old = getattr(instance, "_audit_old", None)
    instance._audit_old = None
    if created or old is None:
        instance._audit_fresh = True
        changes = _creation_changes(spec, _values(spec, instance))
        emit([_entry_for(spec, instance, Action.CREATE, changes)])
        return
    new = _values(spec, instance, set(old))
    changes = {
        name: CHANGED if name in spec.hidden else [old[name], value]
        for name, value in new.items()
        if old[name] != value
    }
    if changes:
        emit([_entry_for(spec, instance, Action.UPDATE, changes)])


def _after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    spec = REGISTRY.get(sender)
    if spec is None or not recording_enabled():
        return
    changes = {
        name: CHANGED if name in spec.hidden else [value, None]
        for name, value in _values(spec, instance).items()
        if not _empty(value)
    }
    emit([_entry_for(spec, instance, Action.DELETE, changes)])


def _m2m_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set | None, **kwargs: Any
) -> None:
    spec = REGISTRY.get(type(instance))
    if spec is None or reverse or not recording_enabled():
        return
    name = _M2M_FIELDS.get(sender)
    if name is None:
        return
    if action.startswith("pre_"):
        before = (
            set()
            if getattr(instance, "_audit_fresh", False)
            else set(getattr(instance, name).values_list("pk", flat=True))
        )
        instance.__dict__.setdefault("_audit_m2m", {})[name] = before
        return
    before = instance.__dict__.get("_audit_m2m", {}).pop(name, set())
    if action == "post_add":
        after = before | set(pk_set or ())
    elif action == "post_remove":
        after = before - set(pk_set or ())
    else:
        after = set()
    if after != before:
        changes = {name: [sorted(before), sorted(after)]}
        emit([_entry_for(spec, instance, Action.UPDATE, changes)])


_M2M_FIELDS: dict[Any, str] = {}


def connect() -> None:
    """Connect the hooks for every registered model (called once, from ``AppConfig.ready``)."""
    for model, spec in REGISTRY.items():
        uid = f"audit-{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
        for name in spec.m2m:
            through = model._meta.get_field(name).remote_field.through
            _M2M_FIELDS[through] = name
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}-{name}")


def record_mapping(obj: models.Model, name: str, before: dict, after: dict) -> None:
    """Record changed parts of a mapping kept in other rows (an activity's reach by category).

    Each changed key becomes a field ``name.key`` of an update of ``obj``; inside ``batch()``
    it joins the entry of the object's own save.
    """
    keys = sorted(set(before) | set(after), key=str)
    changes = {
        f"{name}.{key}": [before.get(key), after.get(key)]
        for key in keys
        if before.get(key) != after.get(key)
    }
    if changes:
        record(Action.UPDATE, obj=obj, changes=changes)
