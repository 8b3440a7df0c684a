"""Shared test fixtures: personas built through the real services, and a browser."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import organisation_resolve, user_create
from buendnis.agreements.models import Agreement, AgreementPartner

PASSWORD = "geheim-und-lang-genug"
REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _german_first(settings: pytest.FixtureRequest) -> None:
    settings.LANGUAGE_CODE = "de"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    """Test users need no slow password hashing (about 0.9 s per user otherwise)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_disclosure_cache() -> Iterator[None]:
    """Each test protects its own data: no grid or protection carries over from another."""
    from django.core.cache import cache

    from buendnis.core.disclosure.cache import forget

    forget()
    cache.clear()
    yield
    forget()


@pytest.fixture(autouse=True)
def _second_factor_optional(settings: pytest.FixtureRequest) -> None:
    """Tests that are not about it sign in ministry officers and admins without a second
    factor; the setting's real default requires one (accounts/security/tests switch it on).
    """
    settings.TWO_FACTOR_REQUIRED_ROLES = []


@pytest.fixture
def kreise(db: None) -> None:
    """Hessen's Kreise, which a flush after a transactional (browser) test removes."""
    from buendnis.activities.geography import kreise_load

    kreise_load()


@pytest.fixture
def partner_org(db: None) -> Organisation:
    return organisation_resolve(
        name="Verband binationaler Familien und Partnerschaften, iaf e.V.",
        aliases=["Verband binationaler Partnerschaften und Familien, iaf e.V."],
        short_name="iaf e.V.",
        kind=Organisation.Kind.PARTNER,
    )


@pytest.fixture
def ministry_org(db: None) -> Organisation:
    return organisation_resolve(
        name="Hessisches Ministerium für Soziales und Integration",
        short_name="HMSI",
        kind=Organisation.Kind.MINISTRY,
    )


@pytest.fixture
def other_org(db: None) -> Organisation:
    return organisation_resolve(name="Hessischer Jugendring e.V.", kind=Organisation.Kind.PARTNER)


@pytest.fixture
def agreement(partner_org: Organisation, ministry_org: Organisation) -> Agreement:
    agreement = Agreement.objects.create(
        slug="integration-braucht-partner",
        title="Integration braucht Partner",
        topic="Rollenbilder von Männern und Vätern mit Migrationsgeschichte differenzieren",
        place="Wiesbaden",
    )
    AgreementPartner.objects.create(
        agreement=agreement, organisation=partner_org, role=AgreementPartner.Role.PARTNER
    )
    AgreementPartner.objects.create(
        agreement=agreement,
        organisation=ministry_org,
        role=AgreementPartner.Role.MINISTRY,
        position=1,
    )
    return agreement


@pytest.fixture
def other_agreement(other_org: Organisation, ministry_org: Organisation) -> Agreement:
    agreement = Agreement.objects.create(slug="identitaet", title="Identität und Zugehörigkeit")
    AgreementPartner.objects.create(
        agreement=agreement, organisation=other_org, role=AgreementPartner.Role.PARTNER
    )
    AgreementPartner.objects.create(
        agreement=agreement, organisation=ministry_org, role=AgreementPartner.Role.MINISTRY
    )
    return agreement


@pytest.fixture
def fachkraft(partner_org: Organisation) -> User:
    return user_create(
        username="samir",
        password=PASSWORD,
        organisation=partner_org,
        role=Membership.Role.FACHKRAFT,
    )


@pytest.fixture
def koordination(partner_org: Organisation) -> User:
    return user_create(
        username="anna",
        password=PASSWORD,
        organisation=partner_org,
        role=Membership.Role.KOORDINATION,
    )


@pytest.fixture
def referentin(ministry_org: Organisation) -> User:
    return user_create(
        username="referentin",
        password=PASSWORD,
        organisation=ministry_org,
        role=Membership.Role.MINISTERIUM,
    )


@pytest.fixture
def outsider(other_org: Organisation) -> User:
    return user_create(
        username="outsider",
        password=PASSWORD,
        organisation=other_org,
        role=Membership.Role.KOORDINATION,
    )


@pytest.fixture
def admin_user(db: None) -> User:
    return user_create(
        username="root", password=PASSWORD, organisation=None, role=Membership.Role.ADMIN
    )


# --- browser -------------------------------------------------------------------------

CHROMIUM = os.environ.get("BUENDNIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (its own browser download fails here)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests
    # make between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class AxeViolations(AssertionError):
    """Raised when axe-core finds accessibility violations on a page."""


def assert_accessible(page: object) -> None:
    """Run axe-core (WCAG 2.1 A/AA rules) on the page and fail on any violation."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        """() => axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    violations = result["violations"]
    if violations:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in violations
        ]
        raise AxeViolations(f"{page.url}: " + " | ".join(lines))  # type: ignore[attr-defined]


_ACTIONS = {
    "goto",
    "click",
    "press",
    "check",
    "select_option",
    "go_back",
    "reload",
    "dispatch_event",
}
_LOCATOR_FACTORIES = {
    "locator",
    "get_by_role",
    "get_by_label",
    "get_by_text",
    "get_by_placeholder",
    "get_by_test_id",
    "first",
    "last",
    "nth",
    "filter",
}


class ScannedPage:
    """A Playwright page (or locator) that runs axe on every new document it lands on."""

    def __init__(self, target: object, page: object | None = None) -> None:
        self._target = target
        self._page = page or target

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._target, name)
        if name in _LOCATOR_FACTORIES:
            if callable(attribute):
                return lambda *a, **k: ScannedPage(attribute(*a, **k), self._page)
            return ScannedPage(attribute, self._page)
        if name in _ACTIONS and callable(attribute):

            def act(*args: object, **kwargs: object) -> object:
                result = attribute(*args, **kwargs)
                self.scan()
                return result

            return act
        return attribute

    def scan(self) -> None:
        """Scan the current document unless it was scanned already."""
        page = self._page
        page.wait_for_load_state()  # type: ignore[attr-defined]
        if not page.evaluate("() => window.__buendnisAxeScanned === true"):  # type: ignore[attr-defined]
            assert_accessible(page)
            page.evaluate("() => { window.__buendnisAxeScanned = true; }")  # type: ignore[attr-defined]


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[ScannedPage]:
    """A fresh page whose every visited document is scanned by axe-core."""
    context = browser.new_context(locale="de-DE")  # type: ignore[attr-defined]
    raw = context.new_page()
    raw.set_default_timeout(10_000)
    scanned = ScannedPage(raw)
    yield scanned
    scanned.scan()
    context.close()
