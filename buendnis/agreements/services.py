"""Writes for agreements: import, the demo portfolio, and the § 7 documentation procedure."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from buendnis.accounts.models import Organisation, User
from buendnis.accounts.services import organisation_find, organisation_resolve
from buendnis.agreements.importer import AgreementImportError, ParsedAgreement, ParsedPartner
from buendnis.agreements.importer.names import best_match
from buendnis.agreements.models import (
    Agreement,
    AgreementPartner,
    AgreementTextVersion,
    Commitment,
    DocumentationProcedure,
    Goal,
    Indicator,
    IndicatorTarget,
    Paragraph,
    ProcedureApproval,
    Signatory,
)

_SLUG_MAX_LENGTH = Agreement._meta.get_field("slug").max_length
# Paths below /vereinbarungen/ that are pages, not agreements.
_RESERVED_SLUGS = frozenset({"neu"})
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def agreement_slug(title: str) -> str:
    """Make a unique URL slug from a German title (ä → ae, ß → ss)."""
    base = slugify(title.translate(_UMLAUTS))[:70].strip("-") or "vereinbarung"
    slug, n = base, 2
    while slug in _RESERVED_SLUGS or Agreement.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _partner_kind(name: str) -> tuple[str, str]:
    """Guess kind and role of an organisation named in an agreement text."""
    if "ministerium" in name.casefold():
        return Organisation.Kind.MINISTRY, AgreementPartner.Role.MINISTRY
    return Organisation.Kind.PARTNER, AgreementPartner.Role.PARTNER


def _partner_organisation(partner: ParsedPartner) -> Organisation:
    """The partner's organisation: the one a person linked it to, else found or created."""
    if partner.organisation_id:
        organisation = Organisation.objects.select_for_update().get(pk=partner.organisation_id)
        known = {organisation.name, *organisation.aliases}
        new = [n for n in dict.fromkeys([partner.name, *partner.aliases]) if n and n not in known]
        if new:
            organisation.aliases = [*organisation.aliases, *new]
            organisation.save(update_fields=["aliases"])
        return organisation
    kind, _role = _partner_kind(partner.name)
    return organisation_resolve(
        name=partner.name,
        aliases=list(partner.aliases),
        kind=kind,
        sector=(
            Organisation.Sector.PUBLIC_ADMINISTRATION
            if kind == Organisation.Kind.MINISTRY
            else Organisation.Sector.CIVIL_SOCIETY
        ),
    )


def _signatory_organisation(
    name: str, partners: list[ParsedPartner], organisations: list[Organisation]
) -> Organisation | None:
    """The organisation a signatory signs for: one of the partners, else any known one."""
    if not name:
        return None
    for partner, organisation in zip(partners, organisations, strict=True):
        if name in (partner.name, *partner.aliases, organisation.name):
            return organisation
    match = best_match(name, [p.name for p in partners])
    return organisations[match] if match is not None else organisation_find(name=name)


def _write_text(agreement: Agreement, parsed: ParsedAgreement) -> None:
    """Write partners, paragraphs and signatories; keep paragraphs that goals refer to."""
    organisations = [_partner_organisation(partner) for partner in parsed.partners]
    kept = []
    for position, (partner, organisation) in enumerate(
        zip(parsed.partners, organisations, strict=True)
    ):
        role = partner.role or _partner_kind(partner.name)[1]
        AgreementPartner.objects.update_or_create(
            agreement=agreement,
            organisation=organisation,
            defaults={"role": role, "position": position},
        )
        kept.append(organisation.pk)
    agreement.partners.exclude(organisation_id__in=kept).delete()

    existing = {(p.number, p.suffix): p for p in agreement.paragraphs.all()}
    wanted = {(p.number, p.suffix): p for p in parsed.paragraphs}
    agreement.paragraphs.filter(
        pk__in=[p.pk for key, p in existing.items() if key not in wanted]
    ).delete()
    for key, paragraph in wanted.items():
        if key in existing:
            row = existing[key]
            if (row.heading, row.body) != (paragraph.heading, paragraph.body):
                row.heading, row.body = paragraph.heading, paragraph.body
                row.save(update_fields=["heading", "body"])
        else:
            Paragraph.objects.create(
                agreement=agreement,
                number=paragraph.number,
                suffix=paragraph.suffix,
                heading=paragraph.heading,
                body=paragraph.body,
            )

    agreement.signatories.all().delete()
    Signatory.objects.bulk_create(
        Signatory(
            agreement=agreement,
            name=s.name,
            function=s.function,
            organisation=_signatory_organisation(s.organisation, parsed.partners, organisations),
            position=position,
        )
        for position, s in enumerate(parsed.signatories)
    )


def agreement_check_new(*, parsed: ParsedAgreement, slug: str | None) -> None:
    """Refuse an agreement that is already stored, or a slug that is taken or malformed."""
    existing = Agreement.objects.filter(title__iexact=parsed.title)
    if parsed.signed_on is not None:
        # A stored agreement without a date cannot be told apart from this one.
        existing = existing.filter(Q(signed_on__isnull=True) | Q(signed_on=parsed.signed_on))
    if existing.exists():
        raise AgreementImportError(
            f"Die Vereinbarung „{parsed.title}“ ist schon vorhanden. / "
            "This agreement has already been imported."
        )
    if slug is None:
        return
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise AgreementImportError(
            f"Die Kurzbezeichnung „{slug}“ darf nur Buchstaben, Ziffern, - und _ enthalten. / "
            "The slug may contain only letters, digits, hyphens and underscores."
        ) from error
    if len(slug) > _SLUG_MAX_LENGTH:
        raise AgreementImportError(
            f"Die Kurzbezeichnung ist länger als {_SLUG_MAX_LENGTH} Zeichen. / "
            f"The slug is longer than {_SLUG_MAX_LENGTH} characters."
        )
    if Agreement.objects.filter(slug=slug).exists():
        raise AgreementImportError(
            f"Die Kurzbezeichnung „{slug}“ ist schon vergeben. / "
            f"The slug “{slug}” is already taken."
        )


@transaction.atomic
def agreement_create_from_import(*, parsed: ParsedAgreement, slug: str | None = None) -> Agreement:
    """Write an imported agreement with its partners, paragraphs and signatories.

    Without a signing date the agreement stays a draft: § 9 lets it come into force only
    the day after signing.
    """
    agreement = Agreement.objects.create(
        slug=slug or agreement_slug(parsed.title),
        title=parsed.title,
        subtitle=getattr(parsed, "subtitle", "") or "",
        topic=parsed.topic,
        place=parsed.place,
        signed_on=parsed.signed_on,
        status=Agreement.Status.ACTIVE if parsed.signed_on else Agreement.Status.DRAFT,
    )
    _write_text(agreement, parsed)
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


# --- corrections of the agreement text (issue 14) ---------------------------------------


class ReasonRequired(ValueError):
    """An agreement in force changes only with a stated reason."""


def agreement_in_force(*, agreement: Agreement) -> bool:
    """Whether § 9 has put the agreement into force by today."""
    in_force_on = agreement.in_force_on
    return in_force_on is not None and in_force_on <= timezone.localdate()


def agreement_text_snapshot(*, agreement: Agreement) -> dict[str, Any]:
    """The agreement's text as stored, in the importer's JSON shape (for versions)."""
    return {
        "title": agreement.title,
        "subtitle": agreement.subtitle,
        "topic": agreement.topic,
        "place": agreement.place,
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "partners": [
            {
                "name": p.organisation.name,
                "aliases": list(p.organisation.aliases),
                "role": p.role,
            }
            for p in agreement.partners.select_related("organisation").order_by("position")
        ],
        "paragraphs": [
            {"number": p.number, "suffix": p.suffix, "heading": p.heading, "body": p.body}
            for p in agreement.paragraphs.order_by("number", "suffix")
        ],
        "signatories": [
            {
                "name": s.name,
                "function": s.function,
                "organisation": s.organisation.name if s.organisation else "",
            }
            for s in agreement.signatories.select_related("organisation").order_by("position")
        ],
    }


@transaction.atomic
def agreement_correct(
    *,
    agreement: Agreement,
    parsed: ParsedAgreement,
    user: User | None,
    reason: str = "",
) -> AgreementTextVersion | None:
    """Correct an agreement's text; once it is in force, only as a new version with a reason.

    Returns the version row recorded for an agreement in force, None before that or when
    nothing changed.
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    in_force = agreement_in_force(agreement=agreement)
    if in_force and not reason.strip():
        raise ReasonRequired("An agreement in force changes only with a reason.")
    previous = agreement_text_snapshot(agreement=agreement)
    agreement.title = parsed.title
    agreement.subtitle = parsed.subtitle
    agreement.topic = parsed.topic
    agreement.place = parsed.place
    agreement.signed_on = parsed.signed_on
    if parsed.signed_on and agreement.status == Agreement.Status.DRAFT:
        agreement.status = Agreement.Status.ACTIVE
    agreement.save(update_fields=["title", "subtitle", "topic", "place", "signed_on", "status"])
    _write_text(agreement, parsed)
    if not in_force or agreement_text_snapshot(agreement=agreement) == previous:
        return None
    latest = agreement.text_versions.order_by("-number").first()
    return AgreementTextVersion.objects.create(
        agreement=agreement,
        number=(latest.number + 1) if latest else 1,
        reason=reason.strip(),
        previous=previous,
        created_by=user,
    )
