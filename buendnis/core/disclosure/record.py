"""What each output published, collected for the attacker audit.

While ``recording(output, collection)`` is active, every figure a ``Publication`` hands out
is noted with the output's name: the grid, the sum of variables it stands for, and what was
shown. The audit lays all of them side by side, as an attacker with every export would.
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

Signature = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Published:
    """One figure as an output showed it; ``low``/``high`` bound what it tells."""

    output: str
    grid: str
    signature: Signature
    shown: object
    low: float
    high: float
    # A share or mean: ``signature`` is the numerator, ``denominator`` the whole.
    denominator: Signature = ()


@dataclass
class Collection:
    """Everything published while recording, and the grids the figures belong to."""

    figures: list[Published] = field(default_factory=list)
    grids: dict[str, object] = field(default_factory=dict)
    exact: list[str] = field(default_factory=list)  # outputs that showed exact figures


_current: ContextVar[tuple[str, Collection] | None] = ContextVar("disclosure_record", default=None)


@contextlib.contextmanager
def recording(output: str, into: Collection) -> Iterator[Collection]:
    """Collect every figure published while the block runs, labelled with ``output``."""
    token = _current.set((output, into))
    try:
        yield into
    finally:
        _current.reset(token)


def is_recording() -> bool:
    """Whether an audit collects figures now (outputs skip the bookkeeping otherwise)."""
    return _current.get() is not None


def note(
    grid: object,
    signature: Signature,
    shown: object,
    low: float,
    high: float,
    denominator: Signature = (),
) -> None:
    """Remember a published figure of ``grid`` if an audit is recording."""
    active = _current.get()
    if active is None:
        return
    output, into = active
    name = grid.name  # type: ignore[attr-defined]
    into.grids.setdefault(name, grid)
    into.figures.append(Published(output, name, signature, shown, low, high, denominator))
