from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from buendnis.accounts.models import Membership
from buendnis.accounts.policy import (
    Action,
    AnyUser,
    can,
    load_visible_agreements,
    organisation_ids,
    requires,
)
from buendnis.activities.selectors import overdue_summary
from buendnis.agreements.models import Agreement
from buendnis.agreements.selectors import awaiting_agreement, effective_deadline_days, with_awaiting
from buendnis.evaluation.due import due_of, overdue_adjustments, with_last_agreed
from buendnis.offers.views_public import offer_list

# What the dashboard reads of each agreement (the rest are annotations).
DASHBOARD_AGREEMENT_FIELDS = ("slug", "title", "signed_on", "in_force_on_override", "created_at")


def _get_agreements_for_dashboard(user: AnyUser, speaks_for: set[int]) -> list[Agreement]:
    """The user's agreements, read once with everything each section needs of them."""

    def annotate(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
        agreements = agreements.only(*DASHBOARD_AGREEMENT_FIELDS).annotate(
            deadline_days=effective_deadline_days()
        )
        if speaks_for:
            agreements = with_awaiting(with_last_agreed(agreements), organisation_ids=speaks_for)
        return agreements

    return load_visible_agreements(user, annotate)


@requires(Action.PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """Signed out: the public offers. Signed in: the dashboard.

    The dashboard shows the user's agreements, what is overdue under § 7, and § 8 due dates.
    All sections share one read of the agreements: a fixed number of queries.
    """
    user = request.user
    if not can(user, Action.DASHBOARD_VIEW):
        return offer_list(request)
    coordinates = bool(organisation_ids(user, Membership.Role.KOORDINATION))
    speaks_for = organisation_ids(user, Membership.Role.KOORDINATION, Membership.Role.MINISTERIUM)
    agreements = _get_agreements_for_dashboard(user, speaks_for)
    context = {
        "agreements": agreements,
        "overdue": overdue_summary(
            user=user, only_responsible=not coordinates, agreements=agreements
        ),
        "overdue_query": "overdue=on" if coordinates else "overdue=on&mine=on",
    }
    if speaks_for:
        today = timezone.localdate()
        context["evaluation_section"] = True
        context["due_evaluations"] = due_of(agreements=agreements, today=today)
        context["overdue_adjustments"] = overdue_adjustments(today=today, user=user)
        context["awaiting"] = awaiting_agreement(organisation_ids=speaks_for, agreements=agreements)
    return render(request, "core/dashboard.html", context)
