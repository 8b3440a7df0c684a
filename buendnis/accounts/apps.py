from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "buendnis.accounts"
    verbose_name = _("Konten und Rechte")

    def ready(self) -> None:
        from buendnis.accounts.data_export import register_account_sections

        register_account_sections()
