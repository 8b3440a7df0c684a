import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import user_create
from buendnis.activities.generate import year_range
from buendnis.activities.models import Activity
from buendnis.activities.services import documentation_setup
from buendnis.agreements.models import Agreement
from buendnis.agreements.services import portfolio_load
from buendnis.audit.models import AuditEntry
from buendnis.audit.recording import record
from buendnis.counselling.generate import contacts_generate
from buendnis.counselling.services import topics_setup
from buendnis.feedback.demo import demo_open_link, demo_responses_generate
from buendnis.feedback.models import Response
from buendnis.feedback.questionnaires import questionnaires_seed
from buendnis.offers.demo import demo_offers_publish

PORTFOLIO = Path(__file__).resolve().parents[3] / "agreements" / "seed" / "hmsi_portfolio.json"
DEMO_AGREEMENT = "integration-braucht-partner"
PORTFOLIO_AGREEMENTS = (
    "antisemitismus-und-rassismus",
    "identitaet-und-zugehoerigkeit",
    "interkulturelle-oeffnung-ehrenamt",
)
DEMO_PASSWORD = "buendnis-demo"  # noqa: S105 - printed for the demo on purpose
# (username, role, organisation name or None for the installation admin)
DEMO_USERS = [
    (
        "fachkraft",
        Membership.Role.FACHKRAFT,
        "Verband binationaler Familien und Partnerschaften, iaf e.V.",
    ),
    (
        "koordination",
        Membership.Role.KOORDINATION,
        "Verband binationaler Familien und Partnerschaften, iaf e.V.",
    ),
    (
        "ministerium",
        Membership.Role.MINISTERIUM,
        "Hessisches Ministerium für Soziales und Integration",
    ),
    ("admin", Membership.Role.ADMIN, None),
]


class Command(BaseCommand):
    help = (
        "Create the demo database (the ministry's four integration agreements, one user per "
        "role) and serve it with a background worker / Demo anlegen und starten."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self._load()
        if not Activity.objects.filter(agreement__slug=DEMO_AGREEMENT).exists():
            self.stdout.write("Zwei Jahre Beispiel-Aktivitäten / two years of sample activities …")
            call_command(
                "generate",
                agreement=DEMO_AGREEMENT,
                years=2,
                activities_per_year=300,
                seed=1,
                stdout=self.stdout,
            )
        for seed, slug in enumerate(PORTFOLIO_AGREEMENTS, start=2):
            # The portfolio (§ 6) shows every agreement: a smaller sample for the other three.
            if not Activity.objects.filter(agreement__slug=slug).exists():
                call_command(
                    "generate",
                    agreement=slug,
                    years=3,
                    activities_per_year=60,
                    seed=seed,
                    stdout=self.stdout,
                )
        agreement = Agreement.objects.get(slug=DEMO_AGREEMENT)
        if not agreement.counselling_contacts.exists():
            contacts_generate(
                agreement=agreement,
                years=year_range(years=2, today=timezone.localdate()),
                per_year=320,
            )
        if not Response.objects.filter(agreement=agreement).exists():
            demo_responses_generate(agreement=agreement, seed=1)
        demo_offers_publish(
            agreement=agreement, organisation=Organisation.objects.get(name=DEMO_USERS[0][2])
        )
        _record_seeding(agreement)
        self.stdout.write(self.style.SUCCESS("Demo bereit / demo ready."))
        self.stdout.write(f"Anmeldung / sign in (Passwort / password: {DEMO_PASSWORD}):")
        for username, role, organisation in DEMO_USERS:
            self.stdout.write(f"  {username:<13} {role.label:<14} {organisation or ''}")
        if settings.TWO_FACTOR_REQUIRED_ROLES:
            self.stdout.write(
                "Zweiter Faktor / second factor: "
                + ", ".join(settings.TWO_FACTOR_REQUIRED_ROLES)
                + " richten bei der ersten Anmeldung eine Authenticator-App ein / set up an "
                "authenticator app at first sign-in (BUENDNIS_2FA_REQUIRED_ROLES)"
            )
        link = demo_open_link(agreement=agreement)
        if link is not None:
            self.stdout.write(
                "Anonyme Rückmeldung / anonymous feedback: "
                f"http://{options['addrport']}{reverse('feedback:respond', args=[link.code])}"
            )
        self.stdout.write(
            f"Öffentliche Angebote / public offers (signed out): http://{options['addrport']}/"
        )
        if not options["no_serve"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write(f"http://{options['addrport']}/  (Strg-C beendet / Ctrl-C stops)")
            call_command("serve", options["addrport"], with_worker=True)

    @transaction.atomic
    def _load(self) -> None:
        agreements = portfolio_load(data=json.loads(PORTFOLIO.read_text(encoding="utf-8")))
        for agreement in agreements:
            documentation_setup(
                agreement=agreement, on=agreement.in_force_on or timezone.localdate()
            )
            topics_setup(agreement=agreement)
            if agreement.slug == DEMO_AGREEMENT:
                questionnaires_seed(agreement=agreement)
        for username, role, organisation_name in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            organisation = (
                Organisation.objects.get(name=organisation_name) if organisation_name else None
            )
            user_create(
                username=username,
                password=DEMO_PASSWORD,
                organisation=organisation,
                role=role,
                email=f"{username}@buendnis.example",  # a password reset prints its mail
            )


def _record_seeding(agreement: Agreement) -> None:
    """One audit entry for what the generators wrote in bulk (once per demo database)."""
    seeded = {"object_type": "agreement", "object_id": str(agreement.pk), "action": "seed"}
    if AuditEntry.objects.filter(**seeded).exists():
        return
    record(
        AuditEntry.Action.SEED,
        obj=agreement,
        label="buendnis demo",
        changes={
            "activities": [None, agreement.activities.count()],
            "counselling_contacts": [None, agreement.counselling_contacts.count()],
            "feedback_responses": [None, Response.objects.filter(agreement=agreement).count()],
        },
    )
