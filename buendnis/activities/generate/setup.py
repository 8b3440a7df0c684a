"""Everything activities hang off: generated agreements, network partners, series plans."""

import copy
import datetime
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from buendnis.accounts.models import Membership, Organisation
from buendnis.activities.generate import profiles
from buendnis.activities.models import Format, Kreis, NetworkPartner, ReachCategory
from buendnis.activities.selectors import current_deadline_days
from buendnis.activities.services import documentation_setup, network_partner_add
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.agreements.services import agreement_slug, portfolio_load

PORTFOLIO = Path(__file__).resolve().parents[2] / "agreements" / "seed" / "hmsi_portfolio.json"
FOUNDING_SLUG = "integration-braucht-partner"
MINISTRY = "Hessisches Ministerium für Soziales und Integration"
Dimension = ReachCategory.Dimension


@dataclass
class Context:
    """What the activity generator needs to know about one agreement, loaded once."""

    agreement: Agreement
    deadline_days: int
    organisations: list[Organisation]
    formats: list[Format]
    format_weights: list[float]
    kreise: list[Kreis]
    kreis_weights: list[float]
    groups: list[ReachCategory]
    migration: list[ReachCategory]
    sectors: list[ReachCategory]
    goals: dict[str, int]  # code -> id
    partners: dict[int, list[NetworkPartner]]  # organisation id -> register
    staff: dict[int, list[int]] = field(default_factory=dict)  # organisation id -> user ids
    reviewers: dict[int, list[int]] = field(default_factory=dict)


def founding_structure() -> dict[str, Any]:
    """The founding agreement from the demo portfolio, as the model for generated ones."""
    data = json.loads(PORTFOLIO.read_text(encoding="utf-8"))
    return next(a for a in data["agreements"] if a["slug"] == FOUNDING_SLUG)


def _partner_name(rng: random.Random, taken: set[str]) -> str:
    """A fictitious partner organisation's name that this run has not used yet."""
    for _attempt in range(50):
        body = rng.choice(profiles.PARTNER_BODIES)
        region = rng.choice(profiles.PARTNER_REGIONS)
        name = f"{body} {region} e.V."
        if name not in taken:
            break
    else:
        name = f"{body} {region} {len(taken) + 1} e.V."
    taken.add(name)
    return name


def agreements_create(*, rng: random.Random, count: int, first_year: int) -> list[Agreement]:
    """Create ``count`` agreements shaped like the founding one, each with the ministry."""
    founding = founding_structure()
    taken: set[str] = set()
    created = []
    for _index in range(count):
        name = _partner_name(rng, taken)
        short, topic = rng.choice(profiles.AGREEMENT_TOPICS)
        signed_on = datetime.date(
            first_year - rng.randint(1, 4), rng.randint(1, 12), rng.randint(1, 28)
        )
        in_force = (signed_on + datetime.timedelta(days=1)).isoformat()
        title = f"{short} – {name.removesuffix(' e.V.')}"
        item = {
            "slug": agreement_slug(title),
            "title": title,
            "subtitle": "Synthetische Testdaten / synthetic test data",
            "topic": topic,
            "place": "Wiesbaden",
            "signed_on": signed_on.isoformat(),
            "partners": [
                {"organisation": "partner", "role": AgreementPartner.Role.PARTNER},
                {"organisation": "ministry", "role": AgreementPartner.Role.MINISTRY},
            ],
            "paragraphs": [
                {
                    "number": p["number"],
                    "heading": p["heading"],
                    "body": f"Generierter Platzhalter für § {p['number']} {p['heading']}.",
                }
                for p in founding["paragraphs"]
            ],
            "goals": copy.deepcopy(founding["goals"]),
            "indicators": copy.deepcopy(founding["indicators"]),
            "procedure": {
                "deadline_days": rng.choice((7, 14, 14, 14, 21, 28)),
                "required_fields": list(founding["procedure"]["required_fields"]),
                "agreed": [
                    {"organisation": "partner", "on": in_force},
                    {"organisation": "ministry", "on": in_force},
                ],
            },
        }
        organisations = [
            {
                "key": "partner",
                "name": name,
                "kind": Organisation.Kind.PARTNER,
                "sector": Organisation.Sector.CIVIL_SOCIETY,
            },
            {
                "key": "ministry",
                "name": MINISTRY,
                "kind": Organisation.Kind.MINISTRY,
                "sector": Organisation.Sector.PUBLIC_ADMINISTRATION,
            },
        ]
        [agreement] = portfolio_load(data={"organisations": organisations, "agreements": [item]})
        created.append(agreement)
    return created


def _kreis_weight(kreis: Kreis) -> float:
    """Big cities weigh most; Kreise not listed are rural and light."""
    return profiles.KREIS_WEIGHTS.get(kreis.ags, profiles.RURAL_KREIS_WEIGHT)


def place_of(kreis: Kreis) -> str:
    """A Kreis's everyday name: „Frankfurt am Main, Stadt“ → „Frankfurt am Main“."""
    return kreis.name.split(",")[0]


def network_register(
    *, rng: random.Random, organisation: Organisation, kreise: list[Kreis], weights: list[float]
) -> list[NetworkPartner]:
    """Give an organisation a register of 8–14 network partners, mostly in big cities."""
    for _index in range(rng.randint(8, 14)):
        kind, sector = rng.choice(profiles.INSTITUTIONS)
        [kreis] = rng.choices(kreise, weights=weights)
        network_partner_add(
            organisation=organisation, name=f"{kind} {place_of(kreis)}", sector=sector, kreis=kreis
        )
    return list(NetworkPartner.objects.filter(organisation=organisation).order_by("name", "id"))


def context_load(*, rng: random.Random, agreement: Agreement, on: datetime.date) -> Context:
    """Set up formats, categories and network partners, then load what generation needs."""
    documentation_setup(agreement=agreement, on=agreement.in_force_on or on)
    organisations = list(
        Organisation.objects.filter(
            agreement_roles__agreement=agreement,
            agreement_roles__role=AgreementPartner.Role.PARTNER,
        ).order_by("name")
    )
    formats = list(
        Format.objects.filter(agreement=agreement)
        .exclude(status=Format.Status.DROPPED)
        .order_by("key")
    )
    kreise = list(Kreis.objects.order_by("ags"))
    kreis_weights = [_kreis_weight(k) for k in kreise]
    categories = list(
        ReachCategory.objects.filter(agreement=agreement).order_by("dimension", "position", "key")
    )
    context = Context(
        agreement=agreement,
        deadline_days=current_deadline_days(agreement) or 14,
        organisations=organisations,
        formats=formats,
        format_weights=[
            profiles.FORMAT_PROFILES.get(f.key, profiles.OTHER_FORMAT).weight for f in formats
        ],
        kreise=kreise,
        kreis_weights=kreis_weights,
        groups=[c for c in categories if c.dimension == Dimension.GROUP],
        migration=[c for c in categories if c.dimension == Dimension.MIGRATION],
        sectors=[c for c in categories if c.dimension == Dimension.SECTOR],
        goals=dict(agreement.goals.order_by("code").values_list("code", "id")),
        partners={
            o.pk: network_register(rng=rng, organisation=o, kreise=kreise, weights=kreis_weights)
            for o in organisations
        },
    )
    memberships = Membership.objects.filter(
        organisation__in=organisations,
        role__in=(Membership.Role.FACHKRAFT, Membership.Role.KOORDINATION),
    ).order_by("user__username")
    for m in memberships:
        context.staff.setdefault(m.organisation_id, []).append(m.user_id)
        if m.role == Membership.Role.KOORDINATION:
            context.reviewers.setdefault(m.organisation_id, []).append(m.user_id)
    return context
