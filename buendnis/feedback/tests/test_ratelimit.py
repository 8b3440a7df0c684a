"""The in-memory sliding window, and the answer parser under arbitrary input."""

import pytest
from django.db import transaction
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buendnis.feedback.models import Answer, FeedbackLink, Response
from buendnis.feedback.ratelimit import SlidingWindow, client_key
from buendnis.feedback.selectors import current_version
from buendnis.feedback.services import FeedbackRefused, response_submit


def test_it_allows_a_burst_up_to_the_limit_then_refuses() -> None:
    window = SlidingWindow()
    allowed = [window.hit(b"a", limit=3, seconds=60, now=t) for t in (0, 1, 2, 3, 4)]
    assert allowed == [True, True, True, False, False]
    assert window.hit(b"b", limit=3, seconds=60, now=4)


def test_it_forgets_hits_older_than_the_window() -> None:
    window = SlidingWindow()
    for t in (0, 1, 2):
        window.hit(b"a", limit=3, seconds=60, now=t)
    assert not window.hit(b"a", limit=3, seconds=60, now=30)
    assert window.hit(b"a", limit=3, seconds=60, now=95)


def test_it_holds_a_bounded_number_of_addresses() -> None:
    window = SlidingWindow(max_keys=100)
    for n in range(1000):
        window.hit(str(n).encode(), limit=3, seconds=60, now=0)
    assert len(window._hits) == 100


def test_it_keeps_no_readable_address(settings: object) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    key = client_key(request)
    assert b"203.0.113.7" not in key and len(key) == 16
    assert key == client_key(RequestFactory().post("/", REMOTE_ADDR="203.0.113.7"))


def test_it_reads_the_proxy_header_when_configured(settings: object) -> None:
    settings.FEEDBACK_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"  # type: ignore[attr-defined]
    one = RequestFactory().post("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    other = RequestFactory().post("/", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    assert client_key(one) == client_key(other)  # the proxy's own entry counts, not the client's


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    values=st.dictionaries(
        st.sampled_from(["reflect_role", "recommend", "how_heard", "what_different", "zzz"]),
        st.one_of(st.text(max_size=30), st.sampled_from(["1", "5", "friends", "6", "0"])),
    )
)
def test_it_stores_valid_answers_or_nothing(link: FeedbackLink, values: dict[str, str]) -> None:
    version = current_version(link.activity.format.feedback_default.questionnaire)
    with transaction.atomic():
        try:
            response = response_submit(link=link, version_id=version.pk, answers=values)
        except FeedbackRefused as refused:
            assert refused.reason in {"invalid", "empty"}
            assert not Response.objects.exists() and not Answer.objects.exists()
        else:
            for stored in response.answers.select_related("question"):
                if stored.question.kind == "scale":
                    assert 1 <= stored.scale <= 5
                elif stored.question.kind == "choice":
                    assert stored.choice in stored.question.option_keys
                else:
                    assert stored.text and "\x00" not in stored.text
        transaction.set_rollback(True)
