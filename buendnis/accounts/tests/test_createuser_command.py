"""``buendnis createuser``: accounts with an organisation and a role."""

import pytest
from django.core.management import CommandError, call_command

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.policy import is_admin


def test_it_creates_a_fachkraft_found_by_alias(partner_org: Organisation) -> None:
    call_command(
        "createuser",
        "lena",
        role="fachkraft",
        password="ein-langes-passwort",
        organisation="Verband binationaler Partnerschaften und Familien, iaf e.V.",
    )
    membership = Membership.objects.get(user__username="lena")
    assert membership.organisation == partner_org
    assert membership.role == "fachkraft"
    assert User.objects.get(username="lena").check_password("ein-langes-passwort")


def test_it_creates_an_admin_without_organisation(db: None) -> None:
    call_command("createuser", "root", role="admin", password="ein-langes-passwort")
    assert is_admin(User.objects.get(username="root"))


def test_it_refuses_an_unknown_organisation(db: None) -> None:
    with pytest.raises(CommandError, match="nicht gefunden"):
        call_command("createuser", "x", role="fachkraft", password="p", organisation="Nirgendwo")
    assert not User.objects.exists()


def test_it_refuses_a_role_without_organisation(db: None) -> None:
    with pytest.raises(CommandError, match="--organisation"):
        call_command("createuser", "x", role="koordination", password="p")
    assert not User.objects.exists()


def test_it_refuses_a_taken_username(fachkraft: User) -> None:
    with pytest.raises(CommandError, match="vergeben"):
        call_command("createuser", "samir", role="admin", password="p")
