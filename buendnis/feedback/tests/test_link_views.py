"""An activity's feedback page: short link, QR code (SVG, PNG), the A4 handout, settings."""

import datetime
import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable

import pypdf
import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from buendnis.accounts.models import User
from buendnis.activities.models import Activity
from buendnis.core.tests.pdfua import check_tagged_pdf
from buendnis.feedback.models import FeedbackLink, FormatQuestionnaire, Questionnaire
from buendnis.feedback.selectors import LinkState, current_version, link_state, window
from buendnis.feedback.services import feedback_link_ensure
from buendnis.feedback.tests.conftest import client_for

ZWNJ = "\u200c"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"  # poppler-utils, see ./dev


def _plain(text: str) -> str:
    """Text as a PDF gives it back: compatibility forms folded, joiners dropped."""
    return unicodedata.normalize("NFKC", text).replace(ZWNJ, "")


def _words(text: str) -> set[str]:
    return {w.strip(".,:;!?؟،()–-") for w in _plain(text).split()} - {""}


def test_it_shows_the_short_link_and_qr_code(open_activity: Activity, fachkraft: User) -> None:
    response = client_for(fachkraft).get(reverse("feedback:activity", args=[open_activity.pk]))
    assert response.status_code == 200
    link = FeedbackLink.objects.get(activity=open_activity)
    assert f"http://testserver/r/{link.code}/" in response.text
    assert re.fullmatch(r"[2-9a-z]{8}", link.code) and not set(link.code) & set("01ilo")
    assert response.context["state"] == "open"
    assert response.context["cap"] == 33


def test_it_serves_the_qr_code_as_svg_and_as_a_readable_png(
    open_activity: Activity, fachkraft: User, settings: object
) -> None:
    settings.PUBLIC_URL = "https://buendnis.example.org"  # type: ignore[attr-defined]
    client = client_for(fachkraft)
    svg = client.get(reverse("feedback:qr", args=[open_activity.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(reverse("feedback:qr", args=[open_activity.pk, "png"]))
    assert png["Content-Type"] == "image/png"
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    link = FeedbackLink.objects.get(activity=open_activity)
    assert code.text == f"https://buendnis.example.org/r/{link.code}/"
    assert client.get(reverse("feedback:qr", args=[open_activity.pk, "gif"])).status_code == 404


def test_it_prints_a_handout_with_a_readable_qr_code_and_every_language(
    open_activity: Activity, fachkraft: User, tmp_path: object
) -> None:
    response = client_for(fachkraft).get(reverse("feedback:handout", args=[open_activity.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)

    pdf = tmp_path / "aushang.pdf"  # type: ignore[operator]
    pdf.write_bytes(response.content)
    png = subprocess.run(
        [PDFTOPPM, "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    link = FeedbackLink.objects.get(activity=open_activity)
    assert [c.text for c in codes] == [f"http://testserver/r/{link.code}/"]

    # Right-to-left lines come back in logical order, but an embedded Latin run ("QR") may
    # move to the line's end: look for every word, not for whole sentences.
    extracted = _plain(reader.pages[0].extract_text())
    version = current_version(open_activity.format.feedback_default.questionnaire)
    for code in version.language_codes:
        words = _words(version.texts[code]["invitation"])
        missing = {word for word in words if word not in extracted}
        assert not missing, (code, missing)
    assert "العربية" in extracted and "فارسی" in extracted


def test_it_sets_the_questionnaire_window_and_cap_for_one_activity(
    open_activity: Activity, koordination: User, questionnaires: dict[str, Questionnaire]
) -> None:
    url = reverse("feedback:activity", args=[open_activity.pk])
    response = client_for(koordination).post(
        url,
        {
            "questionnaire": questionnaires["multipliers"].pk,
            "closes_on": "2030-01-31",
            "max_responses": "12",
        },
    )
    assert response.status_code == 302
    link = FeedbackLink.objects.get(activity=open_activity)
    assert link.questionnaire == questionnaires["multipliers"]
    assert str(link.closes_on) == "2030-01-31" and link.max_responses == 12
    form = Client().get(reverse("feedback:respond", args=[link.code]))
    assert "Ich kann das Gelernte in meiner Arbeit nutzen." in form.text


def test_it_asks_for_a_questionnaire_when_the_format_has_none(
    open_activity: Activity, fachkraft: User
) -> None:
    FormatQuestionnaire.objects.filter(format=open_activity.format).delete()
    client = client_for(fachkraft)
    page = client.get(reverse("feedback:activity", args=[open_activity.pk]))
    assert "kein Fragebogen zugeordnet" in page.text
    assert client.get(reverse("feedback:handout", args=[open_activity.pk])).status_code == 404
    link = FeedbackLink.objects.get(activity=open_activity)
    assert Client().get(reverse("feedback:respond", args=[link.code])).status_code == 404


@pytest.mark.parametrize("name", ["activity", "handout", "activity_results"])
def test_it_denies_other_organisation(
    open_activity: Activity, outsider: User, referentin: User, name: str
) -> None:
    url = reverse(f"feedback:{name}", args=[open_activity.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(referentin).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login


def test_it_denies_the_qr_code_to_other_organisations(
    open_activity: Activity, outsider: User, referentin: User
) -> None:
    url = reverse("feedback:qr", args=[open_activity.pk, "png"])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(referentin).get(url).status_code == 404
    assert not FeedbackLink.objects.exists()


def test_it_links_from_the_activity_page(open_activity: Activity, fachkraft: User) -> None:
    page = client_for(fachkraft).get(reverse("activities:detail", args=[open_activity.pk]))
    assert reverse("feedback:activity", args=[open_activity.pk]) in page.text
    assert reverse("feedback:activity_results", args=[open_activity.pk]) in page.text


def test_it_prints_the_handout_as_a_tagged_pdf_with_the_qr_code_described(
    open_activity: Activity, fachkraft: User
) -> None:
    response = client_for(fachkraft).get(reverse("feedback:handout", args=[open_activity.pk]))
    link = FeedbackLink.objects.get(activity=open_activity)
    found = check_tagged_pdf(response.content)
    assert found.lang == "de"
    assert found.title == f"Rückmeldung: {open_activity.title}"
    assert found.figure_alts == [f"QR-Code zum Rückmeldebogen: http://testserver/r/{link.code}/"]
    assert found.tags["H1"] == 1 and found.tags["H2"] >= 7
    assert open_activity.title in found.bookmarks


def test_it_opens_the_form_on_the_morning_of_the_activity_for_a_handout_printed_ahead(
    make_activity: Callable[..., Activity], questionnaires: dict[str, Questionnaire]
) -> None:
    evening = timezone.make_aware(datetime.datetime(2030, 3, 5, 19, 0))
    activity = make_activity(starts_at=evening)
    link = feedback_link_ensure(activity=activity)
    arriving = evening - datetime.timedelta(minutes=20)  # scanned on arrival
    assert link_state(link, now=arriving) == LinkState.OPEN
    assert link_state(link, now=arriving.replace(hour=0, minute=1)) == LinkState.OPEN
    assert link_state(link, now=evening - datetime.timedelta(days=1)) == LinkState.NOT_YET
    opens_at, _closes_on = window(link)
    assert timezone.localtime(opens_at) == timezone.make_aware(datetime.datetime(2030, 3, 5))


def test_it_prints_the_answering_window_on_the_handout(
    open_activity: Activity, fachkraft: User
) -> None:
    response = client_for(fachkraft).get(reverse("feedback:handout", args=[open_activity.pk]))
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    day = timezone.localdate(open_activity.starts_at).strftime("%d.%m.%Y")
    assert f"Rückmeldung möglich vom {day} bis" in " ".join(text.split())


def test_it_prints_the_public_address_and_warns_about_a_loopback_one(
    open_activity: Activity, fachkraft: User, settings: object
) -> None:
    client = client_for(fachkraft)
    url = reverse("feedback:activity", args=[open_activity.pk])
    local = client.get(url, HTTP_HOST="127.0.0.1:8000")
    assert "data-unreachable" in local.text and "BUENDNIS_PUBLIC_URL" in local.text
    assert "data-unreachable" in client.get(url, HTTP_HOST="localhost").text
    assert "data-unreachable" not in client.get(url).text  # testserver: a real host name

    settings.PUBLIC_URL = "https://buendnis.example.org/"  # type: ignore[attr-defined]
    page = client.get(url, HTTP_HOST="127.0.0.1:8000")
    link = FeedbackLink.objects.get(activity=open_activity)
    assert f"https://buendnis.example.org/r/{link.code}/" in page.text
    assert "data-unreachable" not in page.text
    png = client.get(reverse("feedback:qr", args=[open_activity.pk, "png"]), HTTP_HOST="127.0.0.1")
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert code.text == f"https://buendnis.example.org/r/{link.code}/"
