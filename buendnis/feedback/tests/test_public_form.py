"""The participants' form behind the short link: languages, no cookies, refusals."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buendnis.activities.models import Activity
from buendnis.feedback.models import Answer, FeedbackLink, Response
from buendnis.feedback.questionnaires import questionnaire_translate
from buendnis.feedback.selectors import current_version
from buendnis.feedback.tests.conftest import answer
from buendnis.feedback.texts import Language


def _url(link: FeedbackLink, **query: str) -> str:
    url = reverse("feedback:respond", args=[link.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _post(client: Client, link: FeedbackLink, lang: str = "de", **answers: str) -> object:
    version = current_version(link.activity.format.feedback_default.questionnaire)
    data = {"v": version.pk, "lang": lang, **{f"q_{k}": v for k, v in answers.items()}}
    return client.post(_url(link, lang=lang), data)


def test_it_opens_without_login_in_german_by_default(link: FeedbackLink) -> None:
    response = Client().get(_url(link))
    assert response.status_code == 200
    assert '<html lang="de" dir="ltr">' in response.text
    assert "Ich habe über meine Rolle als Mann und Vater nachgedacht." in response.text
    assert "Väter-Café Offenbach" in response.text


def test_it_sets_no_cookie_and_needs_no_javascript(link: FeedbackLink) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    for response in (
        client.get(_url(link)),
        _post(client, link, lang="ar", reflect_role="4"),
        client.get(reverse("feedback:thanks", args=[link.code]) + "?lang=ar"),
        _post(client, link, lang="ar", reflect_role="9"),
    ):
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response.headers
        assert "<script" not in response.content.decode()
    assert not client.cookies


def test_it_preselects_the_browser_s_language(link: FeedbackLink) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="fa-IR,fa;q=0.9,en;q=0.5").get(_url(link))
    assert '<html lang="fa" dir="rtl">' in response.text
    assert "نظر شما" in response.text
    assert response.headers["Content-Language"] == "fa"


def test_it_lets_the_picker_override_the_browser(link: FeedbackLink) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="ar").get(_url(link, lang="tr"))
    assert '<html lang="tr" dir="ltr">' in response.text
    assert "Görüşünüz" in response.text


def test_it_names_each_language_in_its_own_script(link: FeedbackLink) -> None:
    response = Client().get(_url(link))
    for code, name in [
        ("de", "Deutsch"), ("en", "English"), ("tr", "Türkçe"), ("ar", "العربية"),
        ("fa", "فارسی"), ("ru", "Русский"), ("uk", "Українська"),
    ]:  # fmt: skip
        assert re.search(rf'href="\?lang={code}"[^>]*lang="{code}"[^>]*>{name}</a>', response.text)


def test_it_falls_back_to_german_visibly_for_a_missing_translation(link: FeedbackLink) -> None:
    questionnaire = link.activity.format.feedback_default.questionnaire
    version = current_version(questionnaire)
    labels = {q.key: q.labels.get("tr", "") for q in version.questions.all()}
    labels["recommend"] = ""
    questionnaire_translate(
        questionnaire=questionnaire,
        language=Language("tr", "Türkçe", "ltr"),
        texts=version.texts["tr"],
        labels=labels,
        option_labels={
            q.key: {o["key"]: o["labels"]["tr"] for o in q.options} for q in version.questions.all()
        },
    )
    response = Client().get(_url(link, lang="tr"))
    assert (
        '<span lang="de" dir="ltr">Ich würde dieses Angebot anderen Vätern empfehlen.</span> '
        '<span class="feedback-fallback">(henüz çevrilmedi – Almanca)</span>'
    ) in response.text
    assert "Bir erkek ve baba olarak rolüm üzerine düşündüm." in response.text


def test_it_stores_an_answer_and_thanks_in_the_chosen_language(link: FeedbackLink) -> None:
    client = Client()
    response = _post(
        client, link, lang="ar", reflect_role="5", how_heard="friends", what_different="أكثر"
    )
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert "شكرًا جزيلًا على رأيك!" in thanks.text and 'dir="rtl"' in thanks.text
    stored = Response.objects.get()
    assert stored.submitted_on == timezone.localdate()
    values = {a.question.key: (a.scale, a.choice, a.text) for a in stored.answers.all()}
    assert values == {
        "reflect_role": (5, "", ""),
        "how_heard": (None, "friends", ""),
        "what_different": (None, "", "أكثر"),
    }


IDENTIFYING_FEEDBACK = (
    "Ich bin Ahmad Karimi, Tel. 0176 12345678, ahmad@example.org. Danke an Herrn Yılmaz! "
    "Meine Frau Fatima Nouri (geb. 03.04.1981) wohnt Goethestraße 44, 63065 Offenbach. "
    "Schreiben Sie an fatima.nouri (at) gmx (punkt) de. Az. 5 K 1234/23.F"
)
IDENTIFIERS = (
    "Ahmad", "Karimi", "0176", "12345678", "ahmad@example.org", "Yılmaz", "Fatima", "Nouri",
    "03.04.1981", "Goethestraße", "63065", "fatima.nouri", "gmx", "1234/23",
)  # fmt: skip


def test_it_accepts_identifying_free_text_but_stores_it_masked(link: FeedbackLink) -> None:
    """Issue 12: the participant cannot be asked again, so nothing is refused, but masked."""
    client = Client()
    response = _post(client, link, lang="de", reflect_role="4", what_different=IDENTIFYING_FEEDBACK)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    (stored,) = Answer.objects.exclude(text="").values_list("text", flat=True)
    for identifier in IDENTIFIERS:
        assert identifier not in stored, identifier
    for mask in (
        "[Name entfernt]", "[Telefonnummer entfernt]", "[E-Mail entfernt]", "[Datum entfernt]",
        "[Adresse entfernt]", "[Nummer entfernt]",
    ):  # fmt: skip
        assert mask in stored, mask
    assert stored.startswith("Ich bin [Name entfernt], Tel. [Telefonnummer entfernt]")
    assert Answer.objects.get(question__key="reflect_role").scale == 4


def test_it_stores_free_text_without_identifiers_as_written(link: FeedbackLink) -> None:
    text = "Vater aus Syrien: die Gruppe in Offenbach hat mir sehr geholfen."
    assert _post(Client(), link, lang="de", what_different=text).status_code == 302
    assert Answer.objects.get().text == text


@pytest.mark.parametrize(
    "answers",
    [{"reflect_role": "6"}, {"reflect_role": "0"}, {"how_heard": "radio"}, {"recommend": "x"},
     {"what_different": "x" * 2001}],
)  # fmt: skip
def test_it_refuses_invalid_answers_and_stores_nothing(
    link: FeedbackLink, answers: dict[str, str]
) -> None:
    response = _post(Client(), link, lang="tr", **answers)
    assert response.status_code == 400
    assert "Bazı yanıtları kabul edemedik." in response.text
    assert Response.objects.count() == Answer.objects.count() == 0


def test_it_asks_for_at_least_one_answer(link: FeedbackLink) -> None:
    response = _post(Client(), link, lang="en", what_different="   ")
    assert response.status_code == 400
    assert "Please answer at least one question." in response.text
    assert not Response.objects.exists()


def test_it_refuses_a_version_of_another_questionnaire(
    link: FeedbackLink, training: Activity
) -> None:
    other = current_version(training.format.feedback_default.questionnaire)
    response = Client().post(_url(link), {"v": other.pk, "q_reflect_role": "4"})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_it_says_so_when_the_window_is_closed_and_stores_nothing(link: FeedbackLink) -> None:
    activity = link.activity
    past = timezone.now() - datetime.timedelta(days=20)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=2)
    )
    client = Client()
    closed = client.get(_url(link, lang="uk"))
    assert closed.status_code == 410
    assert "Наразі залишити відгук про цей захід неможливо" in closed.text
    assert "<form" not in closed.text
    refused = _post(client, link, lang="ru", reflect_role="4")
    assert refused.status_code == 410
    assert "Сейчас оставить отзыв об этом мероприятии нельзя" in refused.text
    assert not Response.objects.exists()


def test_it_is_not_open_before_the_activity_starts(link: FeedbackLink) -> None:
    start = timezone.now() + datetime.timedelta(days=2)
    Activity.objects.filter(pk=link.activity_id).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    assert _post(Client(), link, lang="en", reflect_role="4").status_code == 410
    assert not Response.objects.exists()


def test_it_says_so_when_the_cap_is_reached_and_stores_nothing(link: FeedbackLink) -> None:
    FeedbackLink.objects.filter(pk=link.pk).update(max_responses=2)
    answer(link, reflect_role="4")
    answer(link, reflect_role="5")
    client = Client()
    full = _post(client, link, lang="de", reflect_role="3")
    assert full.status_code == 410
    assert "Für dieses Angebot sind schon alle möglichen Rückmeldungen eingegangen." in full.text
    assert client.get(_url(link, lang="tr")).status_code == 410
    assert Response.objects.count() == 2


def test_it_caps_at_three_times_the_participants_but_at_least_thirty(link: FeedbackLink) -> None:
    from buendnis.feedback.selectors import cap

    link.activity.participants = 11
    assert cap(link) == 33
    link.activity.participants = 4
    assert cap(link) == 30


def test_it_refuses_a_flood_from_one_address_and_stores_nothing_more(
    link: FeedbackLink, settings: object
) -> None:
    settings.FEEDBACK_RATE_LIMIT = 3  # type: ignore[attr-defined]
    flooder = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [_post(flooder, link, lang="fa", reflect_role="1").status_code for _ in range(6)]
    assert statuses == [302, 302, 302, 429, 429, 429]
    refused = _post(flooder, link, lang="fa", reflect_role="1")
    assert "در این لحظه نظرهای بسیار زیادی از شبکهٔ شما" in refused.text
    assert Response.objects.count() == 3
    neighbour = Client(REMOTE_ADDR="198.51.100.4")
    assert _post(neighbour, link, lang="de", reflect_role="4").status_code == 302
    assert Response.objects.count() == 4


def test_it_does_not_know_an_unknown_code(link: FeedbackLink) -> None:
    assert Client().get("/r/nichtda12/").status_code == 404


def test_it_accepts_the_code_typed_in_capitals(link: FeedbackLink) -> None:
    assert Client().get(_url(link).replace(link.code, link.code.upper())).status_code == 200


def _cached_question_fragments() -> int:
    from django.core.cache import caches

    return len(caches["fragments"]._cache)  # type: ignore[attr-defined]


def test_it_renders_the_questions_once_and_anew_when_they_change(link: FeedbackLink) -> None:
    from django.core.cache import caches

    caches["fragments"].clear()
    first = Client().get(_url(link, lang="tr")).text
    assert _cached_question_fragments() == 1
    assert Client().get(_url(link, lang="tr")).text == first  # from the cache
    assert _cached_question_fragments() == 1
    # A change of the (unanswered) version's texts: the next form shows it at once.
    questionnaire = link.activity.format.feedback_default.questionnaire
    version = current_version(questionnaire)
    questionnaire_translate(
        questionnaire=questionnaire,
        language=Language("tr", "Türkçe", "ltr"),
        texts=version.texts["tr"],
        labels={q.key: "Yeni soru metni" for q in version.questions.all()},
        option_labels={
            q.key: {o["key"]: o["labels"]["tr"] for o in q.options} for q in version.questions.all()
        },
    )
    changed = Client().get(_url(link, lang="tr")).text
    assert "Yeni soru metni" in changed
    assert "Yeni soru metni" not in first
    assert _cached_question_fragments() == 2
    # Another language is another fragment.
    assert "Ich habe über meine Rolle" in Client().get(_url(link, lang="de")).text


def test_it_keeps_given_answers_out_of_the_fragment_cache(link: FeedbackLink) -> None:
    from django.core.cache import caches

    caches["fragments"].clear()
    response = _post(Client(), link, lang="en", reflect_role="6", what_different="Mein Text")
    assert response.status_code == 400
    assert "Mein Text" in response.text
    assert _cached_question_fragments() == 0
