"""The registry's place in the workbench navigation."""

from django.utils.translation import gettext_lazy as _

from sihai.core.navigation import NavEntry, workbench_nav
from sihai.residents.policies import RESIDENT_ERASE, RESIDENT_VIEW

workbench_nav.register(
    NavEntry(
        key="residents",
        label=_("Residents"),
        url_name="residents:search",
        order=20,
        description=_("Find a resident by ID number, phone, or name and birth date; register"),
        action=RESIDENT_VIEW.code,
    )
)
workbench_nav.register(
    NavEntry(
        key="deletions",
        label=_("Deletion requests"),
        url_name="residents:deletions",
        order=22,
        description=_("Residents' requests to delete their data, by deadline"),
        action=RESIDENT_ERASE.code,
    )
)
