"""The audit log as CSV: UTF-8 with BOM, ``;``-separated, streamed row by row."""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from buendnis.activities.export import quote_text
from buendnis.audit.display import actor_name, changes_of, object_type_label
from buendnis.audit.models import AuditEntry
from buendnis.audit.selectors import iterate

BOM = "\ufeff"
DELIMITER = ";"


class _Line:
    """A file-like target that hands back what the csv writer wrote."""

    def write(self, value: str) -> str:
        return value


def _changes_text(entry: AuditEntry) -> str:
    return " | ".join(
        f"{change.label}: {change.new}"
        if change.hidden
        else f"{change.label}: {change.old} → {change.new}"
        for change in changes_of(entry)
    )


def audit_csv(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """The header and one line per entry (cells that look like formulas are quoted)."""
    writer = csv.writer(_Line(), delimiter=DELIMITER)
    yield BOM + writer.writerow(
        [
            _("Nr."), _("Zeitpunkt"), _("Person"), _("Organisation"), _("Aktion"), _("Art"),
            _("Objekt-Nr."), _("Objekt"), _("Änderungen"), _("Anfrage"), _("Hash"),
        ]
    )  # fmt: skip
    for entry in iterate(entries):
        yield writer.writerow(
            [
                entry.sequence,
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                quote_text(actor_name(entry)),
                quote_text(entry.organisation.name if entry.organisation else ""),
                entry.get_action_display(),
                object_type_label(entry.object_type),
                entry.object_id,
                quote_text(entry.object_label),
                quote_text(_changes_text(entry)),
                entry.request_id,
                entry.hash,
            ]
        )
