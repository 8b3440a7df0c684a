import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import organisation_find, user_create


class Command(BaseCommand):
    help = (
        "Create an account with an organisation and a role / Konto mit Organisation und "
        "Rolle anlegen."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Membership.Role.values)
        parser.add_argument(
            "--organisation", default="", help="name or alias (not needed for admins)"
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="omit to be asked for it")

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(
                "Dieser Benutzername ist vergeben. / This username is already taken."
            )
        organisation: Organisation | None = None
        if options["organisation"]:
            organisation = organisation_find(name=options["organisation"])
            if organisation is None:
                raise CommandError(
                    f"Organisation „{options['organisation']}“ nicht gefunden. / "
                    "Organisation not found."
                )
        elif options["role"] != Membership.Role.ADMIN:
            raise CommandError(
                "Diese Rolle braucht --organisation. / This role needs --organisation."
            )
        password = options["password"] or getpass.getpass("Passwort / password: ")
        user = user_create(
            username=options["username"],
            password=password,
            organisation=organisation,
            role=options["role"],
            email=options["email"],
        )
        self.stdout.write(f"Angelegt / created: {user.username} ({options['role']})")
