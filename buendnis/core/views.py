from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from buendnis.accounts.policy import Action, requires


@requires(Action.DASHBOARD_VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """Start where the work is: the user's agreements."""
    return redirect("agreements:list")
