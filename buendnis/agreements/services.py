"""Writes for agreements: import, the demo portfolio, and the § 7 documentation procedure."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify

from buendnis.accounts.models import Organisation, User
from buendnis.accounts.services import organisation_find, organisation_resolve
from buendnis.agreements.models import (
    Agreement,
    AgreementPartner,
    Commitment,
    DocumentationProcedure,
    Goal,
    Indicator,
    IndicatorTarget,
    Paragraph,
    ProcedureApproval,
    Signatory,
)

if TYPE_CHECKING:
    from buendnis.agreements.importer import ParsedAgreement

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def agreement_slug(title: str) -> str:
    """Make a unique URL slug from a German title (ä → ae, ß → ss)."""
    base = slugify(title.translate(_UMLAUTS))[:70].strip("-") or "vereinbarung"
    slug, n = base, 2
    while Agreement.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _partner_kind(name: str) -> tuple[str, str]:
    """Guess kind and role of an organisation named in an agreement text."""
    if "ministerium" in name.casefold():
        return Organisation.Kind.MINISTRY, AgreementPartner.Role.MINISTRY
    return Organisation.Kind.PARTNER, AgreementPartner.Role.PARTNER


@transaction.atomic
def agreement_create_from_import(
    *, parsed: "ParsedAgreement", slug: str | None = None
) -> Agreement:
    """Write an imported agreement with its partners, paragraphs and signatories."""
    agreement = Agreement.objects.create(
        slug=slug or agreement_slug(parsed.title),
        title=parsed.title,
        subtitle=getattr(parsed, "subtitle", "") or "",
        topic=parsed.topic,
        place=parsed.place,
        signed_on=parsed.signed_on,
    )
    for position, partner in enumerate(parsed.partners):
        kind, role = _partner_kind(partner.name)
        organisation = organisation_resolve(
            name=partner.name,
            aliases=list(partner.aliases),
            kind=kind,
            sector=(
                Organisation.Sector.PUBLIC_ADMINISTRATION
                if kind == Organisation.Kind.MINISTRY
                else Organisation.Sector.CIVIL_SOCIETY
            ),
        )
        AgreementPartner.objects.create(
            agreement=agreement, organisation=organisation, role=role, position=position
        )
    Paragraph.objects.bulk_create(
        Paragraph(agreement=agreement, number=p.number, heading=p.heading, body=p.body)
        for p in parsed.paragraphs
    )
    Signatory.objects.bulk_create(
        Signatory(
            agreement=agreement,
            name=s.name,
            function=s.function,
            organisation=organisation_find(name=s.organisation) if s.organisation else None,
            position=position,
        )
        for position, s in enumerate(parsed.signatories)
    )
    return agreement


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def portfolio_load(*, data: dict[str, Any]) -> list[Agreement]:
    """Load a structured portfolio (the demo fixture); agreements already there are kept."""
    organisations = {
        item["key"]: organisation_resolve(
            name=item["name"],
            kind=item["kind"],
            aliases=item.get("aliases", []),
            short_name=item.get("short_name", ""),
            sector=item.get("sector", Organisation.Sector.OTHER),
        )
        for item in data["organisations"]
    }
    loaded = []
    for item in data["agreements"]:
        agreement = Agreement.objects.filter(slug=item["slug"]).first()
        if agreement is None:
            agreement = _agreement_from_structure(item, organisations)
        loaded.append(agreement)
    return loaded


def _agreement_from_structure(
    item: dict[str, Any], organisations: dict[str, Organisation]
) -> Agreement:
    agreement = Agreement.objects.create(
        slug=item["slug"],
        title=item["title"],
        subtitle=item.get("subtitle") or "",
        topic=item.get("topic") or "",
        place=item.get("place") or "",
        signed_on=_date(item.get("signed_on")),
        presented_on=_date(item.get("presented_on")),
        note=item.get("note") or "",
    )
    AgreementPartner.objects.bulk_create(
        AgreementPartner(
            agreement=agreement,
            organisation=organisations[p["organisation"]],
            role=p["role"],
            position=position,
        )
        for position, p in enumerate(item["partners"])
    )
    Signatory.objects.bulk_create(
        Signatory(
            agreement=agreement,
            name=s["name"],
            function=s.get("function", ""),
            organisation=organisations.get(s.get("organisation", "")),
            position=position,
        )
        for position, s in enumerate(item.get("signatories", []))
    )
    paragraphs = {
        p.number: p
        for p in Paragraph.objects.bulk_create(
            Paragraph(agreement=agreement, number=p["number"], heading=p["heading"], body=p["body"])
            for p in item.get("paragraphs", [])
        )
    }
    goals = {}
    for g in item.get("goals", []):
        goal = Goal.objects.create(
            agreement=agreement,
            code=g["code"],
            title=g["title"],
            description=g.get("description", ""),
        )
        goal.paragraphs.set([paragraphs[n] for n in g.get("paragraphs", [])])
        goals[goal.code] = goal
    for i in item.get("indicators", []):
        indicator = Indicator(
            agreement=agreement,
            goal=goals[i["goal"]] if i.get("goal") else None,
            code=i["code"],
            name=i["name"],
            description=i.get("description", ""),
            unit=i["unit"],
            level=i["level"],
            direction=i.get("direction", Indicator.Direction.HIGHER),
            source=i["source"],
            filter=i.get("filter", {}),
        )
        indicator.full_clean()
        indicator.save()
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, year=int(year), value=Decimal(str(value)))
            for year, value in i.get("targets", {}).items()
        )
    Commitment.objects.bulk_create(
        Commitment(
            agreement=agreement,
            organisation=organisations[c["organisation"]],
            paragraph=paragraphs.get(c.get("paragraph")),
            text=c["text"],
            position=position,
        )
        for position, c in enumerate(item.get("commitments", []))
    )
    if procedure := item.get("procedure"):
        version = procedure_create_version(
            agreement=agreement,
            deadline_days=procedure["deadline_days"],
            required_fields=procedure.get("required_fields", []),
        )
        for approval in procedure.get("agreed", []):
            procedure_approve(
                procedure=version,
                organisation=organisations[approval["organisation"]],
                agreed_on=_date(approval["on"]),
            )
    return agreement


@transaction.atomic
def procedure_create_version(
    *,
    agreement: Agreement,
    deadline_days: int,
    required_fields: list[str],
    categories: list[str] | None = None,
    note: str = "",
    created_by: User | None = None,
) -> DocumentationProcedure:
    """Record a new version of the § 7 procedure; earlier versions stay as they were."""
    latest = (
        DocumentationProcedure.objects.select_for_update()
        .filter(agreement=agreement)
        .order_by("-version")
        .first()
    )
    return DocumentationProcedure.objects.create(
        agreement=agreement,
        version=(latest.version + 1) if latest else 1,
        deadline_days=deadline_days,
        required_fields=required_fields,
        categories=categories or [],
        note=note,
        created_by=created_by,
    )


class ProcedureInvalid(ValueError):
    """A proposed procedure version names fields or categories the agreement does not have."""


@transaction.atomic
def procedure_propose(
    *,
    agreement: Agreement,
    deadline_days: int,
    required_fields: list[str],
    categories: list[str],
    note: str = "",
    by: User,
    organisations: list[Organisation],
    on: datetime.date,
) -> DocumentationProcedure:
    """Propose a new § 7 version; the proposing partners agree to it by proposing.

    It takes effect once every partner agreed (``selectors.effective_procedure``).
    """
    from buendnis.activities.models import ReachCategory

    unknown = set(required_fields) - set(DocumentationProcedure.Field.values)
    if unknown:
        raise ProcedureInvalid(", ".join(sorted(unknown)))
    known = {
        f"{dimension}:{key}"
        for dimension, key in ReachCategory.objects.filter(agreement=agreement).values_list(
            "dimension", "key"
        )
    }
    if set(categories) - known:
        raise ProcedureInvalid(", ".join(sorted(set(categories) - known)))
    if not 1 <= deadline_days <= 365:
        raise ProcedureInvalid(str(deadline_days))
    version = procedure_create_version(
        agreement=agreement,
        deadline_days=deadline_days,
        required_fields=[f for f in DocumentationProcedure.Field.values if f in required_fields],
        categories=sorted(categories),
        note=note.strip(),
        created_by=by,
    )
    for organisation in organisations:
        procedure_approve(procedure=version, organisation=organisation, agreed_on=on, agreed_by=by)
    return version


@transaction.atomic
def procedure_approve(
    *,
    procedure: DocumentationProcedure,
    organisation: Organisation,
    agreed_on: datetime.date,
    agreed_by: User | None = None,
) -> ProcedureApproval:
    """Record that a partner organisation agreed to this version of the procedure."""
    if not procedure.agreement.partners.filter(organisation=organisation).exists():
        raise ValueError(f"{organisation} is not a partner of {procedure.agreement}")
    approval, _ = ProcedureApproval.objects.get_or_create(
        procedure=procedure,
        organisation=organisation,
        defaults={"agreed_on": agreed_on, "agreed_by": agreed_by},
    )
    return approval
