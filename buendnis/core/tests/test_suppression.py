"""The primary rule for single figures outside the grids (see ``test_disclosure_grid``)."""

import pytest

from buendnis.core.suppression import share_withheld, suppressed


@pytest.mark.parametrize(("value", "shown"), [(None, None), (0, 0), (1, "< 5"), (4, "< 5"), (5, 5)])
def test_single_figures_are_suppressed_between_one_and_the_threshold(value, shown, settings):
    settings.SUPPRESSION_THRESHOLD = 5
    assert suppressed(value) == shown


@pytest.mark.parametrize(
    ("part", "whole", "withheld"), [(3, 40, True), (36, 40, True), (20, 40, False), (0, 40, False)]
)
def test_a_share_is_withheld_when_its_part_or_the_rest_is_small(part, whole, withheld):
    assert share_withheld(part, whole, 5) is withheld
