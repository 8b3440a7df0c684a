"""A publication grid: the unknowns an attacker faces, the facts they know, and the figures.

``Grid`` holds non-negative integer *variables* (the finest cells Bündnis counts, e.g.
contacts of one month in one category), *facts* every attacker knows from how the data is
built (all breakdowns of a month add up to the same total, sector counts add up to the
multipliers), and *nodes*: every figure any output may publish for the grid, each a sum of
variables with its true value. ``protect`` decides once, for all nodes together, which are
shown and which are hidden; every output then reads its figures from that one
``Publication``, so no two outputs can be laid side by side to undo it.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

Coefficients = Mapping[int, int]


@dataclass(frozen=True)
class Fact:
    """Something known about the variables regardless of any output: lo ≤ Σ c·x ≤ hi."""

    coefficients: tuple[tuple[int, int], ...]
    low: float
    high: float


@dataclass
class Node:
    """A figure some output may publish: the sum of its variables."""

    key: Hashable
    coefficients: dict[int, int]
    value: int


@dataclass
class Grid:
    """Variables with their true values, the facts about them and the publishable nodes."""

    name: str
    variables: list[Hashable] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    nodes: dict[Hashable, Node] = field(default_factory=dict)
    _index: dict[Hashable, int] = field(default_factory=dict)
    # the fingerprint, once computed; every change to the grid forgets it
    _fingerprint: str | None = field(default=None, repr=False, compare=False)

    def variable(self, key: Hashable, value: int = 0) -> int:
        """The index of the variable ``key``, created (with its true value) on first use."""
        self._fingerprint = None
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = len(self.variables)
            self.variables.append(key)
            self.values.append(0)
        self.values[index] += value
        return index

    def has(self, key: Hashable) -> bool:
        return key in self._index

    def index(self, key: Hashable) -> int | None:
        return self._index.get(key)

    def fact(self, coefficients: Coefficients, low: float, high: float) -> None:
        """Record what everybody knows: ``low ≤ Σ coefficient · variable ≤ high``.

        A fact the data do not bear out (a rule the records broke) is left out: the model
        must describe the data as they are, or nothing could be published from it.
        """
        self._fingerprint = None
        terms = tuple(sorted((i, c) for i, c in coefficients.items() if c))
        if terms and low <= sum(self.values[i] * c for i, c in terms) <= high:
            self.facts.append(Fact(terms, low, high))

    def same_sum(self, first: Iterable[int], second: Iterable[int]) -> None:
        """Two breakdowns of the same things add up to the same total."""
        coefficients: dict[int, int] = {}
        for index in first:
            coefficients[index] = coefficients.get(index, 0) + 1
        for index in second:
            coefficients[index] = coefficients.get(index, 0) - 1
        self.fact(coefficients, 0, 0)

    def at_most(self, part: Iterable[int], whole: Iterable[int]) -> None:
        """A part never exceeds its whole: Σ part − Σ whole ≤ 0."""
        coefficients: dict[int, int] = {}
        for index in part:
            coefficients[index] = coefficients.get(index, 0) + 1
        for index in whole:
            coefficients[index] = coefficients.get(index, 0) - 1
        self.fact(coefficients, float("-inf"), 0)

    def node(self, key: Hashable, variable_keys: Iterable[Hashable]) -> Node:
        """Declare a publishable figure: the sum of the named variables (missing ones are 0)."""
        self._fingerprint = None
        coefficients: dict[int, int] = {}
        for variable_key in variable_keys:
            index = self._index.get(variable_key)
            if index is not None:
                coefficients[index] = coefficients.get(index, 0) + 1
        value = sum(self.values[i] * c for i, c in coefficients.items())
        node = Node(key, coefficients, value)
        self.nodes[key] = node
        return node

    def value_of(self, coefficients: Coefficients) -> int:
        return sum(self.values[i] * c for i, c in coefficients.items())

    def fingerprint(self) -> str:
        """What decides the protection: the structure and every true value.

        Hashing a large grid takes tens of milliseconds, so the answer is kept until the grid
        changes (a cached grid carries it).
        """
        import hashlib

        if self._fingerprint is not None:
            return self._fingerprint

        digest = hashlib.sha256(self.name.encode())
        digest.update(repr(self.variables).encode())
        digest.update(repr(self.values).encode())
        digest.update(repr(self.facts).encode())
        digest.update(
            repr(
                sorted((repr(k), sorted(n.coefficients.items())) for k, n in self.nodes.items())
            ).encode()
        )
        self._fingerprint = digest.hexdigest()
        return self._fingerprint
