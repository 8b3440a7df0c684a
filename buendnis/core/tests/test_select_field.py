"""Selects in ``core/_field.html``: every choice, the sent one selected, a model's in one read."""

import pytest
from django import forms
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from buendnis.activities.models import Kreis
from buendnis.core.forms import KernForm, choices_of

pytestmark = pytest.mark.django_db


class KreisForm(KernForm):
    kreis = forms.ModelChoiceField(label="Kreis", queryset=Kreis.objects.order_by("name"))
    size = forms.ChoiceField(label="Größe", choices=[("s", "klein"), ("l", "<groß>")])


def _render(form: KernForm, name: str) -> str:
    return render_to_string("core/_field.html", {"field": form[name]})


def test_a_model_select_reads_its_choices_in_one_query() -> None:
    form = KreisForm({"kreis": "06435"})
    form.full_clean()  # validating reads the sent Kreis: a query of its own
    with CaptureQueriesContext(connection) as queries:
        html = _render(form, "kreis")
    assert len(queries) == 1, [q["sql"][-120:] for q in queries.captured_queries]
    assert html.count("<option") == Kreis.objects.count() + 1  # with the empty choice
    assert '<option value="06435" selected>Main-Kinzig-Kreis</option>' in html
    assert html.count(" selected>") == 1


def test_a_plain_select_escapes_its_labels_and_selects_nothing_unsent() -> None:
    html = _render(KreisForm({}), "size")
    assert '<option value="l">&lt;groß&gt;</option>' in html
    assert " selected>" not in html


def test_choices_of_keeps_the_empty_choice_only_where_the_field_has_one() -> None:
    optional = forms.ModelChoiceField(queryset=Kreis.objects.all(), required=False)
    required = forms.ModelChoiceField(queryset=Kreis.objects.all(), empty_label=None)
    assert choices_of(optional)[0] == ("", optional.empty_label)
    assert choices_of(required)[0][0] != ""
    assert len(choices_of(required)) == Kreis.objects.count()
