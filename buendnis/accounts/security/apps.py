from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Account security: login throttling, the second factor and the session list."""

    name = "buendnis.accounts.security"
    label = "security"
    verbose_name = _("Kontosicherheit")

    def ready(self) -> None:
        from buendnis.accounts.security import signals  # noqa: F401  (connects receivers)
