"""Small-cell protection of one distribution: no hidden count follows from the total."""

from itertools import product

from hypothesis import given
from hypothesis import strategies as st

from buendnis.feedback.cells import protect_row


def test_it_publishes_a_row_without_small_counts_unchanged() -> None:
    assert protect_row([0, 6, 12, 0, 5], 5) == [0, 6, 12, 0, 5]


def test_it_hides_a_lone_small_count_together_with_another() -> None:
    assert protect_row([2, 9, 14, 30, 12], 5) == ["< 5", "•", 14, 30, 12]


def test_it_keeps_two_small_counts_that_protect_each_other() -> None:
    assert protect_row([1, 3, 10, 20, 7], 5) == ["< 5", "< 5", 10, 20, 7]


def test_it_withholds_a_row_it_cannot_protect() -> None:
    assert protect_row([3, 0, 0, 0, 0], 5) == ["–"] * 5


def _candidates(published: list[int | str], total: int, threshold: int) -> list[tuple[int, ...]]:
    """Every row an attacker who knows the total and the published cells must consider."""
    ranges = []
    for cell in published:
        if cell == "< 5":
            ranges.append(range(1, threshold))
        elif cell == "•":
            ranges.append(range(threshold, total + 1))
        else:
            ranges.append(range(cell, cell + 1))  # type: ignore[arg-type]
    return [row for row in product(*ranges) if sum(row) == total]


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=5))
def test_it_leaves_every_hidden_count_with_two_possible_values(counts: list[int]) -> None:
    published = protect_row(counts, 5)
    if published == ["–"] * len(counts):
        return
    rows = _candidates(published, sum(counts), 5)
    assert tuple(counts) in rows
    for index, cell in enumerate(published):
        if cell in ("< 5", "•"):
            assert len({row[index] for row in rows}) >= 2, (counts, published)
