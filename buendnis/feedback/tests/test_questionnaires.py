"""Editing questionnaires: in place while unanswered, a new version once answered."""

import pytest

from buendnis.feedback.models import FeedbackLink, Question, Questionnaire, Response
from buendnis.feedback.questionnaires import (
    QuestionnaireInvalid,
    questionnaire_add_question,
    questionnaire_remove_question,
    questionnaire_translate,
)
from buendnis.feedback.selectors import current_version
from buendnis.feedback.tests.conftest import answer
from buendnis.feedback.texts import Language, Translator


def _translate(questionnaire: Questionnaire, code: str, **changes: str) -> object:
    version = current_version(questionnaire)
    questions = list(version.questions.all())
    return questionnaire_translate(
        questionnaire=questionnaire,
        language=Language(code, changes.pop("name", code), changes.pop("dir", "ltr")),
        texts={**version.texts.get(code, {}), **changes},
        labels={q.key: q.labels.get(code, "") for q in questions},
        option_labels={
            q.key: {o["key"]: o["labels"].get(code, "") for o in q.options} for q in questions
        },
    )


def test_it_edits_an_unanswered_version_in_place(
    questionnaires: dict[str, Questionnaire],
) -> None:
    fathers = questionnaires["fathers"]
    saved = _translate(fathers, "en", name="English", submit="Send now")
    assert saved.number == 1
    assert fathers.versions.count() == 1
    assert current_version(fathers).texts["en"]["submit"] == "Send now"


def test_it_creates_a_new_version_when_the_current_one_has_answers(
    link: FeedbackLink, questionnaires: dict[str, Questionnaire]
) -> None:
    fathers = questionnaires["fathers"]
    first = answer(link, reflect_role="4", recommend="5")
    saved = _translate(fathers, "en", name="English", submit="Send now")
    assert saved.number == 2
    assert current_version(fathers) == saved
    old = first.version
    old.refresh_from_db()
    assert old.texts["en"]["submit"] == "Send"
    assert set(first.answers.values_list("question__version", flat=True)) == {old.pk}
    second = answer(link, reflect_role="2")
    assert second.version == saved
    assert Response.objects.filter(version=old).count() == 1


def test_it_makes_no_version_when_nothing_changed(
    link: FeedbackLink, questionnaires: dict[str, Questionnaire]
) -> None:
    answer(link, reflect_role="4")
    saved = _translate(questionnaires["fathers"], "en", name="English")
    assert saved.number == 1


def test_it_adds_a_language_without_a_code_change(
    link: FeedbackLink, questionnaires: dict[str, Questionnaire]
) -> None:
    fathers = questionnaires["fathers"]
    saved = _translate(fathers, "ku", name="Kurmancî", title="Nêrîna we", submit="Bişîne")
    assert "ku" in saved.language_codes
    translator = Translator(saved, Language("ku", "Kurmancî"))
    assert translator.text("submit").text == "Bişîne"
    question = translator.question(saved.questions.get(key="reflect_role"))
    assert question.label.fallback and question.label.lang == "de"
    assert question.label.text == "Ich habe über meine Rolle als Mann und Vater nachgedacht."


def test_it_never_leaves_german_empty(questionnaires: dict[str, Questionnaire]) -> None:
    with pytest.raises(QuestionnaireInvalid):
        _translate(questionnaires["fathers"], "de", name="Deutsch", submit="")
    assert current_version(questionnaires["fathers"]).texts["de"]["submit"] == "Absenden"


def test_it_refuses_a_bad_language_code(questionnaires: dict[str, Questionnaire]) -> None:
    with pytest.raises(QuestionnaireInvalid):
        _translate(questionnaires["fathers"], "Klingonisch!", name="tlhIngan")


def test_it_adds_and_removes_questions_keeping_answered_versions(
    link: FeedbackLink, questionnaires: dict[str, Questionnaire]
) -> None:
    fathers = questionnaires["fathers"]
    answer(link, how_heard="friends", recommend="4")
    added = questionnaire_add_question(
        questionnaire=fathers,
        key="come_again",
        kind=Question.Kind.CHOICE,
        label="Kommen Sie wieder?",
        options=[("ja", "Ja"), ("nein", "Nein")],
    )
    assert added.number == 2
    assert added.questions.get(key="come_again").option_keys == ["ja", "nein"]
    removed = questionnaire_remove_question(questionnaire=fathers, key="how_heard")
    assert removed.number == 2  # version 2 has no answers yet: changed in place
    assert not removed.questions.filter(key="how_heard").exists()
    assert fathers.versions.get(number=1).questions.filter(key="how_heard").exists()


def test_it_refuses_a_duplicate_question_key(questionnaires: dict[str, Questionnaire]) -> None:
    with pytest.raises(QuestionnaireInvalid):
        questionnaire_add_question(
            questionnaire=questionnaires["fathers"], key="recommend", kind="scale", label="Noch mal"
        )


def test_it_refuses_a_choice_with_a_single_option(
    questionnaires: dict[str, Questionnaire],
) -> None:
    with pytest.raises(QuestionnaireInvalid):
        questionnaire_add_question(
            questionnaire=questionnaires["fathers"],
            key="only",
            kind="choice",
            label="Nur eine?",
            options=[("ja", "Ja")],
        )
