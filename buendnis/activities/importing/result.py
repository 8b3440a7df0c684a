"""What an import reports: its counts, the preview's first rows and every problem."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ImportProblem:
    """One problem, named by row and column, in words a coordinator understands."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Zeile %(row)s, Spalte „%(column)s“: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Zeile %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass(frozen=True)
class PreviewRow:
    """One of the first rows, as the preview shows it."""

    row: int
    external_ref: str
    title: str
    format: str
    starts_at: datetime.datetime | None
    place: str
    participants: int | None
    state: str  # "new", "present" or "invalid"


@dataclass
class ImportResult:
    """What an import found (and, unless it was a dry run without problems, wrote)."""

    rows: int = 0
    to_create: int = 0
    already_present: int = 0
    created: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems
