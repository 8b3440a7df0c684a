"""The attacker audit: lay every published figure side by side and try to recover hidden ones.

The input is what the outputs showed (``record.Published``): for each figure the sum of
grid variables it stands for and what it told — an exact value, "< 5" (1 to threshold − 1),
"•" on a protected node (at least the threshold), a share or mean with its n (a ratio within
its rounding). Together with the grid's facts (breakdowns of a month share their total, and
so on) and non-negative integer variables, that is the attacker's system of equations. For
every figure shown hidden the audit computes the range of values consistent with all of it:
first by linear programming, then — where the LP leaves room — by finding an integer
solution with another value (mixed-integer programming), so a reported range is one the
data could really take. A hidden figure pinned to one value is a finding.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.record import Published, Signature
from buendnis.core.disclosure.solver import Solver


@dataclass
class Finding:
    """A hidden figure and what the published figures leave of it."""

    grid: str
    signature: Signature
    variables: list[object]
    low: float
    high: float
    true_value: int
    outputs: list[str] = field(default_factory=list)

    @property
    def pinned(self) -> bool:
        return self.low == self.high

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass
class Report:
    findings: list[Finding]
    figures: int
    hidden: int
    outputs: list[str]
    exact_outputs: list[str] = field(default_factory=list)  # viewers who got exact figures

    @property
    def pinned(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.pinned]

    @property
    def passed(self) -> bool:
        return not self.pinned and not self.exact_outputs

    def narrowest(self, count: int = 5) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (f.width, repr(f.signature)))[:count]


def _rows(published: Iterable[Published]) -> list[tuple[Signature, float, float]]:
    """Each distinct published statement as a linear row (ratios as two rows)."""
    rows: dict[tuple, tuple[Signature, float, float]] = {}
    for figure in published:
        if figure.denominator:
            # low ≤ part / whole ≤ high  ⇔  part − low·whole ≥ 0 and part − high·whole ≤ 0
            for ratio, sense in ((figure.low, "ge"), (figure.high, "le")):
                terms: dict[int, float] = defaultdict(float)
                for i, c in figure.signature:
                    terms[i] += c
                for i, c in figure.denominator:
                    terms[i] -= ratio * c
                signature = tuple(sorted(terms.items()))
                bounds = (0.0, math.inf) if sense == "ge" else (-math.inf, 0.0)
                rows[(figure.grid, signature, sense)] = (signature, *bounds)  # type: ignore[assignment]
            continue
        if figure.low == -math.inf and figure.high == math.inf:
            continue
        key = (figure.grid, figure.signature, figure.low, figure.high)
        rows[key] = (figure.signature, figure.low, figure.high)
    return list(rows.values())


def audit(published: list[Published], grids: dict[str, Grid], *, exact: bool = True) -> Report:
    """Compute, for every hidden figure, the range an attacker can narrow it to."""
    by_grid: dict[str, list[Published]] = defaultdict(list)
    for figure in published:
        by_grid[figure.grid].append(figure)
    findings: list[Finding] = []
    hidden_count = 0
    for name, figures in by_grid.items():
        grid = grids[name]
        facts = [(fact.coefficients, fact.low, fact.high) for fact in grid.facts]
        rows = [(signature, low, high) for signature, low, high in _rows(figures) if signature]
        lp = Solver(len(grid.variables), [*facts, *rows])
        milp = Solver(len(grid.variables), [*facts, *rows], integer=True) if exact else None
        outputs_of: dict[int, set[str]] = defaultdict(set)
        for figure in figures:
            for i, _c in (*figure.signature, *figure.denominator):
                outputs_of[i].add(figure.output)
        hidden = {
            figure.signature: figure
            for figure in figures
            if figure.signature and not figure.denominator and figure.low != figure.high
        }
        hidden_count += len(hidden)
        for signature, _figure in sorted(hidden.items(), key=lambda item: repr(item[0])):
            coefficients = dict(signature)
            true_value = grid.value_of(coefficients)
            low, high = lp.range(coefficients)
            if milp is not None and low < high:
                low, high = _integer_range(milp, coefficients, true_value, low, high)
            findings.append(
                Finding(
                    grid=name,
                    signature=signature,
                    variables=[grid.variables[i] for i, _c in signature],
                    low=low,
                    high=high,
                    true_value=true_value,
                    outputs=sorted(set().union(*(outputs_of[i] for i, _c in signature))),
                )
            )
    outputs = sorted({figure.output for figure in published})
    return Report(findings, len(published), hidden_count, outputs)


def _integer_range(
    milp: Solver, coefficients: dict[int, int], true_value: int, low: float, high: float
) -> tuple[float, float]:
    """Narrow an LP range to values some integer solution really takes (at least two)."""
    lower = (
        true_value
        if low >= true_value or not _feasible(milp, coefficients, -math.inf, true_value - 1)
        else low
    )
    upper = (
        true_value
        if high <= true_value or not _feasible(milp, coefficients, true_value + 1, math.inf)
        else high
    )
    return lower, upper


def _feasible(milp: Solver, coefficients: dict[int, int], low: float, high: float) -> bool:
    """Whether an integer solution puts the sum between low and high."""
    highs = milp.highs
    row = milp.add_row(coefficients, low, high)
    highs.changeColsCost(
        milp.variable_count,
        np.arange(milp.variable_count, dtype=np.int32),
        np.zeros(milp.variable_count),
    )
    highs.run()
    found = highs.getModelStatus().name == "kOptimal"
    highs.deleteRows(1, np.array([row], dtype=np.int32))
    milp.row_count -= 1
    return found
