"""The imports' place in the workbench navigation."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sihai.core.navigation import NavEntry, workbench_nav
from sihai.core.policy import has_action
from sihai.spreadsheets.registry import importers


def _may_import(user: Any) -> bool:
    return any(has_action(user, importer.action) for importer in importers.all())


workbench_nav.register(
    NavEntry(
        key="imports",
        label=_("Register import"),
        url_name="imports:index",
        order=25,
        description=_(
            "Import an existing register (台账) from Excel: check every row, then import"
        ),
        visible=_may_import,
    )
)
