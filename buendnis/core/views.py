from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from buendnis.accounts.models import Membership
from buendnis.accounts.policy import Action, organisation_ids, requires
from buendnis.activities.selectors import overdue_summary
from buendnis.agreements.selectors import agreement_list
from buendnis.evaluation.due import due_evaluations, overdue_adjustments


@requires(Action.DASHBOARD_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: the user's agreements, what is overdue under § 7, and § 8 due dates."""
    coordinates = bool(organisation_ids(request.user, Membership.Role.KOORDINATION))
    overdue = overdue_summary(user=request.user, only_responsible=not coordinates)
    context = {
        "agreements": agreement_list(user=request.user),
        "overdue": overdue,
        "overdue_query": "overdue=on" if coordinates else "overdue=on&mine=on",
    }
    if organisation_ids(request.user, Membership.Role.KOORDINATION, Membership.Role.MINISTERIUM):
        today = timezone.localdate()
        context["evaluation_section"] = True
        context["due_evaluations"] = due_evaluations(user=request.user, today=today)
        context["overdue_adjustments"] = overdue_adjustments(today=today, user=request.user)
    return render(request, "core/dashboard.html", context)
