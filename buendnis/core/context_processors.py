from typing import Any

from django.http import HttpRequest

from buendnis.accounts.policy import Action, can
from buendnis.activities.geography import ATTRIBUTION


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation may offer this user (asked of the one policy), and the footer."""
    user = request.user
    return {
        "may": {
            "activities": can(user, Action.ACTIVITY_LIST),
            "network": can(user, Action.NETWORK_VIEW),
            "counselling": can(user, Action.COUNSELLING_LOG),
            "people": can(user, Action.PEOPLE_LIST),
            "organisations": can(user, Action.ORGANISATION_MANAGE),
            "audit": can(user, Action.AUDIT_VIEW),
            "opendata": can(user, Action.OPENDATA_MANAGE),
            "portfolio": can(user, Action.PORTFOLIO_VIEW),
        },
        "kreise_attribution": ATTRIBUTION,
    }
