"""The shared-cache rate limit, and the answer parser under arbitrary input."""

import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buendnis.feedback import ratelimit
from buendnis.feedback.models import Answer, FeedbackLink, Response
from buendnis.feedback.selectors import current_version
from buendnis.feedback.services import FeedbackRefused, response_submit

pytestmark = pytest.mark.django_db
T0 = 1_800_000_000.0  # the start of a window of 600 s (3_000_000 × 600)


def test_it_allows_a_burst_up_to_the_limit_then_refuses() -> None:
    allowed = [ratelimit.hit("a", limit=3, seconds=600, now=T0 + t) for t in (0, 1, 2, 3, 4)]
    assert allowed == [True, True, True, False, False]
    assert ratelimit.hit("b", limit=3, seconds=600, now=T0 + 4)


def test_it_slides_the_previous_window_out_gradually() -> None:
    for t in (0, 1, 2):
        ratelimit.hit("a", limit=3, seconds=600, now=T0 + t)
    assert not ratelimit.hit("a", limit=3, seconds=600, now=T0 + 650)  # 3 × 11/12 + 1 > 3
    assert ratelimit.hit("a", limit=3, seconds=600, now=T0 + 1150)  # 1 × 1/12 + 1 ≤ 3
    assert ratelimit.hit("a", limit=3, seconds=600, now=T0 + 1800)  # both windows past


def test_it_keeps_no_readable_address_in_the_cache() -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    assert ratelimit.allow_submission(request, link_code="ABCD2345")
    key = ratelimit.hashed("address", ratelimit.client_address(request))
    assert "203.0.113.7" not in key and len(key) == 32
    assert key == ratelimit.hashed("address", "203.0.113.7")
    assert cache.get(f"{ratelimit.PREFIX}:{key}:{int(time.time() // 600)}") == 1


def test_it_reads_the_proxy_header_when_configured(settings: object) -> None:
    settings.FEEDBACK_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"  # type: ignore[attr-defined]
    one = RequestFactory().post("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    other = RequestFactory().post("/", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    # the proxy's own entry counts, not what the client claims
    assert ratelimit.client_address(one) == ratelimit.client_address(other) == "203.0.113.7"


def test_it_lets_a_room_of_80_on_one_address_answer_one_link(settings: object) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20")
    room = [ratelimit.allow_submission(request, link_code="FACHTAG1") for _ in range(80)]
    assert all(room)


def test_it_limits_per_link_and_address(settings: object) -> None:
    settings.FEEDBACK_RATE_LIMIT = 3  # type: ignore[attr-defined]
    venue = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20")
    home = RequestFactory().post("/", REMOTE_ADDR="192.0.2.9")
    assert [ratelimit.allow_submission(venue, link_code="A") for _ in range(4)] == [
        True, True, True, False,
    ]  # fmt: skip
    assert ratelimit.allow_submission(venue, link_code="B")  # another workshop, same Wi-Fi
    assert ratelimit.allow_submission(home, link_code="A")  # the same link elsewhere


def test_it_limits_an_address_over_all_links(settings: object) -> None:
    settings.FEEDBACK_RATE_LIMIT_ADDRESS = 5  # type: ignore[attr-defined]
    venue = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20")
    allowed = [ratelimit.allow_submission(venue, link_code=f"L{n}") for n in range(7)]
    assert allowed == [True] * 5 + [False] * 2


def test_it_can_be_switched_off(settings: object) -> None:
    settings.FEEDBACK_RATE_LIMIT = 0  # type: ignore[attr-defined]
    settings.FEEDBACK_RATE_LIMIT_ADDRESS = 0  # type: ignore[attr-defined]
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20")
    assert all(ratelimit.allow_submission(request, link_code="A") for _ in range(200))


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
