"""The open-data tables of one agreement and calendar year, read from the protected grids.

Every number is what the publication grids show someone without exact rights (the public):
``Publication.shown`` for a node — its count, or the mark of a protected cell ("< 5", "•",
"–") — and a share only where the counts behind it are shown, exactly as the pages do. So
the package adds no figure the protection did not account for, and the attacker audit
records each one (``evaluation.disclosure.collect``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from buendnis.activities.grid import (
    ONLINE,
    TOTAL,
    activities_grid,
    format_node,
    reach_node,
    region_node,
)
from buendnis.activities.models import Format, Kreis, ReachCategory
from buendnis.agreements.models import Agreement
from buendnis.core.disclosure.cache import publication_for
from buendnis.core.disclosure.periods import YEAR
from buendnis.core.disclosure.publication import Publication
from buendnis.counselling import grid as counselling
from buendnis.counselling.models import Contact, Topic
from buendnis.feedback.grid import ALL, agree_node, answered_node, feedback_grid
from buendnis.feedback.models import SOURCE_LANGUAGE, Question, Questionnaire
from buendnis.feedback.published import share
from buendnis.feedback.results import questions_by_key

# The CSV resources, in the order of the package (each table's name is its file's stem).
TABLE_NAMES = (
    "aktivitaeten-nach-region",
    "aktivitaeten-nach-format",
    "reichweite-nach-kategorie",
    "beratung-nach-merkmal",
    "beratung-nach-thema",
    "rueckmeldungen-zustimmung",
)
HESSEN = "06"  # the Land's key; Regierungsbezirke are its first three digits of an AGS


@dataclass(frozen=True)
class Column:
    """A CSV column and its Table Schema field: German and English descriptions."""

    name: str
    type: str  # Table Schema type: string, integer, number
    title: str
    de: str
    en: str
    protected: bool = False  # may hold a protection mark instead of a number
    optional: bool = False  # may be empty


@dataclass
class Table:
    """One CSV resource: its columns, primary key and rows (values as published)."""

    name: str
    title: str
    de: str
    en: str
    columns: list[Column]
    primary_key: list[str]
    rows: list[list[object]] = field(default_factory=list)


def _year(year: int) -> Column:
    return Column("jahr", "integer", "Jahr", "Kalenderjahr", "Calendar year")


def _publications(agreement: Agreement) -> dict[str, Publication]:
    return {
        "activities": publication_for(activities_grid(agreement=agreement)),
        "counselling": publication_for(counselling.counselling_grid(agreement=agreement)),
        "feedback": publication_for(feedback_grid(agreement=agreement)),
    }


def regions_table(published: Publication, year: int) -> Table:
    """Activities and attendances per Kreis, Regierungsbezirk, online and for all Hessen."""
    table = Table(
        "aktivitaeten-nach-region",
        "Aktivitäten und Teilnahmen nach Region",
        "Durchgeführte Aktivitäten und Teilnahmen je Kreis bzw. kreisfreier Stadt, "
        "Regierungsbezirk, online und für ganz Hessen.",
        "Activities held and attendances per district (Kreis or kreisfreie Stadt), "
        "administrative region (Regierungsbezirk), online and for all of Hesse.",
        [
            _year(year),
            Column(
                "ebene",
                "string",
                "Ebene",
                "hessen, regierungsbezirk, kreis oder online",
                "Level: hessen (the Land), regierungsbezirk, kreis (district) or online",
            ),
            Column(
                "schluessel",
                "string",
                "Schlüssel",
                "Amtlicher Regionalschlüssel (Land 06, Regierungsbezirk dreistellig, Kreis "
                "fünfstellig); „online“ für Online-Aktivitäten",
                "Official regional key (Land 06, Regierungsbezirk three digits, Kreis five "
                "digits); “online” for online activities",
            ),
            Column("name", "string", "Name", "Name der Region", "Name of the region"),
            Column(
                "aktivitaeten",
                "integer",
                "Aktivitäten",
                "Zahl der durchgeführten Aktivitäten",
                "Number of activities held",
                protected=True,
            ),
            Column(
                "teilnahmen",
                "integer",
                "Teilnahmen",
                "Zahl der Teilnahmen (Personen je Termin, Mehrfachteilnahme möglich)",
                "Number of attendances (people per session; people may attend repeatedly)",
                protected=True,
            ),
        ],
        ["jahr", "ebene", "schluessel"],
    )
    time = (YEAR, year)
    kreise = list(Kreis.objects.order_by("ags").values_list("ags", "name", "regierungsbezirk"))
    bezirke: dict[str, str] = {}
    for ags, _name, rb in kreise:
        bezirke.setdefault(rb, ags[:3])

    def row(level: str, key: str, name: str, region: object) -> None:
        table.rows.append(
            [
                year,
                level,
                key,
                name,
                published.shown(region_node("activities", region, time)),
                published.shown(region_node("attendances", region, time)),
            ]
        )

    row("hessen", HESSEN, "Hessen", TOTAL)
    for rb, key in sorted(bezirke.items(), key=lambda item: item[1]):
        row("regierungsbezirk", key, f"Regierungsbezirk {rb}", rb)
    for ags, name, _rb in kreise:
        row("kreis", ags, name, ags)
    row("online", ONLINE, "Online", ONLINE)
    return table


def formats_table(published: Publication, agreement: Agreement, year: int) -> Table:
    """Activities, attendances and first-timers per format, per format status and in all."""
    table = Table(
        "aktivitaeten-nach-format",
        "Aktivitäten, Teilnahmen und Erstteilnahmen nach Format",
        "Je Format der Vereinbarung (§ 4), je Formatstatus (Erprobung, etabliert, "
        "eingestellt) und insgesamt.",
        "Per format of the agreement (§ 4), per format status (pilot, established, dropped) "
        "and in total.",
        [
            _year(year),
            Column(
                "ebene",
                "string",
                "Ebene",
                "format, status oder gesamt",
                "Level: format, status (format status) or gesamt (total)",
            ),
            Column(
                "schluessel",
                "string",
                "Schlüssel",
                "Kürzel des Formats oder des Status; „gesamt“ für alle",
                "Key of the format or of the status; “gesamt” for all",
            ),
            Column("name", "string", "Name", "Bezeichnung", "Name (German)"),
            Column(
                "aktivitaeten",
                "integer",
                "Aktivitäten",
                "Zahl der durchgeführten Aktivitäten",
                "Number of activities held",
                protected=True,
            ),
            Column(
                "teilnahmen",
                "integer",
                "Teilnahmen",
                "Zahl der Teilnahmen",
                "Number of attendances",
                protected=True,
            ),
            Column(
                "erstteilnahmen",
                "integer",
                "Erstteilnahmen",
                "Zahl der Personen, die zum ersten Mal teilnahmen (erreichte Personen)",
                "Number of people attending for the first time (people reached)",
                protected=True,
            ),
        ],
        ["jahr", "ebene", "schluessel"],
    )
    time = (YEAR, year)

    def row(level: str, key: str, name: str, node_key: str) -> None:
        table.rows.append(
            [
                year,
                level,
                key,
                name,
                *(
                    published.shown(format_node(measure, node_key, time))
                    for measure in ("activities", "attendances", "first_timers")
                ),
            ]
        )

    row("gesamt", "gesamt", "Alle Formate", TOTAL)
    with translation.override("de"):
        for status, label in Format.Status.choices:
            row("status", status, str(label), f"status:{status}")
    for key, name in (
        Format.objects.filter(agreement=agreement).order_by("key").values_list("key", "name")
    ):
        row("format", key, name, key)
    return table


def reach_table(published: Publication, agreement: Agreement, year: int) -> Table:
    """Attendances per reach category (group, migration history, multipliers' sector)."""
    table = Table(
        "reichweite-nach-kategorie",
        "Teilnahmen nach Reichweitenkategorie",
        "Teilnahmen je Kategorie der Vereinbarung: Gruppe, Migrationsgeschichte und Bereich "
        "der Multiplikatorinnen und Multiplikatoren. Gezählt werden nur Aktivitäten, die mit "
        "Reichweite dokumentiert sind.",
        "Attendances per category of the agreement: group, migration history and the "
        "multipliers' sector. Only activities documented with their reach are counted.",
        [
            _year(year),
            Column(
                "dimension",
                "string",
                "Dimension",
                "group (Gruppe), migration (Migrationsgeschichte) oder sector (Bereich)",
                "group, migration (migration history) or sector (multipliers' sector)",
            ),
            Column("schluessel", "string", "Schlüssel", "Kürzel der Kategorie", "Category key"),
            Column("name", "string", "Name", "Bezeichnung der Kategorie", "Category (German)"),
            Column(
                "teilnahmen",
                "integer",
                "Teilnahmen",
                "Zahl der Teilnahmen in dieser Kategorie",
                "Number of attendances in this category",
                protected=True,
            ),
        ],
        ["jahr", "dimension", "schluessel"],
    )
    time = (YEAR, year)
    for category in ReachCategory.objects.filter(agreement=agreement).order_by(
        "dimension", "position", "key"
    ):
        table.rows.append(
            [
                year,
                category.dimension,
                category.key,
                category.label,
                published.shown(reach_node(category.dimension, category.key, time)),
            ]
        )
    return table


def counselling_table(published: Publication, year: int) -> Table:
    """Counselling contacts by kind, channel, who sought advice and first or follow-up."""
    table = Table(
        "beratung-nach-merkmal",
        "Beratungskontakte nach Merkmal",
        "Beratungskontakte (§ 5) nach Art, Weg, Ratsuchenden und Erst- oder Folgekontakt; "
        "jede Aufschlüsselung zählt dieselben Kontakte.",
        "Counselling contacts (§ 5) by kind, channel, who sought advice and first or "
        "follow-up contact; each breakdown counts the same contacts.",
        [
            _year(year),
            Column(
                "merkmal",
                "string",
                "Merkmal",
                "gesamt, kind (Art), channel (Weg), sought_by (Ratsuchende) oder first "
                "(Erstkontakt)",
                "gesamt (total), kind, channel, sought_by (who sought advice) or first "
                "(first contact)",
            ),
            Column(
                "schluessel",
                "string",
                "Schlüssel",
                "Kürzel der Ausprägung; bei first: ja oder nein",
                "Key of the category; for first: ja (yes) or nein (no)",
            ),
            Column("name", "string", "Name", "Bezeichnung", "Name (German)"),
            Column(
                "kontakte",
                "integer",
                "Kontakte",
                "Zahl der Beratungskontakte",
                "Number of counselling contacts",
                protected=True,
            ),
        ],
        ["jahr", "merkmal", "schluessel"],
    )
    time = (YEAR, year)
    table.rows.append(
        [year, "gesamt", "gesamt", "Alle Kontakte", published.shown(counselling.total_node(time))]
    )
    labels: dict[str, Callable[[object], str]] = {
        "kind": lambda value: str(Contact.Kind(value).label),
        "channel": lambda value: str(Contact.Channel(value).label),
        "sought_by": lambda value: str(Contact.SoughtBy(value).label),
        "first": lambda value: "Erstkontakt" if value else "Folgekontakt",
    }
    with translation.override("de"):
        for breakdown, values in counselling.categories().items():
            for value in values:
                key = ("ja" if value else "nein") if breakdown == "first" else str(value)
                table.rows.append(
                    [
                        year,
                        breakdown,
                        key,
                        labels[breakdown](value),
                        published.shown(counselling.category_node(breakdown, value, time)),
                    ]
                )
    return table


def topics_table(published: Publication, agreement: Agreement, year: int) -> Table:
    """Topic mentions of counselling contacts (a contact may name several topics)."""
    table = Table(
        "beratung-nach-thema",
        "Beratungsthemen",
        "Nennungen der Themen in Beratungskontakten; ein Kontakt kann mehrere Themen nennen.",
        "Topics mentioned in counselling contacts; a contact may name several topics.",
        [
            _year(year),
            Column(
                "thema",
                "string",
                "Thema",
                "Thema der Vereinbarung; „Alle Themen“ für die Summe",
                "Topic of the agreement (German); “Alle Themen” for the sum",
            ),
            Column(
                "nennungen",
                "integer",
                "Nennungen",
                "Zahl der Nennungen",
                "Number of mentions",
                protected=True,
            ),
        ],
        ["jahr", "thema"],
    )
    time = (YEAR, year)
    table.rows.append(
        [year, "Alle Themen", published.shown(counselling.topic_node(counselling.TOTAL, time))]
    )
    for topic_id, name in (
        Topic.objects.filter(agreement=agreement)
        .order_by("position", "name")
        .values_list("id", "name")
    ):
        table.rows.append([year, name, published.shown(counselling.topic_node(topic_id, time))])
    return table


def feedback_table(published: Publication, year: int) -> Table:
    """Answers and agreeing answers (4–5) per scale question and format, with the share."""
    table = Table(
        "rueckmeldungen-zustimmung",
        "Zustimmung in den Rückmeldungen",
        "Anonyme Rückmeldungen der Teilnehmenden: beantwortete und zustimmende Antworten "
        "(Stufe 4 oder 5 von 5) je Fragebogen, Frage und Format, mit dem Anteil der "
        "Zustimmung. Der Anteil steht nur, wo beide Zahlen veröffentlicht sind und genug "
        "Antworten vorliegen.",
        "Participants' anonymous feedback: answered and agreeing answers (point 4 or 5 of 5) "
        "per questionnaire, question and format, with the share agreeing. The share is given "
        "only where both counts are published and enough answers came in.",
        [
            _year(year),
            Column(
                "fragebogen",
                "string",
                "Fragebogen",
                "Name des Fragebogens; „alle“ für alle zusammen",
                "Questionnaire name; “alle” for all together",
            ),
            Column(
                "frage",
                "string",
                "Frage",
                "Kürzel der Frage; „alle“ für alle Skalenfragen zusammen",
                "Question key; “alle” for all scale questions together",
            ),
            Column(
                "fragetext",
                "string",
                "Fragetext",
                "Wortlaut der Frage (deutsch); leer bei „alle“",
                "Wording of the question (German); empty for “alle”",
                optional=True,
            ),
            Column(
                "format",
                "string",
                "Format",
                "Kürzel des Formats; „alle“ für alle Formate",
                "Format key; “alle” for all formats",
            ),
            Column(
                "beantwortet",
                "integer",
                "Beantwortet",
                "Zahl der Antworten auf die Frage",
                "Number of answers to the question",
                protected=True,
            ),
            Column(
                "zustimmend",
                "integer",
                "Zustimmend",
                "Zahl der Antworten 4 oder 5",
                "Number of answers 4 or 5",
                protected=True,
            ),
            Column(
                "anteil_zustimmung",
                "number",
                "Anteil Zustimmung",
                "Zustimmende in Prozent der Antworten, eine Nachkommastelle; leer, wo nicht "
                "veröffentlicht",
                "Agreeing answers in per cent of answers, one decimal; empty where not published",
                protected=True,
            ),
        ],
        ["jahr", "fragebogen", "frage", "format"],
    )
    time = (YEAR, year)
    keys = sorted(
        (
            (node[1], node[2], node[3])
            for node in published.grid.nodes
            if node[0] == "answered" and node[4] == time
        ),
        key=repr,
    )
    questionnaire_ids = sorted({q for q, _f, _k in keys if q != ALL})
    names = dict(Questionnaire.objects.filter(pk__in=questionnaire_ids).values_list("pk", "name"))
    formats = dict(
        Format.objects.filter(pk__in={f for _q, f, _k in keys if f != ALL}).values_list("pk", "key")
    )
    wording: dict[str, str] = {}
    for questions in questions_by_key(questionnaire_ids).values():
        for key, question in questions.items():
            if question.kind == Question.Kind.SCALE:
                wording.setdefault(key, question.labels.get(SOURCE_LANGUAGE, ""))
    for questionnaire, format_id, key in keys:
        part = agree_node(questionnaire, format_id, key, time)
        whole = answered_node(questionnaire, format_id, key, time)
        percent: Decimal | None = share(published, part, whole)
        table.rows.append(
            [
                year,
                "alle" if questionnaire == ALL else names.get(questionnaire, str(questionnaire)),
                "alle" if key == ALL else key,
                "" if key == ALL else wording.get(key, ""),
                "alle" if format_id == ALL else formats.get(format_id, str(format_id)),
                published.shown(whole),
                published.shown(part),
                "" if percent is None else percent,
            ]
        )
    return table


def tables(agreement: Agreement, year: int) -> list[Table]:
    """Every open-data table of the agreement's calendar year, as the public may see it."""
    published = _publications(agreement)
    return [
        regions_table(published["activities"], year),
        formats_table(published["activities"], agreement, year),
        reach_table(published["activities"], agreement, year),
        counselling_table(published["counselling"], year),
        topics_table(published["counselling"], agreement, year),
        feedback_table(published["feedback"], year),
    ]
