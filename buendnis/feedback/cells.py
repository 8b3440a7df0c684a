"""Small-cell protection for one distribution of answers shown outside the running organisation.

Counts from 1 to the threshold minus one are hidden ("< 5", primary); then further counts
are hidden ("•", complementary) until no hidden count can be worked out from the published
ones and the row's total. A primary cell is known to lie between 1 and the threshold minus
one, a complementary one to be at least the threshold; a hidden cell is safe when those
bounds and the total still allow it two values.
"""

WITHHELD = "–"


def _safe(counts: list[int], primary: set[int], complementary: set[int], threshold: int) -> bool:
    hidden = primary | complementary
    total = sum(counts[i] for i in hidden)
    bounds = {i: (1, threshold - 1) for i in primary} | {
        i: (threshold, total) for i in complementary
    }
    for i, (low, high) in bounds.items():
        others_low = sum(b[0] for j, b in bounds.items() if j != i)
        others_high = sum(b[1] for j, b in bounds.items() if j != i)
        if min(high, total - others_low) <= max(low, total - others_high):
            return False
    return True


def protect_row(counts: list[int], threshold: int) -> list[int | str]:
    """The counts as they may be published next to their (published) total."""
    primary = {i for i, count in enumerate(counts) if 0 < count < threshold}
    complementary: set[int] = set()
    while primary and not _safe(counts, primary, complementary, threshold):
        candidates = [
            i for i, count in enumerate(counts) if count >= threshold and i not in complementary
        ]
        if not candidates:
            return [WITHHELD] * len(counts)
        complementary.add(min(candidates, key=lambda i: counts[i]))
    return [
        f"< {threshold}" if i in primary else "•" if i in complementary else count
        for i, count in enumerate(counts)
    ]
