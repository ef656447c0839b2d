from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sihai.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app declares its actions in `policies.py` (the closed catalogue), and may
        # declare its workbench links and portal entries in `nav.py`;
        # collecting them here keeps the shells free of imports of every app.
        autodiscover_modules("policies")
        autodiscover_modules("nav")
