"""Scenario 1: Samir documents tonight's Väter-Café from last week's copy on his phone."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.models import Activity
from buendnis.conftest import PASSWORD, ScannedPage, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Keystroke-level model (Card, Moran & Newell): think and point before each input, then
# type at an average non-expert's speed on a phone. Simulated, so machine speed is irrelevant.
SECONDS_TO_THINK_AND_POINT = 2.5
SECONDS_PER_CHARACTER = 0.4


@dataclass
class Inputs:
    """Every tap and every typed field, with the simulated time they take a person."""

    page: ScannedPage
    log: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def tap(self, target: object, what: str) -> None:
        target.click()  # type: ignore[attr-defined]
        self._count(what, 0)

    def type(self, target: object, text: str, what: str) -> None:
        target.fill(text)  # type: ignore[attr-defined]
        self._count(what, len(text))

    def _count(self, what: str, characters: int) -> None:
        self.log.append(what)
        self.seconds += SECONDS_TO_THINK_AND_POINT + characters * SECONDS_PER_CHARACTER


def test_it_documents_a_copied_series_session_in_under_15_inputs_and_2_minutes(
    make_activity: Callable[..., Activity],
    fachkraft: User,
    browser: object,
    live_server: object,
) -> None:
    last_week = make_activity(
        starts_at=timezone.now().replace(hour=19, minute=0) - datetime.timedelta(days=7)
    )
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="de-DE", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = ScannedPage(context.new_page())
    page.set_default_timeout(10_000)
    inputs = Inputs(page)

    page.goto(f"{live_server.url}{reverse('accounts:login')}")  # type: ignore[attr-defined]
    inputs.type(page.get_by_label("Benutzername"), "samir", "user name")
    inputs.type(page.get_by_label("Passwort"), PASSWORD, "password")
    inputs.tap(page.get_by_role("button", name="Anmelden"), "sign in")
    inputs.tap(page.get_by_role("navigation").get_by_role("link", name="Aktivitäten"), "activities")
    inputs.tap(page.get_by_role("link", name="Väter-Café Offenbach"), "last week's session")
    inputs.tap(page.get_by_role("link", name="Nächsten Termin anlegen"), "copy it")

    assert page.get_by_label("Titel").input_value() == "Väter-Café Offenbach"
    inputs.type(page.get_by_label("Teilnehmende insgesamt"), "10", "participants")
    inputs.type(page.get_by_label("davon zum ersten Mal"), "2", "first-timers")
    inputs.type(page.get_by_label(re.compile(r"^Väter\b")), "10", "fathers")
    inputs.type(page.get_by_label(re.compile("^eigene Migrationserfahrung")), "7", "own migration")
    inputs.type(
        page.get_by_label("Reflexion: Was hat funktioniert, was nicht?"),
        "Zwei neue Väter, gutes Gespräch.",
        "reflection",
    )
    inputs.tap(page.get_by_role("button", name="Dokumentation abschließen"), "save")

    assert page.get_by_role("heading", name="Väter-Café Offenbach", level=1).is_visible()
    assert page.get_by_text("Dokumentiert").first.is_visible()
    assert len(inputs.log) < 15, inputs.log
    assert inputs.seconds < 120, inputs.seconds

    session = Activity.objects.exclude(pk=last_week.pk).get()
    assert session.status == Activity.Status.DOCUMENTED
    assert (session.participants, session.first_timers) == (10, 2)
    assert session.series_id == Activity.objects.get(pk=last_week.pk).series_id
    reach = {r.category.key: r.count for r in session.reach.select_related("category")}
    assert reach == {"fathers": 10, "own": 7, "family": 1, "none": 2}

    inputs.tap(
        page.get_by_role("navigation").get_by_role("link", name="Aktivitäten"), "back to list"
    )
    assert page.get_by_role("row").filter(has_text="Dokumentiert").count() == 2
    export = page.request.get(f"{live_server.url}/aktivitaeten/export.csv")  # type: ignore[attr-defined]
    exported = [line for line in export.text().splitlines() if "Zwei neue Väter" in line]
    assert len(exported) == 1 and ";10;2;10;" in exported[0]
    page.goto(f"{live_server.url}/vereinbarungen/{session.agreement.slug}/")  # type: ignore[attr-defined]
    this_year = Activity.objects.filter(starts_at__year=timezone.localdate().year)
    assert page.locator("[data-figure=activities]").inner_text() == str(this_year.count())
    context.close()


def test_it_keeps_what_was_typed_when_the_connection_drops(
    make_activity: Callable[..., Activity], fachkraft: User, browser: object, live_server: object
) -> None:
    activity = make_activity(status=Activity.Status.HELD)
    edit = f"{live_server.url}/aktivitaeten/{activity.pk}/dokumentieren/"  # type: ignore[attr-defined]
    context = browser.new_context(locale="de-DE")  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/konto/anmelden/")  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill("samir")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(edit)
    reflection = "Reflexion: Was hat funktioniert, was nicht?"
    page.get_by_label(reflection).fill("Im Bus getippt")

    context.set_offline(True)
    page.get_by_role("button", name="Dokumentation abschließen").click()
    page.wait_for_load_state()
    context.set_offline(False)
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.HELD

    page.goto(edit)
    assert page.get_by_label(reflection).input_value() == "Im Bus getippt"
    assert page.get_by_text("Ungespeicherte Eingaben wiederhergestellt.").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Dokumentation abschließen").click()
    assert page.get_by_role("heading", name=activity.title, level=1).is_visible()
    assert Activity.objects.get(pk=activity.pk).reflection == "Im Bus getippt"
    page.goto(edit)
    assert page.get_by_label(reflection).input_value() == "Im Bus getippt"
    assert page.get_by_text("Ungespeicherte Eingaben wiederhergestellt.").count() == 0
    new = f"{live_server.url}/aktivitaeten/neu/{activity.agreement.slug}/"  # type: ignore[attr-defined]
    page.goto(new)
    page.get_by_label("Titel").fill("Angefangen")
    page.goto(new)
    assert page.get_by_label("Titel").input_value() == "Angefangen"
    context.close()


def test_it_keeps_the_draft_when_going_back_after_a_failed_offline_submit(
    make_activity: Callable[..., Activity], fachkraft: User, browser: object, live_server: object
) -> None:
    last_week = make_activity(
        starts_at=timezone.now().replace(hour=19, minute=0) - datetime.timedelta(days=7)
    )
    base = live_server.url  # type: ignore[attr-defined]
    context = browser.new_context(locale="de-DE")  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/konto/anmelden/?next=/aktivitaeten/{last_week.pk}/")
    page.get_by_label("Benutzername").fill("samir")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Nächsten Termin anlegen").click()
    reflection = "Reflexion: Was hat funktioniert, was nicht?"
    page.get_by_label(reflection).fill("Im Bus getippt")
    page.get_by_label("davon zum ersten Mal").fill("2")

    context.set_offline(True)
    page.get_by_role("button", name="Dokumentation abschließen").click()
    assert "/naechster-termin/" in page.url
    assert page.get_by_text("Keine Verbindung: nichts gesendet.").is_visible()
    context.set_offline(False)
    assert not Activity.objects.exclude(pk=last_week.pk).exists()  # nothing saved on click

    page.go_back()
    page.wait_for_load_state()
    assert page.get_by_text("ungesendete Eingaben für den nächsten Termin").is_visible()
    page.get_by_role("link", name="Nächsten Termin anlegen").click()
    assert page.get_by_label(reflection).input_value() == "Im Bus getippt"
    assert page.get_by_label("davon zum ersten Mal").input_value() == "2"
    page.get_by_role("button", name="Dokumentation abschließen").click()
    assert page.get_by_role("heading", name=last_week.title, level=1).is_visible()
    session = Activity.objects.exclude(pk=last_week.pk).get()
    assert (session.reflection, session.first_timers) == ("Im Bus getippt", 2)
    assert session.series_id == Activity.objects.get(pk=last_week.pk).series_id
    context.close()
