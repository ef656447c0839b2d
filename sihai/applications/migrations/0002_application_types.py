"""The five application types the city starts with (sihai/applications/catalogue.py)."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from sihai.applications.catalogue import TYPES  # noqa: PLC0415

    model = apps.get_model("applications", "ApplicationType")
    for values in TYPES:
        model.objects.update_or_create(code=values["code"], defaults=values)


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("applications", "ApplicationType").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
