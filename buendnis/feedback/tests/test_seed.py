"""The two seeded questionnaires: seven languages, stable keys, attached to their formats."""

import json

import pytest
from django.core.management import call_command

from buendnis.activities.models import Format
from buendnis.agreements.models import Agreement, Indicator
from buendnis.feedback.models import FormatQuestionnaire, Question, Questionnaire
from buendnis.feedback.questionnaires import SEED, questionnaires_seed
from buendnis.feedback.selectors import current_version
from buendnis.feedback.texts import FORM_TEXT_KEYS, missing_texts

LANGUAGES = {"de", "en", "tr", "ar", "fa", "ru", "uk"}


def test_it_seeds_both_questionnaires_complete_in_seven_languages(
    questionnaires: dict[str, Questionnaire],
) -> None:
    assert set(questionnaires) == {"fathers", "multipliers"}
    for questionnaire in questionnaires.values():
        version = current_version(questionnaire)
        assert version.number == 1
        assert set(version.language_codes) == LANGUAGES
        questions = list(version.questions.all())
        for code in LANGUAGES:
            assert missing_texts(version, questions, code) == 0, (questionnaire.key, code)
        kinds = {q.kind for q in questions}
        assert kinds == {Question.Kind.SCALE, Question.Kind.CHOICE, Question.Kind.TEXT}


def test_it_writes_arabic_and_farsi_right_to_left_in_their_own_script(
    questionnaires: dict[str, Questionnaire],
) -> None:
    version = current_version(questionnaires["fathers"])
    by_code = {item["code"]: item for item in version.languages}
    assert by_code["ar"] == {"code": "ar", "name": "العربية", "dir": "rtl"}
    assert by_code["fa"] == {"code": "fa", "name": "فارسی", "dir": "rtl"}
    assert {by_code[c]["dir"] for c in LANGUAGES - {"ar", "fa"}} == {"ltr"}
    for code in ("ar", "fa"):
        for key in FORM_TEXT_KEYS:
            text = version.texts[code][key]
            assert any("\u0600" <= char <= "\u06ff" for char in text), (code, key)


def test_it_gives_the_indicators_questions_with_their_keys(
    questionnaires: dict[str, Questionnaire],
) -> None:
    fathers = set(
        current_version(questionnaires["fathers"]).questions.values_list("key", flat=True)
    )
    multipliers = set(
        current_version(questionnaires["multipliers"]).questions.values_list("key", flat=True)
    )
    assert {"reflect_role", "new_perspectives", "recommend"} <= fathers
    assert {"use_in_work", "recommend"} <= multipliers
    portfolio = json.loads(
        (SEED.parents[2] / "agreements" / "seed" / "hmsi_portfolio.json").read_text("utf-8")
    )
    wanted = {
        indicator["filter"]["question"]
        for agreement in portfolio["agreements"]
        for indicator in agreement["indicators"]
        if indicator["source"] == Indicator.Source.FEEDBACK
    }
    assert wanted <= fathers | multipliers


def test_it_attaches_fathers_and_multiplier_formats(
    questionnaires: dict[str, Questionnaire],
) -> None:
    attached = dict(FormatQuestionnaire.objects.values_list("format__key", "questionnaire__key"))
    assert attached["vaetergruppe"] == attached["online"] == attached["begegnung"] == "fathers"
    assert attached["qualifizierung"] == "multipliers"
    assert "vernetzung" not in attached


def test_it_can_run_twice_and_keeps_what_staff_changed(
    documenting: Agreement, questionnaires: dict[str, Questionnaire]
) -> None:
    online = Format.objects.get(agreement=documenting, key="online")
    FormatQuestionnaire.objects.filter(format=online).delete()
    FormatQuestionnaire.objects.create(format=online, questionnaire=questionnaires["multipliers"])
    questionnaires_seed(agreement=documenting)
    assert Questionnaire.objects.count() == 2
    assert current_version(questionnaires["fathers"]).number == 1
    assert online.feedback_default.questionnaire.key == "multipliers"


@pytest.mark.django_db
def test_it_is_part_of_the_demo() -> None:
    call_command("demo", "--no-serve")
    agreement = Agreement.objects.get(slug="integration-braucht-partner")
    assert Questionnaire.objects.filter(agreement=agreement).count() == 2
    assert FormatQuestionnaire.objects.filter(format__agreement=agreement).count() == 6
