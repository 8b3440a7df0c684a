"""A read compiled once answers as the ORM does, for every set of values it is sent with."""

import datetime

import pytest
from django.db.models import Max, Q

from buendnis.accounts.models import Membership, Organisation, User
from buendnis.core.compiled import CompiledRead
from buendnis.operations.models import ChangeStamp

pytestmark = pytest.mark.django_db


def _people_of(organisation_id: int, joined_since: datetime.datetime) -> object:
    return (
        User.objects.filter(memberships__organisation_id=organisation_id)
        .filter(Q(is_active=True) | Q(date_joined__gte=joined_since))
        .order_by("username")
        .values_list("username", "is_active", "date_joined", "last_login")
    )


def test_it_answers_as_the_orm_for_every_set_of_values(
    fachkraft: User, koordination: User, partner_org: Organisation, other_org: Organisation
) -> None:
    fachkraft.last_login = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    fachkraft.save()
    Membership.objects.create(user=koordination, organisation=other_org, role="fachkraft")
    built = []

    def build(organisation_id: int) -> object:
        built.append(organisation_id)
        return User.objects.filter(memberships__organisation_id=organisation_id).values_list(
            "username", "is_active", "date_joined", "last_login"
        )

    read = CompiledRead(build, placeholders=[-5])
    for organisation in (partner_org, other_org, partner_org):
        rows = read.rows(organisation.pk)
        expected = list(build(organisation.pk))
        assert rows
        assert sorted(rows) == sorted(expected)
        for row, orm_row in zip(sorted(rows), sorted(expected), strict=True):
            assert [type(value) for value in row] == [type(value) for value in orm_row]
    assert built.count(-5) == 1  # compiled once, on the first call


def test_constants_stay_and_placeholders_may_be_several(
    fachkraft: User, partner_org: Organisation
) -> None:
    since = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    read = CompiledRead(
        lambda organisation_id, username: _people_of(organisation_id, since).filter(
            username=username
        ),
        placeholders=[-5, "placeholder-name"],
    )
    assert read.rows(partner_org.pk, fachkraft.username) == list(
        _people_of(partner_org.pk, since).filter(username=fachkraft.username)
    )
    assert read.rows(partner_org.pk, "nobody") == []


def test_an_aggregate_is_converted_too(fachkraft: User, koordination: User) -> None:
    read = CompiledRead(
        lambda user_id: (
            User.objects.filter(pk__gte=user_id)
            .order_by()
            .values("is_active")
            .annotate(latest=Max("date_joined"))
            .values_list("is_active", "latest")
        ),
        placeholders=[-5],
    )
    orm = User.objects.filter(pk__gte=0).order_by().values("is_active")
    assert read.rows(0) == list(
        orm.annotate(latest=Max("date_joined")).values_list("is_active", "latest")
    )
    assert isinstance(read.rows(0)[0][1], datetime.datetime)


def test_a_placeholder_the_compilation_changes_is_refused() -> None:
    read = CompiledRead(
        lambda name: User.objects.filter(username__icontains=name).values_list("pk"),
        placeholders=["placeholder-name"],  # sent as "%placeholder-name%"
    )
    with pytest.raises(RuntimeError, match="placeholders lost"):
        read.rows("anna")


def test_a_read_that_ignores_its_placeholder_is_refused() -> None:
    read = CompiledRead(lambda _user_id: User.objects.values_list("pk"), placeholders=[-5])
    with pytest.raises(RuntimeError, match="placeholders lost"):
        read.rows(1)


def test_it_wants_a_value_for_each_placeholder() -> None:
    read = CompiledRead(lambda pk: User.objects.filter(pk=pk).values_list("pk"), placeholders=[-5])
    with pytest.raises(TypeError, match="1 values expected, got 2"):
        read.rows(1, 2)


def test_numbers_are_sent_in_their_columns_type() -> None:
    """PostgreSQL's backend sends an integer column's numbers as Int4 or Int8; so does the read."""
    moment = datetime.datetime(2026, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    for agreement_id, month in ((3, 202605), (4, 202606), (3, 202607)):
        ChangeStamp.objects.create(
            source="probe", agreement_id=agreement_id, month=month, changes=2, changed_at=moment
        )
    read = CompiledRead(
        lambda first, second, since: (
            ChangeStamp.objects.filter(agreement_id__in=[first, second], month__gte=since)
            .order_by("month")
            .values_list("agreement_id", "month", "changed_at")
        ),
        placeholders=[-5, -6, -7],
    )
    assert read.rows(3, 4, 202606) == [(4, 202606, moment), (3, 202607, moment)]
    assert read.rows(3, -1, 0) == [(3, 202605, moment), (3, 202607, moment)]
