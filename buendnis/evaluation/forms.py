"""Forms of the evaluation workflow: the period, reflection, comments, meeting, adjustments."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from buendnis.accounts.models import Organisation
from buendnis.agreements.models import Agreement, Goal
from buendnis.core.forms import KernForm, VersionedForm
from buendnis.evaluation.models import Adjustment, Evaluation
from buendnis.evaluation.periods import (
    AGREEMENT_YEAR,
    CALENDAR,
    RANGE,
    Period,
    PeriodInvalid,
    agreement_year,
    calendar_year,
)
from buendnis.evaluation.services import TEXT_MAX_LENGTH

FIRST_YEAR = 2015  # when the agreement has no in-force date, offer years from here


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _text(label: str, *, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=TEXT_MAX_LENGTH, widget=_text_area(rows)
    )


class PeriodForm(KernForm):
    """Which period to evaluate: a calendar year, an agreement year or a date range."""

    kind = forms.ChoiceField(label=_("Art des Zeitraums"), choices=Evaluation.PeriodKind.choices)
    year = forms.TypedChoiceField(label=_("Kalenderjahr"), coerce=int)
    agreement_year = forms.TypedChoiceField(label=_("Vereinbarungsjahr"), coerce=int)
    start = forms.DateField(
        label=_("Erster Tag"),
        required=False,
        widget=_date_input(),
        help_text=_("Nur für einen freien Zeitraum."),
    )
    end = forms.DateField(
        label=_("Letzter Tag"),
        required=False,
        widget=_date_input(),
        help_text=_("Nur für einen freien Zeitraum."),
    )

    def __init__(
        self, *args: Any, agreement: Agreement, today: datetime.date | None = None, **kwargs: Any
    ) -> None:
        today = today or timezone.localdate()
        kwargs.setdefault("initial", {"kind": CALENDAR, "year": today.year - 1})
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        in_force = agreement.in_force_on
        first = in_force.year if in_force else FIRST_YEAR
        self.fields["year"].choices = [(y, str(y)) for y in range(today.year, first - 1, -1)]
        if in_force is None:
            self.fields["kind"].choices = [
                c for c in Evaluation.PeriodKind.choices if c[0] != AGREEMENT_YEAR
            ]
            del self.fields["agreement_year"]
            self._relax_unchosen()
            return
        years = [
            agreement_year(agreement, y)
            for y in range(today.year, in_force.year - 1, -1)
            if agreement_year(agreement, y).start <= today
        ]
        self.fields["agreement_year"].choices = [(p.start.year, p.label) for p in years]
        self._relax_unchosen()

    def _relax_unchosen(self) -> None:
        """Each select always sends a value; only the one of the chosen kind is needed."""
        if not self.is_bound:
            return
        kind = self.data.get(self.add_prefix("kind"))
        for name, needed_for in (("year", CALENDAR), ("agreement_year", AGREEMENT_YEAR)):
            if name in self.fields and kind != needed_for:
                self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        try:
            data["period"] = self._period(kind, data)
        except PeriodInvalid as invalid:
            raise forms.ValidationError(str(invalid)) from invalid
        return data

    def _period(self, kind: str | None, data: dict[str, Any]) -> Period | None:
        if kind == CALENDAR:
            if not data.get("year"):
                self.add_error("year", gettext("Bitte ein Jahr wählen."))
                return None
            return calendar_year(data["year"])
        if kind == AGREEMENT_YEAR:
            if not data.get("agreement_year"):
                self.add_error("agreement_year", gettext("Bitte ein Vereinbarungsjahr wählen."))
                return None
            return agreement_year(self.agreement, data["agreement_year"])
        if kind == RANGE:
            start, end = data.get("start"), data.get("end")
            if start is None:
                self.add_error("start", gettext("Bitte den ersten Tag angeben."))
            if end is None:
                self.add_error("end", gettext("Bitte den letzten Tag angeben."))
            if start is None or end is None:
                return None
            if end < start:
                self.add_error("end", gettext("Der Zeitraum endet vor seinem Beginn."))
                return None
            return Period(RANGE, start, end)
        return None


class ReflectionForm(VersionedForm):
    worked = _text(_("Was hat funktioniert?"))
    not_worked = _text(_("Was hat nicht funktioniert?"))
    reasons = _text(_("Warum?"))


class CommentForm(VersionedForm):
    comment = _text(_("Kommentar des Ministeriums"), rows=4)


class ReturnForm(KernForm):
    comment = _text(_("Was soll überarbeitet werden?"), required=True, rows=3)


class ReopenForm(KernForm):
    reason = _text(_("Begründung"), required=True, rows=3)


class MeetingForm(VersionedForm):
    meeting_on = forms.DateField(
        label=_("Datum des Auswertungsgesprächs"), required=False, widget=_date_input()
    )
    participants = _text(_("Teilnehmende des Gesprächs"), rows=3)


class AdjustmentForm(KernForm):
    """A new adjustment: what changes, who is responsible, by when."""

    goal = forms.ModelChoiceField(label=_("Ziel"), queryset=Goal.objects.none(), required=False)
    what = _text(_("Was ändert sich?"), required=True)
    responsible = forms.ModelChoiceField(
        label=_("Verantwortlich"), queryset=Organisation.objects.none()
    )
    responsible_person = forms.CharField(
        label=_("Zuständige Person"), max_length=120, required=False
    )
    due_on = forms.DateField(label=_("Bis wann"), widget=_date_input())

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(agreement=agreement).order_by("code")
        self.fields["goal"].empty_label = gettext("– kein bestimmtes Ziel –")
        self.fields["responsible"].queryset = Organisation.objects.filter(
            agreement_roles__agreement=agreement
        ).order_by("name")
        self.fields["responsible"].label_from_instance = lambda o: o.display_name


class AdjustmentStatusForm(VersionedForm):
    """Tracking an adjustment to closure: its status and what came of it."""

    status = forms.ChoiceField(label=_("Stand"), choices=Adjustment.Status.choices)
    outcome = _text(_("Ergebnis"), rows=2)


class AdjustmentEditForm(VersionedForm, AdjustmentForm):
    """The whole adjustment, while its evaluation is not agreed."""

    status = forms.ChoiceField(label=_("Stand"), choices=Adjustment.Status.choices)
    outcome = _text(_("Ergebnis"), rows=2)

    field_order = ["goal", "what", "responsible", "responsible_person", "due_on"]


class ManualValueForm(KernForm):
    value = forms.DecimalField(label=_("Wert"), max_digits=12, decimal_places=2)
    source_note = _text(_("Quelle"), required=True, rows=2)


def adjustment_initial(adjustment: Adjustment) -> dict[str, Any]:
    """The form values of an existing adjustment."""
    return {
        "version": adjustment.version,
        "goal": adjustment.goal_id,
        "what": adjustment.what,
        "responsible": adjustment.responsible_id,
        "responsible_person": adjustment.responsible_person,
        "due_on": adjustment.due_on,
        "status": adjustment.status,
        "outcome": adjustment.outcome,
    }
