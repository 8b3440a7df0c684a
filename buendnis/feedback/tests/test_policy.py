"""The feedback rules of the one policy, persona by persona."""

from buendnis.accounts.models import User
from buendnis.accounts.policy import Action, can
from buendnis.activities.models import Activity
from buendnis.agreements.models import Agreement


def test_it_keeps_an_activity_s_feedback_with_the_organisation_that_ran_it(
    open_activity: Activity,
    fachkraft: User,
    koordination: User,
    referentin: User,
    outsider: User,
    admin_user: User,
) -> None:
    for action in (Action.FEEDBACK_MANAGE, Action.FEEDBACK_RESULTS, Action.FEEDBACK_FREE_TEXT):
        assert can(fachkraft, action, open_activity)
        assert can(koordination, action, open_activity)
        assert not can(referentin, action, open_activity)
        assert not can(outsider, action, open_activity)
        assert not can(admin_user, action, open_activity)  # free text: not even admins


def test_it_shows_aggregates_to_every_party_and_lets_coordinators_edit(
    agreement: Agreement,
    fachkraft: User,
    koordination: User,
    referentin: User,
    outsider: User,
) -> None:
    for user in (fachkraft, koordination, referentin):
        assert can(user, Action.FEEDBACK_AGGREGATES, agreement)
        assert can(user, Action.QUESTIONNAIRE_VIEW, agreement)
    assert not can(outsider, Action.FEEDBACK_AGGREGATES, agreement)
    assert not can(outsider, Action.QUESTIONNAIRE_VIEW, agreement)
    assert can(koordination, Action.QUESTIONNAIRE_EDIT, agreement)
    for user in (fachkraft, referentin, outsider):
        assert not can(user, Action.QUESTIONNAIRE_EDIT, agreement)


def test_it_opens_the_participants_form_to_everyone(open_activity: Activity) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert can(AnonymousUser(), Action.PUBLIC)
    assert not can(AnonymousUser(), Action.FEEDBACK_RESULTS, open_activity)
