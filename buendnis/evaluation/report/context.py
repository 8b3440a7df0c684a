"""The report's template context: figures (live or frozen), the workflow's texts, free text.

Shared by the page inside the site (which includes ``evaluation/report/_body.html``) and by
the files. Everything the templates need sits under the one key ``report``.
"""

import datetime
from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buendnis.accounts.policy import Action, AnyUser, Role, can, organisation_ids
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.evaluation.models import Adjustment, Evaluation, GoalReflection
from buendnis.evaluation.periods import Period
from buendnis.evaluation.report.data import Progress, period_from, report_data
from buendnis.evaluation.report.display import period_short
from buendnis.evaluation.report.formatting import format_date
from buendnis.evaluation.report.protect import ministry_copy
from buendnis.evaluation.report.sections import build_sections
from buendnis.evaluation.report.tables import CURRENT, PREVIOUS
from buendnis.evaluation.selectors import evaluation_before, evaluation_of_period
from buendnis.feedback.models import Answer
from buendnis.feedback.results import label_of

MINISTRY, INTERNAL = "ministry", "internal"
COPIES = (MINISTRY, INTERNAL)
FROZEN = (Evaluation.Status.REVIEW, Evaluation.Status.AGREED)


def figures(
    *,
    agreement: Agreement,
    period: Period,
    evaluation: Evaluation | None,
    today: datetime.date,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The frozen snapshot of an evaluation in review or agreed, else the live figures."""
    if evaluation is not None and evaluation.status in FROZEN and evaluation.snapshot:
        if progress is not None:
            progress(1, 1, _("Eingefrorene Zahlen"))
        return evaluation.snapshot
    return report_data(agreement=agreement, period=period, today=today, progress=progress)


MINISTRY_COPY_KEY = "ministry_copy"


def frozen_figures(
    *, agreement: Agreement, period: Period, today: datetime.date | None = None
) -> dict[str, Any]:
    """What an evaluation freezes: the exact figures and, beside them, the ministry's copy.

    The protected copy is frozen too, so the ministry's report of a frozen evaluation never
    changes either, whatever is documented later.
    """
    data = report_data(agreement=agreement, period=period, today=today)
    return {**data, MINISTRY_COPY_KEY: ministry_copy(data)}


def status_label(evaluation: Evaluation | None) -> str:
    """Where the evaluation stands, for the cover."""
    if evaluation is None or evaluation.status == Evaluation.Status.DRAFT:
        return _("Entwurf – Zahlen vorläufig")
    if evaluation.status == Evaluation.Status.REVIEW:
        frozen = timezone.localdate(evaluation.frozen_at) if evaluation.frozen_at else None
        return _("In Prüfung – Zahlen eingefroren am %(date)s") % {"date": format_date(frozen)}
    return _("Vereinbart am %(date)s") % {"date": format_date(evaluation.agreed_on)}


def _adjustment(adjustment: Adjustment) -> dict[str, Any]:
    """An adjustment as the report shows it."""
    return {
        "goal": adjustment.goal.code if adjustment.goal_id else "",
        "what": adjustment.what,
        "responsible": adjustment.responsible.display_name,
        "person": adjustment.responsible_person,
        "due_on": adjustment.due_on,
        "due": format_date(adjustment.due_on),
        "status": adjustment.status,
        "status_label": str(adjustment.get_status_display()),
        "outcome": adjustment.outcome,
    }


def _adjustments(evaluation: Evaluation | None) -> list[dict[str, Any]]:
    """The evaluation's adjustments by due date."""
    if evaluation is None:
        return []
    found = Adjustment.objects.filter(evaluation=evaluation).select_related("goal", "responsible")
    return [_adjustment(a) for a in found.order_by("due_on", "id")]


def last_time(agreement: Agreement, period: Period) -> dict[str, Any] | None:
    """The adjustments agreed in the latest evaluation that ended before this period."""
    before = evaluation_before(agreement_id=agreement.pk, day=period.start)
    if before is None:
        return None
    return {
        "period_label": before.period.label,
        "caption": _("Vereinbart in der Auswertung %(period)s") % {"period": before.period.label},
        "adjustments": _adjustments(before),
    }


def workflow(evaluation: Evaluation | None) -> dict[str, Any]:
    """Meeting, approvals and status of the evaluation, as far as it got."""
    if evaluation is None:
        return {"exists": False, "approvals": []}
    approvals = evaluation.approvals.select_related("organisation", "by").order_by("at")
    return {
        "exists": True,
        "status": evaluation.status,
        "status_display": str(evaluation.get_status_display()),
        "meeting_on": format_date(evaluation.meeting_on) if evaluation.meeting_on else "",
        "participants": evaluation.meeting_participants,
        "agreed_on": format_date(evaluation.agreed_on) if evaluation.agreed_on else "",
        "approvals": [
            {
                "organisation": a.organisation.display_name,
                "by": (a.by.get_full_name() or a.by.get_username()) if a.by else "",
                "on": format_date(timezone.localdate(a.at)),
            }
            for a in approvals
        ],
    }


def free_texts(*, agreement: Agreement, period: Period, user: AnyUser | None) -> list[dict]:
    """Free-text answers, read live, only of activities run by the user's organisations."""
    if user is None or not can(user, Action.REPORT_INTERNAL, agreement):
        return []
    own = organisation_ids(user, Role.FACHKRAFT, Role.KOORDINATION)
    answers = (
        Answer.objects.filter(
            response__agreement=agreement,
            response__activity__organisation_id__in=own,
            response__submitted_on__gte=period.start,
            response__submitted_on__lte=period.end,
        )
        .exclude(text="")
        .order_by("question__key", "text")
        .values_list("question__key", "question__labels", "text")
    )
    grouped: dict[str, dict[str, Any]] = {}
    for key, labels, text in answers:
        group = grouped.setdefault(key, {"question": label_of(labels) or key, "texts": []})
        group["texts"].append(text)
    return list(grouped.values())


def _goal_texts(evaluation: Evaluation | None, goals: list[dict], adjustments: list[dict]) -> None:
    """Attach each goal's reflection, ministry comment and adjustments."""
    reflections = {}
    if evaluation is not None:
        for reflection in GoalReflection.objects.filter(evaluation=evaluation).select_related(
            "goal"
        ):
            reflections[reflection.goal.code] = reflection
    for goal in goals:
        reflection = reflections.get(goal["code"])
        goal["reflection"] = reflection
        goal["has_reflection"] = bool(
            reflection and (reflection.worked or reflection.not_worked or reflection.reasons)
        )
        goal["adjustments"] = [a for a in adjustments if a["goal"] == goal["code"]]
        goal["adjustments_caption"] = _("Anpassungen zu Ziel %(code)s") % {"code": goal["code"]}


def _snapped_note(snapped: dict[str, Any] | None) -> str:
    """What the protected copy says when its period was snapped to whole months."""
    if not snapped or not snapped.get("applied"):
        return ""
    first = datetime.date.fromisoformat(snapped["first"])
    year, month = (int(part) for part in snapped["last_month"].split("-"))
    return snapped_text(first, datetime.date(year, month, 1))


def snapped_text(first: datetime.date, last: datetime.date) -> str:
    """The note that protected figures cover the whole months from ``first`` to ``last``."""
    return _(
        "Die geschützten Zahlen gelten für ganze Monate: %(first)s bis %(last)s. Zeiträume, "
        "die nicht auf Kalender- oder Vereinbarungsjahre fallen, zeigen nur Zahlen, die sich "
        "aus den veröffentlichten Jahres-, Quartals- und Monatswerten ergeben."
    ) % {
        "first": formats.date_format(first, "F Y"),
        "last": formats.date_format(last, "F Y"),
    }


def report_context(
    *,
    agreement: Agreement,
    period: Period,
    copy: str,
    evaluation: Evaluation | None = None,
    user: AnyUser | None = None,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Everything the report templates and the XLSX writer need, under ``report``."""
    if copy not in COPIES:
        raise ValueError(f"unknown copy: {copy!r} (known: {', '.join(COPIES)})")
    today = today or timezone.localdate()
    if evaluation is None:
        evaluation = evaluation_of_period(agreement=agreement, period=period)
    data = figures(
        agreement=agreement, period=period, evaluation=evaluation, today=today, progress=progress
    )
    frozen_copy = data.get(MINISTRY_COPY_KEY)
    data = {key: value for key, value in data.items() if key != MINISTRY_COPY_KEY}
    if copy == MINISTRY:
        data = frozen_copy or ministry_copy(data)
    shown_period, previous = period_from(data["period"]), period_from(data["previous"])
    data = {
        **data,
        "period_labels": {CURRENT: period_short(shown_period), PREVIOUS: period_short(previous)},
    }
    sections = build_sections(data)
    adjustments = _adjustments(evaluation)
    _goal_texts(evaluation, sections["goals"], adjustments)
    roles = dict(AgreementPartner.Role.choices)
    report = {
        **sections,
        "copy": copy,
        "copy_label": (
            _("Fassung für das Ministerium (Kleinzahlen unterdrückt)")
            if copy == MINISTRY
            else _("Interne Fassung")
        ),
        "protected": copy == MINISTRY,
        "snapped": _snapped_note(data.get("snapped")) if copy == MINISTRY else "",
        "threshold": settings.SUPPRESSION_THRESHOLD,
        "agreement": data["agreement"],
        "partners": [
            {**p, "role_label": str(roles.get(p["role"], p["role"]))} for p in data["partners"]
        ],
        "period_label": shown_period.label,
        "period_key": shown_period.key,
        "previous_label": previous.label,
        "short_labels": data["period_labels"],
        "status_label": status_label(evaluation),
        "generated_on": format_date(today),
        "computed_on": format_date(data["computed_on"]),
        "general_adjustments": [a for a in adjustments if not a["goal"]],
        "last_time": last_time(agreement, shown_period),
        "evaluation": workflow(evaluation),
        "free_texts": free_texts(agreement=agreement, period=shown_period, user=user)
        if copy == INTERNAL
        else [],
    }
    return {"report": report}
