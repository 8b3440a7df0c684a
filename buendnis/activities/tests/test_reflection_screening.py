"""The reflection on an activity is staff text about people: identifiers are refused (issue 12)."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.activities.models import Activity
from buendnis.activities.services import ActivityInvalid
from buendnis.activities.tests.conftest import fathers_evening, form_data
from buendnis.agreements.models import Agreement

pytestmark = pytest.mark.django_db


def test_the_service_refuses_a_reflection_with_a_name_and_a_phone(make_activity) -> None:
    with pytest.raises(ActivityInvalid) as refused:
        make_activity(reflection="Ahmad Karimi war sehr aktiv, Tel. 0176 12345678")
    (problem,) = [p for p in refused.value.problems if p.field == "reflection"]
    assert "einen Namen und eine Telefonnummer" in problem.message
    assert not Activity.objects.exists()


def test_an_ordinary_reflection_is_saved(make_activity) -> None:
    text = "Väter aus Syrien und Afghanistan, lebhafte Diskussion über Erziehung in Offenbach"
    assert make_activity(reflection=text).reflection == text


def test_the_form_names_what_was_found_and_keeps_the_input(
    fachkraft: User, documenting: Agreement
) -> None:
    client = Client()
    client.force_login(fachkraft)
    url = reverse("activities:create", args=[documenting.slug])
    reflection = "Herr Yılmaz hat seine Tochter mitgebracht"
    data = form_data(fathers_evening(documenting), documenting, reflection=reflection)
    response = client.post(url, data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Die Reflexion enthält einen Namen." in page
    assert reflection in page
    assert not Activity.objects.exists()


def test_it_denies_other_organisation(make_activity, outsider: User) -> None:
    activity = make_activity()
    client = Client()
    client.force_login(outsider)
    response = client.get(reverse("activities:edit", args=[activity.pk]))
    assert response.status_code in {403, 404}
