"""Scenario 3: Lena logs a call between two others, with the keyboard alone, in under a minute."""

import pytest
from django.utils import timezone
from django.utils.dates import MONTHS

from buendnis.accounts.models import Membership, Organisation
from buendnis.accounts.services import user_create
from buendnis.agreements.models import Agreement
from buendnis.conftest import PASSWORD, ScannedPage
from buendnis.counselling.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Keystroke-level model (Card, Moran & Newell) for a practised typist at a desk: a mental
# preparation before each field, then each key. Simulated, so machine speed is irrelevant.
SECONDS_TO_PREPARE = 1.35
SECONDS_PER_KEY = 0.28


class Keyboard:
    """Types and presses keys on the page, adding up the simulated time a person needs."""

    def __init__(self, page: ScannedPage) -> None:
        self.page = page
        self.seconds = 0.0
        self.keys = 0

    def field(self, text: str) -> None:
        self.page.keyboard.type(text)
        self._count(len(text))

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self._count(1, prepare=False)

    def _count(self, keys: int, prepare: bool = True) -> None:
        self.keys += keys
        self.seconds += keys * SECONDS_PER_KEY + (SECONDS_TO_PREPARE if prepare else 0)


def test_a_contact_is_logged_by_keyboard_in_under_a_minute_and_counted_in_its_month(
    browser: object, live_server: object, agreement: Agreement, partner_org: Organisation, topics
) -> None:
    user_create(
        username="lena", password=PASSWORD, organisation=partner_org, role=Membership.Role.FACHKRAFT
    )
    context = browser.new_context(locale="de-DE")  # type: ignore[attr-defined]
    page = ScannedPage(context.new_page())
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/konto/anmelden/?next=/beratung/neu/{agreement.slug}/")  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill("lena")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_label("Passwort").press("Enter")
    assert page.get_by_role("heading", name="Beratungskontakt erfassen").is_visible()

    keyboard = Keyboard(page)
    assert page.evaluate("document.activeElement.name") == "sought_by"
    keyboard.field("Fam")  # type-ahead in the focused list: "Familie oder Paar"
    keyboard.press("Tab")
    keyboard.field("Rec")  # "Rechtlich"
    keyboard.press("Tab")
    keyboard.field("Familienn")  # a unique beginning is enough
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "channel"
    assert page.evaluate("document.activeElement.value") == "", "no silent default"
    keyboard.field("Pers")  # "Persönlich": said, not assumed
    keyboard.press("Tab")
    keyboard.field("20")
    with page.expect_navigation():
        keyboard.press("Enter")  # the first button: save and next
    page.scan()

    assert page.get_by_text("Der Beratungskontakt ist gespeichert.").is_visible()
    assert page.evaluate("document.activeElement.name") == "sought_by", "ready for the next call"
    assert keyboard.seconds < 60, keyboard.seconds
    contact = Contact.objects.get()
    assert (contact.sought_by, contact.kind, contact.duration_minutes) == ("family", "legal", 20)
    assert [t.name for t in contact.topics.all()] == ["Familiennachzug"]
    assert contact.date == timezone.localdate()
    assert (contact.channel, contact.languages, contact.first_contact) == (
        "in_person",
        ["de"],
        True,
    )

    page.goto(f"{live_server.url}/beratung/statistik/{agreement.slug}/")  # type: ignore[attr-defined]
    month = str(MONTHS[timezone.localdate().month])
    row = page.locator("[data-table=kind] tr", has_text=month)
    assert row.locator("td").all_inner_texts()[:4] == ["0", "1", "0", "1"]
    page.goto(f"{live_server.url}/beratung/")  # type: ignore[attr-defined]
    page.get_by_role("link", name=contact.date.strftime("%d.%m.%Y")).click()
    assert page.get_by_label("Dauer in Minuten").input_value() == "20"
    context.close()
