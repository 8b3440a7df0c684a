"""The report's sections built from its data: tables and charts, in reading order.

Structured like the Social Reporting Standard (input, output, outcome, evaluation,
comparison) and the Wirkungstreppe. Charts plot only published numbers; every chart is
followed by the table holding its data.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buendnis.evaluation.report import display
from buendnis.evaluation.report.charts import Chart, bar_chart
from buendnis.evaluation.report.formatting import YES_NO_UNITS, as_decimal
from buendnis.evaluation.report.tables import CURRENT, PREVIOUS, SPECS

HUNDRED = 100.0
REACH_TABLES = ("reach_group", "reach_migration", "reach_sector")
COUNSELLING_TABLES = (
    "counselling_kind",
    "counselling_channel",
    "counselling_sought_by",
    "counselling_first",
    "counselling_topics",
)


def _number(value: object) -> float | None:
    """A published value as a number to plot, else None."""
    number = as_decimal(value)
    return None if number is None else float(number)


def _withheld_note(values: list[object]) -> str:
    """The note under a chart when protected values are left out."""
    if any(isinstance(v, str) and as_decimal(v) is None for v in values):
        return _("Geschützte Werte („< 5“, „•“) sind im Diagramm nicht dargestellt.")
    return ""


def _alt(title: str, table_title: str) -> str:
    """The text alternative of a chart, pointing to its table."""
    return _("%(title)s (Balkendiagramm); die Werte stehen in der Tabelle „%(table)s“.") % {
        "title": title,
        "table": table_title,
    }


def table_chart(
    data: dict[str, Any], key: str, columns: tuple[str, ...], title: str, axis: str
) -> Chart | None:
    """A chart of some columns of a report table (rows without totals)."""
    table = data["tables"].get(key)
    if table is None or not table["rows"]:
        return None
    spec = SPECS[key]
    labels = data["period_labels"]
    rows = table["rows"]
    raw = [row["values"].get(column) for row in rows for column in columns]
    series = []
    for column in columns:
        spec_column = spec.column(column)
        name = labels[column] if column in (CURRENT, PREVIOUS) else str(spec_column.label)
        series.append((name, [_number(row["values"].get(column)) for row in rows]))
    return bar_chart(
        key=key,
        title=title,
        labels=[display.data_label(spec, row) for row in rows],
        series=series,
        axis_title=axis,
        alt=_alt(title, str(spec.title)),
        note=_withheld_note(raw),
    )


def goal_chart(data: dict[str, Any], goal: dict[str, Any], indicators: list[dict]) -> Chart | None:
    """Target, actual and previous period of a goal's indicators, as % of the target."""
    plotted = [
        i
        for i in indicators
        if i["unit"] not in YES_NO_UNITS and (as_decimal(i["target"]) or Decimal(0)) > 0
    ]
    if not plotted:
        return None
    labels = data["period_labels"]
    actual = [display.achievement(i) for i in plotted]
    previous = [display.achievement(i, "previous") for i in plotted]
    title = _("Ziel %(code)s: Ist und Vorperiode in %% des Ziels") % {"code": goal["code"]}
    raw = [i["actual"] for i in plotted] + [i["previous"] for i in plotted]
    return bar_chart(
        key=f"goal-{goal['code']}",
        title=title,
        labels=[f"{i['code']} {i['name']}" for i in plotted],
        series=[
            (_("Ist %(period)s") % {"period": labels[CURRENT]}, [_number(v) for v in actual]),
            (labels[PREVIOUS], [_number(v) for v in previous]),
            (_("Ziel (100 %)"), [HUNDRED] * len(plotted)),
        ],
        # xgettext:no-python-format
        axis_title=_("% des Ziels"),
        alt=_alt(title, _("Indikatoren zu Ziel %(code)s") % {"code": goal["code"]}),
        note=_withheld_note(raw),
    )


def goal_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One section per goal: its indicators as a table and a chart."""
    found = []
    for goal in data["goals"]:
        indicators = [i for i in data["indicators"] if i["goal_code"] == goal["code"]]
        title = _("Indikatoren zu Ziel %(code)s") % {"code": goal["code"]}
        found.append(
            {
                **goal,
                "id": f"bericht-ziel-{goal['code']}",
                "table": display.indicator_table(data, indicators, f"goal_{goal['code']}", title),
                "chart": goal_chart(data, goal, indicators),
            }
        )
    return found


def build_sections(data: dict[str, Any]) -> dict[str, Any]:
    """Every section's tables and charts (the texts of the workflow are added elsewhere)."""
    counts = _("Anzahl")
    indicators = data["indicators"]
    good = sum(1 for i in indicators if i["status"] in ("reached", "on_track"))
    sentence = ngettext(
        "Von %(total)s Indikator ist %(good)s erreicht oder auf Kurs.",
        "Von %(total)s Indikatoren sind %(good)s erreicht oder auf Kurs.",
        len(indicators),
    ) % {"total": len(indicators), "good": good}
    formats_output = display.data_table(
        data,
        "formats",
        only=("activities", "attendances", "first_timers"),
        suffix="_output",
        title=_("Aktivitäten und Teilnahmen nach Format"),
    )
    return {
        "summary": {
            "table": display.summary_table(data),
            "sentence": sentence,
            "behind": [i for i in indicators if i["status"] == "behind"],
            "reached": [i for i in indicators if i["status"] in ("reached", "on_track")],
            "no_data": [i for i in indicators if i["status"] == "no_data"],
        },
        "input": display.facts_table(data, "input", _("Ressourcen")),
        "output": {
            "facts": display.facts_table(data, "output", _("Leistungen")),
            "chart": table_chart(
                data,
                "formats",
                ("activities",),
                _("Aktivitäten nach Format"),
                counts,
            ),
            "table": formats_output,
        },
        "goals": goal_sections(data),
        "indicators": display.indicator_table(data, indicators, "indicators", _("Indikatoren")),
        "levels": display.levels_table(data),
        "formats": {
            "table": display.data_table(data, "formats"),
            "chart": table_chart(
                data, "formats", ("share",), _("Zustimmung nach Format in %"), _("Prozent")
            ),
        },
        "reach": [
            {
                "table": display.data_table(data, key),
                "chart": table_chart(data, key, (CURRENT, PREVIOUS), str(SPECS[key].title), counts),
            }
            for key in REACH_TABLES
            if key in data["tables"]
        ],
        "kreise": display.data_table(data, "kreise"),
        "timeliness": {
            "table": display.data_table(data, "timeliness"),
            "facts": display.facts_table(data, "timeliness", _("Kennzahlen zur Dokumentation")),
        },
        "counselling": {
            "tables": [
                display.data_table(data, key) for key in COUNSELLING_TABLES if key in data["tables"]
            ],
            "chart": table_chart(
                data,
                "counselling_topics",
                (CURRENT, PREVIOUS),
                _("Beratungsthemen"),
                _("Nennungen"),
            ),
        },
        "feedback": {
            "table": display.data_table(data, "feedback"),
            "chart": table_chart(
                data, "feedback", ("share",), _("Zustimmung je Frage in %"), _("Prozent")
            ),
            "omitted": data.get("feedback_omitted", 0),
        },
        "duties": display.indicator_table(
            data,
            [i for i in indicators if i["goal_code"] is None],
            "duties",
            _("Pflichten der Vereinbarung (§ 7, § 8)"),
        ),
        "comparison": display.comparison_table(data),
    }
