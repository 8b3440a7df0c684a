"""The statistics page asks the database a fixed number of questions, however much it shows."""

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buendnis.accounts.models import User
from buendnis.agreements.models import Agreement
from buendnis.counselling.models import Contact, Topic
from buendnis.counselling.services import topic_add

pytestmark = pytest.mark.django_db
LAST_YEAR = timezone.localdate().year - 1  # a whole year of the past

# session, user (with memberships and partner rows: one read for every rule of the request),
# agreement, years, topic columns, then the exact counts: one query for the four
# breakdowns, one for the topics
EXACT_QUERIES = 7
# the same first five, then the grid's version: its contacts and its topics
PROTECTED_QUERIES = 7


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


def _many_contacts(make_contact: Callable[..., Contact], agreement: Agreement) -> None:
    """Contacts in every month, kind, channel, asker and topic, first and follow-up."""
    topics = [topic_add(agreement=agreement, name=f"Thema {n}") for n in range(6)]
    topics += list(Topic.objects.filter(agreement=agreement))
    year = LAST_YEAR
    kinds, channels = Contact.Kind.values, Contact.Channel.values
    askers = Contact.SoughtBy.values
    for month in range(1, 13):
        for n in range(len(channels)):
            make_contact(
                date=datetime.date(year, month, 1 + n),
                kind=kinds[(month + n) % len(kinds)],
                channel=channels[n],
                sought_by=askers[(month * n) % len(askers)],
                first_contact=bool(n % 2),
                topic_ids=[topics[(month + n) % len(topics)].pk, topics[n].pk],
            )


def test_it_shows_exact_figures_with_a_fixed_number_of_queries(
    make_contact: Callable[..., Contact], koordination: User, agreement: Agreement
) -> None:
    url = reverse("counselling:statistics", args=[agreement.slug]) + f"?year={LAST_YEAR}"
    client = _client(koordination)
    make_contact(date=datetime.date(LAST_YEAR, 3, 1))
    assert len(_queries(client, url)) == EXACT_QUERIES
    _many_contacts(make_contact, agreement)
    queries = _queries(client, url)
    assert len(queries) == EXACT_QUERIES, "\n".join(queries)
    partners = [q for q in queries if "agreements_agreementpartner" in q]
    assert len(partners) == 1, "every rule of the request reads the user's partner rows once"


def test_it_shows_protected_figures_with_a_fixed_number_of_queries(
    make_contact: Callable[..., Contact], referentin: User, agreement: Agreement
) -> None:
    url = reverse("counselling:statistics", args=[agreement.slug]) + f"?year={LAST_YEAR}"
    client = _client(referentin)
    make_contact(date=datetime.date(LAST_YEAR, 3, 1))
    _queries(client, url)  # builds and protects the grid
    assert len(_queries(client, url)) == PROTECTED_QUERIES
    _many_contacts(make_contact, agreement)
    _queries(client, url)
    queries = _queries(client, url)
    assert len(queries) == PROTECTED_QUERIES, "\n".join(queries)
