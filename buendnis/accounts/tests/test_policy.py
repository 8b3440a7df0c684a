"""The one permission policy: every URL has a rule, and the rules say what they should."""

from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from buendnis.accounts.models import User
from buendnis.accounts.policy import Action, can, requires, visible_agreements
from buendnis.agreements.models import Agreement
from buendnis.agreements.services import procedure_create_version


def _walk(patterns: list, prefix: str = "") -> list[tuple[str, object]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def _unguarded(patterns: list) -> list[str]:
    return [route for route, view in _walk(patterns) if not hasattr(view, "policy_action")]


def test_it_has_a_policy_rule_for_every_url() -> None:
    routes = _walk(get_resolver().url_patterns)
    assert len(routes) >= 6
    assert _unguarded(get_resolver().url_patterns) == []
    for _route, view in routes:
        assert view.policy_action in Action


def test_it_notices_a_url_without_a_rule() -> None:
    from django.urls import path

    def naked(request: object) -> None: ...

    guarded = requires(Action.DASHBOARD_VIEW)(naked)
    patterns = [path("a/", naked), path("b/", guarded)]
    assert _unguarded(patterns) == ["a/"]


def test_it_has_a_rule_for_every_action() -> None:
    from buendnis.accounts.policy import RULES

    assert set(RULES) == set(Action)


def test_it_lets_partners_see_their_agreement(
    agreement: Agreement, fachkraft: User, koordination: User, referentin: User
) -> None:
    for user in (fachkraft, koordination, referentin):
        assert can(user, Action.AGREEMENT_VIEW, agreement)
        assert list(visible_agreements(user)) == [agreement]


def test_it_denies_other_organisation(
    agreement: Agreement, other_agreement: Agreement, outsider: User
) -> None:
    assert not can(outsider, Action.AGREEMENT_VIEW, agreement)
    assert list(visible_agreements(outsider)) == [other_agreement]


def test_it_lets_the_ministry_see_all_its_agreements(
    agreement: Agreement, other_agreement: Agreement, referentin: User
) -> None:
    assert set(visible_agreements(referentin)) == {agreement, other_agreement}


def test_it_loads_roles_and_agreements_in_one_query(
    agreement: Agreement,
    other_agreement: Agreement,
    referentin: User,
    outsider: User,
    koordination: User,
    django_assert_num_queries: Callable,
) -> None:
    from buendnis.accounts.models import Membership
    from buendnis.accounts.policy import load_grants, organisation_ids, visible_agreement_ids

    Membership.objects.create(
        user=koordination,
        organisation=outsider.memberships.get().organisation,
        role=Membership.Role.FACHKRAFT,
    )
    for user in (referentin, outsider, koordination):
        separately = User.objects.get(pk=user.pk)
        expected = (
            {role: organisation_ids(separately, role) for role in Membership.Role},
            visible_agreement_ids(separately),
        )
        together = User.objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            load_grants(together)
            loaded = (
                {role: organisation_ids(together, role) for role in Membership.Role},
                visible_agreement_ids(together),
            )
        assert loaded == expected
    assert visible_agreement_ids(together) == sorted([agreement.pk, other_agreement.pk])


def test_it_lets_admins_see_everything(
    agreement: Agreement, other_agreement: Agreement, admin_user: User
) -> None:
    assert can(admin_user, Action.AGREEMENT_VIEW, other_agreement)
    assert visible_agreements(admin_user).count() == 2


def test_it_denies_anonymous_users(agreement: Agreement) -> None:
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not can(anonymous, Action.AGREEMENT_VIEW, agreement)
    assert not can(anonymous, Action.DASHBOARD_VIEW)
    assert can(anonymous, Action.PUBLIC)
    assert visible_agreements(anonymous).count() == 0


@pytest.mark.django_db
def test_it_lets_only_coordinators_and_ministry_approve_the_procedure(
    agreement: Agreement, fachkraft: User, koordination: User, referentin: User, outsider: User
) -> None:
    procedure = procedure_create_version(
        agreement=agreement, deadline_days=14, required_fields=["title"]
    )
    assert can(koordination, Action.PROCEDURE_APPROVE, procedure)
    assert can(referentin, Action.PROCEDURE_APPROVE, procedure)
    assert not can(fachkraft, Action.PROCEDURE_APPROVE, procedure)
    assert not can(outsider, Action.PROCEDURE_APPROVE, procedure)
