"""Reads for agreements: lists, the agreement page and its status line."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from buendnis.accounts.policy import AnyUser, visible_agreements
from buendnis.accounts.services import organisation_find
from buendnis.agreements.importer import ParsedPartner
from buendnis.agreements.models import (
    Agreement,
    AgreementPartner,
    Commitment,
    DocumentationProcedure,
    Goal,
    Indicator,
)


def agreement_list(*, user: AnyUser) -> QuerySet[Agreement]:
    """The agreements the user may see, with their partners."""
    return visible_agreements(user).prefetch_related(
        Prefetch("partners", AgreementPartner.objects.select_related("organisation"))
    )


def agreement_detail(*, agreement: Agreement) -> Agreement:
    """Load everything the agreement page shows in a fixed number of queries."""
    return (
        Agreement.objects.filter(pk=agreement.pk)
        .prefetch_related(
            Prefetch("partners", AgreementPartner.objects.select_related("organisation")),
            Prefetch("signatories"),
            Prefetch("paragraphs"),
            Prefetch(
                "goals",
                Goal.objects.prefetch_related(
                    "paragraphs",
                    Prefetch("indicators", Indicator.objects.order_by("code")),
                ),
            ),
            Prefetch(
                "indicators",
                Indicator.objects.filter(goal__isnull=True),
                to_attr="duty_indicators",
            ),
            Prefetch(
                "commitments",
                Commitment.objects.select_related("organisation", "paragraph"),
            ),
            Prefetch(
                "procedures",
                DocumentationProcedure.objects.prefetch_related("approvals__organisation"),
            ),
        )
        .get()
    )


def add_years(day: datetime.date, years: int) -> datetime.date:
    """Add whole years, moving 29 February to 28 February where needed."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class ProcedureState:
    """The current § 7 procedure and when all partners had agreed to it."""

    procedure: DocumentationProcedure | None
    agreed_on: datetime.date | None
    pending: list[str]


def procedure_state(*, agreement: Agreement) -> ProcedureState:
    """Return the newest procedure version and whether every partner agreed to it."""
    procedures = sorted(agreement.procedures.all(), key=lambda p: p.version, reverse=True)
    if not procedures:
        return ProcedureState(None, None, [])
    current = procedures[0]
    approvals = {a.organisation_id: a for a in current.approvals.all()}
    pending = [
        p.organisation.display_name
        for p in agreement.partners.all()
        if p.organisation_id not in approvals
    ]
    agreed_on = None if pending or not approvals else max(a.agreed_on for a in approvals.values())
    return ProcedureState(current, agreed_on, pending)


def procedure_pending_for(*, procedure: DocumentationProcedure, organisation_ids: set[int]) -> bool:
    """Whether any of these organisations is a partner that has not agreed to the version."""
    approved = {a.organisation_id for a in procedure.approvals.all()}
    return any(
        p.organisation_id in organisation_ids and p.organisation_id not in approved
        for p in procedure.agreement.partners.all()
    )


def known_organisations(*, partners: list[ParsedPartner]) -> dict[str, int]:
    """Map each partner name to the id of the organisation known by it or an alias."""
    known = {}
    for partner in partners:
        organisation = organisation_find(name=partner.name)
        for alias in partner.aliases:
            organisation = organisation or organisation_find(name=alias)
        if organisation is not None:
            known[partner.name] = organisation.pk
    return known
