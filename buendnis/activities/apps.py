from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "buendnis.activities"
    verbose_name = _("Aktivitäten (§ 7)")

    def ready(self) -> None:
        post_migrate.connect(restore_kreise, sender=self)


def restore_kreise(using: str, apps: Apps = global_apps, **kwargs: object) -> None:
    """Hessen's Kreise come with a data migration; ``flush`` (which tests run after a
    transactional test) empties the table and then sends ``post_migrate``, like after
    ``migrate``. They are reference data, so they come back, as content types do."""
    from buendnis.activities.geography import read_kreise

    try:
        kreis = apps.get_model("activities", "Kreis")
    except LookupError:  # migrated back before the table existed
        return
    if kreis.objects.using(using).exists():
        return
    kreis.objects.using(using).bulk_create(kreis(**row) for row in read_kreise())
