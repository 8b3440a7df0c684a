"""Reads for agreements: lists, the agreement page and its status line."""

import datetime
import pickle
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.lookups import GreaterThanOrEqual

from buendnis.accounts.models import Organisation
from buendnis.accounts.policy import AnyUser, visible_agreements
from buendnis.accounts.services import organisation_find
from buendnis.agreements.importer import ParsedPartner
from buendnis.agreements.models import (
    Agreement,
    AgreementPartner,
    Commitment,
    DocumentationProcedure,
    FrameworkApproval,
    FrameworkVersion,
    Goal,
    Indicator,
    Paragraph,
    ProcedureApproval,
    Signatory,
)
from buendnis.core.versioned import remembered
from buendnis.operations.stamps import change_stamps


def agreement_list(*, user: AnyUser) -> QuerySet[Agreement]:
    """The agreements the user may see, with their partners."""
    return visible_agreements(user).prefetch_related(
        Prefetch("partners", AgreementPartner.objects.select_related("organisation"))
    )


def agreement_detail(*, agreement: Agreement) -> Agreement:
    """Put everything the agreement page shows of the agreement's structure onto it.

    Partners, signatories, paragraphs, goals with their indicators, commitments and the
    § 7 procedure (eleven queries, a third of the page's time) are read once per version of
    them (``structure_version``) and kept pickled (``core.versioned``); each request unpickles
    its own copy, since the page sets this year's values on the indicators.
    """
    version = structure_version(agreement)
    kept = remembered(
        "agreement-structure", version, lambda: pickle.dumps(_read_structure(agreement.pk))
    )
    structure = pickle.loads(kept)  # noqa: S301 - our own pickle from our own cache
    agreement._prefetched_objects_cache = structure._prefetched_objects_cache
    agreement.duty_indicators = structure.duty_indicators
    agreement.structure_version = version  # what the page's rendered sections are kept by
    return agreement


# Every table ``agreement_detail`` reads (all stamped: ``operations.stamps.DEFINITIONS``).
STRUCTURE = (
    AgreementPartner,
    Signatory,
    Paragraph,
    Goal,
    Goal.paragraphs.through,
    Indicator,
    Commitment,
    DocumentationProcedure,
    ProcedureApproval,
    Organisation,
)


def structure_version(agreement: Agreement) -> tuple:
    """The change stamps of every table ``agreement_detail`` reads, in one statement."""
    return (agreement.pk, *change_stamps(STRUCTURE, agreement.pk))


def _read_structure(agreement_id: int) -> Agreement:
    agreement = Agreement.objects.only("pk").get(pk=agreement_id)
    prefetch_related_objects(
        [agreement],
        Prefetch("partners", AgreementPartner.objects.select_related("organisation")),
        Prefetch("signatories", Signatory.objects.select_related("organisation")),
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
    return agreement


def add_years(day: datetime.date, years: int) -> datetime.date:
    """Add whole years, moving 29 February to 28 February where needed."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _count_by(rows: QuerySet, key: str) -> QuerySet:
    """``COUNT(*)`` of the rows as a subquery; no row at all (NULL) where none match."""
    return rows.order_by().values(key).annotate(n=Count("*")).values("n")


def _agreed_by_all() -> Case:
    """1 for a procedure version every partner has agreed to, else 0 (never without partners).

    Built anew for every query: a resolved expression keeps the aliases of the query it was
    used in, so a shared one breaks the correlation of the next query.
    """
    agreed = _count_by(
        ProcedureApproval.objects.filter(procedure_id=OuterRef("pk")), "procedure_id"
    )
    parties = _count_by(
        AgreementPartner.objects.filter(agreement_id=OuterRef("agreement_id")), "agreement_id"
    )
    return Case(
        When(GreaterThanOrEqual(Subquery(agreed), Subquery(parties)), then=Value(1)),
        default=Value(0),
    )


def _in_effect_first(
    procedures: QuerySet[DocumentationProcedure],
) -> QuerySet[DocumentationProcedure]:
    """Order each agreement's procedure versions so that the one in effect comes first.

    In effect is the newest version every partner has agreed to; while no version is
    agreed by all, the newest version (documentation never runs without a procedure).
    A version proposed later takes effect only with the last partner's agreement.
    """
    return procedures.order_by("agreement_id", _agreed_by_all().desc(), "-version")


def effective_procedures(
    *, agreement_ids: QuerySet | list[int] | None = None
) -> dict[int, DocumentationProcedure]:
    """Each agreement's § 7 procedure in effect (``_in_effect_first``), in one query."""
    procedures = DocumentationProcedure.objects.all()
    if agreement_ids is not None:
        procedures = procedures.filter(agreement_id__in=agreement_ids)
    effective: dict[int, DocumentationProcedure] = {}
    for procedure in _in_effect_first(procedures):
        effective.setdefault(procedure.agreement_id, procedure)
    return effective


def effective_deadline_days() -> Subquery:
    """For annotating agreements: the § 7 deadline of the procedure in effect (None without)."""
    procedures = DocumentationProcedure.objects.filter(agreement_id=OuterRef("pk"))
    return Subquery(_in_effect_first(procedures).values("deadline_days")[:1])


def effective_procedure(*, agreement: Agreement) -> DocumentationProcedure | None:
    """The agreement's § 7 procedure in effect (see ``_in_effect_first``)."""
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


def _open_versions() -> dict[str, Subquery]:
    """Each agreement's framework proposal and newest § 7 version."""
    proposal = FrameworkVersion.objects.filter(
        agreement_id=OuterRef("pk"), status=FrameworkVersion.Status.PROPOSED
    )
    newest = DocumentationProcedure.objects.filter(agreement_id=OuterRef("pk")).order_by("-version")
    return {
        "proposed_framework": Subquery(proposal.values("version")[:1]),
        "newest_procedure": Subquery(newest.values("version")[:1]),
    }


def with_awaiting(agreements: QuerySet[Agreement], *, organisation_ids: set[int]) -> QuerySet:
    """Annotate what these partner organisations owe each agreement (``awaiting_agreement``).

    ``owes_as_partner``: one of them is a partner; ``proposed_framework`` and
    ``framework_agreed``: the version of the open framework proposal (at most one:
    ``framework_one_open_version``) and whether one of them agreed; ``newest_procedure``
    and ``procedure_agreed`` the same for the newest § 7 version.
    """
    annotations = _owed_by(organisation_ids)
    return agreements.annotate(**_open_versions()).annotate(**annotations)


def _owed_by(organisation_ids: set[int]) -> dict[str, Exists]:
    """``with_awaiting``'s questions about these organisations."""
    ours = {"organisation_id__in": sorted(organisation_ids)}
    return {
        "owes_as_partner": Exists(
            AgreementPartner.objects.filter(agreement_id=OuterRef("pk"), **ours)
        ),
        "framework_agreed": Exists(
            FrameworkApproval.objects.filter(
                version__agreement_id=OuterRef("pk"),
                version__status=FrameworkVersion.Status.PROPOSED,
                **ours,
            )
        ),
        "procedure_agreed": Exists(
            ProcedureApproval.objects.filter(
                procedure__agreement_id=OuterRef("pk"),
                procedure__version=OuterRef("newest_procedure"),
                **ours,
            )
        ),
    }


def awaiting_agreement(
    *, organisation_ids: set[int], agreements: list[Agreement] | None = None
) -> list[AwaitingAgreement]:
    """Framework proposals and newest § 7 versions these partner organisations still owe.

    One query, whatever the number of agreements; none if the caller passes ``agreements``
    it has read ``with_awaiting`` for the same organisations.
    """
    if not organisation_ids:
        return []
    if agreements is None:
        agreements = list(
            with_awaiting(Agreement.objects.all(), organisation_ids=organisation_ids).filter(
                owes_as_partner=True
            )
        )
    owed = []
    for agreement in agreements:
        if not agreement.owes_as_partner:
            continue
        if agreement.proposed_framework is not None and not agreement.framework_agreed:
            owed.append(AwaitingAgreement(agreement, "framework", agreement.proposed_framework))
        if agreement.newest_procedure is not None and not agreement.procedure_agreed:
            owed.append(AwaitingAgreement(agreement, "procedure", agreement.newest_procedure))
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
