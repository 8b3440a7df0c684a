"""Report data as shown: tables of formatted cells, the same for HTML, PDF and XLSX.

A display table is ``{"key", "id", "title", "stub", "columns", "rows"}``; a column is
``{"label", "kind"}`` and a row ``{"label", "kind", "cells"}`` (``kind`` row, subtotal or
total). A cell keeps ``text`` (formatted with ``format_value``), ``value`` (the number for a
spreadsheet, or the text of a marker such as "< 5") and ``kind``: ``count`` marks counts
of people or activities, which the ministry's copy protects.
"""

from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buendnis.evaluation.engine import STATUS_LABELS
from buendnis.evaluation.periods import AGREEMENT_YEAR, CALENDAR, Period
from buendnis.evaluation.report.formatting import (
    EMPTY,
    PERCENT,
    YES_NO_UNITS,
    as_decimal,
    format_change,
    format_value,
)
from buendnis.evaluation.report.tables import COUNT, CURRENT, PREVIOUS, SPECS, TEXT, Spec
from buendnis.feedback.results import label_of

LEVELS = range(1, 8)


def period_short(period: Period) -> str:
    """A period short enough for a column heading: ``2025``, ``2025/26``, ``1.1.26 – 30.6.26``."""
    if period.kind == CALENDAR:
        return str(period.start.year)
    if period.kind == AGREEMENT_YEAR:
        return f"{period.start.year}/{str(period.end.year)[2:]}"
    first, last = (formats.date_format(day, "j.n.y") for day in (period.start, period.end))
    return f"{first} – {last}"


def cell(value: object, kind: str, unit: str = "") -> dict[str, Any]:
    """One table cell: formatted text, the spreadsheet value and its kind."""
    if kind == TEXT:
        return {
            "text": str(value) if value not in (None, "") else EMPTY,
            "value": value,
            "kind": kind,
        }
    shown_unit = PERCENT if kind == "percent" else unit
    text = format_value(value, shown_unit)
    number = as_decimal(value)
    if number is None or shown_unit in YES_NO_UNITS:
        spreadsheet: object = text if value is not None else None
    elif number == number.to_integral_value() and kind != "percent":
        spreadsheet = int(number)
    else:
        spreadsheet = float(number)
    return {"text": text, "value": spreadsheet, "kind": kind}


def _table(key: str, title: str, stub: str, columns: list[tuple[str, str]]) -> dict[str, Any]:
    """An empty display table with its headings."""
    return {
        "key": key,
        "id": f"bericht-tabelle-{key}",
        "title": title,
        "stub": stub,
        "columns": [{"label": label, "kind": kind} for label, kind in columns],
        "rows": [],
    }


def data_label(spec: Spec, row: dict[str, Any]) -> str:
    """A row's label: a question in the reader's language, a choice's label, or the data's."""
    if row.get("labels"):
        return label_of(row["labels"]) or spec.row_label(row)
    return spec.row_label(row)


def _heading(column: Any, labels: dict[str, str]) -> str:
    """A column heading; period columns name their period."""
    if column.key in (CURRENT, PREVIOUS):
        return labels[column.period]
    if column.period:
        return f"{column.label} {labels[column.period]}"
    return str(column.label)


def data_table(
    data: dict[str, Any],
    key: str,
    *,
    only: tuple[str, ...] | None = None,
    suffix: str = "",
    title: str | None = None,
) -> dict[str, Any] | None:
    """A table of the report data for display; ``only`` picks some of its columns."""
    table = data["tables"].get(key)
    if table is None:
        return None
    spec = SPECS[key]
    labels = data["period_labels"]
    columns = [c for c in spec.columns if not c.hidden and (only is None or c.key in only)]
    shown = _table(
        key + suffix,
        title or str(spec.title),
        str(spec.stub),
        [(_heading(c, labels), c.kind) for c in columns],
    )

    def row(label: str, kind: str, values: dict[str, Any]) -> dict[str, Any]:
        """One display row of the table's columns."""
        cells = []
        for column in columns:
            value = values.get(column.key)
            if column.choices is not None and value:
                value = str(column.choices(value).label)
            cells.append(cell(value, column.kind))
        return {"label": label, "kind": kind, "cells": cells}

    groups = table.get("groups") or [{"key": None, "label": ""}]
    for group in groups:
        members = [
            r for r in table["rows"] if group["key"] is None or r.get("group") == group["key"]
        ]
        shown["rows"] += [row(data_label(spec, r), "row", r["values"]) for r in members]
        if group["key"] is not None:
            name = group["label"] or (
                str(spec.group_choices(group["key"]).label) if spec.group_choices else group["key"]
            )
            subtotal = table["subtotals"][group["key"]]
            shown["rows"].append(
                row(_("Zwischensumme %(group)s") % {"group": name}, "subtotal", subtotal)
            )
    if table["total"] is not None:
        shown["rows"].append(row(str(spec.total_label), "total", table["total"]))
    return shown


FACTS = {
    "staff_hours": (gettext_lazy("Personalstunden"), "decimal"),
    "activities": (gettext_lazy("Durchgeführte Aktivitäten"), COUNT),
    "organisations": (gettext_lazy("Dokumentierende Organisationen"), "number"),
    "network_partners": (gettext_lazy("Beteiligte Netzwerkpartner"), "number"),
    "attendances": (gettext_lazy("Teilnahmen"), COUNT),
    "first_timers": (gettext_lazy("Erstmals erreichte Personen"), COUNT),
    "responses": (gettext_lazy("Rückmeldungen (ausgefüllte Fragebögen)"), COUNT),
    "share_within": (gettext_lazy("Anteil fristgerecht dokumentiert"), "percent"),
    "median_lag": (gettext_lazy("Median der Tage vom Ende bis zur Dokumentation"), "number"),
}


def facts_table(data: dict[str, Any], key: str, title: str) -> dict[str, Any] | None:
    """Key figures of one section, the period beside the previous one."""
    facts = data["facts"].get(key)
    if not facts:
        return None
    labels = data["period_labels"]
    shown = _table(
        f"facts_{key}", title, _("Kennzahl"), [(labels[CURRENT], ""), (labels[PREVIOUS], "")]
    )
    for fact in facts:
        label, kind = FACTS[fact["key"]]
        shown["rows"].append(
            {
                "label": str(label),
                "kind": "row",
                "cells": [cell(fact["current"], kind), cell(fact["previous"], kind)],
            }
        )
    return shown


def indicator_kind(indicator: dict[str, Any]) -> str:
    """What an indicator's value is: a percentage, a yes/no, or a count."""
    if indicator["unit"] == PERCENT:
        return "percent"
    if indicator["unit"] in YES_NO_UNITS or indicator["source"] == "evaluation":
        return "flag"
    return COUNT if not indicator["rate"] else "number"


def indicator_name(indicator: dict[str, Any]) -> str:
    """Code, name and unit (unless the unit is % or yes/no)."""
    unit = indicator["unit"]
    suffix = f" ({unit})" if unit and unit != PERCENT and unit not in YES_NO_UNITS else ""
    return f"{indicator['code']} {indicator['name']}{suffix}"


def achievement(indicator: dict[str, Any], field: str = "actual") -> Decimal | None:
    """The value as a percentage of the target, when both are numbers and the target > 0."""
    value, target = as_decimal(indicator[field]), as_decimal(indicator["target"])
    if value is None or not target or indicator["unit"] in YES_NO_UNITS:
        return None
    return (value * 100 / target).quantize(Decimal("0.1"))


def indicator_table(
    data: dict[str, Any], indicators: list[dict[str, Any]], key: str, title: str
) -> dict[str, Any]:
    """Indicators with level, target, actual, previous period, achievement and status."""
    labels = data["period_labels"]
    shown = _table(
        key,
        title,
        _("Indikator"),
        [
            (_("Stufe"), "level"),
            (_("Ziel"), "target"),
            (_("Ist %(period)s") % {"period": labels[CURRENT]}, ""),
            (labels[PREVIOUS], ""),
            # xgettext:no-python-format
            (_("Ist in % des Ziels"), "percent"),
            (_("Status"), TEXT),
        ],
    )
    for indicator in indicators:
        kind, unit = indicator_kind(indicator), indicator["unit"]
        shown["rows"].append(
            {
                "label": indicator_name(indicator),
                "kind": "row",
                "cells": [
                    cell(_("Stufe %(level)s") % {"level": indicator["level"]}, TEXT),
                    cell(indicator["target"], "target", unit),
                    cell(indicator["actual"], kind, unit),
                    cell(indicator["previous"], kind, unit),
                    cell(achievement(indicator), "percent"),
                    cell(str(STATUS_LABELS.get(indicator["status"], indicator["status"])), TEXT),
                ],
                "note": indicator.get("note", ""),
            }
        )
    return shown


def comparison_table(data: dict[str, Any]) -> dict[str, Any]:
    """Every indicator: previous period, this period and the change."""
    labels = data["period_labels"]
    shown = _table(
        "comparison",
        _("Vergleich mit der Vorperiode"),
        _("Indikator"),
        [(labels[PREVIOUS], ""), (labels[CURRENT], ""), (_("Veränderung"), "change")],
    )
    for indicator in data["indicators"]:
        kind, unit = indicator_kind(indicator), indicator["unit"]
        change = format_change(indicator["actual"], indicator["previous"], unit)
        now, before = as_decimal(indicator["actual"]), as_decimal(indicator["previous"])
        delta = (
            float(now - before)
            if change != EMPTY and now is not None and before is not None
            else change
        )
        shown["rows"].append(
            {
                "label": indicator_name(indicator),
                "kind": "row",
                "cells": [
                    cell(indicator["previous"], kind, unit),
                    cell(indicator["actual"], kind, unit),
                    {"text": change, "value": delta, "kind": "change"},
                ],
            }
        )
    return shown


def levels_table(data: dict[str, Any]) -> dict[str, Any]:
    """The Wirkungstreppe: which indicators speak to which of its seven steps."""
    from buendnis.agreements.models import Indicator

    shown = _table(
        "levels",
        _("Wirkungstreppe"),
        _("Stufe"),
        [
            (_("Indikatoren"), "number"),
            (_("davon erreicht oder auf Kurs"), "number"),
            (_("Kürzel"), TEXT),
        ],
    )
    for level in LEVELS:
        found = [i for i in data["indicators"] if i["level"] == level]
        good = [i for i in found if i["status"] in ("reached", "on_track")]
        shown["rows"].append(
            {
                "label": str(Indicator.Level(level).label),
                "kind": "row",
                "cells": [
                    cell(len(found), "number"),
                    cell(len(good), "number"),
                    cell(", ".join(i["code"] for i in found), TEXT),
                ],
            }
        )
    return shown


def summary_table(data: dict[str, Any]) -> dict[str, Any]:
    """How many indicators reached their target, are on track, behind or without data."""
    shown = _table(
        "summary", _("Indikatoren nach Status"), _("Status"), [(_("Indikatoren"), "number")]
    )
    for status, label in STATUS_LABELS.items():
        count = sum(1 for i in data["indicators"] if i["status"] == status)
        shown["rows"].append({"label": str(label), "kind": "row", "cells": [cell(count, "number")]})
    shown["rows"].append(
        {"label": _("Summe"), "kind": "total", "cells": [cell(len(data["indicators"]), "number")]}
    )
    return shown
