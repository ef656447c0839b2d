from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SpreadsheetsConfig(AppConfig):
    name = "sihai.spreadsheets"
    label = "spreadsheets"
    verbose_name = "Spreadsheet import and export"

    def ready(self) -> None:
        # Each app that accepts registers declares its importer in `<app>/imports.py`.
        autodiscover_modules("imports")
