from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "buendnis.accounts"
    verbose_name = _("Konten und Rechte")
