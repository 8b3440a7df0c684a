"""What an import reports: its counts, the preview's first rows and every problem."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import number_format
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


MAX_PROBLEMS = 1000  # reading stops here: a file this wrong needs fixing at its source


@dataclass
class ImportResult:
    """What an import found (and, unless it was a dry run without problems, wrote)."""

    rows: int = 0
    to_create: int = 0
    already_present: int = 0
    created: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    stopped_early: bool = False  # MAX_PROBLEMS were found before the end of the file

    @property
    def stopped_message(self) -> str:
        """Why the problems end where they do (empty when the whole file was read)."""
        if not self.stopped_early:
            return ""
        return _(
            "Nach %(max)s Problemen wurde die Datei nicht weiter gelesen; es kann weitere geben."
        ) % {"max": number_format(MAX_PROBLEMS, force_grouping=True)}

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems
