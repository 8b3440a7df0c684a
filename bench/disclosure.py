"""Benchmark disclosure control: building and protecting the grids, and what pages pay for it.

    .venv/bin/python bench/disclosure.py [--activities 6000] [--contacts 3000] [--database-url URL]

Fills a throwaway database with one dense agreement year of the demo agreement (activities in
all 26 Kreise and online, counselling contacts, feedback), then measures in one run:

- for each source grid: variables, nodes, the time to build it from the database, the time
  to protect it cold (nothing cached) and to read the cached protection;
- pages as their users load them (Django's test client, whole request): the ministry's
  protected view (cache warm) beside the partner coordinator's exact view of the same page —
  the exact view computes no protection, so the ratio is what disclosure control adds.

Prints JSON and writes ``bench/last-disclosure.json``. Not part of the test suite.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SLUG = "integration-braucht-partner"
YEAR = 2026
TODAY = datetime.date(2026, 12, 1)


def _timed(
    work: Callable[[], Any], repeat: int = 5, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Median seconds over ``repeat`` runs after one warm-up."""
    work()
    times = []
    for _ in range(repeat):
        start = clock()
        work()
        times.append(clock() - start)
    return statistics.median(times)


def _setup(database_url: str | None, data_dir: str) -> None:
    os.environ["BUENDNIS_DATA_DIR"] = data_dir
    os.environ["BUENDNIS_DATABASE_URL"] = database_url or f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _fill(activities: int, contacts: int) -> None:
    from django.core.management import call_command

    from buendnis.activities.generate import generate, year_range
    from buendnis.agreements.models import Agreement
    from buendnis.counselling.generate import contacts_generate
    from buendnis.feedback.demo import demo_responses_generate

    call_command("migrate", verbosity=0)
    call_command("demo", "--no-serve", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    agreement = Agreement.objects.get(slug=SLUG)
    agreement.activities.all().delete()
    agreement.counselling_contacts.all().delete()
    generate(agreement_slug=SLUG, years=1, activities_per_year=activities, seed=7, today=TODAY)
    contacts_generate(
        agreement=agreement, years=year_range(years=1, today=TODAY), per_year=contacts, seed=7
    )
    demo_responses_generate(agreement=agreement, seed=7)


def _grids() -> dict[str, Any]:
    from django.conf import settings
    from django.core.cache import cache

    from buendnis.activities.grid import build_activities_grid
    from buendnis.agreements.models import Agreement
    from buendnis.core.disclosure.cache import publication_for
    from buendnis.core.disclosure.publication import protect
    from buendnis.counselling.grid import build_counselling_grid
    from buendnis.feedback.grid import build_feedback_grid

    agreement = Agreement.objects.get(slug=SLUG)
    builders = {
        "activities": lambda: build_activities_grid(agreement=agreement, today=TODAY),
        "counselling": lambda: build_counselling_grid(agreement=agreement),
        "feedback": lambda: build_feedback_grid(agreement=agreement),
    }
    found = {}
    for name, build in builders.items():
        grid = build()
        protected = protect(grid, settings.SUPPRESSION_THRESHOLD)
        cache.clear()
        publication_for(grid)
        found[name] = {
            "variables": len(grid.variables),
            "nodes": len(grid.nodes),
            "hidden_primary": sum(1 for m in protected.marks.values() if m == "primary"),
            "hidden_complementary": sum(1 for m in protected.marks.values() if m == "hidden"),
            "build_s": round(_timed(build, 3), 4),
            "protect_cold_s": round(
                _timed(lambda g=grid: protect(g, settings.SUPPRESSION_THRESHOLD), 3), 4
            ),
            "cached_read_s": round(_timed(lambda g=grid: publication_for(g), 5), 5),
        }
    return found


def _pages() -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from buendnis.accounts.models import User

    ministry, partner = Client(), Client()
    ministry.force_login(User.objects.get(username="ministerium"))
    partner.force_login(User.objects.get(username="koordination"))
    pages = {
        "agreement page": reverse("agreements:detail", args=[SLUG]),
        "counselling statistics (month)": reverse("counselling:statistics", args=[SLUG])
        + f"?year={YEAR}&period=month",
        "counselling CSV (quarter)": reverse("counselling:export", args=[SLUG, "csv"])
        + f"?year={YEAR}&period=quarter",
        "feedback results": reverse("feedback:results", args=[SLUG]) + f"?year={YEAR}",
        "report page (ministry vs internal copy)": reverse(
            "evaluation:report", args=[SLUG, str(YEAR)]
        ),
    }
    found = {}
    for name, url in pages.items():
        internal = url + ("&" if "?" in url else "?") + "copy=internal"
        protected = _timed(lambda u=url: ministry.get(u), 5)
        exact = _timed(lambda u=internal if "report" in name else url: partner.get(u), 5)
        found[name] = {
            "protected_s": round(protected, 4),
            "exact_s": round(exact, 4),
            "ratio": round(protected / exact, 2),
        }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=6000)
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _setup(args.database_url, data_dir)
        started = time.perf_counter()
        _fill(args.activities, args.contacts)
        result = {
            "activities": args.activities,
            "contacts": args.contacts,
            "fill_s": round(time.perf_counter() - started, 1),
            "grids": _grids(),
            "pages": _pages(),
        }
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    (ROOT / "bench" / "last-disclosure.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
