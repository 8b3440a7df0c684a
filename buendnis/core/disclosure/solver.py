"""How far an attacker can narrow a sum of grid variables, by linear programming (HiGHS).

The model is everything published at once: the grid's facts, every shown node fixed to its
value, every "< 5" node between 1 and the threshold minus one, every "•" node at least the
threshold, all variables non-negative (and integer, for the audit). The range of a figure is
its minimum and maximum over that model: when both are equal, the figure is pinned down.
"""

import math
from collections.abc import Iterable, Mapping

import highspy
import numpy as np

INF = highspy.kHighsInf
TOLERANCE = 1e-6


class Solver:
    """One HiGHS model of what is published; ask it for ranges, change a row's bounds."""

    def __init__(
        self,
        variable_count: int,
        rows: Iterable[tuple[Mapping[int, int] | Iterable[tuple[int, int]], float, float]],
        *,
        integer: bool = False,
    ) -> None:
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("presolve", "on")
        self.variable_count = variable_count
        if variable_count:
            self.highs.addVars(
                variable_count, np.zeros(variable_count), np.full(variable_count, INF)
            )
            if integer:
                self.highs.changeColsIntegrality(
                    variable_count,
                    np.arange(variable_count, dtype=np.int32),
                    np.full(variable_count, highspy.HighsVarType.kInteger),
                )
        self.row_count = 0
        self.add_rows(rows)
        self._cost: list[int] = []

    def add_rows(
        self, rows: Iterable[tuple[Mapping[int, int] | Iterable[tuple[int, int]], float, float]]
    ) -> list[int]:
        """Add many rows at once (one call into HiGHS); return their numbers."""
        lows, highs, starts, indices, values = [], [], [], [], []
        for coefficients, low, high in rows:
            items = coefficients.items() if isinstance(coefficients, Mapping) else coefficients
            starts.append(len(indices))
            for index, coefficient in items:
                indices.append(index)
                values.append(float(coefficient))
            lows.append(_bound(low))
            highs.append(_bound(high))
        if not lows:
            return []
        self.highs.addRows(
            len(lows),
            np.array(lows),
            np.array(highs),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values),
        )
        first = self.row_count
        self.row_count += len(lows)
        return list(range(first, self.row_count))

    def add_row(
        self, coefficients: Mapping[int, int] | Iterable[tuple[int, int]], low: float, high: float
    ) -> int:
        """Add ``low ≤ Σ c·x ≤ high``; return the row's number."""
        items = list(coefficients.items() if isinstance(coefficients, Mapping) else coefficients)
        indices = np.array([i for i, _c in items], dtype=np.int32)
        values = np.array([float(c) for _i, c in items])
        self.highs.addRow(_bound(low), _bound(high), len(items), indices, values)
        self.row_count += 1
        return self.row_count - 1

    def set_row(self, row: int, low: float, high: float) -> None:
        self.highs.changeRowBounds(row, _bound(low), _bound(high))

    def range(self, coefficients: Mapping[int, int]) -> tuple[float, float]:
        """The smallest and largest value the sum can take given everything published."""
        if not coefficients:
            return 0.0, 0.0
        if self._cost:
            zeros = np.zeros(len(self._cost))
            self.highs.changeColsCost(len(self._cost), np.array(self._cost, dtype=np.int32), zeros)
        indices = list(coefficients)
        self.highs.changeColsCost(
            len(indices),
            np.array(indices, dtype=np.int32),
            np.array([float(coefficients[i]) for i in indices]),
        )
        self._cost = indices
        low = self._optimum(highspy.ObjSense.kMinimize)
        high = self._optimum(highspy.ObjSense.kMaximize)
        return low, high

    def _optimum(self, sense: highspy.ObjSense) -> float:
        self.highs.changeObjectiveSense(sense)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            value = self.highs.getInfo().objective_function_value
            return (
                math.ceil(value - TOLERANCE)
                if sense == highspy.ObjSense.kMinimize
                else math.floor(value + TOLERANCE)
            )
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return -math.inf if sense == highspy.ObjSense.kMinimize else math.inf
        raise RuntimeError(f"the published figures contradict each other ({status})")


def _bound(value: float) -> float:
    if value == math.inf:
        return INF
    if value == -math.inf:
        return -INF
    return float(value)
