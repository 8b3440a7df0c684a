"""The portfolio laid beside every per-agreement output gives no hidden count away.

The audit (``evaluation.disclosure.collect``) runs the portfolio for each persona without
exact rights, next to the agreement page, the statistics, the API and the § 8 report; a
control shows that a portfolio publishing its sums without asking the grid is caught.
"""

import datetime
from collections.abc import Callable, Hashable

import pytest
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, Kreis
from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.audit import audit
from buendnis.core.disclosure.record import note
from buendnis.evaluation.disclosure import collect
from buendnis.portfolio import figures

YEAR = timezone.localdate().year
KASSEL = "06611"


def _at(year: int, month: int, day: int = 6) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 18))


@pytest.fixture
def small_cells(make_activity: Callable[..., Activity], referentin: User) -> Agreement:
    """Seven evenings in Offenbach each year; one in Kassel this year: a hidden 1."""
    for year in (YEAR - 1, YEAR):
        for day in range(1, 8):
            make_activity(starts_at=_at(year, 3, day))
    make_activity(starts_at=_at(YEAR, 4), kreis=Kreis.objects.get(pk=KASSEL))
    return Activity.objects.first().agreement


def test_the_portfolio_beside_every_other_output_recovers_nothing(
    small_cells: Agreement, other_agreement: Agreement
) -> None:
    collection = collect(small_cells, [YEAR - 1, YEAR])
    report = audit(collection.figures, collection.grids)  # type: ignore[arg-type]
    portfolio_outputs = [o for o in report.outputs if o.startswith("Portfolio")]
    assert portfolio_outputs, "the audit collects the portfolio"
    assert any("Darmstadt und ein Kreis" in o for o in portfolio_outputs)
    kassel = [f for f in report.findings if any(KASSEL in repr(v) for v in f.variables)]
    assert kassel, "Kassel's single activity is hidden"
    assert report.exact_outputs == []
    assert report.pinned == []


def test_a_portfolio_publishing_plain_sums_is_caught(
    small_cells: Agreement, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: sums across years shown without asking the grid pin a hidden cell down."""

    def naive(self: figures.Part, source: str, keys: list[Hashable]) -> int:
        publication = self.publication(source)
        coefficients: dict[int, int] = {}
        for key in keys:
            node = publication.grid.nodes.get(key)
            for index, c in (node.coefficients if node else {}).items():
                coefficients[index] = coefficients.get(index, 0) + c
        value = publication.grid.value_of(coefficients)
        signature = tuple(sorted((i, c) for i, c in coefficients.items() if c))
        if signature:
            note(publication.grid, signature, value, value, value)
        return value

    monkeypatch.setattr(figures.Part, "read", naive)
    collection = collect(small_cells, [YEAR - 1, YEAR])
    report = audit(collection.figures, collection.grids)  # type: ignore[arg-type]
    assert report.pinned
    assert any(any(o.startswith("Portfolio") for o in finding.outputs) for finding in report.pinned)
