"""The participants' form behind the short link: no login, no cookie, no JavaScript.

The view never reads or writes the session and renders no CSRF token, so no middleware
sets a cookie; it is CSRF-exempt because there is no session to protect. The client
address is used only by the in-memory rate limit and never stored.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from buendnis.accounts.policy import Action, requires
from buendnis.core.fragments import FRAGMENT_SECONDS, digest
from buendnis.feedback import ratelimit, selectors, services
from buendnis.feedback.models import FeedbackLink, QuestionnaireVersion
from buendnis.feedback.texts import Translator, choose_language, field_name, languages

STATUS = {"closed": 410, "cap_reached": 410, "too_many": 429, "invalid": 400, "empty": 400}


def _link_and_version(code: str) -> tuple[FeedbackLink, QuestionnaireVersion]:
    link = FeedbackLink.objects.select_related("activity").filter(code=code.lower()).first()
    if link is None:
        raise Http404
    version = selectors.link_version(link)
    if version is None:
        raise Http404
    return link, version


def _page(
    request: HttpRequest,
    link: FeedbackLink,
    version: QuestionnaireVersion,
    *,
    template: str,
    status: int = 200,
    message: str | None = None,
    values: dict[str, str] | None = None,
) -> HttpResponse:
    language = choose_language(
        version,
        requested=request.GET.get("lang") or request.POST.get("lang"),
        accept_language=request.headers.get("accept-language", ""),
    )
    translator = Translator(version, language)
    values = values or {}
    questions = selectors.questions_of(version)
    context = {
        "language": language,
        "languages": languages(version),
        "t": translator.form_texts(),
        "message": translator.text(message) if message else None,
        "tone": "success" if message == "thanks" else "info",
        "activity": link.activity,
        "day": timezone.localdate(link.activity.starts_at),
        "version": version,
        # built only when the template renders them (not for a cached fragment)
        "questions": lambda: [translator.question(q, values.get(q.key, "")) for q in questions],
        # The empty form's questions are cached by what they show (``core.fragments``);
        # a form given back with answers is rendered afresh and its answers kept nowhere.
        "questions_key": None
        if values
        else digest(language.code, translator.shown(version, questions)),
        "fragment_seconds": FRAGMENT_SECONDS,
        "action": f"{request.path}?{urlencode({'lang': language.code})}",
    }
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language.code
    return response


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@requires(Action.PUBLIC)
def respond(request: HttpRequest, code: str) -> HttpResponse:
    link, version = _link_and_version(code)
    if request.method == "GET":
        state = selectors.link_state(link)
        if state != selectors.LinkState.OPEN:
            reason = services.REASONS[state]
            return _page(
                request, link, version, template="feedback/message.html",
                status=STATUS[reason], message=reason,
            )  # fmt: skip
        return _page(request, link, version, template="feedback/respond.html")
    if not ratelimit.allow_submission(request, link_code=link.code):
        return _page(
            request, link, version, template="feedback/message.html", status=429, message="too_many"
        )
    # every submitted field named like a question: the service reads those its version asks
    prefix = field_name("")
    answers = {
        name.removeprefix(prefix): value
        for name, value in request.POST.items()
        if name.startswith(prefix)
    }
    try:
        services.response_submit(link=link, version_id=request.POST.get("v"), answers=answers)
    except services.FeedbackRefused as refused:
        if refused.reason in ("closed", "cap_reached"):
            template = "feedback/message.html"
        else:
            template = "feedback/respond.html"
        return _page(
            request, link, version, template=template, status=STATUS[refused.reason],
            message=refused.reason, values=answers,
        )  # fmt: skip
    language = request.POST.get("lang") or ""
    thanks = reverse("feedback:thanks", args=[link.code])
    return redirect(f"{thanks}?{urlencode({'lang': language})}" if language else thanks)


@require_http_methods(["GET", "HEAD"])
@requires(Action.PUBLIC)
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    link, version = _link_and_version(code)
    return _page(request, link, version, template="feedback/message.html", message="thanks")
