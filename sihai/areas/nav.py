"""The area browser's place in the workbench navigation."""

from django.utils.translation import gettext_lazy as _

from sihai.areas.policies import AREA_BROWSE
from sihai.core.navigation import NavEntry, workbench_nav

workbench_nav.register(
    NavEntry(
        key="areas",
        label=_("Areas"),
        url_name="areas:index",
        order=10,
        description=_("City, districts, subdistricts and communities, with what each contains"),
        action=AREA_BROWSE.code,
    )
)
