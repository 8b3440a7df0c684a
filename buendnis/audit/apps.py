from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The tamper-evident audit log: who changed what, when, hash-chained and append-only."""

    name = "buendnis.audit"
    verbose_name = _("Protokoll")

    def ready(self) -> None:
        """Connect the recording hooks and the SQLite maintenance function."""
        from django.db.backends.signals import connection_created

        from buendnis.audit import events, recording, registry, triggers

        registry.register_all()
        recording.connect()
        events.connect()
        connection_created.connect(triggers.install_sqlite_function)

        from buendnis.accounts.data_export import register_section
        from buendnis.audit.selectors import entries_for_export

        register_section("audit_entries", entries_for_export)
