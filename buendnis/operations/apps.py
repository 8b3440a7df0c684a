from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Create the database cache's table with every ``migrate`` (a no-op once it exists)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class OperationsConfig(AppConfig):
    """Running Bündnis: worker, schedules, health, logs, shared cache, backups."""

    name = "buendnis.operations"
    verbose_name = "Betrieb"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self)
