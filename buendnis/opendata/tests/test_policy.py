"""Who may switch open data: ministry officers of a party ministry, and the admin."""

import pytest

from buendnis.accounts.models import User
from buendnis.accounts.policy import Action, can
from buendnis.agreements.models import Agreement

pytestmark = pytest.mark.django_db


def test_ministry_officers_of_the_agreement_and_the_admin_may_publish(
    agreement: Agreement,
    other_agreement: Agreement,
    fachkraft: User,
    koordination: User,
    referentin: User,
    outsider: User,
    admin_user: User,
) -> None:
    assert can(referentin, Action.OPENDATA_PUBLISH, agreement)
    assert can(admin_user, Action.OPENDATA_PUBLISH, agreement)
    for user in (fachkraft, koordination, outsider):
        assert not can(user, Action.OPENDATA_PUBLISH, agreement), user
    assert not can(referentin, Action.OPENDATA_PUBLISH, None)


def test_the_switch_page_is_for_ministry_officers_and_the_admin(
    agreement: Agreement, fachkraft: User, koordination: User, referentin: User, admin_user: User
) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert can(referentin, Action.OPENDATA_MANAGE)
    assert can(admin_user, Action.OPENDATA_MANAGE)
    for user in (fachkraft, koordination, AnonymousUser()):
        assert not can(user, Action.OPENDATA_MANAGE)


def test_a_ministry_not_party_to_the_agreement_may_not_publish_it(
    agreement: Agreement, referentin: User
) -> None:
    from buendnis.agreements.models import AgreementPartner

    AgreementPartner.objects.filter(agreement=agreement, role="ministry").delete()
    assert not can(referentin, Action.OPENDATA_PUBLISH, agreement)
