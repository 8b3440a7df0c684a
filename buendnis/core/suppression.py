"""Small-cell suppression for figures shown outside the documenting organisation.

Single figures use ``suppressed``. Tables use ``protect``: counts from 1 to the threshold
minus one are hidden (primary suppression), then further cells are hidden (complementary
suppression) until no hidden cell can be worked out from the published cells and totals.

The guarantee is constructive. Write a table with its totals as a grid whose every row and
column sums to zero (a total counts negatively). A change of +1/−1 along a cycle of hidden
cells, alternating between rows and columns, keeps all sums, so an attacker cannot tell the
changed table from the real one. A hidden cell is protected when such a cycle runs through it
and every changed cell stays inside what the attacker knows of it: a "< 5" cell lies between
1 and 4, a complementary cell (never a zero, never a small count) is at least the threshold.
Tables that share their row totals (several breakdowns of the same months) are protected
together: a cycle that changes shared totals must be matched by a path in every table.
"""

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.conf import settings

TOTAL = "total"

Cell = tuple[Hashable, Hashable]
Node = tuple[str, Hashable]


def suppressed(value: int | None) -> int | str | None:
    """The value, or "< N" when it lies between 1 and the threshold (Art. 9 GDPR cells)."""
    threshold = settings.SUPPRESSION_THRESHOLD
    if value is None or value == 0 or value >= threshold:
        return value
    return f"< {threshold}"


def share_withheld(part: int, whole: int, threshold: int | None = None) -> bool:
    """Whether a share would give away a small count: its part or the rest is 1 to N−1."""
    threshold = settings.SUPPRESSION_THRESHOLD if threshold is None else threshold
    return 0 < part < threshold or 0 < whole - part < threshold


@dataclass
class Table:
    """Counts by row and column; the totals are computed, so they always add up."""

    rows: list[Hashable]
    columns: list[Hashable]
    counts: dict[Cell, int]
    hidden: set[Cell] = field(default_factory=set)
    primary: set[Cell] = field(default_factory=set)
    withheld: bool = False  # too few counts to protect: nothing of the table is published

    def value(self, cell: Cell) -> int:
        row, column = cell
        rows = self.rows if row == TOTAL else [row]
        columns = self.columns if column == TOTAL else [column]
        return sum(self.counts.get((r, c), 0) for r in rows for c in columns)

    def cells(self) -> list[Cell]:
        return [(r, c) for r in [*self.rows, TOTAL] for c in [*self.columns, TOTAL]]

    def shown(self, cell: Cell, threshold: int) -> int | str:
        """What may be published: the count, "< N" (primary) or "•" (complementary)."""
        if self.withheld:
            return "–"
        if cell in self.primary:
            return f"< {threshold}"
        if cell in self.hidden:
            return "•"
        return self.value(cell)


def is_shared(cell: Cell) -> bool:
    """Row totals and the grand total are the same figures in every linked table."""
    return cell[1] == TOTAL


class _Protector:
    """Hides cells in linked tables (same rows) until every hidden cell is protected."""

    def __init__(self, tables: list[Table], threshold: int) -> None:
        self.tables = tables
        self.threshold = threshold
        first = tables[0]
        self.shared_values = {cell: first.value(cell) for cell in first.cells() if is_shared(cell)}
        self.shared_hidden = {
            cell for cell, value in self.shared_values.items() if self._small(value)
        }
        self.primary_shared = set(self.shared_hidden)
        for table in tables:
            table.primary = {
                cell
                for cell in table.cells()
                if not is_shared(cell) and self._small(table.value(cell))
            }
            table.hidden = set(table.primary)

    def _small(self, value: int) -> bool:
        return 0 < value < self.threshold

    # What the attacker knows of a hidden cell decides which way it may move.
    def _may_move(self, value: int, primary: bool, step: int) -> bool:
        moved = value + step
        if primary:
            return 1 <= moved < self.threshold
        return moved >= self.threshold

    def _edges(self, table: Table, skip: Cell | None = None) -> dict[Node, list[Node]]:
        """Directed edges between row and column nodes along which a cycle may pass."""
        edges: dict[Node, list[Node]] = {}
        for cell in table.hidden:
            if is_shared(cell) or cell == skip:
                continue
            row, column = cell
            value, primary = table.value(cell), cell in table.primary
            sign = -1 if row == TOTAL else 1  # column totals count negatively
            if self._may_move(value, primary, sign):  # y += 1: row → column
                edges.setdefault(("r", row), []).append(("c", column))
            if self._may_move(value, primary, -sign):  # y -= 1: column → row
                edges.setdefault(("c", column), []).append(("r", row))
        return edges

    @staticmethod
    def _reachable(edges: dict[Node, list[Node]], start: Node) -> set[Node]:
        seen, queue = {start}, deque([start])
        while queue:
            for nxt in edges.get(queue.popleft(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def _closings(self) -> list[tuple[Node, Node]]:
        """Pairs (s, t) whose shared totals may move together: y(t) += 1 and y(s) -= 1."""
        movable_up, movable_down = set(), set()
        for cell in self.shared_hidden:
            value, primary = self.shared_values[cell], cell in self.primary_shared
            sign = 1 if cell[0] == TOTAL else -1  # row totals count negatively
            if self._may_move(value, primary, sign):
                movable_up.add(("r", cell[0]))
            if self._may_move(value, primary, -sign):
                movable_down.add(("r", cell[0]))
        return [(s, t) for s in movable_down for t in movable_up if s != t]

    def _linked_everywhere(self, s: Node, t: Node, reach: list[dict[Node, set[Node]]]) -> bool:
        return all(t in table_reach.get(s, {s}) for table_reach in reach)

    def _reach_all(self) -> list[dict[Node, set[Node]]]:
        result = []
        for table in self.tables:
            edges = self._edges(table)
            nodes = {("r", row) for row in [*table.rows, TOTAL]}
            result.append({node: self._reachable(edges, node) for node in nodes})
        return result

    def _local_protected(self, table: Table, cell: Cell, reach: list) -> bool:
        edges = self._edges(table, skip=cell)
        row, column = ("r", cell[0]), ("c", cell[1])
        sign = -1 if cell[0] == TOTAL else 1
        value, primary = table.value(cell), cell in table.primary
        closings = self._closings()
        # The cell's own edge, then a way back: inside the table, or out through shared totals.
        for start, end, step in ((row, column, sign), (column, row, -sign)):
            if not self._may_move(value, primary, step):
                continue
            back = self._reachable(edges, end)
            if start in back:
                return True
            for s, t in closings:
                if (
                    t in back
                    and start in self._reachable(edges, s)
                    and all(
                        t in other.get(s, {s})
                        for other, tbl in zip(reach, self.tables, strict=True)
                        if tbl is not table
                    )
                ):
                    return True
        return False

    def _shared_protected(self, cell: Cell, reach: list) -> bool:
        node = ("r", cell[0])
        return any(
            node in pair and self._linked_everywhere(*pair, reach) for pair in self._closings()
        )

    def _unprotected(self) -> tuple[Table | None, Cell] | None:
        reach = self._reach_all()
        for cell in sorted(self.shared_hidden, key=str):
            if not self._shared_protected(cell, reach):
                return None, cell
        for table in self.tables:
            for cell in sorted(table.hidden, key=str):
                if not is_shared(cell) and not self._local_protected(table, cell, reach):
                    return table, cell
        return None

    def _candidates(self, table: Table | None) -> list[tuple[int, Table | None, Cell]]:
        """Cells that may still be hidden: never zeros, never small counts."""
        found = [
            (value, None, cell)
            for cell, value in self.shared_values.items()
            if cell not in self.shared_hidden and value >= self.threshold
        ]
        for other in self.tables if table is None else [table]:
            found += [
                (other.value(cell), other, cell)
                for cell in other.cells()
                if not is_shared(cell)
                and cell not in other.hidden
                and other.value(cell) >= self.threshold
            ]
        return sorted(found, key=lambda item: (item[0], str(item[2])))

    def _hide(self, table: Table | None, cell: Cell) -> None:
        if table is None:
            self.shared_hidden.add(cell)
        else:
            table.hidden.add(cell)

    def _unhide(self, table: Table | None, cell: Cell) -> None:
        if table is None:
            self.shared_hidden.discard(cell)
        else:
            table.hidden.discard(cell)

    def _is_protected(self, table: Table | None, cell: Cell) -> bool:
        reach = self._reach_all()
        if table is None:
            return self._shared_protected(cell, reach)
        return self._local_protected(table, cell, reach)

    def _withhold(self) -> None:
        for table in self.tables:
            table.withheld = True
            table.hidden = set(table.cells())
            table.primary = set()

    def run(self) -> None:
        while (problem := self._unprotected()) is not None:
            table, cell = problem
            candidates = self._candidates(table) or self._candidates(None)
            if not candidates:
                self._withhold()  # so few counts that even hiding all of them gives them away
                return
            for _value, where, candidate in candidates:
                self._hide(where, candidate)
                if self._is_protected(table, cell):
                    break
                self._unhide(where, candidate)
            else:
                # No single cell suffices: hide the smallest one next to the problem and retry.
                near = [c for c in candidates if c[2][0] == cell[0] or c[2][1] == cell[1]]
                _value, where, candidate = (near or candidates)[0]
                self._hide(where, candidate)
        for table in self.tables:
            table.hidden |= self.shared_hidden
            table.primary |= self.primary_shared


def protect(tables: list[Table], threshold: int | None = None) -> list[Table]:
    """Hide small counts and their complements in tables that share rows and row totals."""
    if not tables:
        return tables
    first = tables[0]
    for table in tables[1:]:
        if table.rows != first.rows or any(
            table.value((row, TOTAL)) != first.value((row, TOTAL)) for row in first.rows
        ):
            raise ValueError("linked tables must share their rows and row totals")
    _Protector(tables, threshold or settings.SUPPRESSION_THRESHOLD).run()
    return tables
