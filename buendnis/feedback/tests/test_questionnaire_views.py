"""Questionnaire pages: formats' defaults, texts per language, questions; who may do what."""

import pytest
from django.test import Client
from django.urls import reverse

from buendnis.accounts.models import User
from buendnis.activities.models import Format
from buendnis.agreements.models import Agreement
from buendnis.feedback.models import FeedbackLink, FormatQuestionnaire, Questionnaire
from buendnis.feedback.selectors import current_version
from buendnis.feedback.tests.conftest import answer, client_for


def _language_form(questionnaire: Questionnaire, code: str, **changes: str) -> dict[str, str]:
    version = current_version(questionnaire)
    names = {item["code"]: item for item in version.languages}
    questionnaire.refresh_from_db()
    data = {
        "version": str(questionnaire.version),
        "name": names.get(code, {}).get("name", code),
        "dir": names.get(code, {}).get("dir", "ltr"),
    }
    for key, text in version.texts.get(code, {}).items():
        data[f"text__{key}"] = text
    for question in version.questions.all():
        data[f"question__{question.key}"] = question.labels.get(code, "")
        for option in question.options:
            data[f"option__{question.key}__{option['key']}"] = option["labels"].get(code, "")
    data.update(changes)
    return data


def test_it_lists_questionnaires_and_the_formats_using_them(
    questionnaires: dict[str, Questionnaire], fachkraft: User, referentin: User
) -> None:
    for user in (fachkraft, referentin):
        page = client_for(user).get(
            reverse("feedback:questionnaires", args=["integration-braucht-partner"])
        )
        assert page.status_code == 200
        assert "Rückmeldung zu Väterangeboten" in page.text
        assert not page.context["may_edit"]


def test_it_lets_the_coordinator_attach_a_questionnaire_to_a_format(
    questionnaires: dict[str, Questionnaire], koordination: User
) -> None:
    fmt = Format.objects.get(agreement__slug="integration-braucht-partner", key="vernetzung")
    url = reverse("feedback:questionnaires", args=["integration-braucht-partner"])
    client = client_for(koordination)
    response = client.post(
        url, {"format": fmt.pk, "questionnaire": questionnaires["multipliers"].pk}
    )
    assert response.status_code == 302
    assert fmt.feedback_default.questionnaire == questionnaires["multipliers"]
    client.post(url, {"format": fmt.pk, "questionnaire": ""})
    assert not FormatQuestionnaire.objects.filter(format=fmt).exists()


def test_it_denies_attaching_to_staff_and_the_ministry(
    questionnaires: dict[str, Questionnaire], fachkraft: User, referentin: User
) -> None:
    fmt = Format.objects.get(agreement__slug="integration-braucht-partner", key="vernetzung")
    url = reverse("feedback:questionnaires", args=["integration-braucht-partner"])
    for user in (fachkraft, referentin):
        data = {"format": fmt.pk, "questionnaire": questionnaires["fathers"].pk}
        assert client_for(user).post(url, data).status_code == 404
    assert not hasattr(Format.objects.get(pk=fmt.pk), "feedback_default")


def test_it_shows_languages_with_their_gaps(
    questionnaires: dict[str, Questionnaire], koordination: User
) -> None:
    fathers = questionnaires["fathers"]
    page = client_for(koordination).get(reverse("feedback:questionnaire", args=[fathers.pk]))
    assert page.status_code == 200
    assert [(lang.code, missing) for lang, missing in page.context["languages"]] == [
        (code, 0) for code in ("de", "en", "tr", "ar", "fa", "ru", "uk")
    ]
    assert '<span lang="ar" dir="rtl">العربية</span>' in page.text


def test_it_saves_a_translation_as_a_new_version_once_answered(
    link: FeedbackLink, questionnaires: dict[str, Questionnaire], koordination: User
) -> None:
    fathers = questionnaires["fathers"]
    answer(link, reflect_role="4")
    url = reverse("feedback:questionnaire_language", args=[fathers.pk, "en"])
    client = client_for(koordination)
    assert client.get(url).status_code == 200
    response = client.post(url, _language_form(fathers, "en", text__submit="Send it"))
    assert response.status_code == 302
    assert current_version(fathers).number == 2
    assert current_version(fathers).texts["en"]["submit"] == "Send it"
    assert "Version 2" in client.get(response["Location"]).text


def test_it_adds_a_language_through_the_pages(
    link: FeedbackLink, questionnaires: dict[str, Questionnaire], koordination: User
) -> None:
    fathers = questionnaires["fathers"]
    client = client_for(koordination)
    start = client.get(
        reverse("feedback:questionnaire_add_language", args=[fathers.pk]), {"code": "KU"}
    )
    assert start["Location"] == reverse("feedback:questionnaire_language", args=[fathers.pk, "ku"])
    data = {
        "version": "1",
        "name": "Kurmancî",
        "dir": "ltr",
        "text__submit": "Bişîne",
        "question__reflect_role": "Min li ser rola xwe fikirî.",
    }
    assert client.post(start["Location"], data).status_code == 302
    form = Client().get(reverse("feedback:respond", args=[link.code]) + "?lang=ku")
    assert '<html lang="ku" dir="ltr">' in form.text
    assert "Bişîne" in form.text and "Min li ser rola xwe fikirî." in form.text
    assert '<span lang="de" dir="ltr">Ich habe Sichtweisen gehört' in form.text


def test_it_refuses_to_empty_a_german_text(
    questionnaires: dict[str, Questionnaire], koordination: User
) -> None:
    fathers = questionnaires["fathers"]
    url = reverse("feedback:questionnaire_language", args=[fathers.pk, "de"])
    response = client_for(koordination).post(url, _language_form(fathers, "de", text__submit=""))
    assert response.status_code == 200
    assert current_version(fathers).texts["de"]["submit"] == "Absenden"


def test_it_adds_and_removes_a_question(
    questionnaires: dict[str, Questionnaire], koordination: User
) -> None:
    fathers = questionnaires["fathers"]
    client = client_for(koordination)
    client.post(
        reverse("feedback:question_add", args=[fathers.pk]),
        {
            "version": "1",
            "key": "come_again",
            "kind": "choice",
            "label": "Kommen Sie wieder?",
            "options": "Ja\nVielleicht\nNein",
        },
    )
    question = current_version(fathers).questions.get(key="come_again")
    assert question.option_keys == ["ja", "vielleicht", "nein"]
    client.post(
        reverse("feedback:question_remove", args=[fathers.pk, "come_again"]), {"version": "2"}
    )
    assert not current_version(fathers).questions.filter(key="come_again").exists()
    assert current_version(fathers).number == 1


@pytest.mark.parametrize("name", ["questionnaire_language", "question_remove"])
def test_it_denies_editing_to_staff_ministry_and_others(
    questionnaires: dict[str, Questionnaire],
    fachkraft: User,
    referentin: User,
    outsider: User,
    name: str,
) -> None:
    fathers = questionnaires["fathers"]
    url = reverse(
        f"feedback:{name}", args=[fathers.pk, "recommend" if "question" in name else "en"]
    )
    for user in (fachkraft, referentin, outsider):
        assert client_for(user).post(url, {"name": "x", "dir": "ltr"}).status_code == 404
    assert current_version(fathers).questions.filter(key="recommend").exists()


def test_it_denies_other_organisation(
    questionnaires: dict[str, Questionnaire], agreement: Agreement, outsider: User
) -> None:
    fathers = questionnaires["fathers"]
    client = client_for(outsider)
    assert client.get(reverse("feedback:questionnaires", args=[agreement.slug])).status_code == 404
    assert client.get(reverse("feedback:questionnaire", args=[fathers.pk])).status_code == 404
    assert Client().get(reverse("feedback:questionnaire", args=[fathers.pk])).status_code == 302
