"""Two writers at once never fork the chain; a flush (the tests' teardown) still empties it."""

import threading

import pytest
from django.db import connection, connections, transaction

from buendnis.accounts.models import Organisation
from buendnis.audit.chain import verify
from buendnis.audit.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_two_writers_extend_one_chain() -> None:
    """Each thread has its own connection; on PostgreSQL the head row's lock serialises them."""
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            start.wait()
            for number in range(10):
                with transaction.atomic():  # as every service: the row and its entry together
                    Organisation.objects.create(
                        name=f"{prefix} {number}", kind=Organisation.Kind.PARTNER
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("Nord", "Süd")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    if connection.vendor == "postgresql":
        assert errors == []
        assert Organisation.objects.count() == 20
    # SQLite's shared in-memory test database may refuse a writer ("table is locked"), and
    # then that write is rolled back with its entry: what committed is numbered without gaps.
    written = Organisation.objects.count()
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == (
        list(range(1, written + 1))
    )
    assert verify().broken is None


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_log() -> None:
    """The teardown of this test flushes: on SQLite only the flush command may delete."""
    Organisation.objects.create(name="Eins", kind=Organisation.Kind.PARTNER)
    assert AuditEntry.objects.count() == 1

    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEntry.objects.exists()
    Organisation.objects.create(name="Zwei", kind=Organisation.Kind.PARTNER)
    assert AuditEntry.objects.get().sequence == 1
    assert verify().broken is None
