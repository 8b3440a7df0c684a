"""``buendnis demo``: the ministry's portfolio and one account per role."""

import pytest
from django.core.management import call_command

from buendnis.accounts.models import Membership, User
from buendnis.accounts.policy import is_admin, visible_agreements
from buendnis.agreements.models import Agreement
from buendnis.core.management.commands.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_it_creates_the_portfolio_and_prints_the_accounts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    for username in ("fachkraft", "koordination", "ministerium", "admin"):
        assert username in out
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in out
    assert Agreement.objects.count() == 4
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"fachkraft", "koordination", "ministerium"}
    assert is_admin(User.objects.get(username="admin"))
    # An address, so that a password reset in the demo prints its e-mail on the console.
    assert User.objects.get(username="koordination").email == "koordination@buendnis.example"


@pytest.mark.django_db
def test_it_shows_each_role_what_it_may_see() -> None:
    call_command("demo", "--no-serve")
    fachkraft = User.objects.get(username="fachkraft")
    ministry = User.objects.get(username="ministerium")
    assert [a.slug for a in visible_agreements(fachkraft)] == ["integration-braucht-partner"]
    assert visible_agreements(ministry).count() == 4


@pytest.mark.django_db
def test_it_can_run_twice() -> None:
    call_command("demo", "--no-serve")
    call_command("demo", "--no-serve")
    assert Agreement.objects.count() == 4
    assert User.objects.count() == 4
