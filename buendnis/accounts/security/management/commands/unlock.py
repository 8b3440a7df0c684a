from typing import Any

from django.core.management.base import BaseCommand, CommandError

from buendnis.accounts.security.services import login_unlock
from buendnis.accounts.security.throttling import pseudonymise_address


class Command(BaseCommand):
    help = (
        "Lift a login lockout now / Anmeldesperre sofort aufheben "
        "(a username, or --address with the client address)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="client address, e.g. 192.0.2.10")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["username"] and not options["address"]:
            raise CommandError(
                "Bitte Benutzernamen oder --address angeben. / Name a username or --address."
            )
        address = pseudonymise_address(options["address"]) if options["address"] else ""
        removed = login_unlock(username=options["username"], address=address)
        self.stdout.write(f"Entsperrt / unlocked ({removed} Einträge / records)")
