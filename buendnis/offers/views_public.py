"""The public offers: no login, no cookie, no tracking, no JavaScript, cached.

The views never touch the session or render a CSRF token, so no middleware sets a cookie.
Every response comes from ``cache.cached_response``: after the first request a page or feed
costs no database query, and a client holding its ETag gets 304.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from buendnis.accounts.models import Organisation
from buendnis.accounts.policy import Action, requires
from buendnis.activities.forms import LANGUAGES as SPOKEN_LANGUAGES
from buendnis.offers import publishing, selectors
from buendnis.offers.cache import cached_response
from buendnis.offers.models import Offer
from buendnis.offers.texts import LANGUAGES, choose_language, texts

SPOKEN = dict(SPOKEN_LANGUAGES)
FILTER_PARAMS = ("kreis", "bezirk", "sprache", "format", "vereinbarung", "organisation")


def _language(request: HttpRequest):
    return choose_language(
        requested=request.GET.get("lang"),
        accept_language=request.headers.get("accept-language", ""),
    )


def _base_url(request: HttpRequest) -> str:
    return (settings.PUBLIC_URL or request.build_absolute_uri("/")).rstrip("/")


def _key(request: HttpRequest, name: str, *parts: object) -> str:
    params = sorted((k, v) for k, v in request.GET.items() if k in (*FILTER_PARAMS, "lang"))
    return f"{name}|{_base_url(request)}|{request.path}|{parts}|{params}"


def _lang_links(request: HttpRequest, current: str) -> list[dict]:
    kept = [(k, v) for k, v in request.GET.items() if k in FILTER_PARAMS and v]
    return [
        {
            "language": language,
            "href": f"{request.path}?{urlencode([*kept, ('lang', language.code)])}",
            "current": language.code == current,
        }
        for language in LANGUAGES.values()
    ]


def _view(offer: Offer, lang: str) -> dict:
    """What a page shows of one offer, its invitation in the chosen language if there is one."""
    translated = offer.translations.get(lang) if lang != "de" else None
    activity = offer.activity
    return {
        "offer": offer,
        "activity": activity,
        "invitation": translated or offer.invitation,
        "invitation_lang": lang if translated else "de",
        "fallback": lang != "de" and not translated,
        "languages": [SPOKEN.get(code, code) for code in activity.languages or []],
        "starts": timezone.localtime(activity.starts_at),
        "ends": timezone.localtime(activity.ends_at),
        "contact": getattr(activity.organisation, "public_contact", None),
    }


def _page(request: HttpRequest, template: str, context: dict, lang) -> HttpResponse:
    context = {
        "lang": lang,
        "t": texts(lang.code),
        "lang_links": _lang_links(request, lang.code),
        "lang_query": urlencode({"lang": lang.code}),
        **context,
    }
    response = render(request, template, context)
    response["Content-Language"] = lang.code
    return response


def _cached_page(
    request: HttpRequest, name: str, build: Callable[[object], HttpResponse], *parts: object
) -> HttpResponse:
    lang = _language(request)
    return cached_response(
        request,
        _key(request, name, lang.code, *parts),
        lambda: build(lang),
        vary_language="lang" not in request.GET,
    )


def offer_list(request: HttpRequest) -> HttpResponse:
    """The landing page when signed out: upcoming public offers of all partners, filtered."""

    def build(lang) -> HttpResponse:
        chosen = selectors.filter_from(request.GET)
        found = selectors.offers(chosen=chosen)
        choices = selectors.filter_choices()
        return _page(
            request,
            "offers/offer_list.html",
            {
                "offers": [_view(o, lang.code) for o in found],
                "choices": choices,
                "spoken_choices": [(code, SPOKEN.get(code, code)) for code in choices.languages],
                "chosen": chosen,
                "filtered": bool(chosen.as_dict()),
                "feed_query": urlencode(
                    [
                        (name, value)
                        for name, value in (
                            ("organisation", chosen.organisation or ""),
                            ("vereinbarung", chosen.agreement),
                            ("format", chosen.format or ""),
                            ("kreis", chosen.kreis),
                        )
                        if value
                    ]
                ),
            },
            lang,
        )

    return _cached_page(request, "list", build)


@require_http_methods(["GET", "HEAD"])
@requires(Action.PUBLIC)
def offer_list_page(request: HttpRequest) -> HttpResponse:
    return offer_list(request)


@require_http_methods(["GET", "HEAD"])
@requires(Action.PUBLIC)
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    def build(lang) -> HttpResponse:
        offer = selectors.offer(pk)
        if offer is None:
            raise Http404
        base = _base_url(request)
        url = base + reverse("offers:detail", args=[pk])
        org_url = base + reverse("offers:organisation", args=[offer.activity.organisation_id])
        return _page(
            request,
            "offers/offer_detail.html",
            {
                **_view(offer, lang.code),
                "json_ld": publishing.json_ld(offer, url=url, organisation_url=org_url),
            },
            lang,
        )

    return _cached_page(request, "detail", build, pk)


@require_http_methods(["GET", "HEAD"])
@requires(Action.PUBLIC)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    def build(lang) -> HttpResponse:
        organisation = Organisation.objects.filter(pk=pk).first()
        found = selectors.offers(chosen=selectors.OfferFilter(organisation=pk))
        if organisation is None or not found:
            raise Http404
        return _page(
            request,
            "offers/organisation.html",
            {
                "organisation": organisation,
                "offers": [_view(o, lang.code) for o in found],
                "contact": getattr(organisation, "public_contact", None),
            },
            lang,
        )

    return _cached_page(request, "organisation", build, pk)


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD"])
@requires(Action.PUBLIC)
def offer_ics(request: HttpRequest, pk: int) -> HttpResponse:
    def build() -> HttpResponse:
        offer = selectors.offer(pk)
        if offer is None:
            raise Http404
        base = _base_url(request)
        body = publishing.calendar(
            [offer],
            name=offer.activity.title,
            absolute=lambda o: base + reverse("offers:detail", args=[o.pk]),
        )
        return _ics_response(body, f"angebot-{pk}.ics")

    return cached_response(request, _key(request, "ics", pk), build)


@require_http_methods(["GET", "HEAD"])
@requires(Action.PUBLIC)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """One calendar to subscribe to, per organisation, agreement, format or Kreis."""

    def build() -> HttpResponse:
        chosen = selectors.filter_from(request.GET)
        base = _base_url(request)
        body = publishing.calendar(
            selectors.feed_offers(chosen),
            name="Offene Angebote",
            absolute=lambda o: base + reverse("offers:detail", args=[o.pk]),
        )
        return _ics_response(body, "angebote.ics")

    return cached_response(request, _key(request, "calendar"), build)


@require_http_methods(["GET", "HEAD"])
@requires(Action.PUBLIC)
def atom_feed(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        base = _base_url(request)
        body = publishing.atom(
            selectors.offers(chosen=selectors.filter_from(request.GET)),
            title="Offene Angebote – neu",
            link=base + reverse("offers:atom"),
            absolute=lambda o: base + reverse("offers:detail", args=[o.pk]),
        )
        return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")

    return cached_response(request, _key(request, "atom"), build)


@xframe_options_exempt
@require_http_methods(["GET", "HEAD"])
@requires(Action.PUBLIC)
def embed(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's offers for a frame on its own website (only configured origins may frame)."""

    def build(lang) -> HttpResponse:
        organisation = Organisation.objects.filter(pk=pk).first()
        if organisation is None:
            raise Http404
        found = selectors.offers(chosen=selectors.OfferFilter(organisation=pk))
        return _page(
            request,
            "offers/embed.html",
            {
                "organisation": organisation,
                "offers": [_view(o, lang.code) for o in found],
                "base": _base_url(request),
            },
            lang,
        )

    response = _cached_page(request, "embed", build, pk)
    origins = settings.OFFERS_EMBED_ORIGINS
    response._csp_config = {
        **settings.SECURE_CSP,
        "frame-ancestors": origins or ["'none'"],
        "form-action": ["'none'"],
    }
    return response
