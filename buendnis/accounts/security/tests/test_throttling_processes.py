"""Throttling holds across processes: the counts live in the shared database."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

from buendnis.accounts.models import Membership
from buendnis.accounts.services import organisation_resolve, user_create
from buendnis.conftest import PASSWORD, REPO_ROOT


def _run(env: dict[str, str], *args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "buendnis.accounts.security.tests.login_attempts", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=False,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.split()


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "BUENDNIS_DATABASE_URL"}
    env.update(
        BUENDNIS_SECRET_KEY=settings.SECRET_KEY,
        BUENDNIS_ALLOWED_HOSTS="testserver",
        BUENDNIS_LOG_LEVEL="ERROR",
        BUENDNIS_STATIC_HASHED="false",  # a fresh data directory has no collected files
        **extra,
    )
    return env


def _postgres_url() -> str:
    db = connection.settings_dict
    user, host, port = db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
    auth = f"{user}:{db['PASSWORD']}" if db["PASSWORD"] else user
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def test_it_refuses_in_one_process_after_failures_in_another(
    transactional_db: None, tmp_path: Path
) -> None:
    if connection.vendor == "postgresql":
        # Another process fails ten times against this test database; this process is refused.
        organisation = organisation_resolve(name="Prozess e.V.", kind="partner")
        user_create(
            username="samir",
            password=PASSWORD,
            organisation=organisation,
            role=Membership.Role.FACHKRAFT,
        )
        env = _env(BUENDNIS_DATABASE_URL=_postgres_url())
        statuses = _run(env, "samir", "falsch", "10", "198.51.100.1")
        assert statuses == ["200"] * 9 + ["429"]
        client = Client(REMOTE_ADDR="192.0.2.1")
        response = client.post("/konto/anmelden/", {"username": "samir", "password": PASSWORD})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
    else:
        # SQLite's test database lives in this process' memory, so two other processes share
        # one database file: the first fails ten times, the second is refused.
        env = _env(BUENDNIS_DATA_DIR=str(tmp_path / "daten"))
        statuses = _run(env, "--migrate", "--create", "samir", PASSWORD, "10", "198.51.100.1")
        assert statuses == ["200"] * 9 + ["429"]
        assert _run(env, "samir", PASSWORD, "1", "192.0.2.1") == ["429"]
