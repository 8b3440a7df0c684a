"""The policy's rules for organisations and people: who manages whom, who gives which role."""

from django.contrib.auth.models import AnonymousUser

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.policy import Action, assignable_roles, can

Role = Membership.Role


def test_it_gives_each_manager_their_roles(
    koordination: User,
    referentin: User,
    admin_user: User,
    fachkraft: User,
    partner_org: Organisation,
    ministry_org: Organisation,
) -> None:
    assert assignable_roles(koordination, partner_org) == [Role.FACHKRAFT, Role.KOORDINATION]
    assert assignable_roles(koordination, ministry_org) == []
    assert assignable_roles(referentin, ministry_org) == [Role.MINISTERIUM]
    assert assignable_roles(referentin, partner_org) == []
    assert assignable_roles(fachkraft, partner_org) == []
    assert assignable_roles(admin_user, partner_org) == [
        Role.FACHKRAFT,
        Role.KOORDINATION,
        Role.ADMIN,
    ]
    assert assignable_roles(admin_user, ministry_org) == [Role.MINISTERIUM, Role.ADMIN]


def test_it_lets_managers_manage_their_own_people(
    koordination: User, fachkraft: User, referentin: User, admin_user: User
) -> None:
    assert can(koordination, Action.PEOPLE_MANAGE, fachkraft)
    assert can(koordination, Action.PEOPLE_MANAGE, koordination)
    assert can(referentin, Action.PEOPLE_MANAGE, referentin)
    assert can(admin_user, Action.PEOPLE_MANAGE, referentin)
    assert not can(fachkraft, Action.PEOPLE_MANAGE, koordination)
    assert not can(fachkraft, Action.PEOPLE_LIST)
    assert can(koordination, Action.PEOPLE_LIST) and can(referentin, Action.PEOPLE_LIST)


def test_it_denies_other_organisation(
    koordination: User, outsider: User, other_org: Organisation, referentin: User, admin_user: User
) -> None:
    assert not can(koordination, Action.PEOPLE_MANAGE, outsider)
    assert not can(koordination, Action.PEOPLE_MANAGE, other_org)
    assert not can(koordination, Action.PEOPLE_MANAGE, referentin)
    assert not can(koordination, Action.PEOPLE_MANAGE, admin_user)
    assert not can(koordination, Action.ORGANISATION_MANAGE)
    assert not can(referentin, Action.ORGANISATION_MANAGE)
    assert can(admin_user, Action.ORGANISATION_MANAGE)


def test_it_denies_anonymous_users(fachkraft: User, partner_org: Organisation) -> None:
    anonymous = AnonymousUser()
    assert not can(anonymous, Action.ACCOUNT_MANAGE)
    assert not can(anonymous, Action.PEOPLE_LIST)
    assert not can(anonymous, Action.PEOPLE_MANAGE, fachkraft)
    assert assignable_roles(anonymous, partner_org) == []
