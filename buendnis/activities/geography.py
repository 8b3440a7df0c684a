"""Hessen's 21 Landkreise and 5 kreisfreie Städte, shipped as data (© Destatis, see data/)."""

import csv
from collections.abc import Iterator
from pathlib import Path

KREISE_CSV = Path(__file__).resolve().parent / "data" / "hessen-kreise.csv"
KINDS = {"Landkreis": "landkreis", "Kreisfreie Stadt": "kreisfreie_stadt"}
ATTRIBUTION = (
    "© Statistisches Bundesamt (Destatis), 2019 — Vervielfältigung und Verbreitung, auch "
    "auszugsweise, mit Quellenangabe gestattet."
)


def read_kreise() -> Iterator[dict[str, str]]:
    """The shipped rows as field values of ``Kreis`` (key, name, kind, Regierungsbezirk)."""
    with KREISE_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield {
                "ags": row["ags"],
                "name": row["name"],
                "kind": KINDS[row["type"]],
                "regierungsbezirk": row["regierungsbezirk"],
            }
