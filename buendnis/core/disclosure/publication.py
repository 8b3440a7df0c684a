"""Protect a whole grid at once, and read every published figure from the result.

Primary suppression hides every node from 1 to the threshold minus one ("< 5"). Then each
hidden node is checked against everything published together: if the published nodes, the
grid's facts and the marks pin it to one value, a further node is hidden ("•",
complementary) — the smallest one that shares a variable with it and frees it, else the
smallest such node, and the check runs again. Hiding only ever widens what an attacker
cannot tell, so a node found safe stays safe. Complementary nodes are never zeros and never
small counts, so "•" tells an attacker no more than "at least the threshold".

A figure that is no node of the grid (a share, a mean, a sum across nodes) is shown only
when the published nodes already determine it; otherwise it reads "•".
"""

import threading
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from buendnis.core.disclosure.cycles import Cycles
from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.record import note
from buendnis.core.disclosure.solver import Solver

PRIMARY, HIDDEN, WITHHELD = "primary", "hidden", "withheld"
HIDDEN_MARK, WITHHELD_MARK = "•", "–"

Shown = int | str


def primary_mark(threshold: int) -> str:
    return f"< {threshold}"


@dataclass
class Publication:
    """The protected grid: for each node, its value or how it is hidden."""

    grid: Grid
    threshold: int
    marks: dict[Hashable, str] = field(default_factory=dict)  # hidden nodes only
    _solver: Solver | None = None
    _rows: dict[Hashable, int] = field(default_factory=dict)
    _derived: dict[tuple, Shown] = field(default_factory=dict)
    # one solver, shared by the threads of a worker that read the same publication
    _solving: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    # -- what outputs read ------------------------------------------------------------
    def shown(self, key: Hashable) -> Shown:
        """The node as it may be published: its count, "< 5", "•" or "–".

        A node the grid does not hold lies outside every month with data: it is zero.
        """
        node = self.grid.nodes.get(key)
        if node is None:
            return 0
        mark = self.marks.get(key)
        shown: Shown
        if mark is None:
            shown = node.value
        elif mark == PRIMARY:
            shown = primary_mark(self.threshold)
        else:
            shown = HIDDEN_MARK if mark == HIDDEN else WITHHELD_MARK
        note(self.grid, _signature(node.coefficients), shown, *self.bounds(key))
        return shown

    def figure(self, coefficients: Mapping[int, int]) -> Shown:
        """Any sum of variables: shown only when what is published already determines it."""
        signature = _signature(coefficients)
        if signature not in self._derived:
            if not signature:
                self._derived[signature] = 0
            else:
                with self._solving:
                    low, high = self.solver().range(dict(signature))
                self._derived[signature] = int(low) if low == high else HIDDEN_MARK
        shown = self._derived[signature]
        if isinstance(shown, int):
            note(self.grid, signature, shown, shown, shown)
        return shown

    def determined(self, coefficients: Mapping[int, int]) -> int | None:
        """The sum's value if the published figures determine it, else None."""
        shown = self.figure(coefficients)
        return shown if isinstance(shown, int) else None

    # -- the model of what is published ----------------------------------------------
    def bounds(self, key: Hashable) -> tuple[float, float]:
        node = self.grid.nodes[key]
        mark = self.marks.get(key)
        if mark is None:
            return node.value, node.value
        if mark == PRIMARY:
            return 1, self.threshold - 1
        if mark == HIDDEN:
            return self.threshold, float("inf")
        return 0, float("inf")

    def solver(self) -> Solver:
        if self._solver is None:
            self._solver, self._rows = build_solver(self)
        return self._solver

    def hide(self, key: Hashable, mark: str) -> None:
        self.marks[key] = mark
        if self._solver is not None and key in self._rows:
            self._solver.set_row(self._rows[key], *self.bounds(key))
        self._derived.clear()

    def unhide(self, key: Hashable) -> None:
        self.marks.pop(key, None)
        if self._solver is not None and key in self._rows:
            self._solver.set_row(self._rows[key], *self.bounds(key))
        self._derived.clear()

    def pinned(self, key: Hashable) -> bool:
        low, high = self.solver().range(self.grid.nodes[key].coefficients)
        return low == high


def _signature(coefficients: Mapping[int, int]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((i, c) for i, c in coefficients.items() if c))


def build_solver(publication: Publication, *, integer: bool = False) -> tuple[Solver, dict]:
    """A solver holding the grid's facts and every node with its published bounds."""
    grid = publication.grid
    solver = Solver(
        len(grid.variables),
        ((fact.coefficients, fact.low, fact.high) for fact in grid.facts),
        integer=integer,
    )
    keys = [key for key, node in grid.nodes.items() if node.coefficients]
    numbers = solver.add_rows(
        (grid.nodes[key].coefficients, *publication.bounds(key)) for key in keys
    )
    rows = dict(zip(keys, numbers, strict=True))
    return solver, rows


def _neighbours(grid: Grid, key: Hashable) -> set[Hashable]:
    """Nodes that share a variable with the node."""
    variables = set(grid.nodes[key].coefficients)
    return {
        other
        for other, node in grid.nodes.items()
        if other != key and variables.intersection(node.coefficients)
    }


def protect(grid: Grid, threshold: int) -> Publication:
    """Hide small nodes and enough complements that no hidden node can be worked out."""
    publication = Publication(grid, threshold)
    for key, node in grid.nodes.items():
        if 0 < node.value < threshold:
            publication.marks[key] = PRIMARY
    cycles = Cycles(grid, threshold, {key: publication.bounds(key) for key in publication.marks})
    queue = sorted(publication.marks, key=repr)
    while queue:
        key = queue.pop(0)
        if not grid.nodes[key].coefficients or not publication.pinned(key):
            continue
        complements = cycles.cheapest(key, publication.bounds(key))
        if not complements:
            _withhold_around(publication, cycles, key)
            continue
        for other in complements:
            publication.hide(other, HIDDEN)
            cycles.hide(other, publication.bounds(other))
        queue += [*complements, key]
    return publication


def _withhold_around(publication: Publication, cycles: Cycles, key: Hashable) -> None:
    """Nothing can protect the node: withhold it and every node that touches it."""
    grid = publication.grid
    for other in [key, *_neighbours(grid, key)]:
        if grid.nodes[other].value != 0 or other == key:
            publication.hide(other, WITHHELD)
            cycles.hide(other, publication.bounds(other))
