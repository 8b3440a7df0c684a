"""The portfolio's outputs for the attacker audit (``evaluation.disclosure.collect``).

The page, its XLSX and CSV export and the API endpoint read the same ``selectors.portfolio``,
so running it as each persona records everything they can obtain from the portfolio: every
table for all years with data, unfiltered, by one Regierungsbezirk and a Kreis of another,
and by one format. The figures land on each agreement's grid, beside that agreement's
other outputs.
"""

from collections.abc import Callable
from types import SimpleNamespace

from buendnis.accounts.policy import Action, AnyUser, can
from buendnis.activities.models import Format, Kreis
from buendnis.agreements.models import Agreement
from buendnis.portfolio.filters import Filters
from buendnis.portfolio.selectors import portfolio, portfolio_agreements


def _run(agreement: Agreement, user: AnyUser, years: list[int], **filters: object) -> object:
    if not can(user, Action.PORTFOLIO_VIEW):
        return SimpleNamespace(exact=False)
    agreements = portfolio_agreements(user)
    if agreement not in agreements:
        return SimpleNamespace(exact=False)
    result = portfolio(user=user, filters=Filters(years=years, agreements=agreements, **filters))
    return SimpleNamespace(exact=agreement.pk in result.exact_agreements)


def portfolio_outputs(
    agreement: Agreement, years: list[int]
) -> list[tuple[str, Callable[[AnyUser], object]]]:
    """(label, run as a viewer) for the portfolio's views the audit lays beside the rest."""
    kreis = Kreis.objects.filter(regierungsbezirk="Gießen").order_by("ags").first()
    fmt = Format.objects.filter(agreement=agreement).order_by("key").first()
    label = f"Portfolio {years[0]}–{years[-1]} (Seite, XLSX, CSV, API)"
    outputs = [(label, lambda u: _run(agreement, u, years))]
    outputs.append(
        (
            f"{label}, Darmstadt und ein Kreis",
            lambda u: _run(
                agreement,
                u,
                years,
                regierungsbezirke=["Darmstadt"],
                kreise=[kreis.ags] if kreis else [],
            ),
        )
    )
    if fmt is not None:
        outputs.append(
            (f"{label}, Format {fmt.key}", lambda u: _run(agreement, u, years, format=fmt.key))
        )
    return outputs
