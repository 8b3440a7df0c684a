"""The chain itself: entries are numbered and linked, and the verifier walks them."""

import pytest
from django.core.management import call_command

from buendnis.accounts.models import Organisation
from buendnis.audit.chain import GENESIS, entry_hash, verify
from buendnis.audit.models import AuditEntry, ChainHead
from buendnis.audit.recording import record


@pytest.mark.django_db
def test_it_numbers_and_links_the_entries() -> None:
    Organisation.objects.create(name="Eins", kind=Organisation.Kind.PARTNER)
    Organisation.objects.create(name="Zwei", kind=Organisation.Kind.PARTNER)

    first, second = AuditEntry.objects.order_by("sequence")
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash
    assert entry_hash(second) == second.hash
    head = ChainHead.objects.get()
    assert (head.sequence, head.hash) == (2, second.hash)


@pytest.mark.django_db
def test_it_verifies_an_untouched_chain(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("Eins", "Zwei", "Drei"):
        Organisation.objects.create(name=name, kind=Organisation.Kind.PARTNER)

    call_command("audit_verify")

    assert "3 Einträge / audit log intact: 3 entries" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_verifies_an_empty_log() -> None:
    assert verify().entries == 0
    assert verify().broken is None


@pytest.mark.django_db
def test_it_writes_nothing_when_the_transaction_rolls_back() -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        record(AuditEntry.Action.UPDATE, object_type="test", object_id=1)
        raise RuntimeError

    assert not AuditEntry.objects.exists()
    record(AuditEntry.Action.UPDATE, object_type="test", object_id=2)
    assert AuditEntry.objects.get().sequence == 1
    assert verify().broken is None
