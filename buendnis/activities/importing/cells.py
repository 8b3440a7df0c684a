"""One row's cells read by column key: text, numbers, moments, yes/no and lists."""

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.activities.export import columns_for, unquote_text
from buendnis.activities.importing.result import ImportProblem
from buendnis.activities.models import ReachCategory

DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y",
    "%Y-%m-%d",
)
TRUE_WORDS = {"ja", "j", "x", "1", "true", "wahr", "yes", "y", "online"}
FALSE_WORDS = {"nein", "n", "0", "false", "falsch", "no", ""}


def norm(text: Any) -> str:
    """Compare headers and names without case and extra spaces."""
    return " ".join(str(text or "").split()).casefold()


class Row:
    """Read one row's cells by column key, collecting problems instead of raising."""

    def __init__(
        self,
        number: int,
        cells: dict[str, Any],
        columns: dict[str, str],
        categories: Sequence[ReachCategory],
    ) -> None:
        self.number, self.cells, self.columns = number, cells, columns
        self.categories = categories
        self.problems: list[ImportProblem] = []
        self.keys_with_problems: set[str] = set()

    def column(self, key: str) -> str:
        """The column's name as the file writes it (or as the export would)."""
        if key in self.columns:
            return self.columns[key]
        for column in columns_for(self.categories):
            if column.key == key:
                return column.header
        return key

    def problem(self, key: str, message: str) -> None:
        """Record a problem in this row's column ``key``."""
        self.problems.append(ImportProblem(self.number, self.column(key), message))
        self.keys_with_problems.add(key)

    def raw(self, key: str) -> Any:
        """The cell as read: strings stripped, without the export's formula guard."""
        value = self.cells.get(key)
        return unquote_text(value.strip()) if isinstance(value, str) else value

    def text(self, key: str, *, max_length: int, required: bool = False) -> str:
        """The cell as text, checked for presence and length."""
        value = self.raw(key)
        text = "" if value is None else str(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if required and not text:
            self.problem(key, _("Das Feld darf nicht leer sein."))
        elif len(text) > max_length:
            self.problem(
                key,
                _("Der Text ist %(length)s Zeichen lang, erlaubt sind höchstens %(max)s.")
                % {"length": len(text), "max": max_length},
            )
        return text

    def integer(self, key: str) -> int | None:
        """A whole number (blank means 0); ``None`` if the cell holds something else."""
        value = self.raw(key)
        if value in (None, ""):
            return 0
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value):
            return int(value)
        self.problem(key, _("„%(value)s“ ist keine ganze Zahl.") % {"value": value})
        return None

    def decimal(self, key: str) -> Decimal | None:
        """A decimal number with comma or point; blank means no value."""
        value = self.raw(key)
        if value in (None, ""):
            return None
        if isinstance(value, int | float):
            return Decimal(str(value))
        text = str(value).replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) >= Decimal("100000"):
            self.problem(key, _("„%(value)s“ ist keine gültige Zahl.") % {"value": value})
            return None
        return number.quantize(Decimal("0.01"))

    def moment(self, key: str, *, required: bool = False) -> datetime.datetime | None:
        """A date with time (``TT.MM.JJJJ HH:MM`` or ``JJJJ-MM-TT HH:MM``), made aware."""
        value = self.raw(key)
        if value in (None, ""):
            if required:
                self.problem(key, _("Das Feld darf nicht leer sein."))
            return None
        moment = None
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, datetime.date):
            moment = datetime.datetime.combine(value, datetime.time())
        else:
            for pattern in DATETIME_FORMATS:
                try:
                    moment = datetime.datetime.strptime(str(value), pattern)
                    break
                except ValueError:
                    continue
        if moment is None:
            self.problem(
                key,
                _("„%(value)s“ ist kein gültiger Zeitpunkt. Bitte als TT.MM.JJJJ HH:MM angeben.")
                % {"value": value},
            )
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def boolean(self, key: str) -> bool:
        """„ja“/„nein“ (and their usual spellings); blank means no."""
        value = self.raw(key)
        if isinstance(value, bool):
            return value
        word = norm(value)
        if word in TRUE_WORDS:
            return True
        if word not in FALSE_WORDS:
            self.problem(
                key, _("Bitte „ja“ oder „nein“ angeben, nicht „%(value)s“.") % {"value": value}
            )
        return False

    def words(self, key: str) -> list[str]:
        """A list cell (``de, ar`` or ``Z1; Z2``) split into its items."""
        value = self.raw(key)
        return [w for w in re.split(r"[,;]\s*|\s+", str(value or "").strip()) if w]
