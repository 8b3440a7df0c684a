"""/healthz and /readyz: no login, no data, 503 with the reason when not ready."""

import datetime
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from buendnis.operations import views
from buendnis.operations.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _beat(seconds_ago: int) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1",
        hostname="app1",
        pid=1,
        started_at=now - datetime.timedelta(hours=1),
        seen_at=now - datetime.timedelta(seconds=seconds_ago),
    )


def test_it_says_the_process_is_alive_without_login() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert "no-cache" in response["Cache-Control"]


def test_it_is_ready_with_database_migrations_and_a_living_worker() -> None:
    _beat(seconds_ago=5)
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "worker": "ok",
    }


def test_it_is_not_ready_when_the_last_heartbeat_is_too_old(settings: Any) -> None:
    settings.WORKER_TIMEOUT_SECONDS = 60
    _beat(seconds_ago=61)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["worker"] == "missing"


def test_it_is_not_ready_with_pending_migrations(monkeypatch: pytest.MonkeyPatch) -> None:
    _beat(seconds_ago=1)
    monkeypatch.setattr(views, "_migrated", False)
    monkeypatch.setattr(views.MigrationExecutor, "migration_plan", lambda self, targets: [1])
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


def test_it_is_not_ready_when_the_database_is_unreachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bool:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(views, "worker_alive", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_it_refuses_writes() -> None:
    assert Client().post("/healthz").status_code == 405


def test_it_denies_other_organisation(django_user_model: Any) -> None:
    """The endpoints show nothing about any organisation: the same answer for everyone."""
    anonymous = Client().get("/healthz").content
    client = Client()
    client.force_login(django_user_model.objects.create_user(username="someone"))
    assert client.get("/healthz").content == anonymous


def test_it_tags_every_response_with_a_request_id() -> None:
    first = Client().get("/healthz")["X-Request-ID"]
    second = Client().get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second
    assert Client().get("/healthz", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == (
        "proxy-1234abcd"
    )
    assert Client().get("/healthz", HTTP_X_REQUEST_ID="bad\nid")["X-Request-ID"] != "bad\nid"
