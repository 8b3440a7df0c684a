"""``buendnis audit-verify``: walk the audit log's hash chain; exit 1 at the first break."""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from buendnis.audit.chain import verify


class Command(BaseCommand):
    help = (
        "Protokoll auf Manipulation prüfen (Hash-Kette) / verify the audit log's hash chain: "
        "exit 0 with the number of entries, exit 1 naming the first changed, removed or "
        "inserted entry"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify()
        if verdict.broken is not None:
            self.stderr.write(verdict.broken.message())
            sys.exit(1)
        self.stdout.write(
            f"Protokoll unverändert: {verdict.entries} Einträge / audit log intact: "
            f"{verdict.entries} entries"
        )
