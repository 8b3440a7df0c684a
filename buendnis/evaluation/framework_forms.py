"""Forms of the results framework editor: a goal, and an indicator with its filter and targets.

The indicator form offers what the indicator engine can compute (``MEASURES``: source and
metric in one choice) and builds the source's ``filter`` from plain fields, so nobody types
JSON. A filter field that the chosen source does not read is refused with a message.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buendnis.activities.models import Format, Kreis, ReachCategory
from buendnis.agreements.models import Agreement, Indicator
from buendnis.core.forms import VersionedForm
from buendnis.counselling.models import Contact, Topic
from buendnis.feedback.models import Question

Source = Indicator.Source

# (source, metric) → label; the engine's sources in evaluation/sources/ compute them.
MEASURES: list[tuple[str, Any]] = [
    ("activities:count", _("Aktivitäten – Anzahl durchgeführter Aktivitäten")),
    ("activities:participants", _("Aktivitäten – Teilnahmen (Mehrfachbesuche zählen)")),
    ("activities:staff_hours", _("Aktivitäten – Arbeitsstunden")),
    ("reach:unduplicated", _("Reichweite – erreichte Personen (ohne Doppelzählung)")),
    ("reach:first_time", _("Reichweite – erstmals Teilnehmende")),
    ("reach:attendances", _("Reichweite – Teilnahmen")),
    ("counselling:contacts", _("Beratung – Kontakte")),
    ("counselling:minutes", _("Beratung – Minuten")),
    ("counselling:referrals", _("Beratung – Weitervermittlungen")),
    ("feedback:share_agree", _("Rückmeldungen – Anteil Zustimmung (4–5) zu einer Frage, %")),
    ("network:active_partners", _("Vernetzung – aktive Netzwerkpartner")),
    ("network:joint_activities", _("Vernetzung – Aktivitäten mit Netzwerkpartnern")),
    ("timeliness:share_within_deadline", _("§ 7 – Anteil fristgerecht dokumentiert, in %")),
    ("timeliness:median_lag_days", _("§ 7 – Median der Tage bis zur Dokumentation")),
    ("evaluation:held_within_12_months", _("§ 8 – Auswertung rechtzeitig (1 = ja, 0 = nein)")),
    ("manual:", _("Manuell erfasst (Wert wird je Auswertung eingetragen)")),
]  # fmt: skip
LOWER_IS_BETTER = {"timeliness:median_lag_days"}
ACTIVITY_SOURCES = {Source.ACTIVITIES, Source.REACH, Source.NETWORK, Source.TIMELINESS}
# filter field → the sources that read it
FILTER_FIELDS: dict[str, set[str]] = {
    "formats": ACTIVITY_SOURCES,
    "goals": ACTIVITY_SOURCES,
    "online": ACTIVITY_SOURCES,
    "kreise": ACTIVITY_SOURCES,
    "groups": {Source.REACH},
    "migration": {Source.REACH},
    "sectors": {Source.REACH},
    "kinds": {Source.COUNSELLING},
    "sought_by": {Source.COUNSELLING},
    "channels": {Source.COUNSELLING},
    "topics": {Source.COUNSELLING},
    "first_contact": {Source.COUNSELLING},
    "question": {Source.FEEDBACK},
}
YES_NO = [("", _("egal")), ("yes", _("ja")), ("no", _("nein"))]
BOOLEAN_KEYS = ("online", "first_contact")


def target_years(existing: list[int], today_year: int | None = None) -> list[int]:
    """The years the form offers a target for: those with one, and this year to three ahead."""
    year = today_year or timezone.localdate().year
    first = min([*existing, year])
    last = max([*existing, year + 3])
    return list(range(first, last + 1))


def _checkboxes(label: Any, choices: list[tuple[str, str]]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class GoalForm(VersionedForm):
    code = forms.CharField(
        label=_("Kürzel"), max_length=20, help_text=_("Zum Beispiel „Z6“; bleibt, sobald es gilt.")
    )
    title = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IndicatorForm(VersionedForm):
    """One indicator: what it is, where its value comes from, and its target per year."""

    goal = forms.ChoiceField(label=_("Ziel"), required=False)
    code = forms.CharField(
        label=_("Kürzel"),
        max_length=20,
        help_text=_("Zum Beispiel „Z6.1“; bleibt, sobald es gilt."),
    )
    name = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(
        label=_("Definition in einfachen Worten"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Was genau gezählt wird und warum – so, dass alle Partner es verstehen."),
    )
    level = forms.TypedChoiceField(
        label=_("Stufe der Wirkungstreppe"), choices=Indicator.Level.choices, coerce=int
    )
    unit = forms.CharField(label=_("Einheit"), max_length=40, help_text=_("z. B. Personen, %"))
    direction = forms.ChoiceField(label=_("Richtung"), choices=Indicator.Direction.choices)
    measure = forms.ChoiceField(label=_("Datenquelle und Kennzahl"), choices=MEASURES)

    def __init__(
        self, *args: Any, agreement: Agreement, goals: list[dict[str, Any]], years: list[int],
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.years = years
        goal_choices = [(g["code"], f"{g['code']} {g['title']}") for g in goals]
        self.fields["goal"].choices = [
            ("", _("– keinem Ziel (Pflicht der Vereinbarung) –")),
            *goal_choices,
        ]
        self._add_filter_fields(agreement, goal_choices)
        for year in years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("Ziel %(year)s") % {"year": year},
                required=False,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
                localize=True,
            )
        self.fields[f"target_{years[0]}"].help_text = _(
            "Leer lassen: es gilt das Ziel des Vorjahres."
        )

    def _add_filter_fields(self, agreement: Agreement, goals: list[tuple[str, str]]) -> None:
        formats = Format.objects.filter(agreement=agreement).values_list("key", "name")
        categories = ReachCategory.objects.filter(agreement=agreement)

        def reach(dimension: str) -> list[tuple[str, str]]:
            return [(c.key, c.label) for c in categories if c.dimension == dimension]

        questions = (
            Question.objects.filter(
                version__questionnaire__agreement=agreement, kind=Question.Kind.SCALE
            )
            .order_by("key", "-version__number")
            .values_list("key", "labels")
        )
        question_choices: dict[str, str] = {}
        for key, labels in questions:
            question_choices.setdefault(key, f"{key} – {labels.get('de', '')}".strip(" –"))
        topics = Topic.objects.filter(agreement=agreement).values_list("name", flat=True)
        applies = _("Nur für die Quellen Aktivitäten, Reichweite, Vernetzung und § 7.")
        self.fields.update(
            {
                "formats": _checkboxes(_("Nur diese Formate"), list(formats)),
                "goals": _checkboxes(_("Nur Aktivitäten zu diesen Zielen"), goals),
                "online": forms.ChoiceField(
                    label=_("Online"), choices=YES_NO, required=False, help_text=applies
                ),
                "kreise": _checkboxes(
                    _("Nur in diesen Kreisen"), list(Kreis.objects.values_list("ags", "name"))
                ),
                "groups": _checkboxes(_("Reichweite: nur diese Gruppen"), reach("group")),
                "migration": _checkboxes(
                    _("Reichweite: nur diese Migrationsgeschichte"), reach("migration")
                ),
                "sectors": _checkboxes(
                    _("Reichweite: nur Multiplikator*innen dieser Bereiche"), reach("sector")
                ),
                "kinds": _checkboxes(_("Beratung: Art"), Contact.Kind.choices),
                "sought_by": _checkboxes(_("Beratung: wer Rat suchte"), Contact.SoughtBy.choices),
                "channels": _checkboxes(_("Beratung: Weg"), Contact.Channel.choices),
                "topics": _checkboxes(_("Beratung: Themen"), [(t, t) for t in topics]),
                "first_contact": forms.ChoiceField(
                    label=_("Beratung: Erstkontakt"), choices=YES_NO, required=False
                ),
                "question": forms.ChoiceField(
                    label=_("Rückmeldungen: Frage"),
                    choices=[("", _("– bitte wählen –")), *question_choices.items()],
                    required=False,
                ),
            }
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        measure = data.get("measure")
        if not measure:
            return data
        source, metric = measure.split(":", 1)
        for name, sources in FILTER_FIELDS.items():
            if data.get(name) and source not in sources:
                self.add_error(name, _("Gilt nicht für die gewählte Datenquelle."))
        if source == Source.FEEDBACK and not data.get("question"):
            self.add_error("question", _("Bitte die Frage wählen, deren Zustimmung zählt."))
        if measure in LOWER_IS_BETTER and data.get("direction") == Indicator.Direction.HIGHER:
            self.add_error(
                "direction", _("Bei den Tagen bis zur Dokumentation ist weniger besser.")
            )
        data["source"] = source
        data["filter"] = self._filter(data, metric, source)
        data["targets"] = {
            year: data[f"target_{year}"]
            for year in self.years
            if data.get(f"target_{year}") is not None
        }
        return data

    @staticmethod
    def _filter(data: dict[str, Any], metric: str, source: str) -> dict[str, Any]:
        if source == Source.MANUAL:
            return {}
        result: dict[str, Any] = {"metric": metric}
        for name, sources in FILTER_FIELDS.items():
            value = data.get(name)
            if source not in sources or not value:
                continue
            result[name] = value == "yes" if name in BOOLEAN_KEYS else value
        return result

    def indicator_data(self) -> dict[str, Any]:
        """The cleaned form as the framework content's indicator entry."""
        data = self.cleaned_data
        return {
            "code": data["code"],
            "goal": data.get("goal") or None,
            "name": data["name"],
            "description": data["description"],
            "unit": data["unit"],
            "level": data["level"],
            "direction": data["direction"],
            "source": data["source"],
            "filter": data["filter"],
            "targets": {str(year): str(value) for year, value in data["targets"].items()},
        }


def indicator_initial(entry: dict[str, Any]) -> dict[str, Any]:
    """Form values from a content entry (the reverse of ``indicator_data``)."""
    filter = dict(entry.get("filter") or {})
    source = entry.get("source", Source.ACTIVITIES)
    initial: dict[str, Any] = {
        key: entry.get(key)
        for key in ("code", "goal", "name", "description", "unit", "level", "direction")
    }
    initial["goal"] = entry.get("goal") or ""
    initial["measure"] = (
        f"{source}:{filter.pop('metric', '')}" if source != Source.MANUAL else "manual:"
    )
    for name, value in filter.items():
        if name in BOOLEAN_KEYS:
            initial[name] = "yes" if value else "no"
        else:
            initial[name] = value
    for year, value in (entry.get("targets") or {}).items():
        initial[f"target_{year}"] = Decimal(value)
    return initial
