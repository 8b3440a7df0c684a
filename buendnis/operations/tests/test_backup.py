"""``buendnis backup`` / ``restore``: the demo comes back identical; bad input changes nothing."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections

from buendnis.conftest import REPO_ROOT
from buendnis.operations.backup import BackupError, backup, restore

Fingerprints = dict[str, tuple[int, str]]


def _fingerprints(cursor: Any, tables: list[str]) -> Fingerprints:
    """Per table: the number of rows and a checksum over all of them, in any order."""
    found = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
        rows = sorted(
            repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
            for row in cursor.fetchall()
        )
        found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


def _buendnis(database_url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BUENDNIS_")}
    env.update(BUENDNIS_DATABASE_URL=database_url, BUENDNIS_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "buendnis.cli", *args],
        env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """An empty database of the suite's kind: its URL and a Django connection to it."""
    wrapper = type(connections["default"])
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        yield f"sqlite:///{path}", wrapper(dict(connection.settings_dict, NAME=str(path)))
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    admin = {"host": settings["HOST"], "port": settings["PORT"] or 5432, "user": settings["USER"]}
    if settings["PASSWORD"]:
        admin["password"] = settings["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    fresh = wrapper(dict(settings, NAME=name))
    try:
        yield f"postgres://{user}@{admin['host']}:{admin['port']}/{name}", fresh
    finally:
        fresh.close()
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_it_restores_the_demo_into_a_fresh_database_identically(
    tmp_path: Path, fresh_database: tuple[str, Any]
) -> None:
    call_command("demo", "--no-serve", stdout=open(os.devnull, "w"))  # noqa: SIM115
    backup_file = tmp_path / "buendnis.backup"
    call_command("backup", str(backup_file), stdout=open(os.devnull, "w"))  # noqa: SIM115
    url, fresh = fresh_database

    result = _buendnis(url, tmp_path, "restore", str(backup_file))

    assert result.returncode == 0, result.stderr
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        original = _fingerprints(cursor, tables)
    with fresh.cursor() as cursor:
        restored = _fingerprints(cursor, tables)
    fresh.close()
    assert original["activities_activity"][0] >= 600
    assert restored == original


def test_it_refuses_a_missing_file_with_one_line_and_code_2(tmp_path: Path) -> None:
    result = _buendnis(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, "restore", "fehlt.backup")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Fehler / error: Datei nicht gefunden / file not found: {REPO_ROOT / 'fehlt.backup'}"
    ]
    assert (
        not (tmp_path / "x.sqlite3").exists()
        or not sqlite3.connect(tmp_path / "x.sqlite3")
        .execute("SELECT name FROM sqlite_master")
        .fetchall()
    )


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    text = tmp_path / "notizen.txt"
    text.write_text("Das ist keine Sicherung.\n")
    target = tmp_path / "x.sqlite3"
    result = _buendnis(f"sqlite:///{target}", tmp_path, "restore", str(text))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "Keine Bündnis-Sicherung" in result.stderr
    assert (
        not target.exists()
        or not sqlite3.connect(target).execute("SELECT name FROM sqlite_master").fetchall()
    )


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_target_that_holds_data_and_changes_nothing(
    tmp_path: Path, agreement: Any
) -> None:
    backup_file = tmp_path / "buendnis.backup"
    backup(path=backup_file)
    agreement.title = "Nach der Sicherung geändert"
    agreement.save(update_fields=["title"])
    with pytest.raises(BackupError, match="nicht leer"):
        restore(path=backup_file)
    agreement.refresh_from_db()
    assert agreement.title == "Nach der Sicherung geändert"
