"""``buendnis purge``: free text goes after the retention period, numbers stay."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from buendnis.feedback.models import Answer, FeedbackLink, Response
from buendnis.feedback.services import free_text_purge
from buendnis.feedback.tests.conftest import answer


def test_it_deletes_free_text_older_than_the_retention_period(
    link: FeedbackLink, settings: object
) -> None:
    old = answer(link, reflect_role="4", what_different="Der Name der Schule")
    new = answer(link, reflect_role="5", what_different="Noch frisch")
    today = timezone.localdate()
    Response.objects.filter(pk=old.pk).update(submitted_on=today - datetime.timedelta(days=731))
    Response.objects.filter(pk=new.pk).update(submitted_on=today - datetime.timedelta(days=730))

    assert free_text_purge(today=today) == 1
    assert not Answer.objects.filter(text="Der Name der Schule").exists()
    assert Answer.objects.filter(text="Noch frisch").exists()
    assert Answer.objects.filter(response=old, question__key="reflect_role").exists()

    settings.FEEDBACK_FREE_TEXT_RETENTION_DAYS = 30  # type: ignore[attr-defined]
    assert free_text_purge(today=today) == 1
    assert not Answer.objects.exclude(text="").exists()
    assert Answer.objects.count() == 2


def test_it_runs_as_a_command(link: FeedbackLink, capsys: object) -> None:
    old = answer(link, what_different="Alt")
    Response.objects.filter(pk=old.pk).update(submitted_on=datetime.date(2020, 1, 1))
    call_command("purge")
    assert "1 Freitext-Antworten" in capsys.readouterr().out  # type: ignore[attr-defined]
    assert not Answer.objects.exists()
    assert Response.objects.count() == 1


def test_it_masks_free_text_stored_before_screening_on_request(
    link: FeedbackLink, capsys: object
) -> None:
    clean = answer(link, what_different="Sehr gut")
    leaky = answer(link, what_different="Platzhalter")
    Answer.objects.filter(response=leaky).update(text="Ich bin Ahmad Karimi, 0176 12345678")
    call_command("purge")
    assert Answer.objects.filter(text__contains="Karimi").exists()  # only on request
    call_command("purge", "--mask-stored")
    assert "1 Freitext-Antworten bereinigt" in capsys.readouterr().out  # type: ignore[attr-defined]
    assert Answer.objects.get(response=leaky).text == (
        "Ich bin [Name entfernt], [Telefonnummer entfernt]"
    )
    assert Answer.objects.get(response=clean).text == "Sehr gut"
