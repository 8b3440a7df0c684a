"""Shared test fixtures: personas built through the real services, and a browser."""

import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.accounts.services import organisation_resolve, user_create
from buendnis.agreements.models import Agreement, AgreementPartner

PASSWORD = "geheim-und-lang-genug"
REPO_ROOT = Path(__file__).resolve().parent.parent


# Modules of a minute or more besides the browser tests (``test_browser_*``): whole-demo
# audits, the backup round trip, the demo day. They start first, so that the test processes
# do not end on them one after another while the others have finished (``--dist loadfile``
# with ``--no-loadscope-reorder`` hands modules out in this order).
LONG_MODULES = (
    "operations/tests/test_backup.py",
    "evaluation/tests/test_report_pdf.py",
    "audit/tests/test_demo_day.py",
    "core/tests/test_demo_command.py",
    "opendata/tests/test_audit.py",
    "evaluation/tests/test_disclosure_audit.py",
    "evaluation/tests/test_disclosure_audit_generated.py",
    "evaluation/tests/test_disclosure_audit_command.py",
    "agreements/tests/test_import_command.py",
    "operations/tests/test_serve.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long modules first; within each group the order stays (pytest-django's too)."""

    def later(item: pytest.Item) -> bool:
        module = item.nodeid.split("::")[0]
        return not (module.endswith(LONG_MODULES) or "/test_browser_" in module)

    items.sort(key=later)


def settings_for_tests() -> dict[str, object]:
    """What every test runs with (``_test_settings``); also for data built once per module.

    German first; no slow password hashing (about 0.9 s per user otherwise); no collected
    static manifest; tasks at once in their own process; a cache in memory (cleared before
    each test, without database access); ministry officers and admins sign in without a
    second factor (the real default requires one; accounts/security/tests switch it on).
    The worker's tests switch ``TASKS`` back to the database queue; the shared cache itself
    is tested across real processes (``feedback/tests/test_ratelimit_processes.py``).
    """
    return {
        "LANGUAGE_CODE": "de",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "CACHES": {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "fragments": django_settings.CACHES["fragments"],  # per process (core.fragments)
        },
        "STORAGES": {
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        "TWO_FACTOR_REQUIRED_ROLES": [],
    }


@pytest.fixture(autouse=True)
def _test_settings(settings: pytest.FixtureRequest) -> None:
    for name, value in settings_for_tests().items():
        setattr(settings, name, value)


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _fresh_disclosure_cache(_test_settings: None) -> Iterator[None]:
    """Each test protects its own data: no grid or protection carries over from another."""
    from django.core.cache import cache

    from buendnis.core import versioned
    from buendnis.core.disclosure.cache import forget

    forget()
    versioned.forget()
    cache.clear()
    yield
    forget()
    versioned.forget()


@pytest.fixture(scope="module")
def demo_of_module(django_db_setup: None, django_db_blocker: object) -> Iterator[int]:
    """The demo built once for a module's tests (the iaf agreement's pk), like
    ``TestCase.setUpTestData``.

    It is written in a transaction that is rolled back after the module; each test runs in
    a savepoint on top of it (``db``) and finds it as it was built. Building it takes 10–100 s
    on PostgreSQL, and a module's tests would otherwise build it one by one. Tests that need
    it committed (a live server) build it themselves.
    """
    unblocked = django_db_blocker.unblock()  # type: ignore[attr-defined]
    with unblocked, override_settings(**settings_for_tests()), transaction.atomic():
        call_command("demo", "--no-serve", stdout=io.StringIO())
        yield Agreement.objects.get(slug="integration-braucht-partner").pk
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_of_module: int, db: None) -> Agreement:
    """The demo: the iaf agreement with two years of activities, contacts and feedback."""
    return Agreement.objects.get(pk=demo_of_module)


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


# --- the Nu Html Checker (vnu) ---------------------------------------------------------

VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java") or "/usr/bin/java"  # Debian's default-jre-headless, see ./dev
# The report's paged-media CSS (running footer via string-set/string(), contents leaders,
# target-counter, page-margin boxes) is for WeasyPrint's print layout; the checker knows
# only screen CSS and reports it as unknown. Everything else counts.
VNU_IGNORED = re.compile(
    r"^CSS: .*(string-set|string\(|leader\(|target-counter|@bottom-|@top-|margin)", re.S
)


class HtmlErrors(AssertionError):
    """Raised when the Nu Html Checker finds errors in a page's HTML."""


class HtmlChecker:
    """One vnu server (one JVM) for the whole test session; pages are posted to it."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(  # noqa: S603 - our pinned jar, our JVM
            [
                JAVA,
                "-Xss1m",
                "-Xmx512m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        self._ready = False
        self._valid: set[str] = set()  # digests of documents already found valid

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while not self._ready:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2).close()
                self._ready = True
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("vnu did not start") from None
                time.sleep(0.2)

    def errors(self, html: bytes) -> list[str]:
        """The checker's errors for one document (paged-media CSS left out)."""
        digest = hashlib.sha256(html).hexdigest()
        if digest in self._valid:
            return []
        self._wait()
        request = urllib.request.Request(  # noqa: S310 - the local vnu server
            self.url, data=html, headers={"Content-Type": "text/html; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            messages = json.load(response)["messages"]
        found = [
            f"line {m.get('lastLine', '?')}: {m['message']} «{m.get('extract', '').strip()}»"
            for m in messages
            if m["type"] == "error" and not VNU_IGNORED.search(m["message"])
        ]
        if not found:
            self._valid.add(digest)
        return found

    def check(self, html: bytes, where: str) -> None:
        """Fail with every error vnu finds in the document."""
        found = self.errors(html)
        if found:
            raise HtmlErrors(f"{where}: " + " | ".join(found))

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


_html_checker: HtmlChecker | None = None


@pytest.fixture(scope="session")
def html_checker() -> Iterator[HtmlChecker]:
    """The Nu Html Checker, started once (its JVM warms up while the browser starts)."""
    global _html_checker
    _html_checker = HtmlChecker()
    yield _html_checker
    _html_checker.close()
    _html_checker = None


@pytest.fixture(scope="session")
def browser(html_checker: HtmlChecker) -> Iterator[object]:
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


def _is_document(response: object) -> bool:
    request = response.request  # type: ignore[attr-defined]
    return request.resource_type == "document" and response.frame.parent_frame is None  # type: ignore[attr-defined]


class ScannedPage:
    """A Playwright page (or locator) that checks every new document it lands on.

    axe-core runs on the rendered page; the Nu Html Checker validates the HTML the server
    sent and, for pages fetched with GET, the same page in English.
    """

    def __init__(self, target: object, page: object | None = None) -> None:
        self._target = target
        self._page = page or target
        if page is None:
            documents: list[object] = []
            target._buendnis_documents = documents  # type: ignore[attr-defined]
            target.on(  # type: ignore[attr-defined]
                "response", lambda r: documents.append(r) if _is_document(r) else None
            )

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
        self.validate()

    def validate(self) -> None:
        """Run the Nu Html Checker on every document received since the last check."""
        documents = getattr(self._page, "_buendnis_documents", None)
        if documents is None or _html_checker is None:
            return
        while documents:
            response = documents.pop(0)
            if response.status != 200 or "text/html" not in response.headers.get(  # type: ignore[attr-defined]
                "content-type", ""
            ):
                continue
            _html_checker.check(response.body(), response.url)  # type: ignore[attr-defined]
            if response.request.method == "GET":  # type: ignore[attr-defined]
                _check_in_english(self._page, response.url)  # type: ignore[attr-defined]


_checked_in_english: set[str] = set()


def _check_in_english(page: object, url: str) -> None:
    """Fetch the page again in English (same cookies) and validate that too."""
    path = re.sub(r"^https?://[^/]+", "", url)
    if path in _checked_in_english or _html_checker is None:
        return
    english = page.context.request.get(url, headers={"Accept-Language": "en"})  # type: ignore[attr-defined]
    if english.status == 200 and "text/html" in english.headers.get("content-type", ""):
        _html_checker.check(english.body(), f"{url} [en]")
    _checked_in_english.add(path)


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
