"""Optimistic locking: the compare-and-increment is one SQL statement, and exactly one of
two writers starting from the same version wins."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from buendnis.activities.models import Format
from buendnis.agreements.models import Agreement
from buendnis.core.locking import EditConflict, check_version, claim_version


@pytest.fixture
def fmt(db: None) -> Format:
    agreement = Agreement.objects.create(slug="v", title="Vereinbarung")
    return Format.objects.create(
        agreement=agreement, key="cafe", name="Café", status_since="2026-01-01"
    )


def test_it_compares_and_increments_in_one_update(fmt: Format) -> None:
    with CaptureQueriesContext(connection) as queries:
        claimed = claim_version(Format, pk=fmt.pk, expected=1)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    set_part, where_part = updates[0].split(" WHERE ")
    assert '"version" = ("activities_format"."version" + 1)' in set_part
    assert '"version" = 1' in where_part and '"id" =' in where_part
    assert claimed.version == 2


def test_it_refuses_a_stale_version_and_changes_nothing(fmt: Format) -> None:
    claim_version(Format, pk=fmt.pk, expected=1)
    with pytest.raises(EditConflict) as conflict:
        claim_version(Format, pk=fmt.pk, expected=1)
    assert conflict.value.current.pk == fmt.pk
    assert (conflict.value.current_version, conflict.value.expected) == (2, 1)
    assert Format.objects.get(pk=fmt.pk).version == 2


def test_a_refused_save_rolls_the_increment_back(fmt: Format) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_version(Format, pk=fmt.pk, expected=1)
        raise RuntimeError("the save failed after the claim")
    assert Format.objects.get(pk=fmt.pk).version == 1


def test_check_version_locks_without_counting(fmt: Format) -> None:
    with transaction.atomic():
        assert check_version(Format, pk=fmt.pk, expected=1).version == 1
    with pytest.raises(EditConflict):
        check_version(Format, pk=fmt.pk, expected=2)
    assert Format.objects.get(pk=fmt.pk).version == 1


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_writers_exactly_one_wins() -> None:
    agreement = Agreement.objects.create(slug="race", title="Vereinbarung")
    fmt = Format.objects.create(
        agreement=agreement, key="cafe", name="Café", status_since="2026-01-01"
    )
    both_read = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def save(name: str, expected: int) -> None:
        # SQLite's shared in-memory test database answers a concurrent writer "table is
        # locked" at once instead of waiting as a file database does (busy timeout): wait
        # and try again, as SQLite itself would.
        for _attempt in range(200):
            try:
                with transaction.atomic():
                    claim_version(Format, pk=fmt.pk, expected=expected)
                    Format.objects.filter(pk=fmt.pk).update(name=name)
                return
            except OperationalError as error:
                if "locked" not in str(error):
                    raise
                time.sleep(0.02)
        raise AssertionError("the database stayed locked")

    def writer(name: str) -> Callable[[], None]:
        def run() -> None:
            try:
                stored = Format.objects.get(pk=fmt.pk)  # both load the same version
                both_read.wait()
                save(name, stored.version)
                outcomes.append("saved")
            except EditConflict:
                outcomes.append("conflict")
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=writer(n)) for n in ("Anna", "Samir")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    stored = Format.objects.get(pk=fmt.pk)
    assert stored.version == 2 and stored.name in ("Anna", "Samir")
