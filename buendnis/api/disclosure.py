"""The API's outputs for the attacker audit (``evaluation.disclosure.collect``).

Each aggregate endpoint is run as the audit's personas run the pages, so the audit lays the
API's figures beside every other output: counselling by month and quarter, feedback results,
and indicator values for the calendar year and the agreement year.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.test import RequestFactory

from buendnis.accounts.policy import AnyUser
from buendnis.agreements.models import Agreement
from buendnis.api import api as endpoints
from buendnis.api.problems import Problem


def _call(operation: Callable, user: AnyUser, *args: Any, **kwargs: Any) -> SimpleNamespace:
    request = RequestFactory().get("/api/v1/")
    request.user = user
    request.api_token = None
    try:
        data = operation(request, *args, **kwargs)
    except Problem:  # the persona may not read it at all
        return SimpleNamespace(exact=False)
    return SimpleNamespace(exact=data["exact"])


def api_outputs(agreement: Agreement, year: int) -> list[tuple[str, Callable[[AnyUser], object]]]:
    """(label, run as a viewer) for every API output that publishes figures of one year."""
    slug = agreement.slug
    outputs: list[tuple[str, Callable[[AnyUser], object]]] = [
        (
            f"API Beratung {year} nach Monat",
            lambda u: _call(endpoints.counselling_statistics, u, slug, year=year, period="month"),
        ),
        (
            f"API Beratung {year} nach Quartal",
            lambda u: _call(endpoints.counselling_statistics, u, slug, year=year, period="quarter"),
        ),
        (
            f"API Rückmeldungen {year}",
            lambda u: _call(endpoints.feedback_results, u, slug, year=year),
        ),
        (
            f"API Indikatoren {year}",
            lambda u: _call(endpoints.indicator_values, u, slug, period=str(year)),
        ),
    ]
    if agreement.in_force_on is not None and year >= agreement.in_force_on.year:
        outputs.append(
            (
                f"API Indikatoren aj{year}",
                lambda u: _call(endpoints.indicator_values, u, slug, period=f"aj{year}"),
            )
        )
    return outputs
