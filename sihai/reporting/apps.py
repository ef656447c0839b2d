from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "sihai.reporting"
    label = "reporting"
    verbose_name = _("Insight")

    def ready(self) -> None:
        from sihai.reporting.suppression import min_cell  # noqa: PLC0415  (settings loaded)

        # Refuse to start with k below the floor rather than publish small cells.
        min_cell()
        # Each app declares its indicators and rollup sources in its own `metrics.py`.
        autodiscover_modules("metrics")
