"""A Frictionless Data Package of an agreement's protected figures for one calendar year.

``datapackage.json`` describes the package (German and English), its licence, sources,
contributors and the protection rule, and holds a Table Schema for each CSV: field types,
descriptions, primary keys and the protection marks as ``missingValues``. The files are
built once per state of the data: the cache key holds the fingerprints of the three
publication grids they are read from.
"""

import csv
import datetime
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from buendnis.activities.grid import activities_grid
from buendnis.agreements.models import Agreement, AgreementPartner
from buendnis.core.disclosure.publication import HIDDEN_MARK, WITHHELD_MARK, primary_mark
from buendnis.counselling.grid import counselling_grid
from buendnis.feedback.grid import feedback_grid
from buendnis.opendata.tables import Column, Table, tables

DESCRIPTOR = "datapackage.json"
CACHE_SECONDS = 24 * 3600
LICENSE = {
    "name": "dl-de-by-2.0",
    "path": "https://www.govdata.de/dl-de/by-2-0",
    "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
}
# Why this licence: it is the one German public administration publishes open data under
# (GovData), it asks only for attribution, and it is compatible with CC BY 4.0.


@dataclass
class Package:
    """The package's files by name (``datapackage.json`` and one CSV per table)."""

    name: str
    files: dict[str, bytes]

    def zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for filename, content in self.files.items():
                archive.writestr(f"{self.name}/{filename}", content)
        return buffer.getvalue()


def package_name(agreement: Agreement, year: int) -> str:
    """A Data Package name: lower-case letters, digits, "-", "_" and "." only."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", agreement.slug.lower()).strip("-")
    return f"buendnis-{slug}-{year}"


def marks() -> dict[str, tuple[str, str]]:
    """Each protection mark with what it means, in German and English."""
    threshold = settings.SUPPRESSION_THRESHOLD
    return {
        primary_mark(threshold): (
            f"Geschützt: ein Wert von 1 bis {threshold - 1}.",
            f"Protected: a value from 1 to {threshold - 1}.",
        ),
        HIDDEN_MARK: (
            f"Geschützt, damit kein kleiner Wert errechnet werden kann; mindestens {threshold}.",
            f"Protected so that no small value can be worked out; at least {threshold}.",
        ),
        WITHHELD_MARK: (
            "Zurückgehalten: nicht zu schützen, darum nicht veröffentlicht.",
            "Withheld: it could not be protected, so it is not published.",
        ),
        "": (
            "Leer: ein Anteil, der nicht veröffentlicht wird (zu wenige Antworten oder "
            "geschützte Zahlen).",
            "Empty: a share that is not published (too few answers or protected counts).",
        ),
    }


def protection_rule() -> tuple[str, str]:
    """The protection rule, in German and English."""
    threshold = settings.SUPPRESSION_THRESHOLD
    return (
        f"Zahlen von 1 bis {threshold - 1} werden als „{primary_mark(threshold)}“ "
        "geschützt. Weitere Zahlen werden als „•“ geschützt, wo man sonst eine kleine Zahl "
        "aus allem, was Bündnis veröffentlicht (Seiten, Exporte, Berichte, API, diese Daten), "
        "errechnen könnte; was nicht zu schützen ist, wird als „–“ zurückgehalten. Anteile "
        "stehen nur, wo die Zahlen dahinter veröffentlicht sind.",
        f"Counts from 1 to {threshold - 1} are protected as “{primary_mark(threshold)}”. "
        "Further counts are protected as “•” where a small count could otherwise be worked "
        "out from everything Bündnis publishes (pages, exports, reports, the API, these "
        "data); what cannot be protected is withheld as “–”. Shares are given only where the "
        "counts behind them are published.",
    )


def _field(column: Column) -> dict:
    if column.protected:
        constraints: dict = {"minimum": 0}
    else:
        constraints = {} if column.optional else {"required": True}
    return {
        "name": column.name,
        "type": column.type,
        "title": column.title,
        "description": f"{column.de} — English: {column.en}",
        "constraints": constraints,
    }


def _resource(table: Table) -> dict:
    missing = marks()
    protected = [c for c in table.columns if c.protected]
    explanation_de = " ".join(f"„{m}“: {de}" for m, (de, _en) in missing.items() if m)
    explanation_en = " ".join(f"“{m}”: {en}" for m, (_de, en) in missing.items() if m)
    description = f"{table.de}\n\nEnglish: {table.en}"
    if protected:
        description += (
            f"\n\nGeschützte Zellen ({', '.join(c.name for c in protected)}): {explanation_de}"
            f"\n\nProtected cells: {explanation_en}"
        )
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [_field(c) for c in table.columns],
            "primaryKey": table.primary_key,
            "missingValues": list(missing),
        },
    }


def descriptor(
    agreement: Agreement, year: int, made: list[Table], created: datetime.datetime
) -> dict:
    """The ``datapackage.json`` of the tables."""
    rule_de, rule_en = protection_rule()
    partners = AgreementPartner.objects.filter(agreement=agreement).select_related("organisation")
    contributors = [
        {
            "title": p.organisation.display_name,
            "role": "publisher" if p.role == AgreementPartner.Role.MINISTRY else "author",
        }
        for p in partners.order_by("position", "id")
    ]
    return {
        "profile": "tabular-data-package",
        "name": package_name(agreement, year),
        "title": f"Integrationsvereinbarung „{agreement.title}“ – Kennzahlen {year}",
        "description": (
            f"Geschützte Jahreszahlen {year} der Integrationsvereinbarung „{agreement.title}“: "
            "Aktivitäten und Teilnahmen nach Region und Format, Reichweite nach Kategorie, "
            "Beratungskontakte nach Merkmal und Thema und die Zustimmung in den anonymen "
            f"Rückmeldungen. Schutzregel: {rule_de}\n\n"
            f"English: Protected yearly figures {year} of the integration agreement "
            f"“{agreement.title}”: activities and attendances by region and format, reach by "
            "category, counselling contacts by breakdown and topic, and the share agreeing in "
            f"the anonymous feedback. Protection rule: {rule_en}"
        ),
        "created": created.isoformat(timespec="seconds"),
        "keywords": ["Integration", "Hessen", "Integrationsvereinbarung", str(year)],
        "licenses": [LICENSE],
        "sources": [
            {
                "title": "Bündnis – Dokumentation der Vereinbarungspartner (Aktivitäten, "
                "Beratung, anonyme Rückmeldungen) / documentation by the agreement's partners",
            }
        ],
        "contributors": contributors,
        "protection": {
            "threshold": settings.SUPPRESSION_THRESHOLD,
            "rule_de": rule_de,
            "rule_en": rule_en,
            "marks": {m: {"de": de, "en": en} for m, (de, en) in marks().items()},
        },
        "resources": [_resource(t) for t in made],
    }


def _csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    writer.writerows(table.rows)
    return buffer.getvalue().encode()


def build(agreement: Agreement, year: int) -> Package:
    """Build the package from the protected grids (every figure as the public sees it)."""
    made = tables(agreement, year)
    created = timezone.now().replace(microsecond=0)
    files = {
        DESCRIPTOR: json.dumps(
            descriptor(agreement, year, made, created), ensure_ascii=False, indent=2
        ).encode()
        + b"\n"
    }
    for table in made:
        files[f"{table.name}.csv"] = _csv(table)
    return Package(package_name(agreement, year), files)


def _fingerprint(agreement: Agreement, year: int) -> str:
    parts = [
        agreement.slug,
        agreement.title,
        str(year),
        str(settings.SUPPRESSION_THRESHOLD),
        activities_grid(agreement=agreement).fingerprint(),
        counselling_grid(agreement=agreement).fingerprint(),
        feedback_grid(agreement=agreement).fingerprint(),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def package(agreement: Agreement, year: int) -> Package:
    """The package, built once per state of the grids behind it and kept in the cache."""
    key = f"opendata:{_fingerprint(agreement, year)}"
    files = cache.get(key)
    if files is None:
        built = build(agreement, year)
        cache.set(key, built.files, CACHE_SECONDS)
        return built
    return Package(package_name(agreement, year), files)


def write(target: "object", built: Package) -> None:
    """Write the package's files into the directory ``target`` (a ``pathlib.Path``)."""
    for filename, content in built.files.items():
        (target / filename).write_bytes(content)  # type: ignore[operator]
