"""Results: nothing before five responses, free text only for the running organisation."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.activities.models import Activity, Format
from buendnis.agreements.models import Agreement, Goal, Indicator
from buendnis.feedback.models import FeedbackLink, Response
from buendnis.feedback.selectors import indicator_actual, share_agree
from buendnis.feedback.services import feedback_link_ensure
from buendnis.feedback.tests.conftest import answer, client_for

TODAY = timezone.localdate


def _five(link: FeedbackLink) -> None:
    for scale, text in [("5", "Mehr davon"), ("4", ""), ("4", ""), ("2", ""), ("1", "Zu kurz")]:
        answer(link, reflect_role=scale, how_heard="friends", what_different=text)


def test_it_shows_nothing_before_five_responses(link: FeedbackLink, fachkraft: User) -> None:
    for _ in range(4):
        answer(link, reflect_role="5", what_different="Schule am Ring")
    page = client_for(fachkraft).get(reverse("feedback:activity_results", args=[link.activity_id]))
    assert page.status_code == 200
    assert "Ergebnisse erscheinen ab 5 Rückmeldungen" in page.text
    assert "Schule am Ring" not in page.text
    assert page.context["sections"][0].questions == []


def test_it_shows_distribution_mean_and_free_text_from_five(
    link: FeedbackLink, fachkraft: User
) -> None:
    _five(link)
    page = client_for(fachkraft).get(reverse("feedback:activity_results", args=[link.activity_id]))
    [section] = page.context["sections"]
    questions = {q.key: q for q in section.questions}
    reflect = questions["reflect_role"]
    assert [bar.count for bar in reflect.bars] == [1, 1, 0, 2, 1]
    assert reflect.mean == Decimal("3.20") and reflect.share_agree == Decimal("60.0")
    assert reflect.bars[4].label == "stimme voll zu"
    assert [b.count for b in questions["how_heard"].bars] == [5, 0, 0, 0, 0]
    assert questions["what_different"].texts == ["Mehr davon", "Zu kurz"]
    assert not questions["recommend"].shown  # nobody answered it
    assert "Mehr davon" in page.text and "Mittelwert 3.20" in page.text.replace(",", ".")


def test_it_gives_the_ministry_aggregates_without_free_text(
    link: FeedbackLink, referentin: User, fachkraft: User
) -> None:
    _five(link)
    url = reverse("feedback:results", args=[link.activity.agreement.slug])
    page = client_for(referentin).get(url)
    assert page.status_code == 200
    assert not page.context["exact"]
    [section] = page.context["sections"]
    questions = {q.key: q for q in section.questions}
    reflect = questions["reflect_role"]
    assert [b.count for b in reflect.bars] == ["< 5"] * 2 + [0] + ["< 5"] * 2
    assert reflect.share_agree is None and reflect.mean is None  # they would give counts away
    assert [b.percent for b in reflect.bars] == [None, None, Decimal("0.0"), None, None]
    assert questions["what_different"].texts == []
    assert "Mehr davon" not in page.text and "Zu kurz" not in page.text
    own = client_for(fachkraft).get(url)
    assert own.context["exact"] and "Mehr davon" not in own.text


def test_it_filters_by_format_goal_and_year(
    link: FeedbackLink, training: Activity, fachkraft: User
) -> None:
    _five(link)
    training_link = feedback_link_ensure(activity=training)
    for _ in range(5):
        answer(training_link, use_in_work="5")
    agreement = link.activity.agreement
    url = reverse("feedback:results", args=[agreement.slug])
    client = client_for(fachkraft)
    everything = client.get(url)
    assert [s.questionnaire.key for s in everything.context["sections"]] == [
        "multipliers",
        "fathers",
    ]
    training_format = Format.objects.get(agreement=agreement, key="qualifizierung")
    only = client.get(url, {"format": training_format.pk})
    assert [s.questionnaire.key for s in only.context["sections"]] == ["multipliers"]
    goal = Goal.objects.get(agreement=agreement, code="Z1")
    by_goal = client.get(url, {"goal": goal.pk})
    assert [s.questionnaire.key for s in by_goal.context["sections"]] == ["fathers"]
    last_year = client.get(url, {"year": TODAY().year - 1})
    assert last_year.context["sections"] == []


def test_it_compares_formats_by_share_of_agreement(
    link: FeedbackLink, make_activity: object, fachkraft: User, referentin: User
) -> None:
    _five(link)
    online = Format.objects.get(agreement=link.activity.agreement, key="online")
    evening = make_activity(  # type: ignore[operator]
        format=online, online=True, kreis=None,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
    )  # fmt: skip
    online_link = feedback_link_ensure(activity=evening)
    for scale in ("5", "5", "5", "4", "3"):
        answer(online_link, reflect_role=scale)
    page = client_for(fachkraft).get(
        reverse("feedback:results", args=["integration-braucht-partner"])
    )
    [fathers] = page.context["comparisons"]
    assert [(fmt.key, n) for fmt, n in fathers.formats] == [("online", 5), ("vaetergruppe", 5)]
    shares = dict(fathers.rows)["Ich habe über meine Rolle als Mann und Vater nachgedacht."]
    assert shares == [Decimal("80.0"), Decimal("60.0")]
    ministry = client_for(referentin).get(
        reverse("feedback:results", args=["integration-braucht-partner"])
    )
    [outside] = ministry.context["comparisons"]
    # 4 of 5 agree online: one disagreeing answer would show, so the share is withheld.
    assert dict(outside.rows)["Ich habe über meine Rolle als Mann und Vater nachgedacht."] == [
        None,
        None,
    ]


def test_it_computes_the_share_of_agreement_in_the_database(link: FeedbackLink) -> None:
    agreement = link.activity.agreement
    day = TODAY()
    assert share_agree(agreement=agreement, question_key="reflect_role", start=day, end=day) is None
    _five(link)
    assert share_agree(
        agreement=agreement, question_key="reflect_role", start=day, end=day
    ) == Decimal("60.0")
    later = day + datetime.timedelta(days=1)
    assert (
        share_agree(agreement=agreement, question_key="reflect_role", start=later, end=later)
        is None
    )


def test_it_feeds_the_indicators_that_declare_feedback(link: FeedbackLink) -> None:
    agreement: Agreement = link.activity.agreement
    _five(link)
    indicator = Indicator.objects.create(
        agreement=agreement,
        code="Z1.3",
        name="Väter, die ihre Rolle reflektiert haben",
        unit="%",
        level=4,
        yearly_target=75,
        source=Indicator.Source.FEEDBACK,
        filter={"metric": "share_agree", "question": "reflect_role"},
    )
    year = TODAY().year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    assert indicator_actual(indicator, start, end) == Decimal("60.0")
    indicator.filter = {"metric": "median"}
    with pytest.raises(ValueError):
        indicator_actual(indicator, start, end)


def test_it_denies_other_organisation(link: FeedbackLink, outsider: User) -> None:
    _five(link)
    agreement = link.activity.agreement
    url = reverse("feedback:results", args=[agreement.slug])
    assert client_for(outsider).get(url).status_code == 404
    assert Response.objects.count() == 5


def test_it_withholds_an_indicator_share_from_the_ministry_that_gives_a_small_count_away(
    link: FeedbackLink, referentin: User, fachkraft: User
) -> None:
    _five(link)  # 3 of 5 agree: both 3 and the other 2 are small counts
    Indicator.objects.create(
        agreement=link.activity.agreement,
        code="Z1.3",
        name="Väter, die ihre Rolle reflektiert haben",
        unit="%",
        level=4,
        yearly_target=75,
        source=Indicator.Source.FEEDBACK,
        filter={"metric": "share_agree", "question": "reflect_role"},
    )
    url = reverse("feedback:results", args=[link.activity.agreement.slug])
    ministry = client_for(referentin).get(url)
    assert ministry.context["indicators"][0][1] is None
    assert "60.0 %" not in ministry.text and "60,0 %" not in ministry.text
    assert "nicht veröffentlicht" in ministry.text
    own = client_for(fachkraft).get(url)
    assert own.context["indicators"][0][1] == Decimal("60.0")
