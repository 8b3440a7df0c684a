from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "buendnis.offers"
    verbose_name = "Öffentliche Angebote"

    def ready(self) -> None:
        from buendnis.offers import cache

        cache.connect_signals()
