"""Sign-in attempts from a separate process, for the cross-process throttling test.

Usage: python -m buendnis.accounts.security.tests.login_attempts [--migrate] [--create]
USERNAME PASSWORD TIMES ADDRESS — prints one HTTP status per attempt. The database and the
secret key come from the environment (BUENDNIS_DATABASE_URL or BUENDNIS_DATA_DIR,
BUENDNIS_SECRET_KEY), as for any worker.
"""

import os
import sys


def main(argv: list[str]) -> None:
    """Optionally migrate and create the account, then post the login form TIMES times."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from buendnis.accounts.models import Membership, Organisation
    from buendnis.accounts.services import organisation_resolve, user_create

    flags = {arg for arg in argv if arg.startswith("--")}
    username, password, times, address = [arg for arg in argv if not arg.startswith("--")]
    if "--migrate" in flags:
        call_command("migrate", verbosity=0)
    if "--create" in flags:
        organisation = organisation_resolve(name="Prozess e.V.", kind=Organisation.Kind.PARTNER)
        user_create(
            username=username,
            password=password,
            organisation=organisation,
            role=Membership.Role.FACHKRAFT,
        )
        password = "falsch"
    for _ in range(int(times)):
        client = Client(REMOTE_ADDR=address)
        response = client.post("/konto/anmelden/", {"username": username, "password": password})
        sys.stdout.write(f"{response.status_code}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
