"""Writes for the results framework: versioned proposals of goals, indicators and targets.

A coordinator edits a *draft* (``FrameworkVersion``) that starts as a copy of the framework in
effect; proposing it counts as their organisation's agreement; once every partner of the
agreement has agreed, its content is written to ``Goal``, ``Indicator`` and
``IndicatorTarget`` and takes effect. Until then nothing the engine reads changes. Goals and
indicators are matched by code and never deleted (evaluations and activities refer to them).

``content`` is JSON::

    {"goals": [{"code", "title", "description"}],
     "indicators": [{"code", "goal" (code or null), "name", "description", "unit", "level",
                     "direction", "source", "filter", "targets": {"2026": "40"}}]}
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.accounts.models import Organisation, User
from buendnis.agreements.models import (
    Agreement,
    FrameworkApproval,
    FrameworkVersion,
    Goal,
    Indicator,
    IndicatorTarget,
)
from buendnis.audit.recording import record_created
from buendnis.core.locking import check_version, claim_version

Status = FrameworkVersion.Status
REVISION = "framework_revision"
INDICATOR_FIELDS = ("goal", "name", "description", "unit", "level", "direction", "source")


class FrameworkRefused(ValueError):
    """The change is not possible in this state, or its content is not valid (German text)."""


def _number(value: Any) -> str:
    """A target as canonical text ("40", "12.5") so that versions compare equal."""
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise FrameworkRefused(_("„%(value)s“ ist keine Zahl.") % {"value": value}) from error
    if number < 0 or not number.is_finite():
        raise FrameworkRefused(_("Zielwerte dürfen nicht negativ sein."))
    text = format(number.normalize(), "f")
    return text


def framework_content(*, agreement: Agreement) -> dict[str, Any]:
    """The framework in effect as ``content`` (goals and indicators by code)."""
    goals = [
        {"code": g.code, "title": g.title, "description": g.description}
        for g in Goal.objects.filter(agreement=agreement).order_by("code")
    ]
    indicators = [
        {
            "code": i.code,
            "goal": i.goal.code if i.goal_id else None,
            "name": i.name,
            "description": i.description,
            "unit": i.unit,
            "level": i.level,
            "direction": i.direction,
            "source": i.source,
            "filter": i.filter,
            "targets": {str(t.year): _number(t.value) for t in i.targets.all()},
        }
        for i in Indicator.objects.filter(agreement=agreement)
        .select_related("goal")
        .prefetch_related("targets")
        .order_by("code")
    ]
    return {"goals": goals, "indicators": indicators}


def open_version(*, agreement: Agreement) -> FrameworkVersion | None:
    """The draft or proposal under way, if any (at most one per agreement)."""
    return (
        FrameworkVersion.objects.filter(
            agreement=agreement, status__in=[Status.DRAFT, Status.PROPOSED]
        )
        .prefetch_related("approvals__organisation")
        .first()
    )


@transaction.atomic
def framework_draft(*, agreement: Agreement, by: User) -> FrameworkVersion:
    """The open draft, or a new one copied from the framework in effect."""
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    current = open_version(agreement=agreement)
    if current is not None:
        if current.status != Status.DRAFT:
            raise FrameworkRefused(
                _(
                    "Eine Änderung liegt den Partnern zur Zustimmung vor. Ziehen Sie sie "
                    "zurück, um weiter zu bearbeiten."
                )
            )
        return current
    latest = FrameworkVersion.objects.filter(agreement=agreement).order_by("-version").first()
    return FrameworkVersion.objects.create(
        agreement=agreement,
        version=(latest.version + 1) if latest else 1,
        content=framework_content(agreement=agreement),
        created_by=by,
    )


def _claim(agreement: Agreement, expected_revision: int | None) -> None:
    """Move the framework's revision on, unless it moved since the page was loaded.

    Raises ``EditConflict`` (with the agreement as stored) for a stale edit. Without an
    expected revision (scripts, the seed) the change applies to the framework as it is.
    """
    if expected_revision is None:
        Agreement.objects.filter(pk=agreement.pk).update(**{REVISION: F(REVISION) + 1})
        return
    claim_version(Agreement, pk=agreement.pk, expected=expected_revision, field=REVISION)


def _editable(version: FrameworkVersion) -> None:
    if version.status != Status.DRAFT:
        raise FrameworkRefused(_("Nur ein Entwurf kann bearbeitet werden."))


def _save_content(version: FrameworkVersion, content: dict[str, Any]) -> FrameworkVersion:
    version.content = content
    version.save(update_fields=["content"])
    return version


@transaction.atomic
def framework_put_goal(
    *,
    version: FrameworkVersion,
    code: str,
    title: str,
    description: str = "",
    original_code: str | None = None,
    expected_revision: int | None = None,
) -> FrameworkVersion:
    """Add a goal to the draft, or change one (its code stays once it is in effect)."""
    _claim(version.agreement, expected_revision)
    _editable(version)
    content = dict(version.content)
    goals = [dict(g) for g in content.get("goals", [])]
    code, title = code.strip(), " ".join(title.split())
    if not code or not title:
        raise FrameworkRefused(_("Ein Ziel braucht ein Kürzel und einen Titel."))
    if any(g["code"] == code for g in goals) and code != original_code:
        raise FrameworkRefused(_("Das Kürzel „%(code)s“ ist schon vergeben.") % {"code": code})
    entry = {"code": code, "title": title, "description": description.strip()}
    if original_code is None:
        goals.append(entry)
    else:
        if code != original_code and _in_effect_goal(version.agreement, original_code):
            raise FrameworkRefused(_("Das Kürzel eines geltenden Ziels bleibt."))
        goals = [entry if g["code"] == original_code else g for g in goals]
        for indicator in content.get("indicators", []):
            if indicator.get("goal") == original_code:
                indicator["goal"] = code
    content["goals"] = sorted(goals, key=lambda g: g["code"])
    return _save_content(version, content)


def _in_effect_goal(agreement: Agreement, code: str) -> bool:
    return Goal.objects.filter(agreement=agreement, code=code).exists()


@transaction.atomic
def framework_put_indicator(
    *,
    version: FrameworkVersion,
    indicator: dict[str, Any],
    original_code: str | None = None,
    expected_revision: int | None = None,
) -> FrameworkVersion:
    """Add an indicator to the draft, or change one; ``indicator`` has the content's keys."""
    _claim(version.agreement, expected_revision)
    _editable(version)
    content = dict(version.content)
    goals = {g["code"] for g in content.get("goals", [])}
    indicators = [dict(i) for i in content.get("indicators", [])]
    entry = {
        "code": str(indicator["code"]).strip(),
        "goal": indicator.get("goal") or None,
        "name": " ".join(str(indicator["name"]).split()),
        "description": str(indicator.get("description", "")).strip(),
        "unit": str(indicator["unit"]).strip(),
        "level": int(indicator["level"]),
        "direction": indicator.get("direction") or Indicator.Direction.HIGHER,
        "source": indicator["source"],
        "filter": dict(indicator.get("filter") or {}),
        "targets": {
            str(int(year)): _number(value)
            for year, value in sorted((indicator.get("targets") or {}).items())
        },
    }
    if not entry["code"] or not entry["name"] or not entry["unit"]:
        raise FrameworkRefused(_("Ein Indikator braucht Kürzel, Titel und Einheit."))
    if entry["goal"] is not None and entry["goal"] not in goals:
        raise FrameworkRefused(_("Das Ziel „%(code)s“ gibt es nicht.") % {"code": entry["goal"]})
    if entry["source"] not in Indicator.Source.values:
        raise FrameworkRefused(_("Unbekannte Quelle."))
    if not 1 <= entry["level"] <= 7:
        raise FrameworkRefused(_("Die Wirkungstreppe hat die Stufen 1 bis 7."))
    if any(i["code"] == entry["code"] for i in indicators) and entry["code"] != original_code:
        raise FrameworkRefused(
            _("Das Kürzel „%(code)s“ ist schon vergeben.") % {"code": entry["code"]}
        )
    if original_code is None:
        indicators.append(entry)
    else:
        if (
            entry["code"] != original_code
            and Indicator.objects.filter(agreement=version.agreement, code=original_code).exists()
        ):
            raise FrameworkRefused(_("Das Kürzel eines geltenden Indikators bleibt."))
        indicators = [entry if i["code"] == original_code else i for i in indicators]
    content["indicators"] = sorted(indicators, key=lambda i: i["code"])
    return _save_content(version, content)


def _parties(agreement: Agreement) -> set[int]:
    return set(agreement.partners.values_list("organisation_id", flat=True))


@transaction.atomic
def framework_propose(
    *,
    version: FrameworkVersion,
    reason: str,
    by: User,
    organisations: list[Organisation],
    on: datetime.date | None = None,
    expected_revision: int | None = None,
) -> FrameworkVersion:
    """Put the draft to the partners; proposing counts as the proposers' agreement."""
    _claim(version.agreement, expected_revision)
    _editable(version)
    if not reason.strip():
        raise FrameworkRefused(_("Bitte begründen Sie die Änderung für die Partner."))
    found = changes(version=version)
    if not found:
        raise FrameworkRefused(_("Der Entwurf ändert nichts am geltenden Wirkungsrahmen."))
    version.status, version.reason, version.changes = Status.PROPOSED, reason.strip(), found
    version.proposed_at = timezone.now()
    version.save(update_fields=["status", "reason", "changes", "proposed_at"])
    for organisation in organisations:
        framework_approve(version=version, organisation=organisation, by=by, on=on)
    return version


@transaction.atomic
def framework_approve(
    *,
    version: FrameworkVersion,
    organisation: Organisation,
    by: User | None,
    on: datetime.date | None = None,
    expected_revision: int | None = None,
) -> FrameworkVersion:
    """Record a partner's agreement; with the last one the version takes effect.

    With ``expected_revision`` an agreement to a proposal changed since it was shown is
    refused (``EditConflict``); agreements of several partners do not refuse each other.
    """
    if expected_revision is not None:
        check_version(
            Agreement, pk=version.agreement_id, expected=expected_revision, field=REVISION
        )
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.PROPOSED:
        raise FrameworkRefused(_("Diese Version liegt nicht zur Zustimmung vor."))
    parties = _parties(version.agreement)
    if organisation.pk not in parties:
        raise FrameworkRefused(_("Nur Partner der Vereinbarung stimmen zu."))
    on = on or timezone.localdate()
    FrameworkApproval.objects.get_or_create(
        version=version, organisation=organisation, defaults={"agreed_on": on, "agreed_by": by}
    )
    agreed = set(version.approvals.values_list("organisation_id", flat=True))
    if parties <= agreed:
        _claim(version.agreement, None)
        _apply(version)
        version.status, version.agreed_on = Status.AGREED, on
        version.save(update_fields=["status", "agreed_on"])
    return version


@transaction.atomic
def framework_withdraw(
    *, version: FrameworkVersion, expected_revision: int | None = None
) -> FrameworkVersion:
    """Take a proposal back into draft (to change it); the agreements given so far lapse."""
    _claim(version.agreement, expected_revision)
    if version.status != Status.PROPOSED:
        raise FrameworkRefused(_("Diese Version liegt nicht zur Zustimmung vor."))
    version.approvals.all().delete()
    version.status, version.proposed_at = Status.DRAFT, None
    version.save(update_fields=["status", "proposed_at"])
    return version


@transaction.atomic
def framework_discard(*, version: FrameworkVersion, expected_revision: int | None = None) -> None:
    """Throw a draft away; the framework in effect stays as it is."""
    _claim(version.agreement, expected_revision)
    _editable(version)
    version.delete()


def _apply(version: FrameworkVersion) -> None:
    """Write the agreed content: goals and indicators by code, their targets replaced."""
    agreement = version.agreement
    goals = {g.code: g for g in Goal.objects.filter(agreement=agreement)}
    for item in version.content.get("goals", []):
        goal = goals.get(item["code"]) or Goal(agreement=agreement, code=item["code"])
        goal.title, goal.description = item["title"], item.get("description", "")
        goal.save()
        goals[goal.code] = goal
    existing = {i.code: i for i in Indicator.objects.filter(agreement=agreement)}
    for item in version.content.get("indicators", []):
        indicator = existing.get(item["code"]) or Indicator(agreement=agreement, code=item["code"])
        indicator.goal = goals[item["goal"]] if item.get("goal") else None
        for name in ("name", "description", "unit", "level", "direction", "source", "filter"):
            setattr(indicator, name, item.get(name, getattr(indicator, name)))
        indicator.full_clean()
        indicator.save()
        IndicatorTarget.objects.filter(indicator=indicator).delete()
        targets = IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, year=int(year), value=Decimal(value))
            for year, value in item.get("targets", {}).items()
        )
        record_created(targets)


def changes(*, version: FrameworkVersion) -> list[dict[str, Any]]:
    """What the version changes against the framework in effect, goal by goal and indicator.

    Each change: ``{"kind": "goal"|"indicator", "code", "new": bool, "fields": [names]}``.
    Once proposed, the version keeps the list it had then (``FrameworkVersion.changes``).
    """
    if version.status != Status.DRAFT:
        return list(version.changes)
    base = framework_content(agreement=version.agreement)
    found = []
    for kind in ("goals", "indicators"):
        before = {item["code"]: item for item in base.get(kind, [])}
        for item in version.content.get(kind, []):
            old = before.get(item["code"])
            fields = [k for k in item if k != "code" and (old or {}).get(k) != item[k]]
            if old is None or fields:
                found.append(
                    {"kind": kind[:-1], "code": item["code"], "new": old is None, "fields": fields}
                )
    return found
