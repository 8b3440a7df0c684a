from typing import Any

from django.core.management.base import BaseCommand, CommandError

from buendnis.accounts.models import User
from buendnis.accounts.security.services import second_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a user's second factor after a lost device / Zweiten Faktor nach "
        "Geräteverlust entfernen (all their sessions end)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("Dieses Konto gibt es nicht. / No such account.")
        second_factor_reset(user=user)
        self.stdout.write(f"Zurückgesetzt / reset: {user.username}")
