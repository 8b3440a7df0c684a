from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from buendnis.accounts.models import Membership
from buendnis.accounts.policy import Action, organisation_ids, requires
from buendnis.activities.selectors import overdue_activities
from buendnis.agreements.selectors import agreement_list


@requires(Action.DASHBOARD_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: the user's agreements and what is overdue under § 7."""
    coordinates = bool(organisation_ids(request.user, Membership.Role.KOORDINATION))
    overdue = overdue_activities(user=request.user, only_responsible=not coordinates)
    context = {"agreements": agreement_list(user=request.user), "overdue": overdue}
    return render(request, "core/dashboard.html", context)
