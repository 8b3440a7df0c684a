"""Reads for agreements: lists, the agreement page and its status line."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from buendnis.accounts.policy import AnyUser, visible_agreements
from buendnis.accounts.services import organisation_find
from buendnis.agreements.importer import ParsedPartner
from buendnis.agreements.models import (
    Agreement,
    AgreementPartner,
    Commitment,
    DocumentationProcedure,
    FrameworkVersion,
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


def effective_procedures(
    *, agreement_ids: QuerySet | list[int] | None = None
) -> dict[int, DocumentationProcedure]:
    """Each agreement's § 7 procedure in effect, in one query.

    In effect is the newest version every partner has agreed to; while no version is
    agreed by all, the newest version (documentation never runs without a procedure).
    A version proposed later takes effect only with the last partner's agreement.
    """
    parties = (
        AgreementPartner.objects.filter(agreement_id=OuterRef("agreement_id"))
        .order_by()
        .values("agreement_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    procedures = DocumentationProcedure.objects.annotate(
        agreed=Count("approvals"), parties=Subquery(parties)
    ).order_by("agreement_id", "version")
    if agreement_ids is not None:
        procedures = procedures.filter(agreement_id__in=agreement_ids)
    newest: dict[int, DocumentationProcedure] = {}
    agreed: dict[int, DocumentationProcedure] = {}
    for procedure in procedures:
        newest[procedure.agreement_id] = procedure
        if procedure.parties and procedure.agreed >= procedure.parties:
            agreed[procedure.agreement_id] = procedure
    return {agreement_id: agreed.get(agreement_id, p) for agreement_id, p in newest.items()}


def effective_procedure(*, agreement: Agreement) -> DocumentationProcedure | None:
    """The agreement's § 7 procedure in effect (see ``effective_procedures``)."""
    return effective_procedures(agreement_ids=[agreement.pk]).get(agreement.pk)


@dataclass(frozen=True)
class ProcedureState:
    """The newest § 7 procedure version, when all partners had agreed to it, and who not yet.

    ``effective`` is the version in effect: the newest one all partners agreed to (or the
    newest at all while none is agreed by all).
    """

    procedure: DocumentationProcedure | None
    agreed_on: datetime.date | None
    pending: list[str]
    effective: DocumentationProcedure | None = None


def procedure_state(*, agreement: Agreement) -> ProcedureState:
    """Return the newest procedure version and whether every partner agreed to it."""
    procedures = sorted(agreement.procedures.all(), key=lambda p: p.version, reverse=True)
    if not procedures:
        return ProcedureState(None, None, [])
    partners = list(agreement.partners.all())

    def missing(procedure: DocumentationProcedure) -> list[str]:
        approved = {a.organisation_id for a in procedure.approvals.all()}
        return [p.organisation.display_name for p in partners if p.organisation_id not in approved]

    current = procedures[0]
    approvals = {a.organisation_id: a for a in current.approvals.all()}
    pending = missing(current)
    agreed_on = None if pending or not approvals else max(a.agreed_on for a in approvals.values())
    effective = next((p for p in procedures if partners and not missing(p)), current)
    return ProcedureState(current, agreed_on, pending, effective)


def procedure_pending_for(*, procedure: DocumentationProcedure, organisation_ids: set[int]) -> bool:
    """Whether any of these organisations is a partner that has not agreed to the version."""
    approved = {a.organisation_id for a in procedure.approvals.all()}
    return any(
        p.organisation_id in organisation_ids and p.organisation_id not in approved
        for p in procedure.agreement.partners.all()
    )


@dataclass(frozen=True)
class AwaitingAgreement:
    """A proposal that one of the user's organisations has not agreed to yet."""

    agreement: Agreement
    kind: str  # "framework" or "procedure"
    version: int


def awaiting_agreement(*, organisation_ids: set[int]) -> list[AwaitingAgreement]:
    """Framework proposals and newest § 7 versions these partner organisations still owe.

    Three queries, whatever the number of agreements.
    """
    if not organisation_ids:
        return []
    partners = AgreementPartner.objects.filter(organisation_id__in=organisation_ids)
    owed = []
    proposals = (
        FrameworkVersion.objects.filter(
            status=FrameworkVersion.Status.PROPOSED, agreement__partners__in=partners
        )
        .exclude(approvals__organisation_id__in=organisation_ids)
        .select_related("agreement")
        .distinct()
    )
    owed += [AwaitingAgreement(p.agreement, "framework", p.version) for p in proposals]
    newest = (
        DocumentationProcedure.objects.filter(agreement__partners__in=partners)
        .order_by("agreement_id", "-version")
        .select_related("agreement")
        .prefetch_related("approvals")
        .distinct()
    )
    seen: set[int] = set()
    for procedure in newest:
        if procedure.agreement_id in seen:
            continue
        seen.add(procedure.agreement_id)
        if not {a.organisation_id for a in procedure.approvals.all()} & organisation_ids:
            owed.append(AwaitingAgreement(procedure.agreement, "procedure", procedure.version))
    return sorted(owed, key=lambda item: (item.agreement.title, item.kind))


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
