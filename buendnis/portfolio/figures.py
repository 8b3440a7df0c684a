"""Figures across agreements, each read from its agreement's protected grid.

A portfolio figure is a sum of grid nodes over several agreements (and often several
years). For an agreement whose figures the viewer may see exactly (``sees_exact`` over all
its partners) the true values are added. For any other agreement one node is read as the
publication shows it, and a sum of nodes only where the published nodes determine it
(``Publication.figure``). The agreements' grids share no variables, so a sum across
agreements is determined exactly when each agreement's part is: the portfolio never adds
an equation the per-agreement protection did not account for.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from buendnis.accounts.policy import AnyUser, sees_exact
from buendnis.activities.grid import activities_grid
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.core.disclosure.cache import publication_for
from buendnis.core.disclosure.publication import HIDDEN_MARK, Publication, Shown
from buendnis.counselling.grid import counselling_grid
from buendnis.feedback.grid import feedback_grid

ACTIVITIES, COUNSELLING, FEEDBACK = "activities", "counselling", "feedback"
GRIDS = {
    ACTIVITIES: activities_grid,
    COUNSELLING: counselling_grid,
    FEEDBACK: feedback_grid,
}


@dataclass
class Part:
    """One agreement of the portfolio: whether the viewer sees it exactly, its publications."""

    agreement: Agreement
    exact: bool
    _publications: dict[str, Publication] = field(default_factory=dict)

    def publication(self, source: str) -> Publication:
        if source not in self._publications:
            grid = GRIDS[source](agreement=self.agreement)
            self._publications[source] = publication_for(grid)
        return self._publications[source]

    def read(self, source: str, keys: list[Hashable]) -> Shown:
        """The sum of the nodes for this agreement: exact, shown, or determined (else "•")."""
        publication = self.publication(source)
        nodes = publication.grid.nodes
        present = [key for key in keys if key in nodes]  # absent nodes lie outside the data: 0
        coefficients: dict[int, int] = {}
        for key in present:
            for index, c in nodes[key].coefficients.items():
                coefficients[index] = coefficients.get(index, 0) + c
        if self.exact:
            return publication.grid.value_of(coefficients)
        if not present:
            return 0
        shown = [publication.shown(key) for key in present]
        if all(isinstance(value, int) for value in shown):
            return sum(shown)  # type: ignore[arg-type]
        # A published zero adds nothing: a single hidden node left is shown as it is.
        rest = [value for value in shown if value != 0]
        if len(rest) == 1:
            return rest[0]
        # Several parts hidden: the sum only where the published nodes determine it.
        return publication.figure(coefficients)


class Reader:
    """Reads sums of nodes across the portfolio's agreements."""

    def __init__(self, user: AnyUser, agreements: list[Agreement]) -> None:
        partners: dict[int, set[int]] = {a.pk: set() for a in agreements}
        for agreement_id, organisation_id in AgreementPartner.objects.filter(
            agreement__in=agreements, role=AgreementPartner.Role.PARTNER
        ).values_list("agreement_id", "organisation_id"):
            partners[agreement_id].add(organisation_id)
        self.parts = [Part(a, sees_exact(user, partners[a.pk])) for a in agreements]

    @property
    def exact(self) -> bool:
        """Whether every figure is exact (the viewer sees every agreement exactly)."""
        return bool(self.parts) and all(part.exact for part in self.parts)

    @property
    def any_exact(self) -> bool:
        return any(part.exact for part in self.parts)

    def sum(
        self,
        source: str,
        keys_of: Callable[[Part], list[Hashable]],
        parts: list[Part] | None = None,
    ) -> Shown:
        """The sum over the agreements of each agreement's nodes ``keys_of(part)``."""
        return combine([part.read(source, keys_of(part)) for part in parts or self.parts])


def combine(values: list[Shown]) -> Shown:
    """Add parts; a protected part makes the whole "•" unless every other part is a zero."""
    if all(isinstance(v, int) for v in values):
        return sum(values)  # type: ignore[arg-type]
    rest = [v for v in values if v != 0]
    if len(rest) == 1:
        return rest[0]
    return HIDDEN_MARK


def share(part: Shown, whole: Shown) -> Shown:
    """A percentage with one decimal, shown only when both counts are."""
    if isinstance(part, int) and isinstance(whole, int):
        return round(100 * part / whole, 1) if whole else "–"
    return HIDDEN_MARK
