"""Complementary suppression: no hidden cell can be worked out from what is published.

The check here is independent of how ``protect`` chooses cells: it writes every row and
column sum of the linked tables as an equation, puts in the published values, bounds each
hidden cell by what its mark says ("< 5": 1 to 4; "•": at least 5) and searches for a
second table that fits everything but differs in the cell. If none exists, the cell is
derivable and the test fails.
"""

from collections.abc import Hashable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buendnis.core.suppression import TOTAL, Table, is_shared, protect, suppressed

THRESHOLD = 5
Var = tuple[Hashable, ...]


def _var(index: int, cell: tuple) -> Var:
    return ("shared", *cell) if is_shared(cell) else (index, *cell)


def _equations(tables: list[Table]) -> list[dict[Var, int]]:
    """Each dict maps variables to coefficients that sum to zero."""
    equations = []
    for index, table in enumerate(tables):
        for row in [*table.rows, TOTAL]:
            equation = {_var(index, (row, col)): 1 for col in table.columns}
            equation[_var(index, (row, TOTAL))] = -1
            equations.append(equation)
        for col in [*table.columns, TOTAL]:
            equation = {_var(index, (row, col)): 1 for row in table.rows}
            equation[_var(index, (TOTAL, col))] = -1
            equations.append(equation)
    return equations


def _propagate(equations, domains) -> bool:
    """Narrow each domain by the others' bounds; False when some domain becomes empty."""
    changed = True
    while changed:
        changed = False
        for equation in equations:
            low = sum(a * (domains[v][0] if a > 0 else domains[v][1]) for v, a in equation.items())
            high = sum(a * (domains[v][1] if a > 0 else domains[v][0]) for v, a in equation.items())
            for var, a in equation.items():
                lo, hi = domains[var]
                own_low = a * lo if a > 0 else a * hi
                own_high = a * hi if a > 0 else a * lo
                rest_low, rest_high = low - own_low, high - own_high
                # a * x = -(rest), so a * x lies in [-rest_high, -rest_low]
                bound_a, bound_b = -rest_high, -rest_low
                new_lo, new_hi = sorted((bound_a / a, bound_b / a))
                new_lo, new_hi = max(lo, -(-new_lo // 1)), min(hi, new_hi // 1)
                new_lo, new_hi = int(new_lo), int(new_hi)
                if new_lo > new_hi:
                    return False
                if (new_lo, new_hi) != (lo, hi):
                    domains[var] = (new_lo, new_hi)
                    changed = True
    return True


def _solvable(equations, domains) -> bool:
    domains = dict(domains)
    if not _propagate(equations, domains):
        return False
    open_vars = [v for v, (lo, hi) in domains.items() if lo < hi]
    if not open_vars:
        return all(sum(a * domains[v][0] for v, a in eq.items()) == 0 for eq in equations)
    var = min(open_vars, key=lambda v: domains[v][1] - domains[v][0])
    lo, hi = domains[var]
    middle = (lo + hi) // 2
    return _solvable(equations, {**domains, var: (lo, middle)}) or _solvable(
        equations, {**domains, var: (middle + 1, hi)}
    )


def derivable_cells(tables: list[Table]) -> list[Var]:
    """Hidden cells whose value is the same in every table consistent with the publication."""
    values, hidden, primary, unknown = {}, set(), set(), set()
    for index, table in enumerate(tables):
        for cell in table.cells():
            var = _var(index, cell)
            values[var] = table.value(cell)
            if table.withheld:
                unknown.add(var)
            if cell in table.hidden:
                hidden.add(var)
            if cell in table.primary:
                primary.add(var)
    domains = {}
    for var, value in values.items():
        if var not in hidden:
            domains[var] = (value, value)
        elif var in unknown:
            domains[var] = (0, value + 2 * THRESHOLD)
        elif var in primary:
            domains[var] = (1, THRESHOLD - 1)
        else:
            domains[var] = (THRESHOLD, value + 2 * THRESHOLD)
    equations = _equations(tables)
    found = []
    for var in sorted(hidden, key=str):
        value = values[var]
        lo, hi = domains[var]
        below = lo <= value - 1 and _solvable(equations, {**domains, var: (lo, value - 1)})
        above = value + 1 <= hi and _solvable(equations, {**domains, var: (value + 1, hi)})
        if not (below or above):
            found.append(var)
    return found


def _table(counts: dict, rows: list, columns: list) -> Table:
    return Table(rows=rows, columns=columns, counts=counts)


SMALL_OR_NOT = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 14])


@st.composite
def single_tables(draw):
    rows = list(range(draw(st.integers(1, 4))))
    columns = [f"c{i}" for i in range(draw(st.integers(1, 4)))]
    counts = {(r, c): draw(SMALL_OR_NOT) for r in rows for c in columns}
    return [_table(counts, rows, columns)]


@st.composite
def linked_tables(draw):
    """Two breakdowns (kind, channel) of the same contacts by month share the month totals."""
    months = list(range(draw(st.integers(1, 3))))
    kinds, channels = ["a", "b", "c"][: draw(st.integers(1, 3))], ["x", "y"]
    micro = {
        (m, k, ch): draw(st.sampled_from([0, 0, 0, 1, 2, 3, 6]))
        for m in months
        for k in kinds
        for ch in channels
    }
    by_kind, by_channel = {}, {}
    for (m, k, ch), n in micro.items():
        by_kind[m, k] = by_kind.get((m, k), 0) + n
        by_channel[m, ch] = by_channel.get((m, ch), 0) + n
    return [_table(by_kind, months, kinds), _table(by_channel, months, channels)]


def _assert_protected(tables: list[Table]) -> None:
    protect(tables, THRESHOLD)
    for table in tables:
        for cell in table.cells():
            value = table.value(cell)
            if 0 < value < THRESHOLD:
                assert cell in table.hidden
                assert table.withheld or cell in table.primary
            if cell in table.hidden and not table.withheld:
                assert value > 0, "zeros are never hidden: they are known anyway"
    assert derivable_cells(tables) == []


@settings(max_examples=150, deadline=None)
@given(single_tables())
def test_no_hidden_cell_of_a_table_can_be_derived(tables):
    _assert_protected(tables)


@settings(max_examples=100, deadline=None)
@given(linked_tables())
def test_no_hidden_cell_of_linked_tables_can_be_derived(tables):
    _assert_protected(tables)


def test_the_check_finds_a_cell_that_primary_suppression_alone_leaves_open():
    """Without complements, a lone "< 5" in a row is its total minus the rest."""
    table = _table({(0, "a"): 3, (0, "b"): 20, (1, "a"): 7, (1, "b"): 9}, [0, 1], ["a", "b"])
    table.primary = table.hidden = {(0, "a")}
    assert derivable_cells([table]) == [(0, 0, "a")]


def test_two_small_cells_that_fill_a_row_total_of_eight_are_both_four():
    """Knowing each is below 5 pins 4 + 4 = 8: the row needs a further complement."""
    table = _table({(0, "a"): 4, (0, "b"): 4, (1, "a"): 9, (1, "b"): 9}, [0, 1], ["a", "b"])
    table.primary = table.hidden = {(0, "a"), (0, "b")}
    assert derivable_cells([table]) != []
    _assert_protected([table])


def test_a_table_of_only_ones_is_withheld_whole():
    """Four cells of 1 sum to 4: knowing each is at least 1 would give all of them away."""
    table = _table({(r, c): 1 for r in (0, 1) for c in ("a", "b")}, [0, 1], ["a", "b"])
    protect([table], THRESHOLD)
    assert table.withheld
    assert {table.shown(cell, THRESHOLD) for cell in table.cells()} == {"–"}
    assert derivable_cells([table]) == []


def test_tables_with_different_row_totals_cannot_be_linked():
    first = _table({(0, "a"): 5}, [0], ["a"])
    second = _table({(0, "x"): 6}, [0], ["x"])
    with pytest.raises(ValueError, match="row totals"):
        protect([first, second], THRESHOLD)


def test_published_marks_distinguish_small_counts_from_complements():
    table = _table({(0, "a"): 2, (0, "b"): 30, (1, "a"): 8, (1, "b"): 40}, [0, 1], ["a", "b"])
    protect([table], THRESHOLD)
    assert table.shown((0, "a"), THRESHOLD) == "< 5"
    complements = table.hidden - table.primary
    assert complements, "a lone small cell needs complements"
    assert {table.shown(cell, THRESHOLD) for cell in complements} == {"•"}
    assert table.shown((TOTAL, TOTAL), THRESHOLD) == 80


@pytest.mark.parametrize(("value", "shown"), [(None, None), (0, 0), (1, "< 5"), (4, "< 5"), (5, 5)])
def test_single_figures_are_suppressed_between_one_and_the_threshold(value, shown, settings):
    settings.SUPPRESSION_THRESHOLD = 5
    assert suppressed(value) == shown
