"""The QR code of a feedback link (SVG, PNG) and the printable A4 handout (PDF)."""

import base64
import io
import ipaddress
from typing import Any
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from buendnis.activities.models import Activity
from buendnis.core.pdf import write_pdf
from buendnis.feedback.models import FeedbackLink, QuestionnaireVersion
from buendnis.feedback.texts import Translator, languages


def public_url(request: HttpRequest, link: FeedbackLink) -> str:
    """The short link as participants type or scan it (``PUBLIC_URL`` wins when set)."""
    path = reverse("feedback:respond", args=[link.code])
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def is_loopback(url: str) -> bool:
    """Whether the address only reaches this machine (127.0.0.1, ::1, localhost): no phone can."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _qr(url: str) -> segno.QRCode:
    # Level M survives a crease or a coffee stain on the printed sheet.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> bytes:
    out = io.BytesIO()
    _qr(url).save(out, kind="svg", scale=8, border=4, title=url, xmldecl=True)
    return out.getvalue()


def qr_png(url: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    _qr(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def handout_context(
    *,
    activity: Activity,
    version: QuestionnaireVersion,
    url: str,
    window: tuple[Any, Any] | None = None,
) -> dict[str, Any]:
    """The invitation in every language of the questionnaire, with the QR code inline."""
    invitations = []
    for language in languages(version):
        translator = Translator(version, language)
        invitations.append(
            {
                "language": language,
                "title": translator.text("title"),
                "text": translator.text("invitation"),
            }
        )
    png = base64.b64encode(qr_png(url, scale=12)).decode()
    return {
        "activity": activity,
        "url": url,
        "qr_data_uri": f"data:image/png;base64,{png}",
        "invitations": invitations,
        "window": window,
    }


def handout_pdf(
    *,
    activity: Activity,
    version: QuestionnaireVersion,
    url: str,
    window: tuple[Any, Any] | None = None,
) -> bytes:
    """Render the A4 handout as a tagged PDF/UA-1 file (with the answering window, if given)."""
    html = render_to_string(
        "feedback/handout.html",
        handout_context(activity=activity, version=version, url=url, window=window),
    )
    return write_pdf(html)
