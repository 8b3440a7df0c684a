"""The hash chain: canonical content, appending under a lock, and walking it to verify."""

import datetime
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from buendnis.audit.models import AuditEntry, ChainHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "organisation_id",
    "agreement_id",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "changes",
    "request_id",
    "previous_hash",
)


def _timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: AuditEntry | dict[str, Any]) -> bytes:
    """The entry's content as sorted, compact JSON: what its hash is computed over."""
    get = entry.get if isinstance(entry, dict) else entry.__dict__.get
    content: dict[str, Any] = {name: get(name) for name in HASHED_FIELDS}
    content["at"] = _timestamp(content["at"])
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry | dict[str, Any]) -> str:
    """SHA-256 over the canonical content, which includes the previous entry's hash."""
    return hashlib.sha256(canonical(entry)).hexdigest()


_COLUMNS = (
    "sequence", "at", "actor_id", "organisation_id", "agreement_id", "action", "object_type",
    "object_id", "object_label", "changes", "request_id", "previous_hash", "hash",
)  # fmt: skip
_INSERT_BATCH = 500


def append_rows(rows: list[dict[str, Any]]) -> None:
    """Like ``append`` for many entries given as dictionaries of the hashed fields (no models).

    The import's 10,000 entries take this path: building model instances cost more than
    hashing and inserting them.
    """
    if not rows:
        return
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        sequence, previous = head.sequence, head.hash or GENESIS
        for row in rows:
            sequence += 1
            row["sequence"] = sequence
            row["previous_hash"] = previous
            row["hash"] = previous = entry_hash(row)
        _insert(rows)
        head.sequence, head.hash = sequence, previous
        head.save(update_fields=["sequence", "hash"])


def _insert(entries: Sequence[AuditEntry] | Sequence[dict[str, Any]]) -> None:
    """Insert the entries with ``executemany``: for the import's 10,000 entries the ORM's
    ``bulk_create`` cost a quarter of the whole import (``bench/audit.py``)."""
    if len(entries) < 2 and isinstance(entries[0], AuditEntry):
        AuditEntry.objects.bulk_create(entries)  # type: ignore[arg-type]
        return
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    marks = ", ".join(f"%s{cast}" if column == "changes" else "%s" for column in _COLUMNS)
    statement = f"INSERT INTO {AuditEntry._meta.db_table} ({', '.join(_COLUMNS)}) VALUES ({marks})"  # noqa: S608 (fixed names)
    adapt = connection.ops.adapt_datetimefield_value
    rows = []
    for entry in entries:
        e = entry if isinstance(entry, dict) else entry.__dict__
        rows.append(
            (
                e["sequence"], adapt(e["at"]), e["actor_id"], e["organisation_id"],
                e["agreement_id"], e["action"], e["object_type"], e["object_id"],
                e["object_label"], json.dumps(e["changes"], ensure_ascii=False),
                e["request_id"], e["previous_hash"], e["hash"],
            )
        )  # fmt: skip
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _INSERT_BATCH):
            cursor.executemany(statement, rows[start : start + _INSERT_BATCH])


def _locked_head() -> ChainHead:
    """The chain head, locked until the transaction ends (created on first use)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.bulk_create([ChainHead(pk=1)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def append(entries: Sequence[AuditEntry]) -> list[AuditEntry]:
    """Number, chain and insert the entries after the current head, in one transaction."""
    if not entries:
        return []
    # No savepoint: inside the caller's transaction (the usual case) a failure here fails
    # the whole transaction anyway, and two fewer statements per save matter on fast entry.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        sequence, previous = head.sequence, head.hash or GENESIS
        for entry in entries:
            sequence += 1
            entry.sequence = sequence
            entry.previous_hash = previous
            entry.hash = previous = entry_hash(entry)
        _insert(entries)
        head.sequence, head.hash = sequence, previous
        head.save(update_fields=["sequence", "hash"])
    return list(entries)


@dataclass(frozen=True)
class Break:
    """The first place where the chain is not what was written."""

    sequence: int
    kind: str  # "changed", "removed" or "inserted"

    def message(self) -> str:
        """One line, German / English, naming the entry."""
        german = {"changed": "verändert", "removed": "entfernt", "inserted": "eingefügt"}
        return (
            f"Protokolleintrag Nr. {self.sequence} wurde {german[self.kind]} "
            f"/ audit entry {self.sequence} was {self.kind}"
        )


@dataclass(frozen=True)
class Verdict:
    """The result of walking the chain: how many entries, and the first break if any."""

    entries: int
    broken: Break | None


def _walk() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)


def _hash_as(entry: AuditEntry, sequence: int) -> str:
    """The hash the entry would have under another sequence number (renumbering shows)."""
    original = entry.sequence
    entry.sequence = sequence
    try:
        return entry_hash(entry)
    finally:
        entry.sequence = original


def verify() -> Verdict:
    """Walk the chain from the first entry; report the first changed, removed or inserted one.

    A gap in the sequence numbers is a removed entry, an entry past the head an inserted
    one. An entry whose hash no longer matches its content was changed — unless it matches
    under the number one lower or higher: then the rows after an insertion or a removal were
    renumbered. An entry that is sound in itself but does not follow its predecessor's hash
    means the predecessor was rewritten with a new hash.
    """
    head = ChainHead.objects.filter(pk=1).first()
    head_sequence = head.sequence if head else 0
    expected, previous, count = 1, GENESIS, 0
    for entry in _walk():
        if entry.sequence > head_sequence:
            return Verdict(count, Break(entry.sequence, "inserted"))
        if entry.sequence != expected:
            return Verdict(count, Break(expected, "removed"))
        if entry_hash(entry) != entry.hash:
            if _hash_as(entry, entry.sequence - 1) == entry.hash:
                return Verdict(count, Break(entry.sequence - 1, "inserted"))
            if _hash_as(entry, entry.sequence + 1) == entry.hash:
                return Verdict(count, Break(entry.sequence, "removed"))
            return Verdict(count, Break(entry.sequence, "changed"))
        if entry.previous_hash != previous:
            return Verdict(count, Break(max(entry.sequence - 1, 1), "changed"))
        previous, expected, count = entry.hash, expected + 1, count + 1
    if count < head_sequence:
        return Verdict(count, Break(count + 1, "removed"))
    if head is not None and head.sequence and head.hash != previous:
        return Verdict(count, Break(count, "changed"))
    return Verdict(count, None)
