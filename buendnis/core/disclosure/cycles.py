"""Find the cheapest set of published nodes whose hiding frees a pinned node.

A hidden node is safe when the data could differ along some direction ``d`` (a change of
the variables) that keeps every published node's value, keeps every hidden node inside what
its mark says ("< 5": 1 to threshold − 1; "•": at least the threshold), keeps every fact
true, keeps every variable non-negative, and changes the pinned node by one. Published nodes
that such a direction would change must be hidden too. This linear programme looks for the
direction that changes the least published value (weighted by the values, so small cells go
first), the way statistical offices choose complementary cells; every node it touches is
then hidden and checked in turn.
"""

from collections.abc import Hashable

import numpy as np

from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.solver import INF, Solver

WEIGHT_FLOOR = 1.0


class Cycles:
    """One LP over directions; rows are re-bounded as nodes get hidden."""

    def __init__(
        self, grid: Grid, threshold: int, hidden: dict[Hashable, tuple[float, float]]
    ) -> None:
        self.grid, self.threshold = grid, threshold
        self.keys = [key for key, node in grid.nodes.items() if node.coefficients]
        n_vars = len(grid.variables)
        self.n_vars = n_vars
        self.solver = Solver(n_vars + len(self.keys), ())
        highs = self.solver.highs
        # Directions may lower a variable only down to zero.
        highs.changeColsBounds(
            n_vars,
            np.arange(n_vars, dtype=np.int32),
            np.array([-float(v) for v in grid.values]),
            np.full(n_vars, INF),
        )
        for fact in grid.facts:
            here = sum(grid.values[i] * c for i, c in fact.coefficients)
            self.solver.add_row(fact.coefficients, fact.low - here, fact.high - here)
        self.rows: dict[Hashable, tuple[int, int, int, int]] = {}
        for position, key in enumerate(self.keys):
            node = grid.nodes[key]
            slack = n_vars + position
            terms = list(node.coefficients.items())
            upper = self.solver.add_row([*terms, (slack, -1)], -INF, 0)
            lower = self.solver.add_row([*terms, (slack, 1)], 0, INF)
            value = self.solver.add_row(terms, -INF, INF)
            self.rows[key] = (upper, lower, value, slack)
            self._publish(key)
        for key, bounds in hidden.items():
            if key in self.rows:
                self.hide(key, bounds)

    def _publish(self, key: Hashable) -> None:
        upper, lower, value_row, slack = self.rows[key]
        value = self.grid.nodes[key].value
        self.solver.set_row(upper, -INF, 0)
        self.solver.set_row(lower, 0, INF)
        if value == 0:
            self.solver.set_row(value_row, 0, 0)
        else:
            self.solver.set_row(value_row, self.threshold - value, INF)
        cost = max(float(value), WEIGHT_FLOOR)
        self.solver.highs.changeColsCost(1, np.array([slack], dtype=np.int32), np.array([cost]))

    def hide(self, key: Hashable, bounds: tuple[float, float]) -> None:
        upper, lower, value_row, slack = self.rows[key]
        value = self.grid.nodes[key].value
        self.solver.set_row(upper, -INF, INF)
        self.solver.set_row(lower, -INF, INF)
        self.solver.set_row(value_row, bounds[0] - value, bounds[1] - value)
        self.solver.highs.changeColsCost(1, np.array([slack], dtype=np.int32), np.array([0.0]))

    def cheapest(self, key: Hashable, bounds: tuple[float, float]) -> list[Hashable] | None:
        """Published nodes to hide so that ``key`` can move by one; None if nothing can."""
        _upper, _lower, value_row, _slack = self.rows[key]
        value = self.grid.nodes[key].value
        best: tuple[float, list[Hashable]] | None = None
        highs = self.solver.highs
        for step in (1, -1):
            if not bounds[0] <= value + step <= bounds[1]:
                continue
            self.solver.set_row(value_row, step, step)
            highs.run()
            if highs.getModelStatus().name == "kOptimal":
                cost = highs.getInfo().objective_function_value
                if best is None or cost < best[0]:
                    solution = highs.getSolution().col_value
                    touched = [
                        other
                        for other in self.keys
                        if other != key and solution[self.rows[other][3]] > 1e-7
                    ]
                    best = (cost, touched)
        self.solver.set_row(value_row, bounds[0] - value, bounds[1] - value)
        return None if best is None else best[1]
