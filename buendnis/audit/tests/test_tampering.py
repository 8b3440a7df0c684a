"""Tampering behind the app's back: the triggers refuse it, the verifier names the entry.

The attacker here has database access: they drop the triggers first, as a database owner
could, then change, remove or insert rows with plain SQL. Runs on SQLite and PostgreSQL.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from buendnis.accounts.models import Organisation
from buendnis.audit import triggers
from buendnis.audit.chain import entry_hash
from buendnis.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_entries() -> None:
    for name in ("Eins", "Zwei", "Drei", "Vier", "Fünf"):
        Organisation.objects.create(name=name, kind=Organisation.Kind.PARTNER)
    assert AuditEntry.objects.count() == 5


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _drop_triggers() -> None:
    for statement in (
        triggers.SQLITE_DROP if connection.vendor == "sqlite" else triggers.POSTGRES_DROP
    ):
        _sql(statement)


def _verify_fails(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    assert exit_info.value.code == 1
    return capsys.readouterr().err.strip()


def test_it_refuses_an_update(five_entries: None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(sequence=2).update(object_label="anders")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("UPDATE audit_auditentry SET object_label = 'anders' WHERE sequence = 2")

    assert AuditEntry.objects.get(sequence=2).object_label == "Zwei"


def test_it_refuses_a_delete(five_entries: None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.get(sequence=3).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("DELETE FROM audit_auditentry")

    assert AuditEntry.objects.count() == 5


def test_it_names_a_changed_entry(five_entries: None, capsys: pytest.CaptureFixture[str]) -> None:
    _drop_triggers()
    _sql("UPDATE audit_auditentry SET object_label = 'Gefälscht' WHERE sequence = 3")

    assert _verify_fails(capsys) == (
        "Protokolleintrag Nr. 3 wurde verändert / audit entry 3 was changed"
    )


def test_it_names_a_changed_entry_even_with_a_recomputed_hash(
    five_entries: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _drop_triggers()
    entry = AuditEntry.objects.get(sequence=2)
    entry.object_label = "Gefälscht"
    _sql(
        "UPDATE audit_auditentry SET object_label = %s, hash = %s WHERE sequence = 2",
        [entry.object_label, entry_hash(entry)],
    )

    assert "Nr. 2 wurde verändert" in _verify_fails(capsys)


def test_it_names_a_removed_entry(five_entries: None, capsys: pytest.CaptureFixture[str]) -> None:
    _drop_triggers()
    _sql("DELETE FROM audit_auditentry WHERE sequence = 4")

    assert _verify_fails(capsys) == (
        "Protokolleintrag Nr. 4 wurde entfernt / audit entry 4 was removed"
    )


def test_it_names_a_removed_last_entry(
    five_entries: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _drop_triggers()
    _sql("DELETE FROM audit_auditentry WHERE sequence = 5")

    assert "Nr. 5 wurde entfernt" in _verify_fails(capsys)


def test_it_names_an_inserted_entry(five_entries: None, capsys: pytest.CaptureFixture[str]) -> None:
    """The forger even computes a correct hash that follows the last entry."""
    _drop_triggers()
    last = AuditEntry.objects.get(sequence=5)
    forged = AuditEntry(
        sequence=6,
        at=datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC),
        action="update",
        object_type="activity",
        object_id="1",
        object_label="nachgetragen",
        changes={"participants": [3, 30]},
        request_id="",
        previous_hash=last.hash,
    )
    insert = (
        "INSERT INTO audit_auditentry (sequence, at, action, object_type, object_id, "
        "object_label, changes, request_id, previous_hash, hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s)"
    )
    _sql(
        insert if connection.vendor == "postgresql" else insert.replace("::jsonb", ""),
        [
            forged.sequence, forged.at, forged.action, forged.object_type, forged.object_id,
            forged.object_label, json.dumps(forged.changes), forged.request_id,
            forged.previous_hash, entry_hash(forged),
        ],
    )  # fmt: skip

    assert _verify_fails(capsys) == (
        "Protokolleintrag Nr. 6 wurde eingefügt / audit entry 6 was inserted"
    )
