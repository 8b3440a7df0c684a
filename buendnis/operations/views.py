"""Health endpoints for load balancers and monitoring: no login, no data, no cookies."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from buendnis.accounts.policy import Action, requires
from buendnis.operations.selectors import worker_alive

_migrated = False  # once every migration is applied it stays so for this process's code


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


@requires(Action.PUBLIC)
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and answers."""
    return JsonResponse({"status": "ok"})


@requires(Action.PUBLIC)
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: database reachable, migrations applied, a worker alive (else 503)."""
    checks = {"database": "ok", "migrations": "ok", "worker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_applied():
            checks["migrations"] = "pending"
        if not worker_alive():
            checks["worker"] = "missing"
    except DatabaseError:
        checks = {"database": "unreachable", "migrations": "unknown", "worker": "unknown"}
    ready = all(value == "ok" for value in checks.values())
    status = "ok" if ready else "unavailable"
    return JsonResponse({"status": status, **checks}, status=200 if ready else 503)
