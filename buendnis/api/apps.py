from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "buendnis.api"
    label = "api"
    verbose_name = _("Programmierschnittstelle")
    default_auto_field = "django.db.models.BigAutoField"
