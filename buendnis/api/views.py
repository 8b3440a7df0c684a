"""Pages around the API: its docs page and the personal tokens on the profile page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buendnis.accounts.policy import Action, requires
from buendnis.api import services
from buendnis.api.forms import TokenForm
from buendnis.api.models import ApiToken
from buendnis.api.problems import not_found, problem_response


@requires(Action.PUBLIC)
def docs(request: HttpRequest) -> HttpResponse:
    """The endpoints, read from the OpenAPI schema by a script from our own static files."""
    return render(request, "api/docs.html")


@requires(Action.PUBLIC)
def unknown(request: HttpRequest) -> HttpResponse:
    """Any other address under ``/api/v1/`` answers a problem document, not an HTML page."""
    return problem_response(request, not_found())


@requires(Action.API_TOKEN_MANAGE)
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show its secret once; GET shows the form with the user's tokens."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = services.token_create(user=request.user, **form.cleaned_data)
        response = render(request, "api/token_created.html", {"token": token, "secret": secret})
        response["Cache-Control"] = "no-store"
        return response
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens})


@requires(Action.API_TOKEN_MANAGE)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's answers 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token)
    messages.success(
        request, _("Der API-Schlüssel „%(name)s“ ist widerrufen.") % {"name": token.name}
    )
    return redirect("accounts:profile")
