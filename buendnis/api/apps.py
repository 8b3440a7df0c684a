from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "buendnis.api"
    label = "api"
    verbose_name = _("Programmierschnittstelle")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from buendnis.accounts.data_export import register_section
        from buendnis.api.selectors import tokens_for_export

        register_section("api_tokens", tokens_for_export)
