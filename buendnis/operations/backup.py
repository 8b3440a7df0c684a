"""Backups of the whole database: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore.

A SQLite backup is a consistent copy of the database file taken while the app runs; a
PostgreSQL backup is pg_dump's custom format. ``restore`` refuses a file that is missing or
is not a backup of this kind of database, and a target database that already holds tables
(unless forced); it checks all of that before it changes anything.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A refused backup or restore; the message is one line, German / English."""


def _connection(alias: str) -> BaseDatabaseWrapper:
    connection = connections[alias]
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Datenbank {connection.vendor} wird nicht unterstützt / not supported")
    return connection


def _pg_arguments(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore, and the environment with the password."""
    settings = connection.settings_dict
    arguments = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        arguments += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", settings["USER"]]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return arguments, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} fehlt (PostgreSQL-Client installieren) / {name} is missing")
    return found


def backup(*, path: Path, alias: str = "default") -> None:
    """Write a backup of the database to ``path`` (written in full, then moved in place)."""
    connection = _connection(alias)
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"Verzeichnis fehlt / directory missing: {path.parent}")
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".backup-", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        if connection.vendor == "sqlite":
            _sqlite_backup(connection, partial)
        else:
            arguments, env = _pg_arguments(connection)
            result = subprocess.run(  # noqa: S603 - pg_dump with our own arguments
                [_tool("pg_dump"), "--format=custom", "--file", str(partial), *arguments],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if result.returncode:
                raise BackupError(f"pg_dump: {_first_line(result.stderr)}")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_backup(connection: BaseDatabaseWrapper, path: Path) -> None:
    """Copy the database page by page while it stays in use (SQLite's online backup API)."""
    if connection.is_in_memory_db():  # the test database lives only in Django's connection
        connection.ensure_connection()
        source = connection.connection
    else:
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
    target = sqlite3.connect(path)
    try:
        source.backup(target, pages=1024)
    finally:
        target.close()
        if source is not connection.connection:
            source.close()


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["?"])[0]


def _check_file(path: Path, vendor: str) -> None:
    if not path.is_file():
        raise BackupError(f"Datei nicht gefunden / file not found: {path}")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC) or not _sqlite_has_migrations(path):
            raise BackupError(
                f"Keine Bündnis-Sicherung (SQLite) / not a Bündnis backup (SQLite): {path}"
            )
    elif not head.startswith(PG_MAGIC) or not _pg_listable(path):
        raise BackupError(
            f"Keine Sicherung im pg_dump-Format / not a pg_dump custom-format backup: {path}"
        )


def _sqlite_has_migrations(path: Path) -> bool:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = source.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
            ).fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError:
        return False
    return found is not None


def _pg_listable(path: Path) -> bool:
    result = subprocess.run(  # noqa: S603 - pg_restore --list of a local file
        [_tool("pg_restore"), "--list", str(path)], capture_output=True, check=False
    )
    return result.returncode == 0


def restore(*, path: Path, force: bool = False, alias: str = "default") -> None:
    """Restore a backup into the database, which must hold no tables unless ``force``."""
    connection = _connection(alias)
    path = path.resolve()
    _check_file(path, connection.vendor)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables and not force:
        raise BackupError(
            f"Die Zieldatenbank ist nicht leer ({len(tables)} Tabellen; --force überschreibt) "
            f"/ the target database is not empty ({len(tables)} tables; --force overwrites)"
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    arguments, env = _pg_arguments(connection)
    connection.close()
    clean = ["--clean", "--if-exists"] if force else []
    result = subprocess.run(  # noqa: S603 - pg_restore with our own arguments
        [
            _tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
            "--exit-on-error", *clean, *arguments, str(path),
        ],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode:
        raise BackupError(f"pg_restore: {_first_line(result.stderr)}")
