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
from buendnis.agreements.models import (
    Agreement,
    AgreementPartner,
    DocumentationProcedure,
    FrameworkApproval,
    FrameworkVersion,
    ProcedureApproval,
)
from buendnis.agreements.selectors import awaiting_agreement, effective_deadline_days, with_awaiting
from buendnis.core.versioned import remembered
from buendnis.evaluation.due import due_of, overdue_adjustments, with_last_agreed
from buendnis.evaluation.models import Evaluation
from buendnis.offers.views_public import offer_list
from buendnis.operations.stamps import stamps_across

# What the dashboard reads of each agreement's row (the rest are its kept ``FACTS``).
DASHBOARD_AGREEMENT_FIELDS = ("slug", "title", "signed_on", "in_force_on_override", "created_at")


# What each section needs of an agreement's procedure, proposals and evaluations, and the
# tables that is read from.
FACTS = (
    "deadline_days",
    "last_agreed_on",
    "proposed_framework",
    "newest_procedure",
    "owes_as_partner",
    "framework_agreed",
    "procedure_agreed",
)
FACT_TABLES = (
    DocumentationProcedure,
    ProcedureApproval,
    AgreementPartner,
    Evaluation,
    FrameworkVersion,
    FrameworkApproval,
)


def _get_agreements_for_dashboard(user: AnyUser, speaks_for: set[int]) -> list[Agreement]:
    """The user's agreements with everything each section needs of them.

    That is read by annotations whose nested subqueries took longer to compile than all the
    dashboard's other queries to run; it is kept under the change stamps of their tables
    (``core.versioned``), so a view reads only the agreements and the stamps.
    """
    agreements = load_visible_agreements(
        user, lambda agreements: agreements.only(*DASHBOARD_AGREEMENT_FIELDS)
    )
    ids = [agreement.pk for agreement in agreements]
    facts = remembered(
        "dashboard-facts",
        (ids, sorted(speaks_for), stamps_across(FACT_TABLES, ids)),
        lambda: _read_facts(ids, speaks_for),
    )
    for agreement in agreements:
        for name, value in facts[agreement.pk].items():
            setattr(agreement, name, value)
    return agreements


def _read_facts(ids: list[int], speaks_for: set[int]) -> dict[int, dict[str, object]]:
    agreements: QuerySet[Agreement] = Agreement.objects.filter(pk__in=ids).annotate(
        deadline_days=effective_deadline_days()
    )
    names = ["deadline_days"]
    if speaks_for:
        agreements = with_awaiting(with_last_agreed(agreements), organisation_ids=speaks_for)
        names = list(FACTS)
    return {row.pop("pk"): row for row in agreements.order_by().values("pk", *names)}


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
