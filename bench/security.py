"""Benchmark what account security adds to a request and to a login.

    .venv/bin/python bench/security.py [--requests 300] [--database-url URL]

Without ``--database-url`` a SQLite file in a temporary directory is used. Two ratios, each
measured in one run:

- a signed-in page (the agreement list) with ``AccountSecurityMiddleware`` (idle and absolute
  session limits, the second factor) beside the same page without it;
- a failed login with django-axes (its lockout check and failure record in the database)
  beside the same login with axes switched off.

The figures are printed as JSON and written to ``bench/last-security.json``.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIDDLEWARE = "buendnis.accounts.security.middleware.AccountSecurityMiddleware"


def _setup_django(database_url: str, data_dir: str) -> None:
    os.environ["BUENDNIS_DATABASE_URL"] = database_url
    os.environ["BUENDNIS_DATA_DIR"] = data_dir
    os.environ["BUENDNIS_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _median_per_call(work: Callable[[], object], repeat: int) -> float:
    work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _interleaved(
    first: Callable[[], object], second: Callable[[], object], repeat: int, rounds: int = 10
) -> tuple[float, float]:
    """Median seconds per call of each, measured in alternating rounds."""
    a: list[float] = []
    b: list[float] = []
    per_round = max(1, repeat // rounds)
    for _ in range(rounds):
        a.append(_median_per_call(first, per_round))
        b.append(_median_per_call(second, per_round))
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        url = args.database_url or f"sqlite:///{Path(data_dir) / 'bench.sqlite3'}"
        _setup_django(url, data_dir)
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client, override_settings

        from buendnis.accounts.models import Membership, Organisation
        from buendnis.accounts.services import organisation_resolve, user_create

        call_command("migrate", verbosity=0)
        organisation = organisation_resolve(name="Bench e.V.", kind=Organisation.Kind.PARTNER)
        user = user_create(
            username="bench",
            password="bench-passwort-lang",  # noqa: S106 - a throwaway bench account
            organisation=organisation,
            role=Membership.Role.FACHKRAFT,
        )
        page = "/vereinbarungen/"

        def signed_in() -> Client:
            client = Client()
            client.force_login(user)
            return client

        with_security = signed_in()
        without = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
        with override_settings(MIDDLEWARE=without):
            plain_client = signed_in()

        def plain_get() -> None:
            with override_settings(MIDDLEWARE=without):
                plain_client.get(page)

        def secured_get() -> None:
            with override_settings(MIDDLEWARE=list(settings.MIDDLEWARE)):
                with_security.get(page)

        # Failed logins from many addresses, so no lock interrupts the series.
        counter = iter(range(10**9))

        def fail() -> None:
            n = next(counter)
            Client(REMOTE_ADDR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}").post(
                "/konto/anmelden/", {"username": f"bench-{n}", "password": "falsch"}
            )

        def fail_unthrottled() -> None:
            with override_settings(AXES_ENABLED=False):
                fail()

        # Rounds alternate between the two sides, so a busy machine slows both alike.
        secured, plain = _interleaved(secured_get, plain_get, args.requests)
        throttled, unthrottled = _interleaved(fail, fail_unthrottled, max(20, args.requests // 10))

        figures = {
            "database": "postgresql" if "postgres" in url else "sqlite",
            "page_ms_with_security_middleware": round(secured * 1000, 2),
            "page_ms_without": round(plain * 1000, 2),
            "page_ratio": round(secured / plain, 3),
            "failed_login_ms_with_axes": round(throttled * 1000, 2),
            "failed_login_ms_without": round(unthrottled * 1000, 2),
            "failed_login_ratio": round(throttled / unthrottled, 3),
        }
        print(json.dumps(figures, indent=2))
        (ROOT / "bench" / "last-security.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
