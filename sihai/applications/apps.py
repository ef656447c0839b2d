from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "sihai.applications"
    label = "applications"
    verbose_name = _("Public-service applications")

    def ready(self) -> None:
        from sihai.applications.erasure import on_resident_saved  # noqa: PLC0415
        from sihai.residents.models import Resident  # noqa: PLC0415

        post_save.connect(on_resident_saved, sender=Resident, dispatch_uid="applications.erasure")
