from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "buendnis.core"
    verbose_name = "Bündnis"
