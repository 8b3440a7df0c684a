"""The protected grid: no hidden figure can be worked out from everything published together.

The check is independent of the protection and of the LP audit: every published node is an
equation over the grid's integer variables (one equation per linked breakdown total, too);
each hidden node is bounded by its mark ("< 5": 1 to 4; "•": at least 5) and the search
looks for a second assignment of the variables that fits everything but gives the hidden
node another value, by bounds propagation and branching. Tables here have months grouped
into quarters and a year — the margins that let the month and the quarter view undo each
other when they are protected apart.
"""

from collections.abc import Hashable

from hypothesis import given, settings
from hypothesis import strategies as st

from buendnis.core.disclosure.audit import audit
from buendnis.core.disclosure.grid import Grid
from buendnis.core.disclosure.publication import HIDDEN, PRIMARY, WITHHELD, protect
from buendnis.core.disclosure.record import Collection, recording

THRESHOLD = 5
SMALL_OR_NOT = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 14, 18])


def month_grid(
    breakdowns: dict[str, dict[tuple[int, Hashable], int]],
    months: list[int],
    *,
    quarters: bool = True,
) -> Grid:
    """Breakdowns of the same things by month (sharing month totals), with every margin."""
    grid = Grid("test")
    for name, counts in breakdowns.items():
        for (month, category), value in counts.items():
            grid.variable((name, month, category), value)
    names = list(breakdowns)
    categories = {
        name: sorted({c for _m, c in counts}, key=str) for name, counts in breakdowns.items()
    }
    for month in months:
        first = [grid.index((names[0], month, c)) for c in categories[names[0]]]
        for other in names[1:]:
            grid.same_sum(first, [grid.index((other, month, c)) for c in categories[other]])  # type: ignore[misc]
    times: dict[tuple, list[int]] = {("m", m): [m] for m in months}
    if quarters:
        for quarter in sorted({(m - 1) // 3 for m in months}):
            times[("q", quarter)] = [m for m in months if (m - 1) // 3 == quarter]
    times[("y",)] = months
    for time, covered in times.items():
        for name in names:
            for category in categories[name]:
                grid.node((name, category, time), [(name, m, category) for m in covered])
        grid.node(
            ("total", time), [(names[0], m, c) for m in covered for c in categories[names[0]]]
        )
    return grid


# -- the independent checker -----------------------------------------------------------


def _propagate(
    equations: list[tuple[dict[int, int], int, int]], domains: dict[int, list[int]]
) -> bool:
    """Narrow each variable by the others' bounds; False when a domain becomes empty."""
    changed = True
    while changed:
        changed = False
        for coefficients, low, high in equations:
            lows = {
                v: a * (domains[v][0] if a > 0 else domains[v][1]) for v, a in coefficients.items()
            }
            highs = {
                v: a * (domains[v][1] if a > 0 else domains[v][0]) for v, a in coefficients.items()
            }
            total_low, total_high = sum(lows.values()), sum(highs.values())
            if total_low > high or total_high < low:
                return False
            for var, a in coefficients.items():
                rest_low, rest_high = total_low - lows[var], total_high - highs[var]
                # low ≤ a·x + rest ≤ high
                bounds = sorted(((low - rest_high) / a, (high - rest_low) / a))
                lo, hi = domains[var]
                new_lo = max(lo, -int(-bounds[0] // 1)) if bounds[0] != float("-inf") else lo
                new_hi = min(hi, int(bounds[1] // 1)) if bounds[1] != float("inf") else hi
                if new_lo > new_hi:
                    return False
                if (new_lo, new_hi) != (lo, hi):
                    domains[var] = [new_lo, new_hi]
                    changed = True
    return True


def _solvable(equations: list, domains: dict[int, list[int]]) -> bool:
    domains = {v: list(d) for v, d in domains.items()}
    if not _propagate(equations, domains):
        return False
    open_vars = [v for v, (lo, hi) in domains.items() if lo < hi]
    if not open_vars:
        return all(
            low <= sum(a * domains[v][0] for v, a in c.items()) <= high
            for c, low, high in equations
        )
    var = min(open_vars, key=lambda v: domains[v][1] - domains[v][0])
    lo, hi = domains[var]
    middle = (lo + hi) // 2
    return _solvable(equations, {**domains, var: [lo, middle]}) or _solvable(
        equations, {**domains, var: [middle + 1, hi]}
    )


def derivable_nodes(grid: Grid, marks: dict[Hashable, str]) -> list[Hashable]:
    """Hidden nodes that take the same value in every assignment fitting the publication."""
    ceiling = sum(grid.values) + 2 * THRESHOLD
    domains = {i: [0, ceiling] for i in range(len(grid.variables))}
    equations: list[tuple[dict[int, int], float, float]] = [
        (dict(fact.coefficients), fact.low, fact.high) for fact in grid.facts
    ]
    for key, node in grid.nodes.items():
        mark = marks.get(key)
        bounds = {
            None: (node.value, node.value),
            PRIMARY: (1, THRESHOLD - 1),
            HIDDEN: (THRESHOLD, float("inf")),
            WITHHELD: (0, float("inf")),
        }[mark]
        if node.coefficients:
            equations.append((dict(node.coefficients), *bounds))
    found = []
    for key in sorted(marks, key=repr):
        node = grid.nodes[key]
        if not node.coefficients:
            continue
        below = (dict(node.coefficients), float("-inf"), node.value - 1)
        above = (dict(node.coefficients), node.value + 1, float("inf"))
        if not (_solvable([*equations, below], domains) or _solvable([*equations, above], domains)):
            found.append(key)
    return found


# -- properties ------------------------------------------------------------------------


@st.composite
def monthly_tables(draw: st.DrawFn) -> Grid:
    months = list(range(1, draw(st.integers(2, 6)) + 1))
    categories = ["a", "b", "c"][: draw(st.integers(1, 3))]
    counts = {(m, c): draw(SMALL_OR_NOT) for m in months for c in categories}
    return month_grid({"kind": counts}, months)


@st.composite
def linked_monthly_tables(draw: st.DrawFn) -> Grid:
    """Two breakdowns of the same contacts by month share every month's total."""
    months = list(range(1, draw(st.integers(2, 4)) + 1))
    kinds, channels = ["a", "b", "c"][: draw(st.integers(1, 3))], ["x", "y"]
    by_kind: dict = {}
    by_channel: dict = {}
    for m in months:
        for k in kinds:
            for ch in channels:
                n = draw(st.sampled_from([0, 0, 0, 1, 2, 3, 6]))
                by_kind[m, k] = by_kind.get((m, k), 0) + n
                by_channel[m, ch] = by_channel.get((m, ch), 0) + n
    return month_grid({"kind": by_kind, "channel": by_channel}, months)


def _assert_protected(grid: Grid) -> None:
    publication = protect(grid, THRESHOLD)
    for key, node in grid.nodes.items():
        mark = publication.marks.get(key)
        if 0 < node.value < THRESHOLD:
            assert mark in (PRIMARY, WITHHELD), key
        if mark == HIDDEN:
            assert node.value >= THRESHOLD, "complements are never zeros or small counts"
    assert derivable_nodes(grid, publication.marks) == []


@settings(max_examples=60, deadline=None)
@given(monthly_tables())
def test_no_hidden_month_quarter_or_year_figure_can_be_derived(grid: Grid) -> None:
    _assert_protected(grid)


@settings(max_examples=40, deadline=None)
@given(linked_monthly_tables())
def test_no_hidden_figure_of_linked_breakdowns_can_be_derived(grid: Grid) -> None:
    _assert_protected(grid)


# -- the attack of the issue, and its control ------------------------------------------

ISSUE_ROWS = {"Einzelperson": [18, 11, 4], "Familie": [7, 9, 12]}


def _issue_grid(*, quarters: bool = True) -> Grid:
    counts = {
        (m, row): value for row, values in ISSUE_ROWS.items() for m, value in enumerate(values, 1)
    }
    return month_grid({"sought_by": counts}, [1, 2, 3], quarters=quarters)


def _publish_everything(grid: Grid, marks: dict) -> Collection:
    """Every node as an output shows it: months on one page, quarters on another."""
    from buendnis.core.disclosure.publication import Publication

    publication = Publication(grid, THRESHOLD, dict(marks))
    collection = Collection()
    for key in grid.nodes:
        output = "quarter view" if "q" in repr(key[-1]) else "month view"
        with recording(output, collection):
            publication.shown(key)
    return collection


def test_march_is_not_first_quarter_minus_january_and_february() -> None:
    grid = _issue_grid()
    publication = protect(grid, THRESHOLD)
    assert publication.shown(("sought_by", "Einzelperson", ("m", 3))) == "< 5"
    shown = [
        publication.shown(("sought_by", "Einzelperson", time))
        for time in (("m", 1), ("m", 2), ("q", 0))
    ]
    assert shown != [18, 11, 33], "January, February and the quarter would give March away"
    collection = _publish_everything(grid, publication.marks)
    report = audit(collection.figures, collection.grids)  # type: ignore[arg-type]
    assert report.hidden > 0 and report.pinned == []
    assert derivable_nodes(grid, publication.marks) == []


def test_the_audit_catches_protection_that_leaves_the_quarters_out() -> None:
    """The weakened protection of before: a month table protected alone, quarters beside it.

    Hiding March and June of both rows protects the month table on its own (a ±1 cycle runs
    through the four cells), but the first quarter's published 33 gives March away.
    """
    counts = {
        (m, row): value
        for row, values in {
            "Einzelperson": [18, 11, 4, 9, 12, 15],
            "Familie": [7, 9, 12, 8, 10, 11],
        }.items()
        for m, value in enumerate(values, 1)
    }
    marks = {
        ("sought_by", "Einzelperson", ("m", 3)): PRIMARY,
        ("sought_by", "Einzelperson", ("m", 6)): HIDDEN,
        ("sought_by", "Familie", ("m", 3)): HIDDEN,
        ("sought_by", "Familie", ("m", 6)): HIDDEN,
    }
    months_only = month_grid({"sought_by": counts}, list(range(1, 7)), quarters=False)
    alone = _publish_everything(months_only, marks)
    assert audit(alone.figures, alone.grids).pinned == []  # type: ignore[arg-type]
    grid = month_grid({"sought_by": counts}, list(range(1, 7)))
    collection = _publish_everything(grid, marks)
    report = audit(collection.figures, collection.grids)  # type: ignore[arg-type]
    [march] = [f for f in report.pinned if f.variables == [("sought_by", 3, "Einzelperson")]]
    assert march.low == march.high == 4
    assert set(march.outputs) == {"month view", "quarter view"}
    assert derivable_nodes(grid, marks) != []  # the independent checker agrees
    assert derivable_nodes(grid, protect(grid, THRESHOLD).marks) == []


def test_a_derived_figure_is_shown_only_when_the_nodes_determine_it() -> None:
    grid = _issue_grid()
    publication = protect(grid, THRESHOLD)
    months = [("sought_by", row, ("m", m)) for row in ISSUE_ROWS for m in (1, 2, 3)]
    shown = [key for key in months if key not in publication.marks]
    hidden = [key for key in months if key in publication.marks]
    both = {**grid.nodes[shown[0]].coefficients, **grid.nodes[shown[1]].coefficients}
    assert publication.figure(both) == grid.value_of(both)
    mixed = {**grid.nodes[shown[0]].coefficients, **grid.nodes[hidden[0]].coefficients}
    assert publication.figure(mixed) == "•"


def test_a_grid_of_ones_is_withheld_rather_than_given_away() -> None:
    counts = {(m, c): 1 for m in (1, 2) for c in ("a", "b")}
    grid = month_grid({"kind": counts}, [1, 2])
    publication = protect(grid, THRESHOLD)
    assert derivable_nodes(grid, publication.marks) == []
    assert all(
        not isinstance(publication.shown(key), int) or grid.nodes[key].value == 0
        for key in grid.nodes
    )
